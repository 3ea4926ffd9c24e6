"""`newsgraph batch --engine ray` on a local 2-CPU Ray instance gives the same shards as `--engine local`."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.batch import BatchOptions, read_extractions, read_table, run_batch
from newsgraph.batch.engines import RayEngine
from newsgraph.batch.synthetic import synthetic_articles, write_jsonl_corpus
from newsgraph.config import Settings

pytestmark = [
    pytest.mark.ray,
    pytest.mark.skipif(importlib.util.find_spec("ray") is None,
                       reason="ray is not installed (pip install 'newsgraph[ray]' to run the Ray tests)"),
]

REPO = Path(__file__).resolve().parents[1]


def _batch(src: Path, out: Path, *extra: str) -> dict:
    cmd = [sys.executable, "-m", "newsgraph", "batch", str(src), str(out), "--workers", "2",
           "--shard-size", "5", "--json", *extra]
    # Without RAY_ADDRESS the run starts its own 2-CPU Ray instance instead of joining one.
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    result = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_ray_engine_output_is_identical_to_local(tmp_path: Path) -> None:
    arts = synthetic_articles(36, seed=5)
    write_jsonl_corpus(tmp_path / "in", arts, per_file=12)
    local = _batch(tmp_path / "in", tmp_path / "local", "--engine", "local")
    ray = _batch(tmp_path / "in", tmp_path / "ray", "--engine", "ray")
    assert local["ok"] and ray["ok"]
    assert ray["engine"] == "ray" and ray["workers"] == 2
    assert ray["shards_written"] == local["shards_written"] == 8
    local_ex = [e.to_json_dict() for e in read_extractions(tmp_path / "local")]
    ray_ex = [e.to_json_dict() for e in read_extractions(tmp_path / "ray")]
    assert [e["article"]["id"] for e in ray_ex] == [a.id for a in arts]
    assert sum(len(e["actors"]) for e in ray_ex) > 0  # the comparison below compares something
    for key in ("actors", "quotes", "events", "quantities", "article", "coder"):
        assert [e[key] for e in ray_ex] == [e[key] for e in local_ex], key
    for table in ("actors", "mentions", "quotes", "events"):
        assert read_table(tmp_path / "ray", table).equals(read_table(tmp_path / "local", table)), table
    again = _batch(tmp_path / "in", tmp_path / "ray", "--engine", "ray")  # all done: Ray is not even started
    assert (again["shards_skipped"], again["shards_written"]) == (8, 0)


class _FlakyExtractor:
    """Fails once on a FAILSONCE article (a marker file shared by all actors), always on ALWAYSFAILS."""

    def __init__(self, marker_dir: str) -> None:
        from newsgraph.extract.pipeline import Extractor

        self.marker_dir = Path(marker_dir)
        self.inner = Extractor(Settings())

    def extract_many(self, articles):
        articles = list(articles)
        for art in articles:
            if "ALWAYSFAILS" in art.text:
                raise RuntimeError("this article cannot be parsed")
            marker = self.marker_dir / f"{art.id}.seen"
            if "FAILSONCE" in art.text and not marker.exists():
                marker.touch()
                raise RuntimeError("transient failure")
        return self.inner.extract_many(articles)


def _flaky_factory(settings: Settings) -> _FlakyExtractor:
    return _FlakyExtractor(str(settings.extra["marker_dir"]))


def test_ray_engine_reports_a_failing_article_and_writes_the_rest(tmp_path: Path) -> None:
    from ray import cloudpickle

    # Ray's workers cannot import this test module: ship the factory and its class by value.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    texts = [f"President Emmanuel Macron met Chancellor Olaf Scholz in Paris on day {i}." for i in range(6)]
    texts[2] += " FAILSONCE"
    texts[5] += " ALWAYSFAILS"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(
        "".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    settings = Settings().updated({"marker_dir": str(tmp_path)})
    engine = RayEngine(settings, 2, _flaky_factory)
    try:
        summary = run_batch(str(tmp_path / "in"), tmp_path / "out", settings,
                            BatchOptions(engine="ray", shard_size=2, retries=1), engine=engine)
    finally:
        engine.close()
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    # One bad article costs only itself: its shard is written with the other, the problem names it.
    assert [(s.status, s.attempts, s.articles) for s in summary.shards] == [
        ("written", 1, 2), ("written", 1, 2), ("written", 1, 1)]
    assert summary.ok and [(p["origin"], p["code"]) for p in summary.problems] == [
        (f"{tmp_path / 'in' / 'a.jsonl'}:6", "extract-failed")]
    assert "cannot be parsed" in summary.problems[0]["message"]
    assert [e.article.id for e in read_extractions(tmp_path / "out")] == ["d0", "d1", "d2", "d3", "d4"]
