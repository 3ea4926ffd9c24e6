"""Shard files: the contract as Parquet/JSONL tables, atomic writes, lossless read-back, stable plans."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsgraph.batch import plan_shards, read_extractions, read_items, read_table, write_shard
from newsgraph.batch.core import input_digest
from newsgraph.batch.shards import TABLES, remove_temporaries, shard_dirs
from newsgraph.contract import (
    Actor,
    Article,
    Coder,
    Event,
    Extraction,
    Mention,
    ModelInfo,
    Quantity,
    Quote,
    Span,
    TextSpan,
)
from newsgraph.ingest.readers import ArticleInput, InputProblem

TEXT = ('Germany accused Russia of cyberattacks, Chancellor Olaf Scholz said. "We will respond," '
        "he told reporters. Twelve servers were hit.")


def _extraction(article_id: str, text: str = TEXT, with_content: bool = True) -> Extraction:
    coder = Coder(version="9.9.9", model=ModelInfo(name="en_test", version="1.0"))
    article = Article(id=article_id, title="Cyberattacks", published="2024-03-01", source="test",
                      text_sha256="0" * 64)
    if not with_content:
        return Extraction(coder=coder, article=article)
    ger = Actor(id="a1", name="Germany", kind="state", code="DEU", country="DEU",
                mentions=[Mention(start=0, end=7, text="Germany")])
    rus = Actor(id="a2", name="Russia", kind="state", code="RUS", country="RUS",
                mentions=[Mention(start=16, end=22, text="Russia")])
    scholz = Actor(id="a3", name="Olaf Scholz", kind="person", country="DEU", sector="GOV", role="Chancellor",
                   organization="a1", aliases=["Scholz"],
                   mentions=[Mention(start=51, end=62, text="Olaf Scholz"),
                             Mention(start=88, end=90, text="he")])
    quote = Quote(id="q1", kind="direct", text="We will respond,", start=70, end=86,
                  parts=[Span(start=70, end=86)], speaker="a3", speaker_text="he",
                  speaker_span=Span(start=88, end=90), cue="told", cue_span=Span(start=91, end=95),
                  about=["a2"], confidence=0.9)
    event = Event(id="e1", type="ACCUSE", cameo="112", quad_class=3, goldstein=-2.0, source=["a1"],
                  target=["a2"], trigger=TextSpan(start=8, end=15, text="accused"),
                  evidence=TextSpan(start=0, end=38, text=TEXT[:38]),
                  also_evidence=[TextSpan(start=0, end=7, text="Germany")], quantities=["n1"])
    qty = Quantity(id="n1", text="Twelve servers", start=107, end=121, value=12.0, item="servers")
    return Extraction(coder=coder, article=article, actors=[ger, rus, scholz], quotes=[quote], events=[event],
                      quantities=[qty])


def test_parquet_shard_round_trips_losslessly(tmp_path: Path) -> None:
    exs = [_extraction("art-1"), _extraction("art-2", with_content=False)]
    shard = write_shard(tmp_path, "shard-000000", exs, [TEXT, "other text"], input_digest="abc")
    assert shard == tmp_path / "shard-000000"
    assert {p.name for p in shard.iterdir()} == {f"{t}.parquet" for t in TABLES} | {"_shard.json"}
    back = list(read_items(tmp_path))
    assert [e.to_json_dict() for e, _ in back] == [e.to_json_dict() for e in exs]
    assert [t for _, t in back] == [TEXT, "other text"]
    meta = json.loads((shard / "_shard.json").read_text())
    assert meta["article_ids"] == ["art-1", "art-2"] and meta["input_digest"] == "abc"


def test_tables_flatten_the_contract_with_tags(tmp_path: Path) -> None:
    write_shard(tmp_path, "shard-000000", [_extraction("art-1")], [TEXT])
    write_shard(tmp_path, "shard-000001", [_extraction("art-2")], [TEXT])
    events = read_table(tmp_path, "events").to_pylist()
    assert [e["article_id"] for e in events] == ["art-1", "art-2"]
    ev = events[0]
    assert (ev["event_id"], ev["type"], ev["source"], ev["target"]) == ("e1", "ACCUSE", ["a1"], ["a2"])
    assert (ev["trigger_start"], ev["trigger_end"], ev["trigger_text"]) == (8, 15, "accused")
    assert json.loads(ev["also_evidence"]) == [{"start": 0, "end": 7, "text": "Germany"}]
    assert (ev["coder_version"], ev["model_name"], ev["model_version"]) == ("9.9.9", "en_test", "1.0")
    actors = read_table(tmp_path, "actors").to_pylist()
    assert [(a["actor_id"], a["name"], a["n_mentions"]) for a in actors[:3]] == [
        ("a1", "Germany", 1), ("a2", "Russia", 1), ("a3", "Olaf Scholz", 2)]
    assert actors[2]["organization"] == "a1" and actors[2]["aliases"] == ["Scholz"]
    mentions = read_table(tmp_path, "mentions").to_pylist()
    assert [(m["actor_id"], m["text"]) for m in mentions if m["article_id"] == "art-1"] == [
        ("a1", "Germany"), ("a2", "Russia"), ("a3", "Olaf Scholz"), ("a3", "he")]
    quote = read_table(tmp_path, "quotes").to_pylist()[0]
    assert (quote["speaker"], quote["speaker_span_start"], quote["cue"], quote["about"]) == (
        "a3", 88, "told", ["a2"])
    qty = read_table(tmp_path, "quantities").to_pylist()[0]
    assert (qty["quantity_id"], qty["value"], qty["item"]) == ("n1", 12.0, "servers")
    art = read_table(tmp_path, "articles").to_pylist()[0]
    assert (art["article_id"], art["n_events"], art["n_actors"], art["published"]) == (
        "art-1", 1, 3, "2024-03-01")


def test_empty_tables_keep_their_schema(tmp_path: Path) -> None:
    shard = write_shard(tmp_path, "shard-000000", [_extraction("bare", with_content=False)], [None])
    events = pq.read_table(shard / "events.parquet")
    assert events.num_rows == 0 and "trigger_text" in events.schema.names
    assert list(read_extractions(tmp_path))[0].article.id == "bare"


def test_jsonl_shards_read_back_the_same(tmp_path: Path) -> None:
    exs = [_extraction("art-1"), _extraction("art-2")]
    shard = write_shard(tmp_path, "shard-000000", exs, [TEXT, TEXT], fmt="jsonl")
    assert (shard / "extractions.jsonl").is_file() and not (shard / "events.parquet").exists()
    first_line = (shard / "extractions.jsonl").read_text().splitlines()[0]
    assert json.loads(first_line)["schema"] == "newsgraph.extraction/1"
    assert [(e.to_json_dict(), t) for e, t in read_items(tmp_path)] == [(e.to_json_dict(), TEXT) for e in exs]


def test_existing_shard_is_never_rewritten(tmp_path: Path) -> None:
    shard = write_shard(tmp_path, "shard-000000", [_extraction("first")], [TEXT])
    write_shard(tmp_path, "shard-000000", [_extraction("second")], [TEXT])
    assert [e.article.id for e in read_extractions(tmp_path)] == ["first"]
    assert shard_dirs(tmp_path) == [shard]


def test_half_written_shards_are_invisible_and_cleaned(tmp_path: Path) -> None:
    write_shard(tmp_path, "shard-000000", [_extraction("done")], [TEXT])
    leftover = tmp_path / ".tmp-shard-000001-deadbeef"
    leftover.mkdir()
    (leftover / "events.parquet").write_bytes(b"partial")
    unfinished = tmp_path / "shard-000002"  # a directory without _shard.json is not a shard
    unfinished.mkdir()
    assert [d.name for d in shard_dirs(tmp_path)] == ["shard-000000"]
    assert [e.article.id for e in read_extractions(tmp_path)] == ["done"]
    assert remove_temporaries(tmp_path) == [leftover] and not leftover.exists()


def test_read_extractions_of_missing_directory_says_so(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such shard directory"):
        list(read_extractions(tmp_path / "nope"))


def test_plan_is_deterministic_and_problems_take_no_position() -> None:
    items: list[ArticleInput | InputProblem] = [ArticleInput(text=f"Text {i}.", id=f"a{i}") for i in range(7)]
    items.insert(3, InputProblem("bad.jsonl:4", "invalid JSON line"))
    problems: list[InputProblem] = []
    plan = list(plan_shards(items, 3, problems.append))
    assert [s.shard_id for s in plan] == ["shard-000000", "shard-000001", "shard-000002"]
    assert [[a.id for a in s.articles] for s in plan] == [["a0", "a1", "a2"], ["a3", "a4", "a5"], ["a6"]]
    assert [p.origin for p in problems] == ["bad.jsonl:4"]
    again = list(plan_shards(items, 3))
    assert [s.digest for s in again] == [s.digest for s in plan]
    changed = [ArticleInput(text="Text 0 changed.", id="a0"), *items[1:3]]
    assert input_digest(changed) != plan[0].digest
    with pytest.raises(ValueError):
        list(plan_shards(items, 0))


def test_commit_accepts_only_shard_files(tmp_path: Path) -> None:
    from newsgraph.batch.shards import commit_shard, encode_shard

    files = encode_shard("shard-000004", [_extraction("x")], [TEXT])
    assert set(files) == {f"{t}.parquet" for t in TABLES} | {"_shard.json"}
    with pytest.raises(ValueError):
        commit_shard(tmp_path, "shard-000004", {**files, "../escape.parquet": b""})
    with pytest.raises(ValueError):
        commit_shard(tmp_path, "../shard-000004", files)
    stale = tmp_path / "shard-000004"  # a directory of that name without metadata is replaced
    stale.mkdir()
    (stale / "events.parquet").write_bytes(b"junk")
    commit_shard(tmp_path, "shard-000004", files)
    assert [e.article.id for e in read_extractions(tmp_path)] == ["x"]
    assert (stale / "events.parquet").read_bytes() == files["events.parquet"]
