"""Engines run ``extract_shard`` over many shards: worker processes on one machine, or Ray Data.

Both build the extractor once per worker (process initializer / actor constructor) from the
picklable ``Settings`` and factory, so the spaCy pipeline is never shipped between processes.
Workers also encode the shard's files (flattening and compression run in parallel); the driver
only commits the bytes, so it stays cheap however many workers there are. A shard whose
extraction raises comes back as an error outcome instead of failing the run, so the runner can
retry it and report it.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Protocol

from newsgraph.config import Settings
from newsgraph.contract import Extraction
from newsgraph.ingest.readers import ArticleInput, InputProblem

from .core import (
    BatchError,
    ExtractorFactory,
    ExtractorLike,
    ExtractResult,
    ShardSpec,
    extract_each,
    extract_shard,
)
from .shards import ShardFormat, encode_shard


@dataclass
class ShardOutcome:
    """A shard's result: its encoded files (or extractions, which the runner then encodes), or an error."""

    shard_id: str
    files: dict[str, bytes] | None = None
    extractions: list[ExtractResult] | None = None
    error: str | None = None


class Engine(Protocol):
    name: str
    workers: int

    def run(self, shards: Sequence[ShardSpec]) -> Iterator[ShardOutcome]: ...

    def close(self) -> None: ...


def _describe(err: BaseException) -> str:
    last = traceback.extract_tb(err.__traceback__)[-1:] if err.__traceback__ else []
    where = f" (at {last[0].filename}:{last[0].lineno})" if last else ""
    return f"{type(err).__name__}: {err}{where}"


def encode_results(shard_id: str, articles: Sequence[ArticleInput], results: Sequence[ExtractResult],
                   fmt: ShardFormat, digest: str) -> dict[str, bytes]:
    """A shard's files from its articles' results: the extractions, and the problems in its metadata."""
    if len(results) != len(articles):
        raise ValueError(f"{len(results)} results for {len(articles)} articles")
    done = [(r, a.text) for r, a in zip(results, articles, strict=True) if isinstance(r, Extraction)]
    problems = [{"origin": r.origin, "code": r.code, "message": r.message}
                for r in results if isinstance(r, InputProblem)]
    return encode_shard(shard_id, [r for r, _ in done], [t for _, t in done], fmt=fmt, input_digest=digest,
                        problems=problems)


def _encode(extractor: ExtractorLike, shard_id: str, articles: Sequence[ArticleInput], digest: str,
            fmt: ShardFormat) -> tuple[dict[str, bytes] | None, str | None]:
    try:
        return encode_results(shard_id, articles, extract_shard(list(articles), extractor), fmt, digest), None
    except Exception as err:  # reported per shard; the runner retries it
        return None, _describe(err)


# -- local: worker processes ---------------------------------------------------------------------


class _WorkerSlot:
    """The extractor of this worker process.

    ProcessPoolExecutor's initializer can only hand state to later tasks through the process
    itself, so this one slot is set once per worker process (never in the driver).
    """

    extractor: ExtractorLike | None = None
    error: str | None = None


