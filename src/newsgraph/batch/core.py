"""The batch core: where articles come from, how they are cut into shards, and a shard's extraction.

Sharding is deterministic: inputs are listed in sorted order, articles are numbered by their
position in that listing, and shard *k* holds articles ``k*size … (k+1)*size - 1``. A rerun over
the same input therefore maps the same articles to the same shard ids, which is what lets it skip
shards already written. Each shard records a digest of its articles so a rerun notices when the
input changed underneath it instead of silently mixing two inputs.
"""

from __future__ import annotations

import glob
import hashlib
import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from newsgraph.config import Settings
from newsgraph.contract import Extraction
from newsgraph.ingest.readers import ArticleInput, InputProblem, iter_inputs

from .shards import shard_name

_GLOB_CHARS = set("*?[")


class BatchError(Exception):
    """A batch cannot start: bad input or output, a missing optional dependency, a busy output."""


class ExtractorLike(Protocol):
    def extract_many(self, articles: Iterable[ArticleInput]) -> Iterator[Extraction]: ...


ExtractorFactory = Callable[[Settings], ExtractorLike]
"""Builds the extractor inside a worker. Must be picklable (a module-level function)."""


def default_extractor_factory(settings: Settings) -> ExtractorLike:
    from newsgraph.extract.pipeline import Extractor

    return Extractor(settings)


ExtractResult = Extraction | InputProblem
"""An article's extraction, or the problem that kept it from being extracted (named after its input)."""


def extract_each(extractor: ExtractorLike, articles: Iterable[ArticleInput], group: int = 8
                 ) -> Iterator[ExtractResult]:
    """One result per article, in input order; an article whose extraction raises becomes its problem.

    Articles go to the extractor ``group`` at a time (``nlp.pipe`` batches them); a group that raises
    is redone one article at a time, so one bad article costs only itself and the rest go on.
    """
    it = iter(articles)
    while batch := list(itertools.islice(it, max(1, group))):
        try:
            results: list[ExtractResult] = list(extractor.extract_many(batch))
            if len(results) != len(batch):
                raise RuntimeError(f"extractor returned {len(results)} extractions for {len(batch)} articles")
        except Exception:
            results = [_extract_one(extractor, article) for article in batch]
        yield from results


def _extract_one(extractor: ExtractorLike, article: ArticleInput) -> ExtractResult:
    try:
        return next(iter(extractor.extract_many([article])))
    except Exception as err:  # whatever the pipeline raised, it is this article's problem only
        detail = " ".join(str(err).split())
        detail = detail if len(detail) <= 300 else detail[:297] + "..."
        return InputProblem(article.origin, f"extraction failed: {type(err).__name__}: {detail}",
                            "extract-failed")


def extract_shard(articles: list[ArticleInput], extractor: ExtractorLike) -> list[ExtractResult]:
    """Results for one shard's articles, in input order (see ``extract_each``).

    Pure and repeatable: the result depends only on the articles and the extractor's pipeline
    (which carries the coder and model version stamped on every extraction), not on which
    worker or engine runs it, nor on what it ran before.
    """
    return list(extract_each(extractor, articles))


@dataclass(frozen=True)
class ShardSpec:
    """One planned shard: its id, position and articles, and a digest of those articles."""

    shard_id: str
    index: int
    articles: tuple[ArticleInput, ...]
    digest: str


def input_digest(articles: Iterable[ArticleInput]) -> str:
    """sha256 over each article's id and text: equal digests mean the same shard input."""
    h = hashlib.sha256()
    for art in articles:
        h.update((art.id or "").encode("utf-8"))
        h.update(b"\x00")
        h.update(hashlib.sha256(art.text.encode("utf-8")).digest())
    return h.hexdigest()


def plan_shards(items: Iterable[ArticleInput | InputProblem], shard_size: int,
                on_problem: Callable[[InputProblem], None] | None = None) -> Iterator[ShardSpec]:
    """Cut the articles into shards of ``shard_size``; problems go to ``on_problem``, take no position."""
    if shard_size < 1:
        raise ValueError("shard size must be at least 1")
    index = 0
    current: list[ArticleInput] = []
    for item in items:
        if isinstance(item, InputProblem):
            if on_problem is not None:
                on_problem(item)
            continue
        current.append(item)
        if len(current) == shard_size:
            yield ShardSpec(shard_name(index), index, tuple(current), input_digest(current))
            index += 1
            current = []
    if current:
        yield ShardSpec(shard_name(index), index, tuple(current), input_digest(current))


def is_url(source: str) -> bool:
    return "://" in source and not source.startswith("file://")


def iter_batch_inputs(source: str, settings: Settings) -> Iterator[ArticleInput | InputProblem]:
    """Articles from a directory, a file, a glob pattern, or an fsspec URL, in sorted listing order."""
    if is_url(source):
        yield from _iter_fsspec(source, settings)
        return
    source = source.removeprefix("file://")
    if _GLOB_CHARS & set(source):
        files = sorted(p for p in glob.glob(source, recursive=True) if Path(p).is_file())
        if not files:
            raise BatchError(f"no files match {source!r}")
        yield from iter_inputs(files, settings)
        return
    if not Path(source).exists():
        raise BatchError(f"no such file or directory: {source}")
    yield from iter_inputs([source], settings)


def _iter_fsspec(url: str, settings: Settings) -> Iterator[ArticleInput | InputProblem]:
    try:
        import fsspec
    except ImportError as err:
        raise BatchError(f"reading {url} needs fsspec and the driver for its scheme "
                         "(e.g. `pip install fsspec s3fs` for s3://, gcsfs for gs://)") from err
    try:
        fs, _token, paths = fsspec.get_fs_token_paths(url)
    except (ImportError, ValueError) as err:
        scheme = url.split("://", 1)[0]
        raise BatchError(f"cannot open {url}: {err} (is the fsspec driver for {scheme}:// installed?)"
                         ) from err
    files: set[str] = set()
    for path in paths:
        if fs.isdir(path):
            files.update(p for p in fs.find(path) if not fs.isdir(p))
        elif fs.exists(path):
            files.add(path)
    files = {f for f in files if not PurePosixPath(f).name.startswith(".")}
    if not files:
        raise BatchError(f"no files found at {url}")
    # Each remote file is copied to a private temporary file so that it is read exactly like a local one.
    with tempfile.TemporaryDirectory(prefix="newsgraph-batch-") as tmp:
        for remote in sorted(files):
            local = Path(tmp) / PurePosixPath(remote).name
            fs.get(remote, str(local))
            origin = fs.unstrip_protocol(remote)
            for item in iter_inputs([str(local)], settings):
                item.origin = item.origin.replace(str(local), origin, 1)
                yield item
            local.unlink(missing_ok=True)
