"""Event confidence in the product: the store keeps it (and migrates older stores), events filter on it,
and the network leaves out low-confidence events by default and says how many (query, CLI, API, exports).

The corpus is built from sentences written for these tests, each event with a confidence chosen for them.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from newsgraph import query as q
from newsgraph.store import SCHEMA_VERSION, Store
from newsgraph.store import tables as t
from newsgraph.store.synthetic import ExtractionBuilder

runner = CliRunner()


def corpus():
    """Two days of news between four states; four events fall below 0.5, one of them with a local actor."""
    b = ExtractionBuilder("conf-1", published="2024-05-01", title="Aid and strikes", url="https://c.example/1")
    usa = b.actor("United States", code="USA", country="USA")
    ukr = b.actor("Ukraine", code="UKR", country="UKR")
    rus = b.actor("Russia", code="RUS", country="RUS")
    b.event("AID", [usa], [ukr], "The United States sent air defence batteries to Ukraine.", "sent",
            confidence=0.9)
    b.event("ASSAULT", [rus], [ukr], "Russia fired drones at Ukrainian grain silos near the coast.", "fired",
            confidence=0.3)
    b.event("ACCUSE", [ukr], [rus], "Ukraine blamed Russia for the blackout in Kharkiv.", "blamed",
            confidence=0.45)
    b.event("CONSULT", [usa], [rus], "The United States held a call with Russia on prisoner swaps.", "held",
            confidence=0.7)
    first = b.build()
    b = ExtractionBuilder("conf-2", published="2024-05-02", title="Shelling", url="https://c.example/2")
    rus = b.actor("Russia", code="RUS", country="RUS")
    ukr = b.actor("Ukraine", code="UKR", country="UKR")
    usa = b.actor("United States", code="USA", country="USA")
    crowd = b.actor("protesters", "group", local=True)
    b.event("ASSAULT", [rus], [ukr], "Russian artillery shelled the town of Vovchansk overnight.", "shelled",
            confidence=0.8)
    b.event("THREATEN", [rus], [usa], "Russia warned the United States against sending long-range missiles.",
            "warned", confidence=0.2)
    b.event("PROTEST", [crowd], [ukr], "Thousands of protesters marched against Ukraine's mobilisation law.",
            "marched", confidence=0.3)
    return [first, b.build()]


@pytest.fixture
def store(empty_store):
    empty_store.add(corpus())
    return empty_store


def _edges(net) -> set[tuple[str, str]]:
    names = {n.id: n.name for n in net.nodes}
    return {(names[e.source], names[e.target]) for e in net.edges}


# -- store ----------------------------------------------------------------------------------------------


def test_the_store_keeps_confidence_on_events_and_dyads(store):
    with store.engine.connect() as conn:
        events = dict(conn.execute(select(t.events.c.id, t.events.c.confidence)).all())
        dyads = conn.execute(select(t.event_dyads.c.event_id, t.event_dyads.c.confidence)).all()
    assert sorted(events.values()) == [0.2, 0.3, 0.3, 0.45, 0.7, 0.8, 0.9]
    assert dyads and all(conf == events[event_id] for event_id, conf in dyads)


def test_an_older_store_gets_dyad_confidence_from_its_events(store):
    """A store of schema 1 (no confidence on the dyad rows) is migrated when it is opened."""
    with store.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_event_dyads_all"))
        conn.execute(text("ALTER TABLE event_dyads DROP COLUMN confidence"))
        conn.execute(text("CREATE INDEX ix_event_dyads_all "
                          "ON event_dyads (source_id, target_id, quad_class, unit, goldstein)"))
        conn.execute(text("DELETE FROM schema_version WHERE version >= 2"))
    again = Store.open(store.engine.url.render_as_string(hide_password=False))
    try:
        with again.engine.connect() as conn:
            versions = conn.execute(select(t.schema_version.c.version)).scalars().all()
            pairs = conn.execute(
                select(t.event_dyads.c.confidence, t.events.c.confidence)
                .join(t.events, t.events.c.id == t.event_dyads.c.event_id)
            ).all()
        assert versions == list(range(1, SCHEMA_VERSION + 1))
        assert len(pairs) == 7 and all(d == e for d, e in pairs)
        assert _edges(q.network(again, min_confidence=0.5)) == {
            ("United States", "Ukraine"), ("United States", "Russia"), ("Russia", "Ukraine")}
    finally:
        again.close()


def test_sqlite_network_with_a_threshold_reads_only_the_covering_index(tmp_path):
    """The threshold costs no table reads: the whole-network query stays an index-only scan."""
    with Store.open(str(tmp_path / "plan.db")) as store:
        store.add(corpus())
        from newsgraph.query.queries import _dyad_conditions

        D = t.event_dyads
        query = (select(D.c.source_id, D.c.target_id, D.c.quad_class, D.c.unit, D.c.goldstein)
                 .where(*_dyad_conditions(None, None, None, 0.5)))
        sql = str(query.compile(store.engine, compile_kwargs={"literal_binds": True}))
        with store.engine.connect() as conn:
            plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "COVERING INDEX ix_event_dyads_all" in plan, plan


# -- query API ------------------------------------------------------------------------------------------


def test_events_filter_by_minimum_confidence(store):
    assert q.list_events(store).total == 7
    page = q.list_events(store, min_confidence=0.5)
    assert page.total == 3 and all(e.confidence >= 0.5 for e in page.items)
    assert q.list_events(store, min_confidence=0.45).total == 4  # inclusive
    assert q.list_events(store, q.EventFilter(actor="RUS", min_confidence=0.75)).total == 1
    assert q.EventFilter(min_confidence=0.5).given()


def test_network_threshold_hides_low_confidence_events_and_counts_them(store):
    everything = q.network(store)
    assert everything.min_confidence is None and everything.hidden_events == 0
    assert _edges(everything) == {("United States", "Ukraine"), ("Russia", "Ukraine"), ("Ukraine", "Russia"),
                                  ("United States", "Russia"), ("Russia", "United States")}
    net = q.network(store, min_confidence=0.5)
    assert net.min_confidence == 0.5
    assert _edges(net) == {("United States", "Ukraine"), ("Russia", "Ukraine"), ("United States", "Russia")}
    # the drones, the blame and the warning; the local protesters are no node of the network either way
    assert net.hidden_events == 3
    assert q.network(store, min_confidence=0.5, include_local=True).hidden_events == 4
    assert q.network(store, min_confidence=0.5, since="2024-05-02").hidden_events == 1
    assert q.network(store, min_confidence=0.5, types="ACCUSE").hidden_events == 1
    zero = q.network(store, min_confidence=0.0)
    assert _edges(zero) == _edges(everything) and zero.hidden_events == 0
    names = {n.id: n.name for n in net.nodes}
    rus_ukr = next(e for e in net.edges if (names[e.source], names[e.target]) == ("Russia", "Ukraine"))
    assert rus_ukr.total == 1 and rus_ukr.material_conflict == 1  # the shelling, not the drones


def test_timeline_takes_the_threshold_too(store):
    assert sum(p.total for p in q.timeline(store, dyad="RUS:UKR", by="day")) == 3
    assert sum(p.total for p in q.timeline(store, dyad="RUS:UKR", by="day", min_confidence=0.5)) == 1
    assert sum(p.total for p in q.timeline(store, actor="RUS", by="day", min_confidence=0.5)) == 2


# -- CLI ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("conf") / "conf.db"
    with Store.open(str(path)) as store:
        store.add(corpus())
    return str(path)


def run(*args: str, env: dict | None = None):
    result = runner.invoke(app(), list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


def app():
    from newsgraph.cli import app

    return app


def test_cli_events_min_confidence(db):
    everything = json.loads(run("events", "--format", "json", "--db", db).stdout)
    confident = json.loads(run("events", "--min-confidence", "0.5", "--format", "json", "--db", db).stdout)
    assert len(everything) == 7 and len(confident) == 3
    assert all(e["confidence"] >= 0.5 for e in confident)
    table = run("events", "--min-confidence", "0.8", "--format", "table", "--db", db).stdout
    assert "Events (2)" in table and "confidence" in table
    bad = runner.invoke(app(), ["events", "--min-confidence", "1.5", "--db", db])
    assert bad.exit_code == 2


def test_cli_network_hides_low_confidence_by_default(db, tmp_path):
    result = run("network", "--format", "json", "--db", db)
    net = json.loads(result.stdout)
    assert net["min_confidence"] == 0.5 and net["hidden_events"] == 3 and len(net["edges"]) == 3
    assert "3 events below confidence 0.5 left out" in result.stderr
    shown = json.loads(run("network", "--format", "json", "--min-confidence", "0", "--db", db).stdout)
    assert shown["min_confidence"] == 0 and shown["hidden_events"] == 0 and len(shown["edges"]) == 5
    # The default is a setting: a config file or NEWSGRAPH_NETWORK_MIN_CONFIDENCE changes it.
    config = tmp_path / "newsgraph.toml"
    config.write_text("[newsgraph]\nnetwork_min_confidence = 0.75\n", encoding="utf-8")
    strict = json.loads(run("network", "--format", "json", "--config", str(config), "--db", db).stdout)
    assert strict["min_confidence"] == 0.75 and len(strict["edges"]) == 2
    env = json.loads(run("network", "--format", "json", "--db", db,
                         env={"NEWSGRAPH_NETWORK_MIN_CONFIDENCE": "0.25"}).stdout)
    assert env["min_confidence"] == 0.25 and env["hidden_events"] == 1
    rows = list(csv.DictReader(io.StringIO(run("network", "--format", "csv", "--db", db).stdout)))
    assert len(rows) == 3


def test_cli_timeline_min_confidence(db):
    periods = json.loads(run("timeline", "--dyad", "RUS:UKR", "--by", "day", "--min-confidence", "0.5",
                             "--format", "json", "--db", db).stdout)
    assert sum(p["total"] for p in periods) == 1


def test_exports_keep_confidence(db, tmp_path):
    plover = tmp_path / "events.jsonl"
    run("export", "--format", "plover", "--output", str(plover), "--db", db)
    records = [json.loads(line) for line in plover.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["confidence"] for r in records) == [0.2, 0.3, 0.3, 0.45, 0.7, 0.8, 0.9]
    cameo = tmp_path / "events.tsv"
    run("export", "--format", "cameo", "--output", str(cameo), "--min-confidence", "0.5", "--db", db)
    rows = list(csv.DictReader(io.StringIO(cameo.read_text(encoding="utf-8")), delimiter="\t"))
    assert sorted(float(r["Confidence"]) for r in rows) == [0.7, 0.8, 0.9]
    table = tmp_path / "events.csv"
    run("export", "--format", "csv", "--output", str(table), "--db", db)
    assert sorted(float(r["confidence"]) for r in csv.DictReader(io.StringIO(table.read_text()))) == [
        0.2, 0.3, 0.3, 0.45, 0.7, 0.8, 0.9]
    # Network files are the network as `newsgraph network` shows it: the default threshold applies.
    import networkx as nx

    graphml = tmp_path / "net.graphml"
    run("export", "--format", "graphml", "--output", str(graphml), "--db", db)
    graph = nx.read_graphml(graphml)
    assert graph.number_of_edges() == 3 and float(graph.graph["min_confidence"]) == 0.5
    run("export", "--format", "graphml", "--output", str(graphml), "--min-confidence", "0", "--db", db)
    assert nx.read_graphml(graphml).number_of_edges() == 5


# -- REST API -------------------------------------------------------------------------------------------


@pytest.fixture
def client(store):
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app
    from newsgraph.config import Settings

    def make(**settings):
        return TestClient(create_app(Settings().updated(settings), store=store))

    return make


def test_api_events_and_network_filter_by_confidence(client):
    c = client()
    assert c.get("/api/events").json()["total"] == 7
    page = c.get("/api/events", params={"min_confidence": 0.5}).json()
    assert page["total"] == 3 and all(e["confidence"] >= 0.5 for e in page["items"])
    net = c.get("/api/network").json()
    assert net["min_confidence"] == 0.5 and net["hidden_events"] == 3 and len(net["edges"]) == 3
    shown = c.get("/api/network", params={"min_confidence": 0}).json()
    assert shown["hidden_events"] == 0 and len(shown["edges"]) == 5
    assert c.get("/api/network", params={"min_confidence": 1.5}).status_code == 422
    assert c.get("/api/events", params={"min_confidence": -0.1}).status_code == 422
    timeline = c.get("/api/timeline", params={"dyad": "RUS:UKR", "by": "day", "min_confidence": 0.5}).json()
    assert sum(p["total"] for p in timeline["items"]) == 1
    strict = client(network_min_confidence=0.85).get("/api/network").json()
    assert strict["min_confidence"] == 0.85 and len(strict["edges"]) == 1 and strict["hidden_events"] == 5


def test_settings_threshold_is_a_probability():
    from newsgraph.config import Settings

    assert Settings().network_min_confidence == 0.5
    assert Settings.load(environ={"NEWSGRAPH_NETWORK_MIN_CONFIDENCE": "0.7"}).network_min_confidence == 0.7
    with pytest.raises(ValueError, match="between 0 and 1"):
        Settings().updated({"network_min_confidence": 2})