def _exit_with_parent(period: float = 1.0) -> None:
    """End this worker when the process that started it is gone (``kill -9`` of an ingest leaves its
    workers waiting for tasks forever otherwise): a daemon thread watches the parent's pid."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(period)
        os._exit(1)

    threading.Thread(target=watch, name="newsgraph-parent-watch", daemon=True).start()


def _init_local_worker(settings: Settings, factory: ExtractorFactory) -> None:
    _exit_with_parent()
    # An exception here would only show up as an anonymous "broken pool"; keep it to report per shard.
    try:
        _WorkerSlot.extractor = factory(settings)
    except Exception as err:
        _WorkerSlot.error = f"worker could not build the extractor: {_describe(err)}"


def _run_local_shard(shard_id: str, articles: Sequence[ArticleInput], digest: str, fmt: ShardFormat
                     ) -> tuple[dict[str, bytes] | None, str | None]:
    if _WorkerSlot.extractor is None:
        return None, _WorkerSlot.error or "worker has no extractor (initializer did not run)"
    return _encode(_WorkerSlot.extractor, shard_id, articles, digest, fmt)


def _run_local_articles(articles: Sequence[ArticleInput]) -> list[ExtractResult]:
    if _WorkerSlot.extractor is None:
        raise RuntimeError(_WorkerSlot.error or "worker has no extractor (initializer did not run)")
    return list(extract_each(_WorkerSlot.extractor, articles))


class LocalEngine:
    """Worker processes on this machine (``spawn``: no inherited threads, locks or loaded models).

    ``run`` extracts shards into their files (``newsgraph batch``); ``map`` streams groups of articles
    through the same workers and returns their results in input order (``extract`` and ``ingest``).
    """

    name = "local"

    def __init__(self, settings: Settings, workers: int, factory: ExtractorFactory,
                 fmt: ShardFormat = "parquet", start_method: str = "spawn") -> None:
        self.settings = settings
        self.workers = max(1, workers)
        self.factory = factory
        self.fmt = fmt
        self.start_method = start_method
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context(self.start_method),
                initializer=_init_local_worker, initargs=(self.settings, self.factory))
        return self._pool

    def run(self, shards: Sequence[ShardSpec]) -> Iterator[ShardOutcome]:
        if not shards:
            return
        pool = self._executor()
        futures: dict[Future, str] = {
            pool.submit(_run_local_shard, s.shard_id, s.articles, s.digest, self.fmt): s.shard_id
            for s in shards}
        broken = False
        try:
            for fut in as_completed(futures):
                shard_id = futures[fut]
                try:
                    files, error = fut.result()
                except BrokenProcessPool as err:
                    broken = True
                    yield ShardOutcome(shard_id, error=f"worker process died: {err}")
                    continue
                except Exception as err:
                    yield ShardOutcome(shard_id, error=_describe(err))
                    continue
                yield ShardOutcome(shard_id, files=files, error=None if files is not None else error)
        finally:
            if broken:  # a dead worker breaks the whole pool; the next round starts a fresh one
                self.close()

    def map(self, groups: Iterable[Sequence[ArticleInput]], ahead: int | None = None
            ) -> Iterator[list[ExtractResult]]:
        """Each group's results, in the order the groups come, with at most ``ahead`` groups in flight.

        An extractor that cannot be built raises RuntimeError. When a worker dies (a native crash, the
        out-of-memory killer), the pool goes down with every unfinished task: those groups are redone one
        at a time in a fresh pool, a group that kills it again article by article, so only an article that
        kills its worker by itself is lost (as a ``worker-died`` problem).
        """
        ahead = max(1, ahead or 2 * self.workers)
        source = iter(groups)
        pending: deque[tuple[Sequence[ArticleInput], Future]] = deque()

        def fill() -> None:
            for group in source:
                pending.append((group, self._executor().submit(_run_local_articles, group)))
                if len(pending) >= ahead:
                    break

        fill()
        while pending:
            group, fut = pending.popleft()
            try:
                results = fut.result()
            except BrokenProcessPool:
                entries = [(group, fut), *pending]
                pending.clear()
                self.close()  # waits: every future of the old pool is now finished, failed or cancelled
                for g, f in entries:
                    done = f.done() and not f.cancelled() and f.exception() is None
                    yield f.result() if done else self._isolated(g)
                fill()
                continue
            yield results
            fill()

    def _isolated(self, group: Sequence[ArticleInput]) -> list[ExtractResult]:
        try:
            return self._executor().submit(_run_local_articles, group).result()
        except BrokenProcessPool as err:
            self.close()
            if len(group) > 1:
                return [r for article in group for r in self._isolated([article])]
            return [InputProblem(group[0].origin, f"the worker process died while extracting it ({err})",
                                 "worker-died")]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# -- Ray Data -------------------------------------------------------------------------------------


def import_ray() -> Any:
    # newsgraph never phones home: Ray's usage-statistics reporting is off unless the user turns it on.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as err:
        raise BatchError("--engine ray needs Ray Data: pip install 'newsgraph[ray]' "
                         "(or pip install 'ray[data]>=2.9')") from err
    return ray


def _pack(files: dict[str, bytes]) -> tuple[str, bytes]:
    """A shard's files as one JSON header (names and sizes) and one byte string, for a Ray Data row."""
    names = list(files)
    return json.dumps({"names": names, "sizes": [len(files[n]) for n in names]}), b"".join(files.values())


