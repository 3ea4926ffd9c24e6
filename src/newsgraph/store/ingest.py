"""Ingest: read inputs, skip what is stored already, extract (on every core by default), store.

Articles already in the store (same canonical URL or text hash) are skipped *before* extraction,
so a rerun after an interrupted ingest only extracts what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from newsgraph import __version__
from newsgraph.config import Settings
from newsgraph.contract import Extraction, ExtractionWarning
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


def run_ingest(
    inputs: Iterable[ArticleInput | InputProblem],
    store: Store,
    settings: Settings,
    *,
    workers: int | None = None,
    reprocess: bool = False,
    batch_size: int | None = None,
    on_problem: Callable[[InputProblem], None] | None = None,
    on_skip: Callable[[ArticleInput], None] | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
    on_warning: Callable[[ArticleInput, ExtractionWarning], None] | None = None,
    factory: ExtractorFactory | None = None,
    coder_version: str = __version__,
) -> IngestSummary:
    """Extract and store every article of ``inputs`` that is not stored yet; ``workers`` defaults to the
    machine's cores (see ``newsgraph.batch.stream``). Unreadable inputs and articles that fail to extract
    go to ``on_problem`` and the rest goes on; what an extraction warns about goes to ``on_warning``."""
    from newsgraph.batch.core import default_extractor_factory
    from newsgraph.batch.stream import extract_stream

    summary = IngestSummary(report=IngestReport())

    def fresh() -> Iterator[ArticleInput | InputProblem]:
        for item in inputs:
            summary.inputs += 1
            if isinstance(item, ArticleInput) and not store.needs_processing(
                url=item.url, text=item.text, coder_version=coder_version, reprocess=reprocess
            ):
                summary.already_stored += 1
                if on_skip:
                    on_skip(item)
                continue
            yield item

    def extracted() -> Iterator[tuple[Extraction, str]]:
        make = factory or default_extractor_factory
        for item in extract_stream(fresh(), settings, workers=workers, factory=make):
            if isinstance(item, InputProblem):
                summary.problems += 1
                if on_problem:
                    on_problem(item)
                continue
            article, extraction = item
            if on_warning:
                for warning in extraction.warnings:
                    on_warning(article, warning)
            yield extraction, article.text

    summary.report = store.add(
        extracted(), reprocess=reprocess, batch_size=batch_size or settings.batch_size, on_batch=on_batch
    )
    return summary
