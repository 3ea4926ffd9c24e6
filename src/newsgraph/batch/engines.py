"""Engines run ``extract_shard`` over many shards: worker processes on one machine, or Ray Data.

Both build the extractor once per worker (process initializer / actor constructor) from the
picklable ``Settings`` and factory, so the spaCy pipeline is never shipped between processes.
Workers return extraction JSON; the driver validates it and writes the shards. A shard whose
extraction raises comes back as an error outcome instead of failing the run, so the runner can
retry it and report it.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Protocol

from newsgraph.config import Settings
from newsgraph.contract import Extraction
from newsgraph.ingest.readers import ArticleInput

from .core import BatchError, ExtractorFactory, ExtractorLike, ShardSpec, extract_shard


@dataclass
class ShardOutcome:
    shard_id: str
    extractions: list[Extraction] | None = None
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


def _extract_payload(extractor: ExtractorLike, articles: Sequence[ArticleInput]
                     ) -> tuple[list[dict] | None, str | None]:
    try:
        return [ex.to_json_dict() for ex in extract_shard(list(articles), extractor)], None
    except Exception as err:  # reported per shard; the runner retries it
        return None, _describe(err)


def _outcome(shard_id: str, payload: list[dict] | None, error: str | None) -> ShardOutcome:
    if error is not None or payload is None:
        return ShardOutcome(shard_id, error=error or "worker returned nothing")
    try:
        return ShardOutcome(shard_id, extractions=[Extraction.model_validate(d) for d in payload])
    except ValueError as err:
        return ShardOutcome(shard_id, error=f"worker returned an invalid extraction: {err}")


# -- local: worker processes ---------------------------------------------------------------------


class _WorkerSlot:
    """The extractor of this worker process.

    ProcessPoolExecutor's initializer can only hand state to later tasks through the process
    itself, so this one slot is set once per worker process (never in the driver).
    """

    extractor: ExtractorLike | None = None
    error: str | None = None


def _init_local_worker(settings: Settings, factory: ExtractorFactory) -> None:
    # An exception here would only show up as an anonymous "broken pool"; keep it to report per shard.
    try:
        _WorkerSlot.extractor = factory(settings)
    except Exception as err:
        _WorkerSlot.error = f"worker could not build the extractor: {_describe(err)}"


def _run_local_shard(articles: Sequence[ArticleInput]) -> tuple[list[dict] | None, str | None]:
    if _WorkerSlot.extractor is None:
        return None, _WorkerSlot.error or "worker has no extractor (initializer did not run)"
    return _extract_payload(_WorkerSlot.extractor, articles)


class LocalEngine:
    """Worker processes on this machine (``spawn``: no inherited threads, locks or loaded models)."""

    name = "local"

    def __init__(self, settings: Settings, workers: int, factory: ExtractorFactory,
                 start_method: str = "spawn") -> None:
        self.settings = settings
        self.workers = max(1, workers)
        self.factory = factory
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
        futures: dict[Future, str] = {pool.submit(_run_local_shard, s.articles): s.shard_id for s in shards}
        broken = False
        try:
            for fut in as_completed(futures):
                shard_id = futures[fut]
                try:
                    payload, error = fut.result()
                except BrokenProcessPool as err:
                    broken = True
                    yield ShardOutcome(shard_id, error=f"worker process died: {err}")
                    continue
                except Exception as err:
                    yield ShardOutcome(shard_id, error=_describe(err))
                    continue
                yield _outcome(shard_id, payload, error)
        finally:
            if broken:  # a dead worker breaks the whole pool; the next round starts a fresh one
                self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# -- Ray Data -------------------------------------------------------------------------------------


def import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as err:
        raise BatchError("--engine ray needs Ray Data: pip install 'newsgraph[ray]' "
                         "(or pip install 'ray[data]>=2.9')") from err
    return ray


class RayShardWorker:
    """A Ray Data actor: builds the extractor once in its constructor, then extracts one shard per call."""

    def __init__(self, settings: Settings, factory: ExtractorFactory) -> None:
        self.extractor = factory(settings)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        ids, payloads, errors = [], [], []
        for shard_id, raw in zip(batch["shard_id"], batch["articles"], strict=True):
            articles = [ArticleInput(**a) for a in json.loads(str(raw))]
            payload, error = _extract_payload(self.extractor, articles)
            ids.append(str(shard_id))
            payloads.append(json.dumps(payload) if payload is not None else "")
            errors.append(error or "")
        return {"shard_id": ids, "payload": payloads, "error": errors}


class RayEngine:
    """Ray Data ``map_batches`` over shards with an actor pool of ``workers`` actors (one CPU each)."""

    name = "ray"

    def __init__(self, settings: Settings, workers: int | None, factory: ExtractorFactory,
                 address: str | None = None) -> None:
        self.ray = import_ray()
        self.settings = settings
        self.factory = factory
        self._started = False
        if not self.ray.is_initialized():
            if address:
                self.ray.init(address=address, log_to_driver=False)
            else:
                self.ray.init(num_cpus=workers or None, include_dashboard=False, log_to_driver=False)
                self._started = True
        cpus = int(self.ray.cluster_resources().get("CPU", 1))
        self.workers = max(1, workers or cpus)
        ctx = self.ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False

    def run(self, shards: Sequence[ShardSpec]) -> Iterator[ShardOutcome]:
        if not shards:
            return
        rd = self.ray.data
        items = [{"shard_id": s.shard_id,
                  "articles": json.dumps([dataclasses.asdict(a) for a in s.articles], ensure_ascii=False)}
                 for s in shards]
        ds = rd.from_items(items, override_num_blocks=len(items)).map_batches(
            RayShardWorker,
            fn_constructor_kwargs={"settings": self.settings, "factory": self.factory},
            batch_size=1, batch_format="numpy", num_cpus=1,
            compute=rd.ActorPoolStrategy(size=min(self.workers, len(items))),
        )
        pending = {s.shard_id for s in shards}
        try:
            for row in ds.iter_rows():
                shard_id = str(row["shard_id"])
                pending.discard(shard_id)
                error = str(row["error"]) or None
                payload = json.loads(str(row["payload"])) if not error else None
                yield _outcome(shard_id, payload, error)
        except Exception as err:  # the dataset as a whole failed (e.g. actors kept dying): retry what is left
            message = f"Ray execution failed: {_describe(err)}"
            for shard_id in sorted(pending):
                yield ShardOutcome(shard_id, error=message)

    def close(self) -> None:
        if self._started and self.ray.is_initialized():
            self.ray.shutdown()
            self._started = False
