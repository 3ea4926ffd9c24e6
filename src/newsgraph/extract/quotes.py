"""Quotations and reported speech (spaCy component ``newsgraph_quotes``).

No `from __future__ import annotations` here: spaCy validates factory signatures at run time.
The work is done in quote_marks (direct quotations by their marks), quote_frames (reporting cues in
the parse) and quote_attribution (linking, speakers, output); the cue lexicon is quote_lexicon.
"""

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.contract import ExtractionWarning
from newsgraph.extract.actor_table import ActorTable
from newsgraph.extract.base import context_of, register_extensions
from newsgraph.extract.quote_attribution import QuoteBuilder
from newsgraph.extract.quote_lexicon import load_lexicon


class QuoteExtractor:
    def __init__(self, nlp: Language, name: str, reporting_lexicons: list[str]) -> None:
        register_extensions()
        self.reporting_lexicons = reporting_lexicons
        self.lexicon = load_lexicon(reporting_lexicons)

    def __call__(self, doc: Doc) -> Doc:
        doc._.ng_quotes = []
        if not context_of(doc).analysable:
            return doc
        table = doc._.ng_actors
        if table is None:
            table = doc._.ng_actors = ActorTable()
        builder = QuoteBuilder(doc, table, self.lexicon, context_of(doc).title_span)
        doc._.ng_quotes = builder.build()
        if builder.warnings:
            warnings = doc._.ng_warnings if doc._.ng_warnings is not None else []
            warnings.extend(ExtractionWarning(code="quote-marks", message=m) for m in builder.warnings)
            doc._.ng_warnings = warnings
        return doc


@Language.factory("newsgraph_quotes", default_config={"reporting_lexicons": []})
def make_quote_extractor(nlp: Language, name: str, reporting_lexicons: list[str]) -> QuoteExtractor:
    return QuoteExtractor(nlp, name, reporting_lexicons)
