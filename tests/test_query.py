"""Queries on the demo corpus, on SQLite and PostgreSQL; both backends must give the same answers."""

from __future__ import annotations

import pytest

from newsgraph import query as q
from newsgraph.store.synthetic import demo_corpus, random_extractions
from newsgraph.store.testing import temporary_store


@pytest.fixture
def store(empty_store):
    empty_store.add(demo_corpus())
    return empty_store


def _names(refs) -> list[str]:
    return [r.name for r in refs]


def test_events_by_actor_code_with_evidence_quantity_and_claimant(store):
    page = q.list_events(store, actor="PRK")
    delivered = [e for e in page.items if e.type == "AID"]
    assert page.total == 3  # two reports of the delivery + the sanctions; the syndicated copy is left out
    wire = next(e for e in delivered if e.article_id == "wire-1")
    assert _names(wire.source) == ["North Korea"] and _names(wire.target) == ["Russia"]
    assert wire.attributed_to is not None and wire.attributed_to.name == "Matthew Miller"
    assert "5,000 artillery shells" in wire.evidence.text and wire.trigger.text == "delivered"
    assert [(x.value, x.unit, x.text) for x in wire.quantities] == [
        (5000.0, "shells", "5,000 artillery shells")
    ]
    assert wire.article_title == "North Korea delivers shells to Russia"


def test_event_filters(store):
    assert {e.type for e in q.list_events(store, source="USA").items} == {"SANCTION", "THREATEN", "CONSULT"}
    assert [e.type for e in q.list_events(store, target="North Korea").items] == ["SANCTION"]
    assert [e.type for e in q.list_events(store, actor="Pyongyang", type="AID").items] == ["AID", "AID"]
    assert q.list_events(store, type=["ASSAULT", "SANCTION"]).total == 2
    assert [e.date for e in q.list_events(store, since="2024-04-11").items] == ["2024-04-12"]
    assert q.list_events(store, until="2024-01-31").items[0].type == "AGREE"
    claimed = q.list_events(store, claimed_by="Miller").items
    assert [e.article_id for e in claimed] == ["wire-1"]
    assert q.list_events(store, article="paper-3").total == 3
    # newest first, paged
    page = q.list_events(store, limit=2, offset=1)
    everything = q.list_events(store, limit=100).items
    assert [e.id for e in page.items] == [e.id for e in everything[1:3]] and page.total == len(everything)
    assert [e.date for e in everything] == sorted((e.date for e in everything), reverse=True)


def test_negated_planned_and_duplicate_events_only_with_all(store):
    default = q.list_events(store, limit=100)
    assert all(e.polarity == "positive" and e.modality == "actual" for e in default.items)
    assert all(e.article_id != "paper-copy" for e in default.items)
    everything = q.list_events(store, include_all=True, limit=100)
    kinds = {(e.polarity, e.modality) for e in everything.items}
    assert ("negative", "actual") in kinds and ("positive", "planned") in kinds
    assert any(e.article_id == "paper-copy" for e in everything.items)
    # Asking for an article shows its events even when it is a linked copy.
    assert q.list_events(store, article="paper-copy").total == 1


def test_quotes(store):
    stoltenberg = q.list_quotes(store, speaker="Stoltenberg")
    assert stoltenberg.total == 2
    assert {x.text for x in stoltenberg.items} == {
        "China cannot have it both ways",
        "Beijing is fuelling the largest war in Europe in decades",
    }
    assert all(x.speaker.name == "Jens Stoltenberg" for x in stoltenberg.items)
    about = q.list_quotes(store, about="CHN")
    assert about.total == 2 and all("China" in _names(x.about) for x in about.items)
    assert [x.speaker.name for x in q.list_quotes(store, search="ACCOUNT").items] == ["Matthew Miller"]
    assert q.list_quotes(store, since="2024-03-05").total == 2
    assert q.list_quotes(store, until="2024-03-04").total == 1  # the copy's quote is not counted twice


