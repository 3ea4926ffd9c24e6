"""Quotations and reported speech (spaCy component ``newsgraph_quotes``)."""


from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.extract.base import register_extensions


class QuoteExtractor:
    def __init__(self, nlp: Language, name: str, reporting_lexicons: list[str]) -> None:
        register_extensions()
        self.reporting_lexicons = reporting_lexicons

    def __call__(self, doc: Doc) -> Doc:
        doc._.ng_quotes = []
        return doc


@Language.factory("newsgraph_quotes", default_config={"reporting_lexicons": []})
def make_quote_extractor(nlp: Language, name: str, reporting_lexicons: list[str]) -> QuoteExtractor:
    return QuoteExtractor(nlp, name, reporting_lexicons)
