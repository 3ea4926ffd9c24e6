"""The store on SQLite and PostgreSQL (NEWSGRAPH_TEST_PG): schema, dedup, actors, atomic batches."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from newsgraph.store import SCHEMA_VERSION, Store, database_url
from newsgraph.store import tables as t
from newsgraph.store.dedup import MinHasher, canonical_url, similarity
from newsgraph.store.synthetic import ExtractionBuilder, demo_corpus, random_extractions


@pytest.fixture
def store(empty_store):
    return empty_store


def test_database_url_forms(tmp_path):
    assert database_url("postgresql://u@h:5/db") == "postgresql+psycopg://u@h:5/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"


def test_opening_migrates_once(store):
    with store.engine.connect() as conn:
        versions = conn.execute(select(t.schema_version.c.version)).scalars().all()
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    # Opening the same store again applies nothing new.
    again = Store.open(store.engine.url.render_as_string(hide_password=False))
    with again.engine.connect() as conn:
        assert conn.execute(select(t.schema_version.c.version)).scalars().all() == versions
    again.close()


def test_a_version_1_store_gains_the_speaker_organization_column(tmp_path):
    from sqlalchemy import create_engine, insert, inspect
    from sqlalchemy.schema import CreateTable

    from newsgraph.store.migrations import migrate

    path = tmp_path / "v1.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # the tables as version 1 created them, before the column existed
        t.metadata.create_all(conn, tables=[x for x in t.metadata.sorted_tables if x.name != "quotes"])
        ddl = str(CreateTable(t.quotes).compile(engine))
        ddl = "\n".join(line for line in ddl.splitlines() if "speaker_organization_id" not in line)
        conn.exec_driver_sql(ddl)
        conn.execute(insert(t.schema_version).values(version=1, applied_at="2026-01-01T00:00:00+00:00"))
    assert "speaker_organization_id" not in {c["name"] for c in inspect(engine).get_columns("quotes")}
    assert migrate(engine) == SCHEMA_VERSION
    assert "speaker_organization_id" in {c["name"] for c in inspect(engine).get_columns("quotes")}
    engine.dispose()
    store = Store.open(str(path))
    store.add(demo_corpus()[:1])
    store.close()


def test_add_is_idempotent_and_lossless(store):
    corpus = demo_corpus()
    first = store.add(corpus)
    assert first.added == len(corpus) and first.skipped == 0
    counts = store.counts()
    second = store.add(corpus)
    assert second.added == 0 and second.skipped == len(corpus)
    after = store.counts()
    assert {k: v for k, v in after.items() if k != "runs"} == {k: v for k, v in counts.items() if k != "runs"}
    from newsgraph.query import get_article

    for ex, _text in corpus:
        assert get_article(store, ex.article.id).to_json_dict() == ex.to_json_dict()


def test_same_url_or_text_is_one_article(store):
    b = ExtractionBuilder("a", url="https://www.site.example/story/?utm_campaign=x#top")
    b.add_text("Some text about nothing in particular, long enough to be an article of sorts for the test.")
    ex, text = b.build()
    store.add([(ex, text)])
    # Same page under a tracking URL with other text (e.g. an updated version): the URL decides.
    b2 = ExtractionBuilder("b", url="http://site.example/story")
    b2.add_text("An updated text.")
    # Same text under another id and no URL: the hash decides.
    b3 = ExtractionBuilder("c")
    b3.add_text("Some text about nothing in particular, long enough to be an article of sorts for the test.")
    report = store.add([b2.build(), b3.build()])
    assert report.added == 0 and report.skipped == 2
    assert store.article_ids() == ["a"]


def test_canonical_url():
    assert (
        canonical_url("HTTP://WWW.Example.com/a/b/?utm_source=x&id=3#frag") == "https://example.com/a/b?id=3"
    )
    assert canonical_url("https://example.com/a?b=2&a=1") == "https://example.com/a?a=1&b=2"
    assert canonical_url(None) is None


def test_minhash_similarity_separates_copies_from_other_stories():
    hasher = MinHasher()
    base = (
        "The foreign ministers of the two countries met in the capital on Tuesday to discuss a ceasefire, "
        "prisoner exchanges and the reopening of grain corridors, officials from both sides said after "
        "the talks, which lasted more than six hours and ended without a joint statement."
    )
    copy = base + " Reporting by a staff correspondent."
    other = (
        "Heavy rain flooded several districts of the coastal city overnight, forcing thousands of residents "
        "to leave their homes as rescue teams worked through the morning to reach villages cut off by "
        "landslides, the regional governor told local television."
    )
    sig = hasher.signature(base)
    assert similarity(sig, hasher.signature(copy)) >= 0.8
    assert similarity(sig, hasher.signature(other)) < 0.2
    assert hasher.signature("too short to judge") is None


def test_near_duplicate_is_linked_not_counted(store):
    corpus = demo_corpus()
    report = store.add(corpus)
    assert report.duplicates == 1
    with store.engine.connect() as conn:
        dup = conn.execute(
            select(t.articles.c.duplicate_of, t.articles.c.similarity).where(t.articles.c.id == "paper-copy")
        ).one()
        copy_events = conn.execute(
            select(t.events.c.counted).where(t.events.c.article_id == "paper-copy")
        ).scalars()
        assert set(copy_events) == {0}
    assert dup.duplicate_of == "wire-1" and dup.similarity >= 0.8


def test_near_duplicate_found_across_batches(store):
    corpus = demo_corpus()
    for item in corpus:
        store.add([item])
    with store.engine.connect() as conn:
        assert (
            conn.execute(select(t.articles.c.duplicate_of).where(t.articles.c.id == "paper-copy")).scalar()
            == "wire-1"
        )


def test_actors_are_canonical_across_articles(store):
    store.add(demo_corpus())
    with store.engine.connect() as conn:
        names = conn.execute(select(t.actors.c.name).where(t.actors.c.code == "PRK")).scalars().all()
        assert names == ["North Korea"]
        # The organisation a person speaks for is kept as a canonical actor id.
        org = conn.execute(
            select(t.actors.c.organization_id).where(t.actors.c.name == "Jens Stoltenberg")
        ).scalar()
        assert conn.execute(select(t.actors.c.name).where(t.actors.c.id == org)).scalar() == "NATO"
    # Merged by Wikidata id even under another name and without a code.
    b = ExtractionBuilder("x", published="2024-05-01")
    b.actor("DPRK", code=None, wikidata="Q423")
    b.add_text("DPRK officials were quoted by state media on the anniversary.")
    store.add([b.build()])
    with store.engine.connect() as conn:
        assert (
            conn.execute(select(t.actors.c.id).where(t.actors.c.wikidata == "Q423")).scalars().all().__len__()
            == 1
        )
        assert conn.execute(select(t.actors).where(t.actors.c.name == "DPRK")).first() is None


def test_reprocess_replaces_rows_of_a_new_coder_version(store):
    ex, text = demo_corpus()[2]
    store.add([(ex, text)])
    newer = ex.model_copy(deep=True)
    newer.coder.version = "test-2"
    newer.events = newer.events[:1]
    assert store.add([(newer, text)]).skipped == 1  # without reprocess nothing changes
    with store.engine.connect() as conn:
        assert len(conn.execute(select(t.events.c.id).where(t.events.c.article_id == "paper-2")).all()) == 2
    report = store.add([(newer, text)], reprocess=True)
    assert report.reprocessed == 1
    with store.engine.connect() as conn:
        assert len(conn.execute(select(t.events.c.id).where(t.events.c.article_id == "paper-2")).all()) == 1
        stored = conn.execute(
            select(t.articles.c.extraction, t.articles.c.coder_version).where(t.articles.c.id == "paper-2")
        ).one()
    assert stored.coder_version == "test-2" and json.loads(stored.extraction)["coder"]["version"] == "test-2"
    assert store.add([(newer, text)], reprocess=True).skipped == 1  # same version: nothing to do
    assert _orphans(store) == {}


def test_failed_batch_leaves_nothing(store):
    good = list(random_extractions(5, seed=3))

    def stream():
        yield from good[:4]
        raise RuntimeError("extractor crashed")

    with pytest.raises(RuntimeError):
        store.add(stream(), batch_size=2)
    # The first two batches were committed; the third (one article) never started; no partial rows.
    assert store.article_ids() == [g.article.id for g in good[:4]]
    assert _orphans(store) == {}
    # A rerun completes the rest without duplicating anything.
    report = store.add(good, batch_size=2)
    assert report.added == 1 and report.skipped == 4
    assert store.counts()["articles"] == 5


def test_batch_rolls_back_on_error_inside_the_transaction(store):
    good = list(random_extractions(3, seed=4))
    bad = good[1].model_copy(deep=True)
    bad.article.id = "bad"
    bad.article.text_sha256 = "0" * 64
    bad.events[0].id = bad.events[1].id  # two events with one id: the insert fails
    with pytest.raises(Exception):  # noqa: B017  (the driver's IntegrityError differs per backend)
        store.add([good[0], bad, good[2]], batch_size=3)
    assert store.article_ids() == []
    assert store.counts()["events"] == 0 and store.counts()["actors"] == 0
    store.add(good)
    assert store.counts()["articles"] == 3


def _orphans(store: Store) -> dict[str, int]:
    """Rows whose article (or event) is gone."""
    from sqlalchemy import func

    found = {}
    with store.engine.connect() as conn:
        for name in ("events", "quotes", "quantities", "mentions", "article_actors"):
            table = t.metadata.tables[name]
            n = conn.execute(
                select(func.count())
                .select_from(table)
                .where(~table.c.article_id.in_(select(t.articles.c.id)))
            ).scalar()
            if n:
                found[name] = n
        for name in ("event_actors", "event_evidence", "event_quantities", "event_dyads"):
            table = t.metadata.tables[name]
            n = conn.execute(
                select(func.count()).select_from(table).where(~table.c.event_id.in_(select(t.events.c.id)))
            ).scalar()
            if n:
                found[name] = n
    return found


def test_without_text_same_title_date_and_statements_is_a_copy(store):
    ex, _text = demo_corpus()[0]
    other = ex.model_copy(deep=True)
    other.article.id = "elsewhere"
    other.article.url = "https://elsewhere.example/a"
    other.article.text_sha256 = "f" * 64
    unrelated = ex.model_copy(deep=True)
    unrelated.article.id = "unrelated"
    unrelated.article.url = "https://elsewhere.example/b"
    unrelated.article.text_sha256 = "e" * 64
    unrelated.events, unrelated.quotes = unrelated.events[1:2], []
    report = store.add([ex, other])
    store.add([unrelated])
    assert report.duplicates == 1
    with store.engine.connect() as conn:
        rows = dict(conn.execute(select(t.articles.c.id, t.articles.c.duplicate_of)).all())
    assert rows == {"wire-1": None, "elsewhere": "wire-1", "unrelated": None}


def test_story_first_report_and_counts_follow_the_reports(store):
    from newsgraph import query as q

    corpus = demo_corpus()
    wire, paper = corpus[0], corpus[2]
    store.add([paper])  # the later report arrives first
    store.add([wire])
    story = q.list_stories(store, type="AID").items[0]
    assert (story.reports, story.articles, story.first_report.article_id) == (2, 2, "wire-1")
    assert story.first_date == "2024-03-04" and story.last_date == "2024-03-05"
    # The wire story is re-coded without the delivery: the story shrinks back to the other report.
    newer = wire[0].model_copy(deep=True)
    newer.coder.version = "test-2"
    newer.events = [e for e in newer.events if e.type != "AID"]
    store.add([(newer, wire[1])], reprocess=True)
    story = q.list_stories(store, type="AID").items[0]
    assert (story.reports, story.articles, story.first_report.article_id) == (1, 1, "paper-2")
    assert story.first_date == "2024-03-05"
    assert _orphans(store) == {}


def test_same_id_different_article_gets_its_own_id(store):
    first = ExtractionBuilder("article", url="https://one.example/a")
    first.add_text("A first text about a meeting of finance ministers in Brussels on the budget.")
    second = ExtractionBuilder("article", url="https://two.example/b")
    second.add_text("A second text about floods in the south of the country after days of rain.")
    ex2, text2 = second.build()
    store.add([first.build()])
    store.add([(ex2, text2)])
    ids = store.article_ids()
    assert ids[0] == "article" and ids[1] == f"article~{ex2.article.text_sha256[:12]}"


def test_two_writers_store_each_article_once(store):
    import threading

    corpus = demo_corpus() + [(ex, None) for ex in random_extractions(60, seed=21)]
    url = store.engine.url.render_as_string(hide_password=False)
    errors: list[BaseException] = []

    def writer(order: list) -> None:
        try:
            with Store.open(url) as own:
                own.add(order, batch_size=4)
        except BaseException as err:  # noqa: BLE001  (reported by the assertion below)
            errors.append(err)

    threads = [
        threading.Thread(target=writer, args=(corpus,)),
        threading.Thread(target=writer, args=(list(reversed(corpus)),)),
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    counts = store.counts()
    assert counts["articles"] == len(corpus)
    with store.engine.connect() as conn:
        ids = conn.execute(select(t.articles.c.source_id)).scalars().all()
    assert sorted(ids) == sorted(ex.article.id for ex, _ in corpus)
    assert _orphans(store) == {}


def test_article_local_actors_are_never_merged_and_are_no_network_nodes(store):
    from newsgraph import query

    extractions = []
    for n in (1, 2):
        b = ExtractionBuilder(f"local-{n}", published=f"2024-05-0{n}")
        mins = b.actor("ministers", "group", sector="GOV", local=True)
        kenya = b.actor("Kenya", code="KEN", country="KEN")
        b.event("ACCUSE", [mins], [kenya], f"The ministers accused Kenya again, report {n}.", "accused")
        extractions.append(b.build())
    store.add(extractions)
    with store.engine.connect() as conn:
        ids = conn.execute(select(t.actors.c.id).where(t.actors.c.name == "ministers")).scalars().all()
        assert len(ids) == 2  # one per article: "ministers" of two articles are not one actor
        kenya = conn.execute(select(t.actors.c.id).where(t.actors.c.code == "KEN")).scalars().all()
        assert len(kenya) == 1
    assert query.network(store).edges == []
    wide = query.network(store, include_local=True)
    assert {e.source for e in wide.edges} == set(ids) and {e.target for e in wide.edges} == set(kenya)