def test_quotes_by_an_actor_and_quotes_that_mention_it(empty_store):
    from newsgraph.store.synthetic import ExtractionBuilder

    b = ExtractionBuilder("ministry-1", published="2024-05-02", title="Ministry answers critics")
    ministry = b.actor("Ministry of Defence", "organization", country="GBR", sector="GOV")
    spokesman = b.actor("ministry spokesman", "person", role="spokesman")
    critic = b.actor("Ana Ruiz", "person", role="senator")
    b.quote(spokesman, "The exercise will go ahead", speaker_organization=ministry)
    b.quote(ministry, "We regret the delay")
    b.quote(critic, "The Ministry of Defence has failed us", about=[ministry])
    empty_store.add([b.build()])
    by = q.list_quotes(empty_store, speaker="Ministry of Defence")
    assert {x.text for x in by.items} == {"The exercise will go ahead", "We regret the delay"}
    spoken_for = next(x for x in by.items if x.speaker.name == "ministry spokesman")
    assert spoken_for.speaker_organization.name == "Ministry of Defence"
    mentioning = q.list_quotes(empty_store, about="Ministry of Defence")
    assert [x.text for x in mentioning.items] == ["The Ministry of Defence has failed us"]
    counts = {a.name: a.quote_count for a in q.list_actors(empty_store).items}
    assert counts == {"Ministry of Defence": 2, "ministry spokesman": 1, "Ana Ruiz": 1}


def test_actors_with_counts(store):
    page = q.list_actors(store, limit=100)
    by_name = {a.name: a for a in page.items}
    prk = by_name["North Korea"]
    assert prk.event_count == 3 and prk.code == "PRK" and prk.wikidata == "Q423"
    assert prk.mention_count >= 3
    assert by_name["Jens Stoltenberg"].quote_count == 2
    assert by_name["Jens Stoltenberg"].organization == "NATO"
    assert by_name["Matthew Miller"].quote_count == 1  # not 2: the syndicated copy is linked
    assert {a.name for a in q.list_actors(store, kind="person").items} == {
        "Matthew Miller",
        "Jens Stoltenberg",
    }
    assert [a.name for a in q.list_actors(store, country="FRA").items] == ["France"]
    assert [a.name for a in q.list_actors(store, name="germ").items] == ["Germany"]
    detail = q.get_actor(store, prk.id)
    assert detail is not None and len(detail.events) == 3
    assert q.get_actor(store, "nope") is None


def test_articles(store):
    page = q.list_articles(store)
    assert page.total == 5
    copy = next(a for a in page.items if a.id == "paper-copy")
    assert copy.duplicate_of == "wire-1"
    assert [a.id for a in q.list_articles(store, search="kharkiv").items] == ["paper-3"]
    assert q.list_articles(store, since="2024-03-05", until="2024-04-30").total == 2
    assert q.get_article_text(store, "paper-3").startswith("Russia shelled")
    assert q.get_article(store, "missing") is None


def test_stories_group_reports_of_one_event(store):
    stories = q.list_stories(store, type="AID")
    assert stories.total == 1
    story = stories.items[0]
    assert story.reports == 2 and story.articles == 2
    assert story.first_report.article_id == "wire-1" and story.first_date == "2024-03-04"
    assert _names(story.source) == ["North Korea"] and _names(story.target) == ["Russia"]
    assert q.list_stories(store, min_reports=2).total == 1
    assert q.list_stories(store, actor="UKR").total == 1  # the shelling; the negated strike makes no story


