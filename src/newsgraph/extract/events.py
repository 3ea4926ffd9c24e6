"""Event coding: who did what to whom (spaCy components ``newsgraph_quantities``, ``newsgraph_events``).

No `from __future__ import annotations` here: spaCy validates factory signatures at run time.

Triggers come from the trigger lexicon (data), arguments from the dependency parse (event_args), actors
from the actor table, claims from the quotes: an event stated inside a quotation or reported-speech content
is attributed to its speaker. Every event carries its trigger and evidence spans; repeated statements of
the same event are merged into one with further evidence.
"""

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.contract import Actor, Event, ImpliedArgument, Quantity, Quote, TextSpan
from newsgraph.extract.actor_table import ActorTable
from newsgraph.extract.base import context_of, register_extensions
from newsgraph.extract.event_args import PLACE_TARGET_TYPES, ArgumentFinder, Arguments
from newsgraph.extract.event_candidates import Candidate, evaluation_candidates, sentence_candidates
from newsgraph.extract.event_features import (
    ValenceLexicon,
    candidate_features,
    candidate_vector,
    inside,
    quote_spans,
)
from newsgraph.extract.event_lexicon import TriggerEntry, TriggerLexicon, load_trigger_lexicon
from newsgraph.extract.event_modality import modality, modality_features, polarity
from newsgraph.extract.event_model import BUNDLED_DIR, NONE, EventModel
from newsgraph.extract.event_ontology import Ontology, load_ontology
from newsgraph.extract.quantities import find_quantities
from newsgraph.extract.temporal import resolve_date
from newsgraph.kb import KnowledgeBase

_PREPS = {"of", "for", "to", "in", "on", "from", "with", "against", "by", "between", "into", "over"}
_PARTICLES = {
    "in",
    "on",
    "for",
    "off",
    "up",
    "down",
    "out",
    "back",
    "over",
    "away",
    "to",
    "with",
    "into",
    "against",
    "around",
    "behind",
    "aside",
    "by",
    "from",
    "at",
    "of",
    "upon",
}
_SPLIT_PARTICLES = ("out", "away", "back", "off", "down")
# the acts a promise can be of: cooperative ones make it an AGREE, hostile ones a THREATEN
_COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"})
_HOSTILE = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"})
# the acts a pledge promises for later; a pledge of support is itself the verbal act ("pledged his full
# support for the plan": SUPPORT, as PLV codes it), a pledge of aid or talks an AGREE
_PLEDGED_FOR_LATER = (_COOPERATIVE - {"SUPPORT"}) | _HOSTILE
_LOCATION_PREPS = ("in", "at", "near", "outside", "inside", "across", "along")
_CONTEXT_WORDS = {
    "military": {
        "missile",
        "munition",
        "weapon",
        "arm",
        "artillery",
        "ammunition",
        "troop",
        "drone",
        "tank",
        "rocket",
        "shell",
        "soldier",
        "warship",
        "jet",
        "aircraft",
        "military",
        "coalition",  # "coalition strikes against X": in news a coalition that strikes is an armed one
        "defense",
        "defence",
        "bomb",
        "gun",
        "rifle",
        "force",
        "army",
        "convoy",
        "checkpoint",
        "outpost",
        "garrison",
        "barracks",
        "airstrike",
        "warplane",
        "militia",
        "militant",
        "insurgent",
        "gunman",
        "navy",
        "naval",
        "battalion",
    },
    "economic": {
        "money",
        "loan",
        "fund",
        "dollar",
        "euro",
        "credit",
        "investment",
        "trade",
        "economic",
        "financial",
        "currency",
        "cash",
        "tariff",
        "export",
        "import",
        "oil",
        "gas",
        "energy",
    },
    "humanitarian": {
        "food",
        "medicine",
        "medical",
        "humanitarian",
        "relief",
        "refugee",
        "shelter",
        "water",
        "tent",
        "blanket",
        "vaccine",
    },
}
_CAMEO_BY_CONTEXT = {("070", "military"): "072", ("070", "economic"): "071", ("070", "humanitarian"): "073"}


@dataclass
class _Found:
    trigger: Token
    tokens: list[Token]
    entry: TriggerEntry
    args: Arguments
    polarity: str = "positive"
    modality: str = "actual"
    in_title: bool = False
    quote: Quote | None = None
    quantities: list[str] = field(default_factory=list)
    evidence: tuple[int, int] = (0, 0)
    also: list[tuple[int, int, int, int]] = field(default_factory=list)  # trigger and evidence char spans
    probability: float | None = None  # the event model's calibrated probability of the type
    promised: str | None = None  # the act a promise or threat is of, when the model typed the act


# Nouns that introduce a place's name: "the town of Samarra", "the Iraqi city of Basra".
_PLACE_NOUNS = frozenset({"town", "city", "village", "capital", "province", "region", "district", "area",
                          "sector", "suburb", "outskirts", "neighbourhood", "neighborhood", "port", "state",
                          "county", "enclave", "camp", "border", "part", "centre", "center", "heart"})


def _place_named(tok: Token, depth: int = 3, named: bool = False) -> Token | None:
    """The place a preposition's object names: itself when it is a place entity, else the place a place
    noun introduces ("near the town of Samarra", "outside of the city of Basra", "in a sector of Beirut")."""
    if tok.dep_ == "prep" and tok.lower_ == "of" and depth > 0:  # "outside of X"
        return next((p for o in tok.children if (p := _place_named(o, depth - 1)) is not None), None)
    if tok.dep_ != "pobj":
        return None
    if tok.ent_type_ in ("GPE", "LOC", "FAC"):
        return tok
    if named and tok.pos_ == "PROPN" and tok.ent_type_ not in ("PERSON", "ORG"):
        return tok  # "the town of Samarra", whatever label the model gives the name
    if depth > 0 and tok.lemma_.lower() in _PLACE_NOUNS:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "in"):
                named_by = c.lower_ == "of"
                found = next(
                    (p for o in c.children if (p := _place_named(o, depth - 1, named_by)) is not None), None
                )
                if found is not None:
                    return found
    return None


# per token of a document: may it carry a trigger; its (lower-cased lemma, lower-cased word)
_Candidates = tuple[list[bool], list[tuple[str, str]]]


