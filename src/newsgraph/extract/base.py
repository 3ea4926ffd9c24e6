"""What the newsgraph pipeline components share: the per-document context and Doc extensions.

Each component reads and writes ``doc._.ng_*`` attributes, so components compose like any spaCy
pipeline and a user can add their own between them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Doc

from newsgraph.contract import ExtractionWarning

EXTENSIONS = (
    "ng_article", "ng_actors", "ng_quotes", "ng_quantities", "ng_events", "ng_places", "ng_warnings"
)


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
    warnings: list[ExtractionWarning] = field(default_factory=list)

    @property
    def analysable(self) -> bool:
        # only a positively detected other language is skipped; "und" (unknown, e.g. a short text) is analysed
        return self.language in (None, "en", "und")


def context_of(doc: Doc) -> ArticleContext:
    ctx = doc._.ng_article
    if ctx is None:  # a Doc made outside the Extractor (e.g. nlp("...") in a test): analyse it as English
        ctx = ArticleContext(article_id="doc")
        doc._.ng_article = ctx
    return ctx
