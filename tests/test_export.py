"""Every export format validates: GEXF/GraphML load in networkx, Parquet in pyarrow, PLOVER and FtM fields."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pyarrow.parquet as pq
import pytest

from newsgraph.export import FORMATS, REQUIRED_FIELDS, export
from newsgraph.export.cameo import COLUMNS
from newsgraph.export.tables import TABLES
from newsgraph.store.synthetic import demo_corpus
from newsgraph.store.testing import temporary_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with temporary_store("sqlite", tmp_path_factory.mktemp("export")) as s:
        s.add(demo_corpus())
        yield s


def test_plover_lines_carry_the_manuals_fields(store, tmp_path):
    out = tmp_path / "events.jsonl"
    result = export(store, "plover", out)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert result.records == len(lines) == 8  # counted events: positive, actual, not from the copy
    for rec in lines:
        missing = [f for f in REQUIRED_FIELDS if f not in rec]
        assert not missing, missing
        assert rec["event_type"] in {"AID", "ACCUSE", "ASSAULT", "SANCTION", "THREATEN", "CONSULT", "AGREE"}
    aid = next(r for r in lines if r["event_type"] == "AID" and r["article_id"] == "wire-1")
    assert aid["src_actor"] == "PRK" and aid["tgt_actor"] == "RUS" and aid["source"] == "North Korea"
    assert aid["size"] == 5000 and aid["dead"] is None
    assert aid["claimed_by"] == "Matthew Miller" and aid["publication"] == "Wire Service"
    assert aid["url"].startswith("https://wire.example/") and aid["version"] == "test-1"
    accuse = next(r for r in lines if r["event_type"] == "ACCUSE")
    assert accuse["src_agent"] == "IGO"  # the actor's sector


def test_plover_export_takes_event_filters(store, tmp_path):
    out = tmp_path / "prk.jsonl"
    export(store, "plover", out, actor="PRK", include_all=True)
    assert {json.loads(x)["event_type"] for x in out.read_text().splitlines()} == {"AID", "SANCTION"}
    export(store, "plover", out, include_all=True)
    assert len(out.read_text().splitlines()) == 13  # negated, planned and the copy's event too


def test_cameo_tsv(store, tmp_path):
    out = tmp_path / "events.tsv"
    export(store, "cameo", out)
    rows = list(csv.DictReader(out.open(), delimiter="\t"))
    assert list(rows[0]) == list(COLUMNS) and len(rows) == 8
    aid = next(r for r in rows if r["PloverType"] == "AID" and r["ArticleId"] == "wire-1")
    assert aid["SQLDATE"] == "20240304" and aid["Actor1Code"] == "PRK" and aid["Actor2CountryCode"] == "RUS"
    assert aid["QuadClass"] == "2" and aid["NumArticles"] == "2"  # the story has two reporting articles
    assert aid["SOURCEURL"].startswith("https://wire.example/")


def test_ftm_entities(store, tmp_path):
    out = tmp_path / "ftm.jsonl"
    export(store, "ftm", out)
    entities = [json.loads(line) for line in out.read_text().splitlines()]
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids))
    for e in entities:
        assert set(e) == {"id", "schema", "properties"}
        assert all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in e["properties"].values()
        )
    by_name = {e["properties"].get("name", [""])[0]: e for e in entities}
    assert by_name["North Korea"]["schema"] == "PublicBody"
    assert by_name["North Korea"]["properties"]["wikidataId"] == ["Q423"]
    assert by_name["North Korea"]["properties"]["country"] == ["kp"]  # FtM uses alpha-2
    assert by_name["Jens Stoltenberg"]["schema"] == "Person"
    assert by_name["NATO"]["schema"] == "Organization"
    schemata = {e["schema"] for e in entities}
    assert {"Event", "UnknownLink", "Membership", "Article"} <= schemata
    known = set(ids)
    for e in entities:
        for prop in ("organizer", "involved", "subject", "object", "member", "organization", "proof"):
            for ref in e["properties"].get(prop, []):
                assert ref in known, (e["id"], prop, ref)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_network_files_load_in_networkx(store, tmp_path, fmt):
    out = tmp_path / f"net.{fmt}"
    export(store, fmt, out)
    graph = nx.read_gexf(out) if fmt == "gexf" else nx.read_graphml(out)
    labels = {graph.nodes[n]["label"] for n in graph.nodes}
    assert {"North Korea", "Russia", "United States"} <= labels
    edge = next(
        (u, v, d)
        for u, v, d in graph.edges(data=True)
        if graph.nodes[u]["label"] == "North Korea" and graph.nodes[v]["label"] == "Russia"
    )
    assert int(edge[2]["material_cooperation"]) == 1 and float(edge[2]["net_score"]) == 1.0


def test_parquet_tables_read_with_pyarrow(store, tmp_path):
    out = tmp_path / "parquet"
    result = export(store, "parquet", out)
    for name in TABLES:
        table = pq.read_table(out / f"{name}.parquet")
        assert table.num_rows == result.tables[name]
    events = pq.read_table(out / "events.parquet").to_pylist()
    assert len(events) == 8
    aid = next(e for e in events if e["type"] == "AID" and e["article_id"] == "wire-1")
    assert aid["source_names"] == ["North Korea"] and aid["quantity_ids"] == ["wire-1:n1"]
    assert pq.read_table(out / "articles.parquet").num_rows == 5
    filtered = export(store, "parquet", tmp_path / "pq-prk", actor="PRK")
    assert filtered.tables["events"] == 3 and filtered.tables["articles"] == 3


def test_csv_directory_and_single_file(store, tmp_path):
    result = export(store, "csv", tmp_path / "csv")
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(f"{n}.csv" for n in TABLES)
    rows = list(csv.DictReader((tmp_path / "csv" / "events.csv").open()))
    assert len(rows) == result.tables["events"] == 8
    single = export(store, "csv", tmp_path / "events.csv", type="AID")
    rows = list(csv.DictReader((tmp_path / "events.csv").open()))
    assert single.records == len(rows) == 2 and rows[0]["source_names"] == "North Korea"


def test_unknown_format_is_refused(store, tmp_path):
    assert "plover" in FORMATS
    with pytest.raises(ValueError):
        export(store, "xlsx", tmp_path / "x")