def _entity_text(tok: Token) -> str:
    """The text of the named entity a token is part of (its own text outside entities), read from the IOB
    tags: cheaper than searching ``doc.ents``, which spaCy rebuilds on every access."""
    if not tok.ent_type_:
        return tok.text
    doc = tok.doc
    start, end = tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end].text


class QuantityExtractor:
    def __init__(self, nlp: Language, name: str) -> None:
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        doc._.ng_quantities = []
        if not context_of(doc).analysable:
            return doc
        out: list[Quantity] = []
        for k, match in enumerate(find_quantities(doc), start=1):
            out.append(match.quantity.model_copy(update={"id": f"n{k}"}))
        doc._.ng_quantities = out
        return doc


class EventCoder:
    def __init__(
        self, nlp: Language, name: str, trigger_lexicons: list[str], kb: KnowledgeBase | None = None,
        event_model: str = "bundled", event_threshold: float | None = None,
    ) -> None:
        register_extensions()
        self.trigger_lexicons = trigger_lexicons
        # "bundled": the trained model shipped in the package; a directory: another trained model;
        # "lexicon": the trigger lexicon decides alone (the rule-based baseline); "none": candidates only
        self.event_model_name = event_model
        self.model: EventModel | None = None
        if event_model not in ("lexicon", "none"):
            directory = BUNDLED_DIR if event_model == "bundled" else Path(event_model)
            self.model = EventModel.load(directory, event_threshold)
        self.lexicon: TriggerLexicon = load_trigger_lexicon(trigger_lexicons)
        self.ontology: Ontology = load_ontology()
        # the actor resolver's knowledge base (with the user's actor dictionaries) when it is in the pipeline:
        # loading the KB again would cost about a second per pipeline and miss the user's entries
        self.kb = kb if kb is not None else KnowledgeBase.load()
        self._head_words = frozenset(head for head, _ in self.lexicon.by_head)
        self.valence = ValenceLexicon.load()
        self._head_cache: dict[int, tuple[str, bool]] = {}

    # ---- trigger matching ----------------------------------------------------------------------------
    def _related(self, tok: Token, depth: int = 3) -> list[Token]:
        """Dependents that can complete a phrasal trigger, not crossing into other clauses."""
        out: list[Token] = []
        frontier = [tok]
        for _ in range(depth):
            nxt = []
            for t in frontier:
                for c in t.children:
                    if c.dep_ in (
                        "ccomp",
                        "relcl",
                        "advcl",
                        "parataxis",
                        "conj",
                        "cc",
                        "punct",
                        "nsubj",
                        "nsubjpass",
                    ):
                        continue
                    out.append(c)
                    nxt.append(c)
            frontier = nxt
        return out

    @staticmethod
    def _particle_of(r: Token, head: Token) -> bool:
        """A particle or preposition completes a phrasal verb only right after it ("give in", "call for")
        or as its particle ("called the strike off")."""
        if r.head.i != head.i:
            return False
        if r.dep_ == "prep" and r.lower_ in _SPLIT_PARTICLES and any(c.dep_ == "prep" for c in r.children):
            return True  # "forced the agency out of the country": the particle leads its own phrase
        return r.dep_ in ("prt", "advmod") or r.i == head.i + 1

    def _match(
        self,
        tok: Token,
        pos: str,
        consumed: set[int],
        phrasal: bool | None = None,
        words: set[str] | None = None,
    ) -> tuple[TriggerEntry, list[Token]] | None:
        # the most specific key first, in a fixed order (a set's order changes with the hash seed, and with it
        # whether "talks" matched the entry for "talks" or for "talk"): the hyphenated compound ("sit-in",
        # "cease-fire"), the word as written, its lemma
        keys = [tok.lower_, tok.lemma_.lower()]
        if tok.i > 1 and tok.doc[tok.i - 1].text == "-" and not tok.doc[tok.i - 2].whitespace_:
            keys.insert(0, f"{tok.doc[tok.i - 2].lower_}-{tok.lower_}")
        keys = list(dict.fromkeys(keys))
        related: list[Token] | None = None
        for key in keys:
            for entry in self.lexicon.candidates(key, pos):
                if phrasal is not None and bool(entry.needs) != phrasal:
                    continue
                if entry.needs and words is not None and not all(n in words for n in entry.needs):
                    continue  # cheap: a phrase whose words are not all in the sentence
                if not entry.needs:
                    return entry, [tok]
                if related is None:
                    related = (
                        self._related(tok)
                        if pos == "verb"
                        else [c for c in tok.subtree if c.i != tok.i and abs(c.i - tok.i) <= 6]
                    )
                    if pos == "verb":
                        related += [c for c in tok.children if c.dep_ == "neg"]
                used: list[Token] = []
                ok = True
                for need in entry.needs:
                    hit = next(
                        (
                            r
                            for r in related
                            if (r.lemma_.lower() == need or r.lower_ == need)
                            and r not in used
                            and r.i not in consumed
                            and (
                                need not in _PARTICLES
                                or pos != "verb"
                                or len(entry.needs) > 1
                                or self._particle_of(r, tok)
                            )
                        ),
                        None,
                    )
                    if hit is None:
                        ok = False
                        break
                    used.append(hit)
                if ok:
                    return entry, [tok, *used]
        return None

    def _word(self, h: int, strings) -> tuple[str, bool]:
        """(lower-cased string, heads some trigger?) of a LEMMA/LOWER hash; cached per pipeline."""
        found = self._head_cache.get(h)
        if found is None:
            if len(self._head_cache) > 200_000:
                self._head_cache.clear()
            word = strings[h].lower()
            found = self._head_cache[h] = (word, word in self._head_words)
        return found

    def _candidates(self, doc: Doc) -> _Candidates:
        """Per token: whether it may carry a trigger (its lemma or word heads some entry, or it follows a
        hyphen: "sit-in"), and its (lower-cased lemma, lower-cased word). Read from arrays, so no Token
        objects are made for the other words."""
        strings = doc.vocab.strings
        hyphen = strings["-"]
        word = self._word
        flags: list[bool] = []
        words: list[tuple[str, str]] = []
        prev = 0
        for orth, low, lemma in doc.to_array([ORTH, LOWER, LEMMA]).tolist():
            lemma_word, lemma_head = word(lemma, strings)
            low_word, low_head = word(low, strings)
            flags.append(lemma_head or low_head or prev == hyphen)
            words.append((lemma_word, low_word))
            prev = orth
        return flags, words

    def _triggers(
        self, sent: Span, consumed: set[int], candidates: _Candidates | None = None
    ) -> list[tuple[Token, TriggerEntry, list[Token]]]:
        found = []
        doc = sent.doc
        flags, words_of = candidates if candidates is not None else self._candidates(doc)
        toks = [doc[i] for i in range(sent.start, sent.end) if flags[i]]
        if not toks:
            return found
        words = {w for pair in words_of[sent.start : sent.end] for w in pair}
        for tok in toks:  # verbs first: phrasal verbs consume the nouns they contain
            if tok.i in consumed:
                continue
            if tok.pos_ in ("VERB",) or (tok.pos_ == "AUX" and tok.dep_ not in ("aux", "auxpass")):
                m = self._match(tok, "verb", consumed, None, words)
                if m:
                    found.append((tok, m[0], m[1]))
                    consumed.update(t.i for t in m[1])
        nouns = [
            tok
            for tok in toks
            if (tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and not tok.ent_type_))
            or (tok.pos_ == "VERB" and tok.dep_ in ("pobj", "dobj", "nsubj") and tok.tag_ == "VBG")
        ]
        # multi-word nominals first, so "war games" is not read as "war"
        for phrasal in (True, False):
            for tok in nouns:
                if tok.i in consumed:
                    continue
                m = self._match(tok, "noun", consumed, phrasal, words)
                if m:
                    found.append((tok, m[0], m[1]))
                    consumed.update(t.i for t in m[1])
        found.sort(key=lambda x: x[0].i)
        return found

    # ---- per-event details ---------------------------------------------------------------------------
    @staticmethod
    def _military(sent: Span) -> bool:
        """Whether a sentence is about armed forces or weapons."""
        return any(
            t.pos_ in ("NOUN", "ADJ", "PROPN") and t.lemma_.lower() in _CONTEXT_WORDS["military"]
            for t in sent
        )

    @staticmethod
    def _evidence(trigger: Token, clause: Token | None) -> tuple[int, int]:
        sent = trigger.sent
        head = clause if clause is not None else trigger
        toks = [t for t in head.subtree if sent.start <= t.i < sent.end] or [trigger]
        start = min(toks[0].i, trigger.i)
        end = max(toks[-1].i, trigger.i) + 1
        while end - 1 > start and trigger.doc[end - 1].is_punct:
            end -= 1
        span = trigger.doc[start:end]
        return span.start_char, span.end_char

    def _context(self, f: _Found) -> list[str]:
        """The entry's context, else (for material acts) what the act's own phrase is about: missiles and
        troops are military, loans economic, food and medicine humanitarian."""
        if f.entry.context:
            return list(f.entry.context)
        if self.ontology.types[f.entry.type].quad_class in (1, 3):
            return []
        words = {f.trigger.lemma_.lower()}
        for c in f.trigger.children:
            if c.dep_ not in ("ccomp", "advcl", "relcl", "xcomp", "parataxis", "nsubj", "nsubjpass", "conj"):
                words |= {t.lemma_.lower() for t in c.subtree}
        return [ctx for ctx, vocab in _CONTEXT_WORDS.items() if words & vocab][:1]

    def _date(self, f: _Found, published, date_ents: list[Span]) -> str | None:
        anchor = f.args.clause_head if f.args.clause_head is not None else f.trigger
        sent = f.trigger.sent
        for ent in date_ents:
            if not sent.start <= ent.start < sent.end:
                continue
            t = ent.root
            steps = 0
            while t.i not in (anchor.i, f.trigger.i) and t.head.i != t.i and steps < 6:
                if t.dep_ in ("ccomp", "relcl", "advcl") or (t.pos_ == "VERB" and steps > 0):
                    break
                t = t.head
                steps += 1
            if t.i in (anchor.i, f.trigger.i):
                return resolve_date(ent.text, published, future=f.modality == "planned")
        return None

    def _location(self, f: _Found, table: ActorTable) -> tuple[str | None, str | None]:
        # a nominal trigger takes its clause's place only when its verb merely carries it ("held talks in
        # Geneva"); "X's support for Y" stated at a press conference in Italy did not happen in Italy
        clause = f.args.clause_head if (f.entry.pos == "verb" or f.args.light_verb is not None) else None
        heads = [f.trigger] + ([clause] if clause is not None else [])
        heads += [c for h in list(heads) for c in h.children if c.dep_ in ("dobj", "nsubjpass", "xcomp")]
        heads += [
            o
            for h in list(heads)
            for c in h.children
            if c.dep_ == "prep"
            for o in c.children
            if o.dep_ == "pobj" and o.ent_type_ not in ("GPE", "LOC", "FAC")
        ]
        heads += [c for h in list(heads) if h.dep_ == "xcomp" for c in h.children if c.dep_ == "dobj"]
        if not f.args.source or any(role == "source" for role, _, _ in f.args.implied):
            # a weapon's attack: "a roadside bomb near Samarra killed ..." (any source is the place's state)
            heads += [c for c in f.trigger.children if c.dep_ == "nsubj"]
            heads += [
                o for c in f.trigger.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"
            ]
        used = set(f.args.source_tokens) | set(f.args.target_tokens)
        for h in heads:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in _LOCATION_PREPS:
                    for o in c.children:
                        o = _place_named(o)
                        if o is not None and o.i not in used:
                            text = _entity_text(o)
                            actor = table.get(table.actor_of(o))
                            country = actor.country if actor is not None else None
                            if country is None:  # a place within a state ("Hebron", "the Gaza Strip")
                                country = self.kb.place_country(text) or next(
                                    (e.code for e, how in self.kb.lookup_kind(text) if e.kind == "state"),
                                    None,
                                )
                            return text, country
        # deeper in the phrase: "a six-month extension of the mandate for the force in Lebanon"
        for t in f.trigger.subtree:
            if t.i in used or t.ent_type_ not in ("GPE", "LOC") or t.head.lower_ not in _LOCATION_PREPS:
                continue
            path = []
            x = t
            while x.i != f.trigger.i and x.head.i != x.i and len(path) < 4:
                path.append(x)
                x = x.head
            if x.i != f.trigger.i or any(p.dep_ in ("ccomp", "relcl", "advcl", "acl", "conj") for p in path):
                continue
            text = _entity_text(t)
            actor = table.get(table.actor_of(t))
            country = (actor.country if actor is not None else None) or self.kb.place_country(text)
            if country:
                return text, country
        # the place of a clause telling when it happened: "killed 23 people when they blew themselves up in X"
        if f.entry.type in PLACE_TARGET_TYPES:
            for c in f.trigger.children:
                if c.dep_ == "advcl" and any(m.lower_ in ("when", "as") and m.dep_ in ("advmod", "mark")
                                             for m in c.children):
                    for p in c.children:
                        if p.dep_ == "prep" and p.lower_ in _LOCATION_PREPS:
                            for o in p.children:
                                place = _place_named(o)
                                if place is not None and place.i not in used:
                                    text = _entity_text(place)
                                    actor = table.get(table.actor_of(place))
                                    country = (actor.country if actor is not None else None) or \
                                        self.kb.place_country(text)
                                    if country:
                                        return text, country
        return None, None

    @staticmethod
    def _quote_of(start: int, quotes: list[Quote]) -> Quote | None:
        best = None
        for q in quotes:
            spans = [(p.start, p.end) for p in q.parts] or [(q.start, q.end)]
            if any(s <= start < e for s, e in spans):
                if best is None or (q.end - q.start) < (best.end - best.start):
                    best = q
        return best

    def _adjective_actor(self, tok: Token, table: ActorTable) -> str | None:
        """The state a nationality adjective names ("Israeli helicopters", "Palestinian homes"), recorded in
        the actor table as an adjective mention, when the actor layer left it alone."""
        if not tok.text[:1].isupper() or tok.pos_ not in ("ADJ", "PROPN", "NOUN"):
            return None
        if tok.i > 0 and tok.doc[tok.i - 1].lower_ == "ethnic":  # a people, not the state of that name
            return None
        states = [e for e, how in self.kb.lookup_kind(tok.text) if how == "adjective" and e.kind == "state"]
        if len(states) != 1:
            return None
        entry = states[0]
        actor_id = table.actor_for_kb(entry.id)
        if actor_id is None:
            iso = entry.country or entry.code
            actor_id = table.add(
                Actor(
                    id="",
                    name=entry.name,
                    kind="state",
                    code=entry.code,
                    country=iso,
                    cameo=entry.cameo,
                    wikidata=entry.wikidata,
                ),
                entry.id,
            )
        table.add_mention(tok.doc, actor_id, tok.i, tok.i + 1, "adjective")
        return actor_id

    # ---- decisions: which words state which events ------------------------------------------------------
    def _decide(self, doc: Doc):
        """Per sentence, the (trigger, entry, tokens, probability) of each event it states: by the trained
        model over every candidate, or (``event_model = "lexicon"``) by the trigger lexicon alone."""
        if self.model is None:
            consumed: set[int] = set()
            flags = self._candidates(doc)
            for sent in doc.sents:
                military = any(w in _CONTEXT_WORDS["military"] for w, _ in flags[1][sent.start : sent.end]) \
                    and self._military(sent)
                yield sent, [(tok, entry.military if entry.military is not None and military else entry, toks,
                              None, None) for tok, entry, toks in self._triggers(sent, consumed, flags)]
            return
        by_sent: dict[int, list] = {}
        sents = {s.start: s for s in doc.sents}
        promises = self.lexicon.cue("promises")
        featurized = self._featurized(doc)
        decisions = self.model.decide_many([f for _, f, _, _ in featurized], [v for _, _, v, _ in featurized],
                                           [c.entry.type if c.entry is not None else None
                                            for c, _, _, _ in featurized])
        for (c, _, _, military), (label, probability) in zip(featurized, decisions, strict=True):
            if label == NONE:
                continue
            promised = None
            if c.token.lemma_.lower() in promises and label in _PLEDGED_FOR_LATER:
                # "pledged $2 billion in aid": PLOVER codes the promise (AGREE); the act is what it promises
                label, promised = ("AGREE" if label in _COOPERATIVE else "THREATEN"), label
            entry = self._entry_for(c, label, military)
            c.promised = promised
            by_sent.setdefault(c.token.sent.start, []).append((c.token, entry, c.parts, probability, c))
        for start, sent in sents.items():
            if start in by_sent:
                yield sent, by_sent[start]

    def _evaluation_arguments(self, c: Candidate, finder: ArgumentFinder) -> Arguments:
        """A judgement in a statement: the speaker judges whoever the copular clause is about, failing that
        whoever the statement names ("'It's downright ludicrous,' the spokesman said of the ruling")."""
        speaker = c.quote.speaker if c.quote is not None else None
        args = Arguments(clause_head=c.clause)
        if speaker is None:
            return args
        args.source = [speaker]
        if c.subject is not None:
            args.target = [a for a in finder.owners(c.subject) if a != speaker]
            args.target_tokens = [c.subject.i] if args.target else []
        if not args.target and c.quote is not None:
            args.target = [a for a in c.quote.about if a != speaker][:1]
        return args

    @staticmethod
    def _speaker_as_source(c: Candidate, args: Arguments) -> None:
        """An order or appeal in the speaker's own words has the speaker as its source ("'Resign now!' he
        said"): an imperative, a bare verb heading its own clause (or joined to one that does) with no
        subject, auxiliary or infinitive marker, inside a quotation."""

        def imperative(v: Token) -> bool:
            return v.tag_ == "VB" and not any(ch.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass")
                                              for ch in v.children)

        v = c.token
        if c.pos != "verb" or c.quote is None or not c.quote.speaker or not imperative(v):
            return
        head_ok = v.dep_ == "ROOT" or (v.dep_ == "ccomp" and v.head.lemma_.lower() in ("say", "tell")) or (
            v.dep_ == "conj" and v.head.dep_ == "ROOT" and imperative(v.head))
        if head_ok:
            args.source, args.inherited_source = [c.quote.speaker], True

    def _entry_for(self, c: Candidate, label: str, military: bool) -> TriggerEntry:
        """The lexicon's entry when it reads the candidate as the chosen type (it knows the phrase's CAMEO
        code, mode and argument prepositions), else a plain entry of that type for the candidate's word."""
        e = c.entry
        if e is not None:
            if e.military is not None and military and e.military.type == label:
                return e.military
            if e.type == label:
                return e
            if e.military is not None and e.military.type == label:
                return e.military
        return TriggerEntry(phrase=c.token.lemma_.lower(), pos=c.pos, head=c.token.lemma_.lower(), needs=(),
                            type=label, cameo=self.ontology.types[label].default_cameo)

    # ---- candidates for the trained model ---------------------------------------------------------------
    def featurized_candidates(self, doc: Doc) -> list[tuple[Candidate, list[str], np.ndarray]]:
        """Every event candidate of the document with its features and dense vector (training and coding)."""
        return [(c, f, v) for c, f, v, _ in self._featurized(doc)]

    def _featurized(self, doc: Doc) -> list[tuple[Candidate, list[str], np.ndarray, bool]]:
        ctx = context_of(doc)
        table: ActorTable = doc._.ng_actors if doc._.ng_actors is not None else ActorTable()
        quotes = [(q, [(p.start, p.end) for p in q.parts] or [(q.start, q.end)])
                  for q in doc._.ng_quotes or []]
        spans = quote_spans(doc._.ng_quotes or [])
        out = []
        consumed: set[int] = set()
        flags = self._candidates(doc)
        for sent in doc.sents:
            lexical = self._triggers(sent, consumed, flags)
            military = any(w in _CONTEXT_WORDS["military"] for w, _ in flags[1][sent.start : sent.end]) \
                and self._military(sent)
            title = ctx.title_span is not None and ctx.title_span[0] <= sent.start_char < ctx.title_span[1]
            here = [(q, qs) for q, qs in quotes
                    if any(s < sent.end_char and sent.start_char < e for s, e in qs)]
            cands = sentence_candidates(sent, lexical, consumed)
            taken = {t.i for c in cands for t in c.parts}
            cands += evaluation_candidates(sent, here, taken) if here else []
            for c in cands:
                if c.quote is None and here:
                    c.quote = next((q for q, qs in here if any(s <= c.token.idx < e for s, e in qs)), None)
                feats = candidate_features(c, table, military=military, in_quote=inside(spans, c.token.idx),
                                           title=title, valence=self.valence,
                                           discourse=self.lexicon.cue("discourse_objects"))
                out.append((c, feats, candidate_vector(c), military))
        return out

    # ---- the component -------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        doc._.ng_events = []
        ctx = context_of(doc)
        if not ctx.analysable:
            return doc
        table: ActorTable = doc._.ng_actors if doc._.ng_actors is not None else ActorTable()
        quotes: list[Quote] = list(doc._.ng_quotes or [])
        if self.event_model_name == "none":
            return doc
        finder = ArgumentFinder(table, self.lexicon, lambda tok: self._adjective_actor(tok, table))
        found: list[_Found] = []
        for sent, decisions in self._decide(doc):
            for tok, entry, toks, probability, cand in decisions:
                weapon = self._unattributed_attack(tok, entry)
                if cand is not None and cand.kind == "evaluation":
                    args = self._evaluation_arguments(cand, finder)
                else:
                    roles = self.model.roles if self.model is not None and cand is not None else None
                    args = finder.find(tok, entry, toks, need_source=not weapon and roles is None)
                    if not args.source and cand is not None and cand.quote is not None:
                        self._speaker_as_source(cand, args)
                    if roles is not None and not weapon:
                        speaker = cand.quote.speaker if cand.quote is not None else None
                        args.source, args.target = roles.fill(cand, entry.type, doc, table, speaker,
                                                              args.source, args.target)
                if not args.source and not weapon:
                    continue
                clause = (
                    args.clause_head if entry.pos == "noun" and finder.light_verb(tok) is not None else None
                )
                if cand is not None and cand.kind == "evaluation":
                    clause = cand.clause
                f = _Found(trigger=tok, tokens=toks, entry=entry, args=args, probability=probability,
                           promised=cand.promised if cand is not None else None)
                if weapon and not args.source:
                    self._place_as_source(f, table)
                elif self.model is not None and not args.target and entry.type in PLACE_TARGET_TYPES:
                    self._place_as_target(f, table)
                if entry.domestic and not args.target and args.source and not self._location(f, table)[1]:
                    self._own_state_target(args, table)
                used = {t.i for t in toks}
                f.polarity = polarity(tok, clause, self.lexicon, used)
                f.modality = modality(tok, clause, self.lexicon, sent,
                                      conditional_act=entry.type != "THREATEN")
                if self.model is not None and self.model.facts is not None and cand is not None:
                    f.polarity, f.modality = self.model.facts.read(
                        modality_features(tok, clause, entry.type, cand.kind, cand.quote is not None,
                                          f.polarity, f.modality, self.lexicon),
                        (f.polarity, f.modality),
                    )
                self._as_plover_codes_it(f)
                f.evidence = self._evidence(tok, args.clause_head if entry.pos == "noun" else tok)
                f.quote = self._quote_of(tok.idx, quotes)
                if ctx.title_span is not None:
                    f.in_title = ctx.title_span[0] <= tok.idx < ctx.title_span[1]
                found.append(f)
            if self.model is None:
                found.extend(self._demands(sent, finder, found, quotes))
        found = self._absorb_adjuncts(found)
        # an act with no one on the receiving end is an event only for intransitive triggers ("resigned"),
        # or for a material act at a known place ("extended the curfew in Abidjan")
        found = [
            f
            for f in found
            if f.args.target
            or (self.model is not None and (f.probability or 0.0) >= self.model.targetless_threshold)
            or f.entry.intransitive
            or f.args.reciprocal
            or ((f.promised or f.entry.type) in PLACE_TARGET_TYPES and self._location(f, table)[1])
        ]
        self._link_quantities(doc, found)
        found = self._dedup(found)
        # spaCy rebuilds doc.text and doc.ents on every read: once per document
        text = doc.text
        date_ents = [e for e in doc.ents if e.label_ in ("DATE", "TIME")] if found else []
        doc._.ng_events = [
            self._event(f, k, table, ctx.published, text, date_ents) for k, f in enumerate(found, start=1)
        ]
        return doc

    def _own_state_target(self, args: Arguments, table: ActorTable) -> None:
        """A curfew, martial law or state of emergency with no one and no place named falls on the state
        of whoever imposes or lifts it ("the president lifted the curfew"); a stated place is used instead
        ("imposed a curfew in Hebron")."""
        actor = table.get(args.source[0])
        country = actor.country if actor is not None else None
        entry = self.kb.state(country) if country else None
        if entry is None:
            return
        actor_id = table.actor_for_kb(entry.id) or table.add(
            Actor(id="", name=entry.name, kind="state", code=entry.code, country=entry.country or entry.code,
                  cameo=entry.cameo, wikidata=entry.wikidata),
            entry.id,
        )
        args.target, args.fallback_target = [actor_id], True
        args.implied.append(("target", "a measure with no stated place falls on the imposer's own state",
                             args.source_tokens[0] if args.source_tokens else None))

    def _place_as_source(self, f: _Found, table: ActorTable) -> None:
        """An attack with no named perpetrator ("a roadside bomb near Samarra killed two soldiers"): PLOVER
        codes the state where it happened as its source; the extraction says so in ``implied``."""
        _, country = self._location(f, table)
        entry = self.kb.state(country) if country else None
        if entry is None:
            return
        actor_id = table.actor_for_kb(entry.id) or table.add(
            Actor(id="", name=entry.name, kind="state", code=entry.code, country=entry.country or entry.code,
                  cameo=entry.cameo, wikidata=entry.wikidata),
            entry.id,
        )
        f.args.source = [actor_id]
        f.args.implied.append(("source", "an attack with no named perpetrator: the state where it happened",
                               None))

    def _as_plover_codes_it(self, f: _Found) -> None:
        """An announced act is coded as PLOVER codes it: "Japan will provide aid" is an AGREE (an intent to
        provide aid, promised AID), "will impose a curfew" a THREATEN, "will not accept refugees" a REJECT,
        each an act that happened, with the announced act kept in ``promised``. A future act told by a noun
        ("the impending visit") stays the act itself, planned; and a possibility ("could attack") is no
        announcement of anyone's: it stays hypothetical."""
        if f.entry.pos != "verb" or f.modality != "planned":
            return
        spec = self.ontology.types[f.entry.type]
        if f.polarity == "negative":
            coded = "REJECT" if spec.future_as == "AGREE" or f.entry.type == "AGREE" else None
        else:
            coded = spec.future_as
        if coded is None or coded == f.entry.type:
            return
        f.promised = f.promised or f.entry.type
        f.entry = replace(f.entry, type=coded, cameo=self.ontology.types[coded].default_cameo, mode=None,
                          military=None)
        f.polarity, f.modality = "positive", "actual"

    def _place_as_target(self, f: _Found, table: ActorTable) -> None:
        """A material act with no one on its receiving end, at a stated place ("imposed a curfew in Hebron",
        "students rallied in Algiers"): PLOVER codes the state of the place as its target."""
        place, country = self._location(f, table)
        entry = self.kb.state(country) if country else None
        if entry is None:
            return
        actor_id = table.actor_for_kb(entry.id) or table.add(
            Actor(id="", name=entry.name, kind="state", code=entry.code, country=entry.country or entry.code,
                  cameo=entry.cameo, wikidata=entry.wikidata),
            entry.id,
        )
        if actor_id in f.args.source:
            return
        f.args.target, f.args.fallback_target = [actor_id], True
        token = next((t.i for t in f.trigger.sent if place and t.text == place.split()[0]), None)
        f.args.implied.append(("target", f"the state where the act takes place ({place})", token))

    def _promised(self, f: _Found) -> str | None:
        """The act a promise, threat, demand or refusal is about: the lexicon's type of the verb it governs
        ("pledged to send aid": AID) or of the noun it names ("a pledge of aid")."""
        if f.promised is not None:
            return f.promised
        if f.entry.type not in ("AGREE", "THREATEN", "REQUEST", "REJECT"):
            return None
        heads = [f.trigger] + ([f.args.light_verb] if f.args.light_verb is not None else [])
        for h in heads:
            for c in h.children:
                if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX"):
                    found = self.lexicon.candidates(c.lemma_.lower(), "verb")
                    if found:
                        return found[-1].type
                if c.dep_ == "prep" and c.lower_ in ("of", "for", "to"):
                    for o in c.children:
                        if o.dep_ == "pobj":
                            found = self.lexicon.candidates(o.lemma_.lower(), "noun")
                            if found:
                                return found[-1].type
        return None

    def _implied(self, f: _Found, text: str) -> list[ImpliedArgument]:
        out = []
        doc = f.trigger.doc
        for role, basis, token in f.args.implied:
            ids = f.args.target if role == "target" else f.args.source
            if not ids:
                continue
            evidence = None
            if token is not None and 0 <= token < len(doc):
                start, end = doc[token].idx, doc[token].idx + len(doc[token].text)
                evidence = TextSpan(start=start, end=end, text=text[start:end])
            out.append(ImpliedArgument(role=role, actor=ids[0], basis=basis, evidence=evidence))
        return out

    def _unattributed_attack(self, trigger: Token, entry: TriggerEntry) -> bool:
        """An attack done by a weapon with no one named behind it: "a roadside bomb killed two soldiers",
        "three policemen were killed by an explosive device" / "in a car bomb explosion". It is kept with no
        source (PLOVER data codes the place's country as the unknown perpetrator)."""
        if entry.type != "ASSAULT" or entry.pos != "verb":
            return False
        weapons = self.lexicon.cue("attack_instruments")
        for c in trigger.children:
            if c.dep_ == "nsubj" and c.lemma_.lower() in weapons:
                return True
            if c.dep_ in ("agent", "prep") and c.lower_ in ("by", "in"):
                if any(o.dep_ == "pobj" and o.lemma_.lower() in weapons for o in c.children):
                    return any(x.dep_ == "nsubjpass" for x in trigger.children)
        return False

    def _demands(
        self,
        sent: Span,
        finder: ArgumentFinder,
        found: list[_Found],
        quotes: list[Quote],
        words_of: list[tuple[str, str]] | None = None,
    ) -> list[_Found]:
        """A statement that someone must do something is a demand on them: "X declared that Y must drop
        barriers" → X REQUEST Y, even when the demanded act has no trigger of its own."""
        out = []
        taken = {f.trigger.i for f in found}
        reporting, modals = self.lexicon.cue("reporting"), self.lexicon.cue("demand_modals")
        if words_of is not None:  # cheap test first: a reporting verb and a modal in the sentence
            span_words = words_of[sent.start : sent.end]
            if not any(w in modals for _, w in span_words):
                return out
            tokens = [sent.doc[sent.start + k] for k, (lem, _) in enumerate(span_words) if lem in reporting]
        else:
            tokens = list(sent)
        for tok in tokens:
            if tok.lemma_.lower() not in reporting or tok.i in taken:
                continue
            for c in tok.children:
                if c.dep_ != "ccomp":
                    continue
                if not any(
                    a.dep_ == "aux" and a.lower_ in self.lexicon.cue("demand_modals") for a in c.children
                ):
                    continue
                source, stoks, inherited = finder.agent_of(tok)
                subj = next((s for s in c.children if s.dep_ in ("nsubj", "nsubjpass")), None)
                target = finder.owners(subj) if subj is not None else []
                target = [a for a in target if a not in source]
                if not source or not target:
                    continue
                entry = TriggerEntry(
                    phrase=tok.lemma_.lower(),
                    pos="verb",
                    head=tok.lemma_.lower(),
                    needs=(),
                    type="REQUEST",
                    cameo="100",
                    confidence=0.6,
                )
                args = Arguments(
                    source=source,
                    target=target,
                    source_tokens=stoks,
                    target_tokens=[subj.i],
                    inherited_source=inherited,
                    clause_head=tok,
                )
                f = _Found(
                    trigger=tok,
                    tokens=[tok],
                    entry=entry,
                    args=args,
                    polarity=polarity(tok, None, self.lexicon, set()),
                    modality="actual",
                    evidence=self._evidence(tok, tok),
                    quote=self._quote_of(tok.idx, quotes),
                )
                out.append(f)
        return out

    @staticmethod
    def _absorb_adjuncts(found: list[_Found]) -> list[_Found]:
        """One act, one event: a purpose or accompanying clause of an event by the same actors states that
        act's aim or manner, not a second act ("staged rallies to demand reforms", "demonstrated, calling for
        independence from X", "opened fire to disperse the crowd"). Its target fills in a missing one."""
        by_head: dict[int, _Found] = {}
        for f in found:
            by_head.setdefault(f.trigger.i, f)
            if f.args.clause_head is not None:
                by_head.setdefault(f.args.clause_head.i, f)
        kept = []
        for f in found:
            h = f.args.clause_head if f.args.clause_head is not None else f.trigger
            purpose = h.dep_ == "advcl" and (h.tag_ == "VBG" or any(c.lower_ == "to" for c in h.children))
            main = by_head.get(h.head.i) if purpose and h.head.i != h.i else None
            if main is None or main is f or not set(main.args.source) & set(f.args.source):
                kept.append(f)
                continue
            if (not main.args.target or main.args.fallback_target) and f.args.target:
                main.args.target = [a for a in f.args.target if a not in main.args.source] or main.args.target
                main.args.fallback_target = False
            main.quantities += [q for q in f.quantities if q not in main.quantities]
        return kept

    def _link_quantities(self, doc: Doc, found: list[_Found]) -> None:
        """A quantity belongs to the nearest event trigger above it in the parse ("transferred ... over
        11,000 containers", "killing 12 people")."""
        by_token = {}
        for f in found:
            for t in f.tokens:
                by_token.setdefault(t.i, f)
        for q in doc._.ng_quantities or []:
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is None:
                continue
            t = span.root
            for _ in range(8):
                if t.i in by_token:
                    by_token[t.i].quantities.append(q.id)
                    break
                if t.head.i == t.i:
                    break
                t = t.head

    @staticmethod
    def _key(f: _Found) -> tuple:
        claimant = f.quote.speaker if f.quote else None
        if claimant in f.args.source:  # the actor's own statement: not a claim by someone else
            claimant = None
        return (
            f.entry.type,
            tuple(sorted(f.args.source)),
            tuple(sorted(f.args.target)),
            f.polarity,
            f.modality,
            claimant,
        )

    @staticmethod
    def _verb_and_its_act(a: _Found, b: _Found) -> bool:
        """One clause, one event: a verb whose object names its own act ("offered full support for the
        plan": SUPPORT twice) or the act it promises ("pledged $2 billion in aid": AGREE, promised AID) states
        one event; the noun is its content, not a second act, whatever target each found."""
        for verb, act in ((a, b), (b, a)):
            if (
                act.entry.type in (verb.promised, verb.entry.type)
                and verb.entry.pos == "verb"
                and act.entry.pos == "noun"
                and verb.polarity == act.polarity
                and set(verb.args.source) == set(act.args.source)
                and act.trigger.head.i == verb.trigger.i
                and act.trigger.dep_ in ("dobj", "nsubjpass")
            ):
                return True
        return False

    def _announced_act(self, outer: _Found, inner: _Found) -> bool:
        """One clause, one event: the act a demand, promise, threat or refusal is about ("demanded that Peru
        release the fishermen": REQUEST, promised CONCEDE) is its content, not a second event, when the
        text leaves it unrealised (not actual)."""
        if outer.entry.type not in ("AGREE", "THREATEN", "REQUEST", "REJECT") or inner.modality == "actual":
            return False
        light = outer.args.light_verb
        heads = {outer.trigger.i} | ({light.i} if light is not None else set())
        if not (inner.trigger.dep_ in ("xcomp", "ccomp") and inner.trigger.head.i in heads):
            return False
        return inner.entry.type in (outer.promised, self._promised(outer))

    def _dedup(self, found: list[_Found]) -> list[_Found]:
        """The same event stated twice is one event: same type, actors, polarity, modality and claimant, and
        either the same trigger word or the same sentence. A headline restating a body event in looser words
        (same actors, same QuadClass) becomes further evidence of it."""
        absorbed: set[int] = set()
        for inner in found:
            outer = next((o for o in found if o is not inner and id(o) not in absorbed
                          and self._announced_act(o, inner)), None)
            if outer is not None:
                absorbed.add(id(inner))
                outer.also.append((inner.trigger.idx, inner.trigger.idx + len(inner.trigger.text),
                                   *inner.evidence))
        found = [f for f in found if id(f) not in absorbed]
        kept: list[_Found] = []
        # sentence bounds read once per event (Token.sent walks the document each time)
        sents = {id(f): (f.trigger.sent.start, f.trigger.sent.end) for f in found}
        for f in found:
            key, (start, _) = self._key(f), sents[id(f)]
            twin = next(
                (
                    k
                    for k in kept
                    if not k.in_title
                    and not f.in_title
                    and self._key(k) == key
                    and (
                        k.entry.head == f.entry.head
                        or sents[id(k)][0] == start
                        or (sents[id(k)][1] == start and k.entry.cameo == f.entry.cameo)
                    )
                ),
                None,
            )
            if twin is None:
                twin = next(
                    (
                        k
                        for k in kept
                        if sents[id(k)][0] == start
                        and k.entry.type == f.entry.type
                        and set(k.args.source) == set(f.args.source)
                        and k.polarity == f.polarity
                        and (
                            set(f.args.target) <= set(k.args.target)
                            or set(k.args.target) <= set(f.args.target)
                        )
                    ),
                    None,
                )
                if twin is not None and len(f.args.target) > len(twin.args.target):
                    twin.args.target = list(f.args.target)
            if twin is None:
                twin = next((k for k in kept if self._verb_and_its_act(k, f)), None)
            if twin is None:
                kept.append(f)
                continue
            if f.entry.pos == "verb" and twin.entry.pos == "noun":  # the verb states it more directly
                i = kept.index(twin)
                f.also = [
                    *twin.also,
                    (twin.trigger.idx, twin.trigger.idx + len(twin.trigger.text), *twin.evidence),
                ]
                f.quantities = twin.quantities + [q for q in f.quantities if q not in twin.quantities]
                kept[i] = f
                continue
            twin.also.append((f.trigger.idx, f.trigger.idx + len(f.trigger.text), *f.evidence))
            twin.quantities += [q for q in f.quantities if q not in twin.quantities]
        body = [f for f in kept if not f.in_title]
        out = list(body)
        for f in (f for f in kept if f.in_title):
            quad = self.ontology.types[f.entry.type].quad_class
            twin = next(
                (
                    b
                    for b in body
                    if set(b.args.source) & set(f.args.source)
                    and set(b.args.target) & set(f.args.target)
                    and b.polarity == f.polarity
                    and self.ontology.types[b.entry.type].quad_class == quad
                ),
                None,
            )
            if twin is not None:
                twin.also.append((f.trigger.idx, f.trigger.idx + len(f.trigger.text), *f.evidence))
            else:
                out.append(f)
        out.sort(key=lambda f: f.trigger.i)
        return out

    def _event(
        self, f: _Found, k: int, table: ActorTable, published, text: str, date_ents: list[Span]
    ) -> Event:
        context = self._context(f)
        cameo = f.entry.cameo or self.ontology.types[f.entry.type].default_cameo
        cameo = _CAMEO_BY_CONTEXT.get((cameo, context[0] if context else ""), cameo)
        code = self.ontology.code(cameo)
        t_start = min(t.idx for t in f.tokens)
        t_end = max(t.idx + len(t.text) for t in f.tokens)
        if t_end - t_start > 60:  # a phrase spread over a clause: the trigger word alone
            t_start, t_end = f.trigger.idx, f.trigger.idx + len(f.trigger.text)
        e_start, e_end = f.evidence
        e_start, e_end = min(e_start, t_start), max(e_end, t_end)
        location, location_country = self._location(f, table)
        base = f.probability if f.probability is not None else f.entry.confidence
        confidence = (
            base
            - (0.1 if f.args.inherited_source else 0.0)
            - (0.15 if f.args.fallback_target else 0.0)
        )
        return Event(
            id=f"e{k}",
            type=f.entry.type,
            mode=f.entry.mode,
            context=context,
            cameo=cameo,
            quad_class=code.quad_class if code else self.ontology.types[f.entry.type].quad_class,
            goldstein=code.goldstein if code else None,
            source=list(f.args.source),
            target=list(f.args.target),
            polarity=f.polarity,
            modality=f.modality,
            promised=self._promised(f),
            implied=self._implied(f, text),
            attributed_to=f.quote.speaker if f.quote else None,
            quote=f.quote.id if f.quote else None,
            trigger=TextSpan(start=t_start, end=t_end, text=text[t_start:t_end]),
            evidence=TextSpan(start=e_start, end=e_end, text=text[e_start:e_end]),
            also_evidence=[TextSpan(start=a, end=b, text=text[a:b]) for _, _, a, b in f.also],
            date=self._date(f, published, date_ents),
            location=location,
            location_country=location_country,
            quantities=list(f.quantities),
            confidence=round(max(0.05, min(1.0, confidence)), 2),
        )


@Language.factory("newsgraph_quantities")
def make_quantity_extractor(nlp: Language, name: str) -> QuantityExtractor:
    return QuantityExtractor(nlp, name)


@Language.factory("newsgraph_events", default_config={"trigger_lexicons": [], "event_model": "bundled",
                                                      "event_threshold": None})
def make_event_coder(nlp: Language, name: str, trigger_lexicons: list[str], event_model: str,
                     event_threshold: float | None) -> EventCoder:
    actors = nlp.get_pipe("newsgraph_actors") if "newsgraph_actors" in nlp.pipe_names else None
    kb = getattr(actors, "kb", None)
    return EventCoder(nlp, name, trigger_lexicons, kb if isinstance(kb, KnowledgeBase) else None,
                      event_model=event_model, event_threshold=event_threshold)
