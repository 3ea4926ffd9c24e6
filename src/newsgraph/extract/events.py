"""Event coding: who did what to whom (spaCy components ``newsgraph_quantities``, ``newsgraph_events``)."""


from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.extract.base import register_extensions


class QuantityExtractor:
    def __init__(self, nlp: Language, name: str) -> None:
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        doc._.ng_quantities = []
        return doc


class EventCoder:
    def __init__(self, nlp: Language, name: str, trigger_lexicons: list[str]) -> None:
        register_extensions()
        self.trigger_lexicons = trigger_lexicons

    def __call__(self, doc: Doc) -> Doc:
        doc._.ng_events = []
        return doc


@Language.factory("newsgraph_quantities")
def make_quantity_extractor(nlp: Language, name: str) -> QuantityExtractor:
    return QuantityExtractor(nlp, name)


@Language.factory("newsgraph_events", default_config={"trigger_lexicons": []})
def make_event_coder(nlp: Language, name: str, trigger_lexicons: list[str]) -> EventCoder:
    return EventCoder(nlp, name, trigger_lexicons)
