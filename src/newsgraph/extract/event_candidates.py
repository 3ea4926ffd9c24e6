"""Event candidates: every predicate that could state an act, with what the parse says about it.

The event coder decides each candidate's PLOVER type, or that it is no event, with a trained model
(``event_model``); this module only proposes. Candidates are deliberately broad, so that the model can
reach acts no lexicon entry names: every main verb, every noun a trigger-lexicon entry names, every noun a
light verb carries ("launched an attack", "filed a lawsuit"), and every noun an actor is attached to by a
preposition or a possessive ("Russia's annexation of Crimea", "talks with Iran").

A candidate's *frame* is type-agnostic: its syntactic subject (after passive, control, coordination and
relative clauses) and its objects with the relation that attaches them. The model reads the frame as
features; the arguments of an emitted event are then found by ``ArgumentFinder`` for the chosen type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from newsgraph.contract import Quote
from newsgraph.extract.event_lexicon import TriggerEntry

# Verbs that carry an event noun rather than state an act themselves.
LIGHT_VERBS = frozenset(
    {
        "launch",
        "stage",
        "hold",
        "make",
        "issue",
        "impose",
        "conduct",
        "carry",
        "file",
        "bring",
        "express",
        "give",
        "take",
        "lodge",
        "mount",
        "level",
        "voice",
        "announce",
        "sign",
        "reach",
        "strike",
        "offer",
        "extend",
        "pose",
        "deliver",
        "register",
        "raise",
        "order",
        "call",
        "lead",
        "join",
        "begin",
        "start",
        "continue",
        "resume",
        "step",
        "intensify",
        "escalate",
        "lift",
        "ease",
        "end",
        "halt",
        "suspend",
        "receive",
        "provide",
        "send",
        "grant",
        "pledge",
        "promise",
        "seek",
        "demand",
        "request",
        "reject",
        "accept",
        "host",
        "attend",
        "open",
        "initiate",
        "undertake",
        "plan",
        "threaten",
        "face",
    }
)
# Prepositions that attach an act's participants.
ARG_PREPS = frozenset(
    {
        "against",
        "on",
        "with",
        "between",
        "to",
        "for",
        "from",
        "by",
        "of",
        "into",
        "at",
        "over",
        "toward",
        "towards",
        "upon",
        "among",
        "about",
        "in",
    }
)
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "csubjpass")
_OBJECTS = ("dobj", "dative", "oprd", "attr")
_CLAUSE_DEPS = ("ccomp", "advcl", "relcl", "parataxis", "xcomp", "acl")
_REL_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})


@dataclass
class Candidate:
    token: Token  # the word that heads the candidate act
    pos: str  # "verb" | "noun"
    parts: list[Token]  # the trigger phrase's tokens (a lexicon phrase, else the word itself)
    entry: TriggerEntry | None  # the most specific lexicon entry for the phrase, if any
    light: Token | None = None  # for a noun: the verb that only carries it
    clause: Token | None = None  # the verb whose clause states the act
    subject: Token | None = None  # head of the logical subject (the one who acts), if any
    subject_how: str = ""  # nsubj | agent | patient | inherited | relcl | poss | mod | by | light
    objects: list[tuple[str, Token]] = field(default_factory=list)  # (relation, head) pairs
    kind: str = "predicate"  # predicate | evaluation (a judgement in someone's statement: "he is unfit")
    quote: Quote | None = None  # the quotation or reported statement the candidate is in
    promised: str | None = None  # set by the coder: the act a promise is of

    @property
    def start(self) -> int:
        return min(t.idx for t in self.parts)

    @property
    def end(self) -> int:
        return max(t.idx + len(t.text) for t in self.parts)


def is_passive(v: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass", "csubjpass") for c in v.children)


def _subject_of_verb(v: Token, depth: int = 0) -> tuple[Token | None, str]:
    """The logical subject of verb ``v`` and how it was found."""
    if depth > 4:
        return None, ""
    if is_passive(v):
        agent = next((c for c in v.children if c.dep_ == "agent"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if pobj is not None:
            return pobj, "agent"
    else:
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is not None:
            if subj.lower_ in _REL_PRONOUNS and v.dep_ == "relcl" and v.head.i != v.i:
                return v.head, "relcl"
            return subj, "nsubj"
    gov = v.head
    if gov.i == v.i:
        return None, ""
    if v.dep_ in ("xcomp", "conj", "advcl") and not any(c.dep_ in _SUBJECTS for c in v.children):
        if gov.dep_ == "acomp" and gov.head.i != gov.i:  # "X is ready to ..."
            gov = gov.head
        if gov.pos_ in ("VERB", "AUX", "ADJ"):
            found, _ = _subject_of_verb(gov, depth + 1)
            return found, "inherited" if found is not None else ""
    if (
        v.dep_ in ("relcl", "acl")
        and v.tag_ in ("VBG", "VBZ", "VBP", "VBD")
        and gov.pos_ in ("NOUN", "PROPN")
    ):
        return gov, "relcl"
    return None, ""


def _objects_of_verb(v: Token) -> list[tuple[str, Token]]:
    out: list[tuple[str, Token]] = []
    passive = is_passive(v)
    for c in v.children:
        if c.dep_ in _OBJECTS:
            out.append((c.dep_, c))
        elif c.dep_ == "nsubjpass" and passive:
            out.append(("patient", c))
        elif c.dep_ == "prep" and c.lower_ in ARG_PREPS:
            for o in c.children:
                if o.dep_ == "pobj":
                    out.append((f"prep:{c.lower_}", o))
        elif c.dep_ == "ccomp":
            subj = next((x for x in c.children if x.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                out.append(("ccomp-subj", subj))
        elif c.dep_ == "xcomp":
            for x in c.children:
                if x.dep_ in ("dobj", "dative"):
                    out.append(("xcomp-obj", x))
                elif x.dep_ == "prep" and x.lower_ in ARG_PREPS:
                    out.extend((f"xcomp-prep:{x.lower_}", o) for o in x.children if o.dep_ == "pobj")
    # objects of a direct object's prepositions: "accused Russia of aggression", "imposed sanctions on X"
    for rel, o in list(out):
        if rel == "dobj":
            for c in o.children:
                if c.dep_ == "prep" and c.lower_ in ARG_PREPS:
                    out.extend((f"obj-prep:{c.lower_}", p) for p in c.children if p.dep_ == "pobj")
    return out


def light_verb_of(n: Token) -> Token | None:
    """The verb that carries a nominal act: "launched an attack", "filed a lawsuit against"."""
    h = n.head
    if (
        n.dep_ in ("dobj", "nsubjpass", "attr")
        and h.pos_ in ("VERB", "AUX")
        and h.lemma_.lower() in LIGHT_VERBS
    ):
        return h
    if (
        n.dep_ == "pobj"
        and h.dep_ == "prep"
        and h.head.pos_ == "VERB"
        and h.head.lemma_.lower() in LIGHT_VERBS
    ):
        return h.head  # "called for an inquiry", "took him to court"
    return None


def frame_verb(c: Candidate) -> None:
    v = c.token
    c.clause = v
    c.subject, c.subject_how = _subject_of_verb(v)
    if c.subject is None and is_passive(v):
        c.subject_how = "none-passive"
    c.objects = _objects_of_verb(v)


def frame_noun(c: Candidate) -> None:
    n = c.token
    while n.dep_ == "compound" and n.head.pos_ in ("NOUN", "PROPN") and n.head.i != n.i:
        n = n.head  # "a mediation effort": the phrase's head carries the arguments
    c.light = light_verb_of(n)
    c.clause = (
        c.light if c.light is not None else next((a for a in n.ancestors if a.pos_ in ("VERB", "AUX")), None)
    )
    for ch in n.children:
        if ch.dep_ == "poss":
            c.subject, c.subject_how = ch, "poss"
            break
    if c.subject is None:
        for ch in n.children:
            if ch.dep_ in ("compound", "amod", "nmod") and ch.i < n.i and ch.pos_ in ("PROPN", "ADJ", "NOUN"):
                if ch.ent_type_ in ("GPE", "NORP", "ORG", "PERSON"):
                    c.subject, c.subject_how = ch, "mod"
                    break
    for ch in n.children:
        if ch.dep_ == "prep" and ch.lower_ in ARG_PREPS:
            for o in ch.children:
                if o.dep_ == "pobj":
                    if ch.lower_ == "by" and c.subject is None:
                        c.subject, c.subject_how = o, "by"
                    else:
                        c.objects.append((f"prep:{ch.lower_}", o))
        elif ch.dep_ == "acl":
            subj = next((x for x in ch.children if x.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                c.objects.append(("acl-subj", subj))
    if c.light is not None:
        if c.subject is None:
            c.subject, how = _subject_of_verb(c.light)
            c.subject_how = "light" if c.subject is not None else ""
        for rel, o in _objects_of_verb(c.light):
            if o.i != n.i:
                c.objects.append((f"light-{rel}", o))


def sentence_candidates(
    sent: Span, lexical: list[tuple[Token, TriggerEntry, list[Token]]], consumed: set[int]
) -> list[Candidate]:
    """The sentence's candidates: its lexicon matches first, then every other main verb, and every noun that
    a light verb carries or that an actor-bearing possessive or preposition attaches to."""
    out: list[Candidate] = []
    taken: set[int] = set()
    for tok, entry, parts in lexical:
        out.append(Candidate(token=tok, pos=entry.pos, parts=parts, entry=entry))
        taken.update(t.i for t in parts)
    for tok in sent:
        if tok.i in taken or tok.i in consumed:
            continue
        if tok.pos_ == "VERB" or (
            tok.pos_ == "AUX"
            and tok.dep_ not in ("aux", "auxpass")
            and any(ch.dep_ in _OBJECTS for ch in tok.children)
        ):
            out.append(Candidate(token=tok, pos="verb", parts=[tok], entry=None))
        elif tok.pos_ == "NOUN" and _eventive_noun(tok):
            out.append(Candidate(token=tok, pos="noun", parts=[tok], entry=None))
    for c in out:
        (frame_verb if c.pos == "verb" else frame_noun)(c)
    out.sort(key=lambda c: c.token.i)
    return out


def _eventive_noun(n: Token) -> bool:
    """A noun that may name an act: carried by a light verb, or with an actor-like participant attached."""
    if light_verb_of(n) is not None:
        return True
    for ch in n.children:
        if ch.dep_ == "poss" and ch.ent_type_ in ("GPE", "NORP", "ORG", "PERSON"):
            return True
        if (
            ch.dep_ == "prep"
            and ch.lower_ in ("against", "with", "between", "on", "by", "to")
            and any(o.dep_ == "pobj" and o.ent_type_ in ("GPE", "NORP", "ORG", "PERSON") for o in ch.children)
        ):
            return True
    return False


_EVALUATIVE_DEPS = ("acomp", "attr", "oprd")


def evaluation_candidates(
    sent: Span, quotes: list[tuple[Quote, list[tuple[int, int]]]], taken: set[int]
) -> list[Candidate]:
    """Judgements inside someone's statement: the predicative adjective or noun of a copular clause ("he is
    unfit", "it's downright ludicrous", "Trump is a faker") and the adjective of a predicative noun ("a nice
    guy"). Their source is the statement's speaker; whether they are criticism, praise or nothing at all is
    the model's call."""
    out: list[Candidate] = []
    for tok in sent:
        if tok.i in taken or tok.pos_ not in ("ADJ", "NOUN"):
            continue
        quote = next((q for q, spans in quotes if any(s <= tok.idx < e for s, e in spans)), None)
        if quote is None or quote.speaker is None:
            continue
        word = tok
        while word.dep_ == "conj" and word.head.i != word.i:  # "a fraud and unfit": both judge the subject
            word = word.head
        head = word.head
        if word.dep_ in _EVALUATIVE_DEPS:
            copula = head
        elif word.dep_ == "amod" and tok.pos_ == "ADJ" and head.dep_ in _EVALUATIVE_DEPS:
            copula = head.head
        else:
            continue
        subj = next((c for c in copula.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        c = Candidate(
            token=tok,
            pos="adj" if tok.pos_ == "ADJ" else "noun",
            parts=[tok],
            entry=None,
            clause=copula,
            subject=subj,
            subject_how="evaluated" if subj is not None else "",
            kind="evaluation",
            quote=quote,
        )
        for ch in tok.children:
            if ch.dep_ == "prep" and ch.lower_ in ARG_PREPS:
                c.objects.extend((f"prep:{ch.lower_}", o) for o in ch.children if o.dep_ == "pobj")
        out.append(c)
    return out
