"""Features of an event candidate, as the trained event model reads them.

Named sparse features (the words, the lexicon's reading, the frame's relations and who fills them, the
clause's negation and modals, whether it is reported speech) plus a dense vector: the contextual token
vector the spaCy model already computed for the trigger (``doc.tensor``), which lets the model place words
it never saw in training near the ones it did. The same function serves training and extraction, so the
two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.tokens import Token

from newsgraph.contract import Quote
from newsgraph.extract.actor_table import ActorTable
from newsgraph.extract.event_candidates import Candidate

N_DENSE = 96


class ValenceLexicon:
    """Word valence (-4 very negative to +4 very positive) from VADER's lexicon, which ships with the
    vaderSentiment package: whether a judgement is criticism or praise, for words the training data never
    showed the model."""

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    @classmethod
    def load(cls) -> ValenceLexicon:
        from importlib.resources import files

        try:
            text = files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
        except (ModuleNotFoundError, FileNotFoundError):  # an install without it: no valence features
            return cls({})
        scores = {}
        for line in text.splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and parts[0].isalpha():
                try:
                    scores[parts[0].lower()] = float(parts[1])
                except ValueError:
                    continue
        return cls(scores)

    def of(self, tok: Token) -> float | None:
        return self.scores.get(tok.lower_, self.scores.get(tok.lemma_.lower()))

    @staticmethod
    def bin(value: float) -> str:
        if value <= -2.0:
            return "neg2"
        if value < -0.4:
            return "neg1"
        if value >= 2.0:
            return "pos2"
        if value > 0.4:
            return "pos1"
        return "0"


_NEGATORS = frozenset({"not", "n't", "never", "no"})
_VALENCE_POS = frozenset({"ADJ", "NOUN", "VERB", "ADV"})


def _valence_features(c: Candidate, valence: ValenceLexicon) -> list[str]:
    """The trigger's own valence, and the strongest valence among the words its phrase governs (the
    objects and complements: "called him a liar", "said it was a disaster"), flipped under negation."""
    out = []
    v = valence.of(c.token)
    if v is not None:
        out.append(f"val={valence.bin(v)}")
    head = c.clause if c.kind == "evaluation" and c.clause is not None else c.token
    # one walk of the phrase: the first 40 content words outside the subject, and any negator in it
    subject = range(c.subject.left_edge.i, c.subject.right_edge.i + 1) if c.subject is not None else range(0)
    strongest: tuple[float, float] | None = None
    negated = False
    seen = 0
    for t in head.subtree:
        if t.lower_ in _NEGATORS:
            negated = True
        if seen >= 40 or t.i == c.token.i or t.pos_ not in _VALENCE_POS or t.i in subject:
            continue
        seen += 1
        s = valence.of(t)
        if s is not None and (strongest is None or (abs(s), s) > strongest):
            strongest = (abs(s), s)
    if strongest is not None:
        out.append(f"phraseval={valence.bin(-strongest[1] if negated else strongest[1])}")
    return out


_MODALS = frozenset(
    {"will", "would", "could", "can", "may", "might", "should", "must", "shall", "'ll", "wo", "ca"}
)


def _actor_desc(tok: Token, table: ActorTable) -> str:
    actor = table.get(table.actor_of(tok))
    if actor is None:
        if tok.tag_ in ("PRP", "PRP$"):
            return "pron"
        if tok.ent_type_:
            return f"ent:{tok.ent_type_}"
        return "word"
    return f"actor:{actor.kind}"


def _sector(tok: Token, table: ActorTable) -> str | None:
    actor = table.get(table.actor_of(tok))
    return actor.sector if actor is not None else None


def candidate_features(
    c: Candidate,
    table: ActorTable,
    *,
    military: bool,
    in_quote: bool,
    title: bool = False,
    valence: ValenceLexicon | None = None,
    discourse: frozenset[str] = frozenset(),
) -> list[str]:
    t = c.token
    lemma = t.lemma_.lower()
    f = [
        f"w={lemma}",
        f"w|{c.pos}={lemma}",
        f"pos={c.pos}",
        f"tag={t.tag_}",
        f"dep={t.dep_}",
        f"kind={c.kind}",
    ]
    if c.kind == "evaluation":
        f.append(f"eval={lemma}")
        for ch in [*t.children, *(c.clause.children if c.clause is not None else [])]:
            if ch.dep_ == "neg":
                f.append("neg")
            elif ch.dep_ == "advmod":
                f.append(f"evaladv={ch.lower_}")
            elif ch.dep_ in ("aux", "auxpass") and ch.lower_ in _MODALS:
                f.append(f"modal={ch.lower_}")
    if c.entry is not None:
        e = c.entry
        f += [f"lex={e.type}", f"lexp={e.phrase}", f"lex|{c.pos}={e.type}"]
        if e.military is not None:
            f.append(f"lexmil={e.military.type}" if military else f"lexciv={e.type}")
        if e.needs:
            f.append("lexphrasal")
    else:
        f.append("lex=none")
    # phrasal particles and the preposition right after a verb: "give in", "call for", "crack down on"
    for ch in t.children:
        if ch.dep_ == "prt":
            f.append(f"prt={lemma}_{ch.lower_}")
        elif ch.dep_ == "neg":
            f.append("neg")
        elif ch.dep_ in ("aux", "auxpass") and ch.lower_ in _MODALS:
            f.append(f"modal={ch.lower_}")
    nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
    if nxt is not None and nxt.dep_ == "prep":
        f.append(f"next={lemma}_{nxt.lower_}")
    # where the candidate sits: embedded under which verb, and how
    if t.head.i != t.i:
        gov = t.head
        f.append(f"gov={gov.lemma_.lower()}/{t.dep_}")
        if t.dep_ in ("xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "pcomp", "pobj"):
            f.append(f"govdep={t.dep_}")
            if any(ch.dep_ == "neg" for ch in gov.children):
                f.append("govneg")
            if any(ch.lower_ in _MODALS for ch in gov.children if ch.dep_ == "aux"):
                f.append("govmodal")
    for ch in t.children:
        if ch.dep_ in ("xcomp", "ccomp") and ch.pos_ in ("VERB", "AUX"):
            f.append(f"comp={lemma}+{ch.lemma_.lower()}")
            f.append(f"hascomp={ch.dep_}")
    # the frame: who acts and on whom
    if c.subject is not None:
        desc = _actor_desc(c.subject, table)
        f += [f"subj={desc}", f"subjhow={c.subject_how}", f"w+subj={lemma}+{desc}"]
        sector = _sector(c.subject, table)
        if sector:
            f.append(f"subjsector={sector}")
        if desc in ("word", "pron") or desc.startswith("ent:"):
            f.append(f"subjlem={c.subject.lemma_.lower()}")
    else:
        f += [f"subj=none{'-' + c.subject_how if c.subject_how else ''}"]
    n_actor_objects = 0
    for rel, o in c.objects[:6]:
        desc = _actor_desc(o, table)
        olemma = o.lemma_.lower()
        f += [f"rel={rel}", f"rel={rel}:{desc}", f"w+rel={lemma}+{rel}", f"w+rel+o={lemma}+{rel}+{olemma}"]
        if desc.startswith("actor"):
            n_actor_objects += 1
            f.append(f"w+rel+actor={lemma}+{rel}")
        else:
            f.append(f"olem={olemma}")
            if olemma in discourse:
                f += ["obj=discourse", f"w+obj=discourse+{lemma}"]
    f.append(f"n_actor_obj={min(n_actor_objects, 2)}")
    if c.light is not None:
        f += [f"light={c.light.lemma_.lower()}", f"light+w={c.light.lemma_.lower()}+{lemma}"]
        if any(ch.dep_ == "neg" for ch in c.light.children):
            f.append("neg")
    if c.pos == "noun":
        for ch in t.children:
            if ch.dep_ in ("amod", "compound") and ch.i < t.i:
                f.append(f"nmod={ch.lemma_.lower()}+{lemma}")
    if military:
        f += ["mil", f"mil+w={lemma}"]
    if in_quote:
        f.append("inquote")
    if c.quote is not None:
        f.append(f"quote={c.quote.kind}")
    if title:
        f.append("title")
    if c.clause is not None and c.clause.dep_ == "ccomp":
        f.append(f"reported-by={c.clause.head.lemma_.lower()}")
    if valence is not None:
        f += _valence_features(c, valence)
    return f


def candidate_vector(c: Candidate) -> np.ndarray:
    tensor = c.token.doc.tensor
    if tensor is None or tensor.ndim != 2 or tensor.shape[1] != N_DENSE or c.token.i >= tensor.shape[0]:
        return np.zeros(N_DENSE, dtype=np.float32)
    return np.asarray(tensor[c.token.i], dtype=np.float32)


def quote_spans(quotes: Sequence[Quote]) -> list[tuple[int, int]]:
    spans = []
    for q in quotes:
        spans.extend((p.start, p.end) for p in q.parts) if q.parts else spans.append((q.start, q.end))
    return sorted(spans)


def inside(spans: list[tuple[int, int]], offset: int) -> bool:
    return any(s <= offset < e for s, e in spans)
