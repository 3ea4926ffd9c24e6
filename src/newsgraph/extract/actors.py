"""Actor resolution: who is who in an article (spaCy component ``newsgraph_actors``).

No `from __future__ import annotations` here: spaCy validates factory signatures at run time.

First version: named entities grouped by name, later surnames linked to the full name.
The knowledge-base-backed resolver replaces the body of ``ActorResolver.__call__``.
"""


from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.contract import Actor
from newsgraph.extract.actor_table import ActorTable
from newsgraph.extract.base import context_of, register_extensions

_KINDS = {"PERSON": "person", "GPE": "state", "ORG": "organization", "NORP": "group"}


class ActorResolver:
    def __init__(self, nlp: Language, name: str, actor_dictionaries: list[str]) -> None:
        register_extensions()
        self.actor_dictionaries = actor_dictionaries

    def __call__(self, doc: Doc) -> Doc:
        table = ActorTable()
        doc._.ng_actors = table
        if not context_of(doc).analysable:
            return doc
        by_name: dict[str, str] = {}
        for ent in doc.ents:
            kind = _KINDS.get(ent.label_)
            if kind is None:
                continue
            key = ent.text
            actor_id = by_name.get(key)
            if actor_id is None and kind == "person":
                actor_id = next((a for n, a in by_name.items() if n.split()[-1] == key.split()[-1]), None)
            if actor_id is None:
                actor_id = table.add(Actor(id="", name=ent.text, kind=kind))
                by_name[key] = actor_id
            table.add_mention(doc, actor_id, ent.start, ent.end, "name")
        return doc


@Language.factory("newsgraph_actors", default_config={"actor_dictionaries": []})
def make_actor_resolver(nlp: Language, name: str, actor_dictionaries: list[str]) -> ActorResolver:
    return ActorResolver(nlp, name, actor_dictionaries)
