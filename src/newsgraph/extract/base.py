"""What the newsgraph pipeline components share: the per-document context and Doc extensions.

Each component reads and writes ``doc._.ng_*`` attributes, so components compose like any spaCy
pipeline and a user can add their own between them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc

from newsgraph.contract import Event, ExcludedSpan, ExtractionWarning, Quantity, Quote

EXTENSIONS = ("ng_article", "ng_actors", "ng_quotes", "ng_quantities", "ng_events", "ng_warnings")


def register_extensions() -> None:
    """Idempotent: spaCy extensions are class-level and may already be set by another pipeline."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


@dataclass
class ArticleContext:
    """What the components need to know about the article beyond its text."""

    article_id: str
    text_sha256: str | None = None
    published: dt.date | None = None
    # When ``published`` is unknown: bounds on the article's date from its own time expressions (a year
    # in the text), filled by the actor resolver (temporal.text_period); None when the text gives none.
    period: tuple[dt.date, dt.date] | None = None
    language: str | None = "en"
    title_span: tuple[int, int] | None = None
    body_start: int = 0
    dateline_place: str | None = None
    # Comments, related-stories lists, captions, bylines: no quote or event is taken from them.
    excluded: tuple[ExcludedSpan, ...] = ()
    warnings: list[ExtractionWarning] = field(default_factory=list)

    @property
    def analysable(self) -> bool:
        # only a positively detected other language is skipped; "und" (unknown, e.g. a short text) is analysed
        return self.language in (None, "en", "und")


def without_excluded(
    excluded: Sequence[ExcludedSpan], quotes: list[Quote], events: list[Event], quantities: list[Quantity]
) -> tuple[list[Quote], list[Event], list[Quantity]]:
    """The quotes, events and quantities that are the article's news: none that starts in an ``excluded``
    span (an event by its trigger), no event stated in a dropped quote, no further statement from there."""
    if not excluded:
        return quotes, events, quantities

    def out(offset: int) -> bool:
        return any(x.start <= offset < x.end for x in excluded)

    kept_quotes = [q for q in quotes if not out(q.start)]
    quote_ids = {q.id for q in kept_quotes}
    kept_events = []
    for ev in events:
        if out(ev.trigger.start) or (ev.quote is not None and ev.quote not in quote_ids):
            continue
        also = [a for a in ev.also_evidence if not out(a.start)]
        if len(also) < len(ev.also_evidence):
            ev = ev.model_copy(update={"also_evidence": also})
        kept_events.append(ev)
    linked = {qid for ev in kept_events for qid in ev.quantities}
    kept_quantities = [n for n in quantities if n.id in linked or not out(n.start)]
    return kept_quotes, kept_events, kept_quantities


def context_of(doc: Doc) -> ArticleContext:
    ctx = doc._.ng_article
    if ctx is None:  # a Doc made outside the Extractor (e.g. nlp("...") in a test): analyse it as English
        ctx = ArticleContext(article_id="doc")
        doc._.ng_article = ctx
    return ctx