def _unpack(header: str, blob: bytes) -> dict[str, bytes]:
    meta = json.loads(header)
    files, at = {}, 0
    for name, size in zip(meta["names"], meta["sizes"], strict=True):
        files[name] = blob[at:at + size]
        at += size
    if at != len(blob):
        raise ValueError("shard payload does not match its header")
    return files


class RayShardWorker:
    """A Ray Data actor: builds the extractor once in its constructor, then extracts one shard per call."""

    def __init__(self, settings: Settings, factory: ExtractorFactory, fmt: ShardFormat) -> None:
        self.extractor = factory(settings)
        self.fmt = fmt

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        ids, headers, blobs, errors = [], [], [], []
        for shard_id, raw, digest in zip(batch["shard_id"], batch["articles"], batch["digest"], strict=True):
            articles = [ArticleInput(**a) for a in json.loads(str(raw))]
            files, error = _encode(self.extractor, str(shard_id), articles, str(digest), self.fmt)
            header, blob = _pack(files) if files is not None else ("", b"")
            ids.append(str(shard_id))
            headers.append(header)
            blobs.append(blob)
            errors.append(error or "")
        return {"shard_id": ids, "header": headers, "blob": blobs, "error": errors}


class RayEngine:
    """Ray Data ``map_batches`` over shards with an actor pool of ``workers`` actors (one CPU each)."""

    name = "ray"

    def __init__(self, settings: Settings, workers: int | None, factory: ExtractorFactory,
                 address: str | None = None, fmt: ShardFormat = "parquet") -> None:
        self.ray = import_ray()
        self.settings = settings
        self.factory = factory
        self.fmt = fmt
        self._started = False
        if not self.ray.is_initialized():
            if address:
                self.ray.init(address=address, log_to_driver=False)
            else:
                try:
                    self.ray.init(num_cpus=workers or None, include_dashboard=False, log_to_driver=False)
                    self._started = True
                except ValueError:  # RAY_ADDRESS names a running cluster, which takes no num_cpus: join it
                    self.ray.init(log_to_driver=False)
        cpus = int(self.ray.cluster_resources().get("CPU", 1))
        self.workers = max(1, workers or cpus)
        ctx = self.ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False

    def run(self, shards: Sequence[ShardSpec]) -> Iterator[ShardOutcome]:
        if not shards:
            return
        rd = self.ray.data
        items = [{"shard_id": s.shard_id, "digest": s.digest,
                  "articles": json.dumps([dataclasses.asdict(a) for a in s.articles], ensure_ascii=False)}
                 for s in shards]
        ds = rd.from_items(items, override_num_blocks=len(items)).map_batches(
            RayShardWorker,
            fn_constructor_kwargs={"settings": self.settings, "factory": self.factory, "fmt": self.fmt},
            batch_size=1, batch_format="numpy", num_cpus=1,
            compute=rd.ActorPoolStrategy(size=min(self.workers, len(items))),
        )
        pending = {s.shard_id for s in shards}
        try:
            for row in ds.iter_rows():
                shard_id = str(row["shard_id"])
                pending.discard(shard_id)
                error = str(row["error"]) or None
                files = None
                if not error:
                    try:
                        files = _unpack(str(row["header"]), bytes(row["blob"]))
                    except ValueError as err:
                        error = f"bad shard payload from a worker: {err}"
                yield ShardOutcome(shard_id, files=files, error=error)
        except Exception as err:  # the dataset as a whole failed (e.g. actors kept dying): retry what is left
            message = f"Ray execution failed: {_describe(err)}"
            for shard_id in sorted(pending):
                yield ShardOutcome(shard_id, error=message)

    def close(self) -> None:
        if self._started and self.ray.is_initialized():
            self.ray.shutdown()
            self._started = False
