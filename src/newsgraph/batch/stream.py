"""Extraction of a stream of articles on all cores, results in input order (``extract`` and ``ingest``).

The batch engine's worker processes (``LocalEngine.map``) take groups of articles; the driver reads ahead
only as far as the workers need, so memory stays bounded on any input, and yields each article's result
in input order, so the output does not depend on the number of workers. A short input (a single article,
or no more than one group) is extracted in this process: starting a worker costs a model load.
"""

from __future__ import annotations

import itertools
import math
import os
from collections import deque
from collections.abc import Iterable, Iterator

from newsgraph.config import Settings
from newsgraph.contract import Extraction
from newsgraph.ingest.readers import ArticleInput, InputProblem

from .core import ExtractorFactory, default_extractor_factory, extract_each
from .engines import LocalEngine

GROUP = 8  # articles per task: small enough to keep every worker busy, large enough for nlp.pipe

StreamItem = tuple[ArticleInput, Extraction] | InputProblem
"""An article with its extraction, or a problem naming an input (unreadable, or failed to extract)."""


def default_workers() -> int:
    """The cores this process may run on (its CPU affinity, which a container or taskset narrows)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def extract_stream(items: Iterable[ArticleInput | InputProblem], settings: Settings, *,
                   workers: int | None = None, factory: ExtractorFactory = default_extractor_factory,
                   group: int = GROUP, engine: LocalEngine | None = None) -> Iterator[StreamItem]:
    """Every article's extraction (or problem), in input order; input problems pass through as they come.

    ``workers`` defaults to the machine's cores. ``engine`` may be passed in (then it is not closed here).
    """
    workers = max(1, workers or default_workers())
    pending: list[InputProblem] = []  # problems met while reading, handed on at the next chance
    articles = _split(items, pending)
    head = list(itertools.islice(articles, workers * group + 1))
    stream = itertools.chain(head, articles)
    if not head:  # nothing to extract: no model to load
        yield from _drain(pending)
        return
    if len(head) <= group or workers == 1:
        extractor = factory(settings)
        for batch in _groups(stream, group):
            yield from _drain(pending)
            for article, result in zip(batch, extract_each(extractor, batch, group), strict=True):
                yield _item(article, result)
        yield from _drain(pending)
        return
    if len(head) <= workers * group:  # the whole input is known: spread it over every worker
        group = max(1, math.ceil(len(head) / workers))
    own = engine is None
    engine = engine or LocalEngine(settings, workers, factory)
    sent: deque[list[ArticleInput]] = deque()

    def groups() -> Iterator[list[ArticleInput]]:
        for batch in _groups(stream, group):
            sent.append(batch)
            yield batch

    try:
        for results in engine.map(groups()):
            yield from _drain(pending)
            for article, result in zip(sent.popleft(), results, strict=True):
                yield _item(article, result)
        yield from _drain(pending)
    finally:
        if own:
            engine.close()


def _split(items: Iterable[ArticleInput | InputProblem], problems: list[InputProblem]
           ) -> Iterator[ArticleInput]:
    for item in items:
        if isinstance(item, InputProblem):
            problems.append(item)
        else:
            yield item


def _drain(problems: list[InputProblem]) -> Iterator[InputProblem]:
    while problems:
        yield problems.pop(0)


def _groups(articles: Iterable[ArticleInput], size: int) -> Iterator[list[ArticleInput]]:
    it = iter(articles)
    while group := list(itertools.islice(it, size)):
        yield group


def _item(article: ArticleInput, result: Extraction | InputProblem) -> StreamItem:
    return result if isinstance(result, InputProblem) else (article, result)
