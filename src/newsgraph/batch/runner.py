"""``run_batch``: plan shards, skip those already written, extract the rest, retry failures, report.

Idempotent and restartable: shards are written atomically, a rerun skips every complete shard whose
input digest still matches, removes half-written leftovers of a killed run, and recomputes the
rest. A shard that still fails after the retries is recorded as failed in ``_manifest.json`` (never
silently dropped) and makes the summary's ``ok`` false.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from newsgraph.config import Settings
from newsgraph.ingest.readers import InputProblem

from .core import (
    BatchError,
    ExtractorFactory,
    ShardSpec,
    default_extractor_factory,
    iter_batch_inputs,
    plan_shards,
)
from .engines import Engine, LocalEngine, RayEngine, encode_results
from .shards import META_FILE, ShardFormat, ShardMeta, commit_shard, remove_temporaries

MANIFEST = "_manifest.json"
LOCK_FILE = ".lock"
EngineName = Literal["local", "ray"]


@dataclass(frozen=True)
class BatchOptions:
    engine: EngineName = "local"
    workers: int | None = None  # default: CPUs of this machine (local) or of the Ray cluster
    address: str | None = None  # Ray cluster address; none starts a local Ray instance
    shard_size: int = 64
    fmt: ShardFormat = "parquet"
    retries: int = 2  # extra attempts for a failed shard
    wave: int | None = None  # shards handed to the engine at once (bounds driver memory)


@dataclass
class ShardRecord:
    shard_id: str
    status: Literal["written", "skipped", "failed"]
    articles: int
    attempts: int = 0
    error: str | None = None


@dataclass
class BatchSummary:
    output: str
    engine: str
    workers: int
    shard_size: int
    format: str
    shards: list[ShardRecord] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    removed_temporaries: int = 0
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for s in self.shards if s.status == status)

    @property
    def failed(self) -> list[ShardRecord]:
        return [s for s in self.shards if s.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def articles_extracted(self) -> int:
        return sum(s.articles for s in self.shards if s.status == "written")

    @property
    def articles_per_second(self) -> float:
        return self.articles_extracted / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict:
        return {
            "output": self.output, "engine": self.engine, "workers": self.workers,
            "shard_size": self.shard_size, "format": self.format, "ok": self.ok,
            "shards_total": len(self.shards), "shards_written": self.count("written"),
            "shards_skipped": self.count("skipped"), "shards_failed": self.count("failed"),
            "articles_extracted": self.articles_extracted, "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.articles_per_second, 2),
            "removed_temporaries": self.removed_temporaries,
            "input_problems": self.problems, "shards": [asdict(s) for s in self.shards],
        }

    def line(self) -> str:
        return (f"{len(self.shards)} shards: {self.count('written')} written, "
                f"{self.count('skipped')} skipped, "
                f"{self.count('failed')} failed; {self.articles_extracted} articles extracted in "
                f"{self.seconds:.1f} s ({self.articles_per_second:.1f} articles/s, {self.engine} engine, "
                f"{self.workers} workers)")


def make_engine(settings: Settings, options: BatchOptions, factory: ExtractorFactory) -> Engine:
    if options.engine == "local":
        return LocalEngine(settings, options.workers or os.cpu_count() or 1, factory, fmt=options.fmt)
    if options.engine == "ray":
        return RayEngine(settings, options.workers, factory, options.address, fmt=options.fmt)
    raise BatchError(f"unknown engine {options.engine!r} (local or ray)")


class _OutputLock:
    """An exclusive lock on the output directory for the run (released by the OS if the run is killed)."""

    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_FILE
        self._fh = None

    def __enter__(self) -> _OutputLock:
        self._fh = open(self.path, "a+")
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, runs on one output must not overlap
            return self
        try:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            self._fh.close()
            raise BatchError(f"another batch run is writing to {self.path.parent}") from err
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.close()


def _waves(specs: Iterable[ShardSpec], size: int) -> Iterator[list[ShardSpec]]:
    wave: list[ShardSpec] = []
    for spec in specs:
        wave.append(spec)
        if len(wave) >= size:
            yield wave
            wave = []
    if wave:
        yield wave


def run_batch(source: str, output: str | Path, settings: Settings, options: BatchOptions | None = None, *,
              factory: ExtractorFactory = default_extractor_factory,
              engine: Engine | None = None, log: Callable[[str], None] | None = None) -> BatchSummary:
    """Extract every article under ``source`` into shards under ``output``; see the module docstring.

    ``engine`` may be passed in (then it is not closed here); otherwise one is made from ``options``
    when the first shard needs work, so a rerun with nothing left to do starts no workers.
    """
    options = options or BatchOptions()
    if options.shard_size < 1:
        raise BatchError("--shard-size must be at least 1")
    if options.retries < 0:
        raise BatchError("--retries must be 0 or more")
    say = log or (lambda _msg: None)
    root = Path(output)
    if root.exists() and not root.is_dir():
        raise BatchError(f"output {root} exists and is not a directory")
    root.mkdir(parents=True, exist_ok=True)
    summary = BatchSummary(output=str(root), engine=options.engine, workers=options.workers or 0,
                           shard_size=options.shard_size, format=options.fmt)
    own_engine = engine is None
    started = time.monotonic()
    with _OutputLock(root):
        removed = remove_temporaries(root)
        summary.removed_temporaries = len(removed)
        if removed:
            say(f"removed {len(removed)} half-written shard(s) left by an earlier run")

        def problem(p: InputProblem | dict) -> None:
            item = p if isinstance(p, dict) else {"origin": p.origin, "code": p.code, "message": p.message}
            summary.problems.append(item)
            say(f"{item['origin']}: {item['message']}")

        specs = plan_shards(iter_batch_inputs(source, settings), options.shard_size, problem)
        try:
            wave_size = options.wave or _default_wave(options)
            for wave in _waves(specs, wave_size):
                todo = []
                for spec in wave:
                    record = _existing(root, spec)
                    if record is None:
                        todo.append(spec)
                    else:  # the articles it could not extract stay reported
                        summary.shards.append(record)
                        summary.problems.extend(_shard_problems(root / spec.shard_id, record))
                if not todo:
                    continue
                if engine is None:
                    engine = make_engine(settings, options, factory)
                summary.workers = engine.workers
                summary.shards.extend(_run_wave(engine, todo, root, options, say, problem))
                _write_manifest(root, summary, started)
        finally:
            if own_engine and engine is not None:
                engine.close()
        summary.shards.sort(key=lambda s: s.shard_id)
        _write_manifest(root, summary, started)
    return summary


def _default_wave(options: BatchOptions) -> int:
    """Shards per engine call: enough to keep every worker busy, few enough to bound driver memory.

    Ray starts a fresh actor pool (one model load per actor) for each call, so its waves are larger.
    """
    workers = options.workers or os.cpu_count() or 1
    if options.engine == "ray":
        return min(4096, max(256, 32 * workers))
    return max(64, 16 * workers)


def _existing(root: Path, spec: ShardSpec) -> ShardRecord | None:
    shard_dir = root / spec.shard_id
    if not (shard_dir / META_FILE).is_file():
        return None
    meta = ShardMeta.read(shard_dir)
    if meta.input_digest is not None and meta.input_digest != spec.digest:
        return ShardRecord(spec.shard_id, "failed", len(spec.articles), error=(
            f"the input changed since {shard_dir} was written (different articles at these positions); "
            "write to a new output directory, or delete the old shards to recompute them"))
    return ShardRecord(spec.shard_id, "skipped", meta.articles)


def _shard_problems(shard_dir: Path, record: ShardRecord) -> list[dict]:
    return list(ShardMeta.read(shard_dir).problems or []) if record.status == "skipped" else []


def _run_wave(engine: Engine, todo: list[ShardSpec], root: Path, options: BatchOptions,
              say: Callable[[str], None], problem: Callable[[dict], None]) -> list[ShardRecord]:
    by_id = {s.shard_id: s for s in todo}
    attempts = dict.fromkeys(by_id, 0)
    errors: dict[str, str] = {}
    done: list[ShardRecord] = []
    pending = list(todo)
    for attempt in range(options.retries + 1):
        if not pending:
            break
        if attempt:
            say(f"retrying {len(pending)} failed shard(s) (attempt {attempt + 1} of {options.retries + 1})")
        failed_now: list[ShardSpec] = []
        seen: set[str] = set()
        for outcome in engine.run(pending):
            spec = by_id[outcome.shard_id]
            seen.add(spec.shard_id)
            attempts[spec.shard_id] += 1
            if outcome.files is None and outcome.extractions is not None:
                try:
                    outcome.files = encode_results(spec.shard_id, spec.articles, outcome.extractions,
                                                   options.fmt, spec.digest)
                except ValueError as err:
                    outcome.error = f"bad shard results: {err}"
            if outcome.files is not None:
                try:
                    commit_shard(root, spec.shard_id, outcome.files)
                except (OSError, ValueError) as err:
                    outcome.error = f"writing the shard failed: {err}"
                else:
                    meta = json.loads(outcome.files[META_FILE])
                    for item in meta.get("problems") or []:
                        problem(item)
                    done.append(ShardRecord(spec.shard_id, "written", meta["articles"],
                                            attempts[spec.shard_id]))
                    continue
            errors[spec.shard_id] = outcome.error or "unknown error"
            say(f"{spec.shard_id} failed: {errors[spec.shard_id]}")
            failed_now.append(spec)
        for spec in pending:  # an engine that lost track of a shard must not make it vanish
            if spec.shard_id not in seen:
                attempts[spec.shard_id] += 1
                errors[spec.shard_id] = "the engine returned no result for this shard"
                failed_now.append(spec)
        pending = failed_now
    for spec in pending:
        done.append(ShardRecord(spec.shard_id, "failed", len(spec.articles), attempts[spec.shard_id],
                                errors.get(spec.shard_id)))
    return done


def _write_manifest(root: Path, summary: BatchSummary, started: float) -> None:
    summary.seconds = time.monotonic() - started
    tmp = root / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(summary.to_dict(), indent=1), encoding="utf-8")
    os.replace(tmp, root / MANIFEST)