def test_network_counts_stories_unless_reports(store):
    net = q.network(store)
    names = {n.id: n.name for n in net.nodes}
    edges = {(names[e.source], names[e.target]): e for e in net.edges}
    aid = edges[("North Korea", "Russia")]
    assert aid.material_cooperation == 1 and aid.total == 1 and aid.net_score == 1.0
    reports = q.network(store, count="reports")
    r_edges = {(e.source, e.target): e for e in reports.edges}
    assert r_edges[(aid.source, aid.target)].total == 2
    assert edges[("Russia", "Ukraine")].material_conflict == 1
    assert edges[("Russia", "Ukraine")].net_score == -1.0
    assert ("China", "Ukraine") not in edges  # planned aid does not count
    windowed = q.network(store, since="2024-04-01", until="2024-04-30")
    assert {(names[e.source], names[e.target]) for e in windowed.edges} == {
        ("Russia", "Ukraine"),
        ("United States", "North Korea"),
        ("United States", "Russia"),
    }
    assert len(q.network(store, types=["AID"]).edges) == 1
    assert [(names[e.source], names[e.target]) for e in q.network(store, min_count=2).edges] == [
        ("United States", "Russia")
    ]  # talks in February, a threat in April
    node = next(n for n in net.nodes if n.name == "North Korea")
    assert node.mentions >= 3 and node.country == "PRK"


def test_timeline(store):
    months = q.timeline(store, actor="PRK", by="month")
    assert [p.period for p in months] == ["2024-03", "2024-04"]
    assert months[0].material_cooperation == 1 and months[0].total == 1  # one story, two reports
    assert months[1].material_conflict == 1 and months[1].mean_goldstein == -8.0
    reports = q.timeline(store, actor="PRK", by="month", count="reports")
    assert reports[0].total == 2
    weeks = q.timeline(store, dyad="RUS:PRK", by="week", since="2024-03-01", until="2024-03-20")
    assert [p.period for p in weeks] == ["2024-W09", "2024-W10", "2024-W11", "2024-W12"]
    assert [p.total for p in weeks] == [0, 1, 0, 0]
    days = q.timeline(store, dyad="USA:RUS", by="day", since="2024-02-10", until="2024-02-11")
    assert [(p.period, p.verbal_cooperation) for p in days] == [("2024-02-10", 1), ("2024-02-11", 0)]
    with pytest.raises(ValueError):
        q.timeline(store, actor="PRK", dyad="A:B")


def test_changes_against_previous_period(store):
    result = q.changes(store, since="2024-03-01", until="2024-04-30")
    got = {(c.source.name, c.target.name): c.change for c in result}
    assert got[("United States", "Russia")] == "cooperation_to_conflict"
    assert got[("North Korea", "Russia")] == "appeared"
    assert got[("France", "Germany")] == "disappeared"
    # 61 days, against the 61 days before
    assert result[0].previous_since == "2023-12-31" and result[0].previous_until == "2024-02-29"
    assert result[0].change == "cooperation_to_conflict"


def _without_times(value):
    """Drop ingestion timestamps (the only thing that may differ between two ingests)."""
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items() if k != "ingested_at"}
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value


def _answers(store) -> dict:
    """Every query's answer as plain data."""
    return _without_times(
        {
            "events": q.list_events(store, limit=500, include_all=True).model_dump(),
            "events_prk": q.list_events(store, actor="PRK").model_dump(),
            "quotes": q.list_quotes(store, limit=500).model_dump(),
            "actors": q.list_actors(store, limit=500).model_dump(),
            "network": q.network(store).model_dump(),
            "timeline": [p.model_dump() for p in q.timeline(store, dyad="USA:RUS", by="week")],
            "stories": q.list_stories(store, limit=500).model_dump(),
            "changes": [c.model_dump() for c in q.changes(store, since="2024-03-01", until="2024-04-30")],
            "articles": q.list_articles(store, limit=500).model_dump(),
        }
    )


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_the_same_answers(tmp_path, pg_url):
    corpus = demo_corpus() + [(ex, None) for ex in random_extractions(60, seed=11)]
    answers = []
    for backend in ("sqlite", "postgresql"):
        with temporary_store(backend, tmp_path, pg_url) as s:
            s.add(corpus, batch_size=16)
            answers.append(_answers(s))
    for key in answers[0]:
        assert answers[0][key] == answers[1][key], key
