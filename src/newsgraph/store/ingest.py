"""Ingest: read inputs, skip what is stored already, extract (in parallel processes if asked), store.

Articles already in the store (same canonical URL or text hash) are skipped *before* extraction,
so a rerun after an interrupted ingest only extracts what is missing.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from newsgraph import __version__
from newsgraph.config import Settings
from newsgraph.contract import Extraction
from newsgraph.ingest.readers import ArticleInput, InputProblem
from newsgraph.store.store import IngestReport, Store

ExtractorFactory = Callable[[Settings], object]


@dataclass
class IngestSummary:
    report: IngestReport
    inputs: int = 0
    already_stored: int = 0  # skipped before extraction
    problems: int = 0

    @property
    def skipped(self) -> int:
        return self.already_stored + self.report.skipped


def _default_factory(settings: Settings) -> object:
    from newsgraph.extract.pipeline import Extractor

    return Extractor(settings)


class _Worker:
    """Per-process state of the extraction pool: the pipeline, loaded once by the initializer.

    A process pool can only hand state to its tasks through the worker process itself, hence
    this class-level slot (each worker process has its own copy)."""

    extractor: object | None = None

    @classmethod
    def init(cls, settings: Settings, factory: ExtractorFactory) -> None:
        cls.extractor = factory(settings)

    @classmethod
    def run(cls, chunk: list[ArticleInput]) -> list[tuple[str, str]]:
        assert cls.extractor is not None
        results = cls.extractor.extract_many(chunk)  # type: ignore[attr-defined]
        return [
            (ex.model_dump_json(by_alias=True), article.text)
            for ex, article in zip(results, chunk, strict=True)
        ]


def _chunks(items: Iterable[ArticleInput], size: int) -> Iterator[list[ArticleInput]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def extract_stream(
    articles: Iterable[ArticleInput],
    settings: Settings,
    *,
    workers: int = 1,
    factory: ExtractorFactory | None = None,
) -> Iterator[tuple[Extraction, str]]:
    """(extraction, text) for each article, in input order."""
    factory = factory or _default_factory
    if workers <= 1:
        extractor = factory(settings)
        pending: deque[ArticleInput] = deque()

        def feed() -> Iterator[ArticleInput]:
            for article in articles:
                pending.append(article)
                yield article

        for ex in extractor.extract_many(feed(), batch_size=settings.batch_size):  # type: ignore[attr-defined]
            yield ex, pending.popleft().text
        return
    ctx = multiprocessing.get_context("spawn")
    chunk = max(1, min(settings.batch_size, 8))
    with ctx.Pool(workers, initializer=_Worker.init, initargs=(settings, factory)) as pool:
        for results in pool.imap(_Worker.run, _chunks(articles, chunk)):
            for payload, text in results:
                yield Extraction.model_validate_json(payload), text


def run_ingest(
    inputs: Iterable[ArticleInput | InputProblem],
    store: Store,
    settings: Settings,
    *,
    workers: int = 1,
    reprocess: bool = False,
    batch_size: int | None = None,
    on_problem: Callable[[InputProblem], None] | None = None,
    on_skip: Callable[[ArticleInput], None] | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
    factory: ExtractorFactory | None = None,
    coder_version: str = __version__,
) -> IngestSummary:
    summary = IngestSummary(report=IngestReport())

    def fresh() -> Iterator[ArticleInput]:
        for item in inputs:
            summary.inputs += 1
            if isinstance(item, InputProblem):
                summary.problems += 1
                if on_problem:
                    on_problem(item)
                continue
            if not store.needs_processing(
                url=item.url, text=item.text, coder_version=coder_version, reprocess=reprocess
            ):
                summary.already_stored += 1
                if on_skip:
                    on_skip(item)
                continue
            yield item

    stream = extract_stream(fresh(), settings, workers=workers, factory=factory)
    summary.report = store.add(
        stream, reprocess=reprocess, batch_size=batch_size or settings.batch_size, on_batch=on_batch
    )
    return summary
