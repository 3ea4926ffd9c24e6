"""`newsgraph batch --engine ray` on a local 2-CPU Ray instance gives the same shards as `--engine local`."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.batch import read_extractions, read_table
from newsgraph.batch.synthetic import synthetic_articles, write_jsonl_corpus

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
