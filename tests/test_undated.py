"""Articles without a date: their events are counted in an "undated" period of the timeline (query, API,
CLI), and ``ingest --published`` or a JSONL date field gives inputs that carry no date one."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsgraph import query
from newsgraph.api import create_app
from newsgraph.cli import app
from newsgraph.config import Settings
from newsgraph.store import Store
from newsgraph.store.synthetic import ExtractionBuilder

runner = CliRunner()


def _article(article_id: str, published: str | None, sentences: list[tuple[str, str, str, str]]):
    """One article; each sentence is (type, source code, target code, trigger) between two states."""
    b = ExtractionBuilder(article_id, published=published, title=f"Story {article_id}")
    ids = {}
    for etype, src, tgt, trigger in sentences:
        for code in (src, tgt):
            ids.setdefault(code, b.actor({"RUS": "Russia", "UKR": "Ukraine", "FRA": "France"}[code],
                                         code=code, country=code))
        sentence = f"Officials said {src} {trigger} {tgt} in {article_id}."
        b.event(etype, [ids[src]], [ids[tgt]], sentence, trigger)
    return b.build()


@pytest.fixture()
def store(tmp_path):
    with Store.open(str(tmp_path / "undated.db")) as st:
        st.add([
            _article("dated-march", "2024-03-04", [("ASSAULT", "RUS", "UKR", "struck")]),
            _article("undated-1", None,
                     [("ASSAULT", "RUS", "UKR", "shelled"), ("ACCUSE", "FRA", "RUS", "blamed")]),
            _article("undated-2", None, [("AID", "FRA", "UKR", "helped")]),
        ])
        yield st


def test_timeline_counts_undated_events_in_their_own_period(store):
    periods = query.timeline(store, actor="RUS", by="month")
    assert [(p.period, p.start, p.total) for p in periods] == [
        ("2024-03", "2024-03-01", 1), ("undated", None, 2)]
    undated = periods[-1]
    assert undated.end is None and undated.material_conflict == 1 and undated.verbal_conflict == 1
    # The periods add up to what the network counts for the same actor.
    net = query.network(store)
    rus = {n.id for n in net.nodes if n.code == "RUS"}
    assert sum(e.total for e in net.edges if {e.source, e.target} & rus) == sum(p.total for p in periods)
    # Only undated events: one period, the undated one (before: an empty timeline).
    assert [(p.period, p.total) for p in query.timeline(store, actor="FRA")] == [("undated", 2)]
    assert [(p.period, p.total) for p in query.timeline(store, dyad="UKR:FRA")] == [("undated", 1)]


def test_a_date_range_leaves_undated_events_out_as_the_network_does(store):
    ranged = query.timeline(store, actor="RUS", since="2024-01-01", until="2024-12-31")
    assert "undated" not in [p.period for p in ranged] and sum(p.total for p in ranged) == 1
    assert query.timeline(store, actor="FRA", since="2024-01-01") == []
    assert query.network(store, since="2024-01-01").edges[0].total == 1


def test_api_and_cli_show_the_undated_period(store, tmp_path):
    client = TestClient(create_app(Settings(), store=store))
    page = client.get("/api/timeline", params={"actor": "FRA"}).json()
    assert page["total"] == 1 and page["items"][0]["period"] == "undated"
    assert page["items"][0]["start"] is None and page["items"][0]["total"] == 2
    db = str(store.engine.url.database)
    args = ["timeline", "--actor", "RUS", "--db", db]
    out = runner.invoke(app, [*args, "--format", "table"]).stdout
    assert "2024-03" in out and "undated" in out
    rows = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert rows[-1]["period"] == "undated" and rows[-1]["total"] == 2


def test_jsonl_date_field_names():
    from newsgraph.ingest.readers import _record

    for key in ("published", "date", "published_at", "pubDate", "datePublished"):
        article = _record({"text": "Some text.", key: "2024-06-18T09:00:00Z"}, "x:1", Settings())
        assert article.published == "2024-06-18T09:00:00Z", key
    both = _record({"text": "t", "published": "2024-01-02", "date": "2023-01-01"}, "x:1", Settings())
    assert both.published == "2024-01-02"


@pytest.mark.slow
def test_ingest_published_dates_only_inputs_that_carry_none(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "undated.txt").write_text(
        "Chile and Peru signed a fishing agreement in Lima, the two foreign ministries said.\n",
        encoding="utf-8")
    (src / "dateline.txt").write_text(
        "LIMA, March 3, 2024 - Kenya sent police officers to Haiti to support the local police, the "
        "government in Nairobi said.\n", encoding="utf-8")
    (src / "records.jsonl").write_text(json.dumps({
        "id": "jsonl-dated", "date": "2024-05-02",
        "text": "Canada criticised Mexico over new tariffs on steel imports, officials in Ottawa said.",
    }) + "\n", encoding="utf-8")
    db = str(tmp_path / "ing.db")
    args = ["ingest", str(src), "--published", "2024-06-18", "--db", db, "--no-progress"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with Store.open(db) as st:
        dates = {a.id: a.published for a in query.list_articles(st).items}
        events = query.list_events(st, limit=50).items
    assert dates == {"undated": "2024-06-18", "dateline": "2024-03-03", "jsonl-dated": "2024-05-02"}
    assert events and all(e.date == dates[e.article_id] for e in events)
    bad = runner.invoke(app, ["ingest", str(src), "--published", "last week", "--db", db])
    assert bad.exit_code == 2 and "not a date" in bad.output
