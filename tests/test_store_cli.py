"""The store's commands through the CLI, on a SQLite store holding the demo corpus."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.store import Store
from newsgraph.store.synthetic import demo_corpus

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    with Store.open(str(path)) as store:
        store.add(demo_corpus())
    return str(path)


def run(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_events_json_and_filters(db):
    events = json.loads(run("events", "--actor", "PRK", "--format", "json", "--db", db))
    assert len(events) == 3
    wire = next(e for e in events if e["article_id"] == "wire-1")
    assert wire["attributed_to"]["name"] == "Matthew Miller" and wire["quantities"][0]["value"] == 5000
    assert (
        len(json.loads(run("events", "--type", "AID", "--type", "SANCTION", "--format", "json", "--db", db)))
        == 3
    )
    lines = run("events", "--all", "--format", "jsonl", "--db", db).splitlines()
    assert len(lines) == 13 and all(json.loads(x)["id"] for x in lines)
    rows = list(
        csv.DictReader(io.StringIO(run("events", "--claimed-by", "Miller", "--format", "csv", "--db", db)))
    )
    assert (
        len(rows) == 1 and rows[0]["source"] == "North Korea" and rows[0]["attributed_to"] == "Matthew Miller"
    )


def test_table_output(db):
    out = run("events", "--source", "USA", "--format", "table", "--db", db)
    assert "SANCTION" in out and "United States" in out and "Events (3)" in out
    assert "no events" in run("events", "--actor", "Atlantis", "--format", "table", "--db", db).lower()


def test_quotes_actors(db):
    quotes = json.loads(run("quotes", "--speaker", "Stoltenberg", "--format", "json", "--db", db))
    assert len(quotes) == 2
    assert len(json.loads(run("quotes", "--search", "both ways", "--format", "json", "--db", db))) == 1
    actors = json.loads(run("actors", "--kind", "person", "--format", "json", "--db", db))
    assert {a["name"] for a in actors} == {"Matthew Miller", "Jens Stoltenberg"}


def test_network_formats(db, tmp_path):
    net = json.loads(run("network", "--format", "json", "--db", db))
    assert net["count"] == "stories" and len(net["nodes"]) >= 6
    gexf = run("network", "--format", "gexf", "--db", db)
    graph = nx.read_gexf(io.BytesIO(gexf.encode()))
    assert graph.number_of_edges() == len(net["edges"])
    out = tmp_path / "net.graphml"
    run("network", "--format", "graphml", "--output", str(out), "--since", "2024-04-01", "--db", db)
    assert nx.read_graphml(out).number_of_edges() == 3
    rows = list(
        csv.DictReader(io.StringIO(run("network", "--format", "csv", "--count", "reports", "--db", db)))
    )
    assert any(r["source"] == "North Korea" and r["total"] == "2" for r in rows)


def test_timeline_stories_changes(db):
    periods = json.loads(
        run("timeline", "--dyad", "PRK:RUS", "--by", "month", "--format", "json", "--db", db)
    )
    assert [p["period"] for p in periods] == ["2024-03"]
    stories = json.loads(run("stories", "--min-reports", "2", "--format", "json", "--db", db))
    assert len(stories) == 1 and stories[0]["reports"] == 2
    changes = json.loads(
        run("changes", "--since", "2024-03-01", "--until", "2024-04-30", "--format", "json", "--db", db)
    )
    assert changes[0]["change"] == "cooperation_to_conflict"


def test_export_command(db, tmp_path):
    out = tmp_path / "plover.jsonl"
    result = runner.invoke(
        app, ["export", "--format", "plover", "--output", str(out), "--actor", "PRK", "--db", db]
    )
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 3


def test_bad_arguments(db):
    assert runner.invoke(app, ["events", "--since", "yesterday", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["timeline", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["timeline", "--dyad", "PRK", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["ingest", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["events", "--db", "postgresql://nobody@127.0.0.1:1/none"]).exit_code == 2


@pytest.mark.slow
def test_ingest_files_once_and_with_workers(tmp_path):
    pytest.importorskip("spacy")
    src = tmp_path / "in"
    src.mkdir()
    texts = [
        "Chile and Peru signed a fishing agreement in Lima on Monday, the two foreign ministries said.",
        "Kenya sent troops to Haiti on Tuesday to support the local police, the government in Nairobi said.",
        "Canada criticised Mexico on Friday over new tariffs on steel imports, officials in Ottawa said.",
    ]
    for i, text in enumerate(texts):
        (src / f"a{i}.txt").write_text(text, encoding="utf-8")
    db = str(tmp_path / "ing.db")
    first = runner.invoke(app, ["ingest", str(src), "--db", db, "--no-progress"])
    assert first.exit_code == 0, first.output
    assert "3 added" in first.stderr
    second = runner.invoke(app, ["ingest", str(src), "--db", db, "--no-progress"])
    assert "0 added" in second.stderr and "3 already stored" in second.stderr
    (src / "a3.txt").write_text(
        "Egypt hosted talks between Israel and Hamas in Cairo on Sunday.", encoding="utf-8"
    )
    (src / "a4.txt").write_text(
        "Japan pledged aid to the Philippines after the typhoon, Tokyo said.", encoding="utf-8"
    )
    third = runner.invoke(app, ["ingest", str(src), "--db", db, "--no-progress", "--workers", "2"])
    assert third.exit_code == 0, third.output
    assert "2 added" in third.stderr
    with Store.open(db) as store:
        assert store.counts()["articles"] == 5


def test_query_on_a_missing_store_is_an_error(tmp_path):
    missing = tmp_path / "none.db"
    result = runner.invoke(app, ["events", "--db", str(missing)])
    assert result.exit_code == 2 and "no store" in result.stderr
    assert not missing.exists()


def test_ingest_from_batch_shards(tmp_path, extractor):
    batch = pytest.importorskip("newsgraph.batch")
    from newsgraph.batch.engines import ShardOutcome
    from newsgraph.batch.synthetic import synthetic_articles, write_jsonl_corpus
    from newsgraph.config import Settings

    class InProcess:
        name, workers = "inline", 1

        def run(self, shards):
            for spec in shards:
                yield ShardOutcome(
                    spec.shard_id, extractions=batch.extract_shard(list(spec.articles), extractor)
                )

        def close(self):
            pass

    write_jsonl_corpus(tmp_path / "in", synthetic_articles(6, seed=5), per_file=3)
    summary = batch.run_batch(
        str(tmp_path / "in"),
        tmp_path / "shards",
        Settings(),
        batch.BatchOptions(shard_size=3),
        engine=InProcess(),
    )
    assert summary.ok
    db = str(tmp_path / "shards.db")
    for expected in ("6 added", "6 already stored"):
        result = runner.invoke(
            app, ["ingest", "--from-parquet", str(tmp_path / "shards"), "--db", db, "--no-progress"]
        )
        assert result.exit_code == 0, result.output
        assert expected in result.stderr
    bad = runner.invoke(app, ["ingest", "x.txt", "--from-parquet", str(tmp_path / "shards"), "--db", db])
    assert bad.exit_code == 2
