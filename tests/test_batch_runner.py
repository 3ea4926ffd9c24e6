"""run_batch and `newsgraph batch`: retries and reports failures, skips finished shards, survives SIGKILL."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.batch import BatchError, BatchOptions, extract_shard, read_extractions, run_batch
from newsgraph.batch.engines import LocalEngine, ShardOutcome, _pack, _unpack, import_ray
from newsgraph.batch.runner import MANIFEST, _OutputLock
from newsgraph.batch.synthetic import synthetic_articles, write_jsonl_corpus
from newsgraph.cli import app
from newsgraph.config import Settings
from newsgraph.contract import Actor, Article, Coder, Extraction, ModelInfo
from newsgraph.ingest.readers import ArticleInput

REPO = Path(__file__).resolve().parents[1]


class _FakeExtractor:
    """Cheap stand-in for the spaCy pipeline: one actor per capitalised word; fails on marker words."""

    def __init__(self, fail_dir: Path | None) -> None:
        self.fail_dir = fail_dir
        self.coder = Coder(version="0.0-test", model=ModelInfo(name="fake", version="1"))

    def extract_many(self, articles: Iterable[ArticleInput]) -> Iterator[Extraction]:
        for art in articles:
            if "DIESONCE" in art.text and self.fail_dir is not None:
                marker = self.fail_dir / f"{art.id}.died"
                if not marker.exists():
                    marker.touch()
                    os._exit(3)  # the worker process dies (a crash in native code, the OOM killer)
            if "ALWAYSFAILS" in art.text:
                raise RuntimeError("this article cannot be parsed")
            if "FAILSONCE" in art.text and self.fail_dir is not None:
                marker = self.fail_dir / f"{art.id}.failed"
                if not marker.exists():
                    marker.touch()
                    raise RuntimeError("transient failure")
            sha = hashlib.sha256(art.text.encode()).hexdigest()
            names = sorted({w.strip(".,") for w in art.text.split() if w[:1].isupper()})
            yield Extraction(coder=self.coder, article=Article(id=art.id or sha[:16], text_sha256=sha),
                             actors=[Actor(id=f"a{i}", name=n, kind="organization")
                                     for i, n in enumerate(names)])


def fake_factory(settings: Settings) -> _FakeExtractor:
    fail_dir = settings.extra.get("fail_dir")
    return _FakeExtractor(Path(str(fail_dir)) if fail_dir else None)


class _InlineEngine:
    """Runs shards in this process (for testing the runner's logic without worker start-up)."""

    name = "inline"
    workers = 1

    def __init__(self, settings: Settings) -> None:
        self.extractor = fake_factory(settings)
        self.calls: list[list[str]] = []

    def run(self, shards: Sequence) -> Iterator[ShardOutcome]:
        self.calls.append([s.shard_id for s in shards])
        for spec in shards:
            if any("ENGINEFAILS" in a.text for a in spec.articles):  # the engine, not an article, fails
                yield ShardOutcome(spec.shard_id, error="engine failure")
                continue
            yield ShardOutcome(spec.shard_id, extractions=extract_shard(list(spec.articles), self.extractor))

    def close(self) -> None:
        pass


def _corpus(directory: Path, texts: list[str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "articles.jsonl", "w") as fh:
        for i, text in enumerate(texts):
            fh.write(json.dumps({"id": f"doc-{i:03d}", "text": text}) + "\n")
    return directory


def _texts(n: int) -> list[str]:
    return [f"Officials in Paris met Delegates from Nairobi on day {i}." for i in range(n)]


def test_a_bad_article_is_reported_and_the_rest_of_its_shard_written(tmp_path: Path) -> None:
    texts = _texts(6)
    texts[2] = "Talks in Geneva FAILSONCE stalled."
    texts[4] = "Talks in Oslo ALWAYSFAILS today."
    src = _corpus(tmp_path / "in", texts)
    out = tmp_path / "out"
    settings = Settings().updated({"fail_dir": str(tmp_path)})
    engine = LocalEngine(settings, 1, fake_factory)
    try:
        summary = run_batch(str(src), out, settings, BatchOptions(shard_size=2, retries=2), engine=engine)
    finally:
        engine.close()
    assert summary.ok and [(s.status, s.attempts) for s in summary.shards] == [("written", 1)] * 3
    assert [s.articles for s in summary.shards] == [2, 2, 1]
    assert summary.problems == [{"origin": f"{src / 'articles.jsonl'}:5", "code": "extract-failed",
                                 "message": "extraction failed: RuntimeError: this article cannot be parsed"}]
    ids = [e.article.id for e in read_extractions(out)]
    assert ids == ["doc-000", "doc-001", "doc-002", "doc-003", "doc-005"]  # the transient failure recovered
    meta = json.loads((out / "shard-000002" / "_shard.json").read_text())
    assert meta["articles"] == 1 and meta["problems"][0]["code"] == "extract-failed"
    # A rerun skips the written shards and still names the article it could not extract.
    again = run_batch(str(src), out, settings, BatchOptions(shard_size=2), engine=_InlineEngine(settings))
    assert [s.status for s in again.shards] == ["skipped"] * 3 and again.problems == summary.problems


def test_shard_whose_worker_dies_is_retried_in_a_new_worker(tmp_path: Path) -> None:
    texts = _texts(4)
    texts[3] = "Envoys in Accra DIESONCE met."
    src = _corpus(tmp_path / "in", texts)
    out = tmp_path / "out"
    settings = Settings().updated({"fail_dir": str(tmp_path)})
    summary = run_batch(str(src), out, settings, BatchOptions(shard_size=2, retries=1, workers=1),
                        factory=fake_factory)
    assert summary.ok, summary.to_dict()
    assert [(s.shard_id, s.attempts) for s in summary.shards if s.attempts > 1] == [("shard-000001", 2)]
    assert [e.article.id for e in read_extractions(out)] == [f"doc-{i:03d}" for i in range(4)]


def test_rerun_skips_written_shards_and_retries_failed_ones(tmp_path: Path) -> None:
    texts = _texts(5)
    texts[3] = "Leaders in Rome ENGINEFAILS again."
    src = _corpus(tmp_path / "in", texts)
    out = tmp_path / "out"
    settings = Settings()
    first = _InlineEngine(settings)
    summary = run_batch(str(src), out, settings, BatchOptions(shard_size=2, retries=1), engine=first)
    assert [s.status for s in summary.shards] == ["written", "failed", "written"]
    assert first.calls == [["shard-000000", "shard-000001", "shard-000002"], ["shard-000001"]]
    (src / "articles.jsonl").write_text((src / "articles.jsonl").read_text().replace("ENGINEFAILS", "agreed"))
    second = _InlineEngine(settings)
    summary = run_batch(str(src), out, settings, BatchOptions(shard_size=2, retries=1), engine=second)
    assert second.calls == [["shard-000001"]]
    assert [s.status for s in summary.shards] == ["skipped", "written", "skipped"] and summary.ok
    assert [e.article.id for e in read_extractions(out)] == [f"doc-{i:03d}" for i in range(5)]


def test_changed_input_under_existing_shard_is_reported_not_mixed(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "in", _texts(4))
    out = tmp_path / "out"
    settings = Settings()
    assert run_batch(str(src), out, settings, BatchOptions(shard_size=2), engine=_InlineEngine(settings)).ok
    _corpus(src, ["A different first article from Lagos.", *_texts(4)[1:]])
    summary = run_batch(str(src), out, settings, BatchOptions(shard_size=2), engine=_InlineEngine(settings))
    assert [s.status for s in summary.shards] == ["failed", "skipped"]
    assert "input changed" in (summary.shards[0].error or "")


def test_glob_and_fsspec_inputs_are_listed_in_sorted_order(tmp_path: Path) -> None:
    fsspec = pytest.importorskip("fsspec", reason="fsspec is not installed")
    settings = Settings()
    arts = synthetic_articles(7, seed=3)
    write_jsonl_corpus(tmp_path / "in", arts, per_file=3)
    local = run_batch(str(tmp_path / "in" / "*.jsonl"), tmp_path / "out-glob", settings,
                      BatchOptions(shard_size=4), engine=_InlineEngine(settings))
    assert local.ok and [s.articles for s in local.shards] == [4, 3]
    mem = fsspec.filesystem("memory")
    root = f"/newsgraph-test-{os.getpid()}"
    for path in sorted((tmp_path / "in").iterdir(), reverse=True):  # written out of order on purpose
        mem.pipe(f"{root}/{path.name}", path.read_bytes())
    try:
        remote = run_batch(f"memory://{root}", tmp_path / "out-mem", settings, BatchOptions(shard_size=4),
                           engine=_InlineEngine(settings))
    finally:
        mem.rm(root, recursive=True)
    assert remote.ok
    want = [a.id for a in arts]
    assert [e.article.id for e in read_extractions(tmp_path / "out-mem")] == want
    assert [e.article.id for e in read_extractions(tmp_path / "out-glob")] == want


def test_unknown_url_scheme_and_missing_input_give_clear_errors(tmp_path: Path) -> None:
    settings = Settings()
    pytest.importorskip("fsspec", reason="fsspec is not installed")
    with pytest.raises(BatchError, match="fsspec driver"):
        run_batch("nosuchscheme://bucket/x", tmp_path / "o1", settings, engine=_InlineEngine(settings))
    with pytest.raises(BatchError, match="no such file"):
        run_batch(str(tmp_path / "missing"), tmp_path / "o2", settings, engine=_InlineEngine(settings))
    with pytest.raises(BatchError, match="no files match"):
        run_batch(str(tmp_path / "*.jsonl"), tmp_path / "o3", settings, engine=_InlineEngine(settings))


def test_missing_ray_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(BatchError, match=r"pip install 'newsgraph\[ray\]'"):
        import_ray()


def test_second_run_on_same_output_is_refused(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "in", _texts(2))
    settings = Settings()
    (tmp_path / "out").mkdir()
    with _OutputLock(tmp_path / "out"):
        with pytest.raises(BatchError, match="another batch run"):
            run_batch(str(src), tmp_path / "out", settings, engine=_InlineEngine(settings))


def test_cli_exits_nonzero_and_names_failed_shards(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "in", _texts(3))
    result = CliRunner().invoke(app, ["batch", str(src), str(tmp_path / "out"), "--workers", "1",
                                      "--shard-size", "2", "--retries", "1", "--model", "no_such_model_xyz"])
    assert result.exit_code == 1, result.output
    assert "FAILED shard-000000" in result.output and "no_such_model_xyz" in result.output
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text())
    assert [(s["status"], s["attempts"]) for s in manifest["shards"]] == [("failed", 2), ("failed", 2)]
    missing = CliRunner().invoke(app, ["batch", str(tmp_path / "nothing"), str(tmp_path / "out2")])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_killed_run_resumes_and_writes_every_shard_exactly_once(tmp_path: Path) -> None:
    """SIGKILL a real `newsgraph batch` midway, rerun it: every article lands in exactly one shard."""
    arts = synthetic_articles(48, seed=11)
    write_jsonl_corpus(tmp_path / "in", arts, per_file=10)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "newsgraph", "batch", str(tmp_path / "in"), str(out), "--workers", "1",
           "--shard-size", "2"]
    log = tmp_path / "first-run.log"
    with open(log, "wb") as err:  # a file, not a pipe: a full pipe would stall the run
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list(out.glob("shard-*/_shard.json"))) >= 2:
                break
            time.sleep(0.05)
        assert proc.poll() is None, f"the run ended before it could be killed: {log.read_text()!r}"
        os.killpg(proc.pid, signal.SIGKILL)  # the driver and its worker processes
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    before = {p.parent.name: p.stat().st_mtime_ns for p in out.glob("shard-*/_shard.json")}
    assert 2 <= len(before) < 24
    # Simulate the kill landing in the middle of a shard write as well.
    (out / ".tmp-shard-000023-0badc0de").mkdir()
    rerun = subprocess.run([*cmd, "--json"], cwd=REPO, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["removed_temporaries"] >= 1  # ours, plus any the kill left mid-write
    assert summary["shards_skipped"] == len(before)
    assert summary["shards_written"] == 24 - len(before) and summary["shards_failed"] == 0
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(("shard-", ".tmp"))) == [
        f"shard-{i:06d}" for i in range(24)]
    assert {n: (out / n / "_shard.json").stat().st_mtime_ns for n in before} == before  # not rewritten
    ids = [e.article.id for e in read_extractions(out)]
    assert ids == [a.id for a in arts]  # each article once, in input order


def test_worker_payload_framing_round_trips_and_rejects_truncation() -> None:
    files = {"_shard.json": b"{}", "events.parquet": b"PAR1\x00\x01PAR1", "empty.parquet": b""}
    header, blob = _pack(files)
    assert _unpack(header, blob) == files
    with pytest.raises(ValueError):
        _unpack(header, blob[:-1])


def test_core_imports_without_ray() -> None:
    code = "import sys, newsgraph.batch, newsgraph.cli; assert 'ray' not in sys.modules, 'ray imported'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_cli_writes_jsonl_shards_with_the_real_pipeline(tmp_path: Path) -> None:
    arts = synthetic_articles(6, seed=13)
    write_jsonl_corpus(tmp_path / "in", arts, per_file=4)
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "in"), str(tmp_path / "out"), "--workers", "1",
                                      "--shard-size", "4", "--format", "jsonl", "--json"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out" / "shard-000001").iterdir()) == [
        "_shard.json", "extractions.jsonl", "texts.jsonl"]
    extractions = list(read_extractions(tmp_path / "out"))
    assert [e.article.id for e in extractions] == [a.id for a in arts]
    assert all(e.coder.model.name and e.actors for e in extractions)
