"""Batch shards load into the store with the deduplication of an ordinary ingest."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from newsgraph.batch import BatchOptions, read_items, run_batch
from newsgraph.batch.engines import ShardOutcome
from newsgraph.batch.load import load_shards
from newsgraph.batch.synthetic import synthetic_articles, write_jsonl_corpus
from newsgraph.config import Settings

store_module = pytest.importorskip("newsgraph.store", reason="the store package is not available")


class _InProcessEngine:
    """The real extractor, in this process (one pipeline for the module)."""

    name = "inline"
    workers = 1

    def __init__(self, extractor) -> None:
        self.extractor = extractor

    def run(self, shards):
        from newsgraph.batch import extract_shard

        for spec in shards:
            yield ShardOutcome(spec.shard_id, extractions=extract_shard(list(spec.articles), self.extractor))

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def extractor():
    from newsgraph.extract.pipeline import Extractor

    return Extractor(Settings())


def test_shards_load_into_store_once(tmp_path: Path, extractor) -> None:
    arts = synthetic_articles(12, seed=21)
    write_jsonl_corpus(tmp_path / "in", arts, per_file=5)
    settings = Settings()
    for fmt in ("parquet", "jsonl"):
        summary = run_batch(str(tmp_path / "in"), tmp_path / fmt, settings,
                            BatchOptions(shard_size=4, fmt=fmt), engine=_InProcessEngine(extractor))
        assert summary.ok and summary.count("written") == 3
    items = list(read_items(tmp_path / "parquet"))
    assert [t for _, t in items] == [a.text for a in arts]  # texts ride along for near-duplicate checks
    with store_module.Store.open(str(tmp_path / "ng.db")) as store:
        first = load_shards(tmp_path / "parquet", store)
        assert first.added == 12 and first.skipped == 0
        again = load_shards(tmp_path / "jsonl", store)  # the same articles through the other format
        assert again.added == 0 and again.skipped == 12
        assert store.counts()["articles"] == 12
        stored = {ex.article.id: ex for ex in store.iter_extractions()}
    assert len(stored) == 12
    for ex, _text in items:
        assert stored[ex.article.id].article.text_sha256 == ex.article.text_sha256


def test_near_identical_copy_in_shards_is_linked_like_ordinary_ingest(tmp_path: Path, extractor) -> None:
    arts = synthetic_articles(3, seed=8)
    near = arts[0].text.replace("officials said", "aides said")
    assert near != arts[0].text
    copy = dataclasses.replace(arts[0], id="copy-of-first", text=near)
    write_jsonl_corpus(tmp_path / "in", [*arts, copy], per_file=10)
    settings = Settings()
    assert run_batch(str(tmp_path / "in"), tmp_path / "out", settings, BatchOptions(shard_size=2),
                     engine=_InProcessEngine(extractor)).ok
    with store_module.Store.open(str(tmp_path / "a.db")) as store:
        via_shards = load_shards(tmp_path / "out", store)
    with store_module.Store.open(str(tmp_path / "b.db")) as store:
        direct = store.add((ex, a.text) for ex, a in zip(extractor.extract_many([*arts, copy]), [*arts, copy],
                                                          strict=True))
    assert (via_shards.added, via_shards.duplicates) == (direct.added, direct.duplicates)
    assert via_shards.duplicates == 1
