"""The learned parts of attribution: which words are reporting cues, and which stretch is their content.

Trained on PolNeAR (`newsgraph train attribution`, `newsgraph.learn.attribution`); the model files ship in
``data/models/attribution/``. Features are read from the dependency parse, the reporting lexicon and the
``doc.tensor`` rows spaCy already computed, so inference costs a few dot products per candidate and needs
nothing beyond NumPy. The same functions featurize for training and at run time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Token

from newsgraph.extract.actor_table import ActorTable
from newsgraph.extract.quote_lexicon import ReportingLexicon
from newsgraph.learn.linear import LinearModel

CUE_POS = frozenset({"VERB", "NOUN", "AUX"})
Range = tuple[int, int]  # token indices, end exclusive


@dataclass(frozen=True)
class Quotations:
    """Where an article's direct quotations are, in tokens: every quoted token, and each part's range."""

    tokens: frozenset[int] = frozenset()
    parts: tuple[Range, ...] = ()

    @classmethod
    def of(cls, doc: Doc, char_parts: Iterable[tuple[int, int]]) -> Quotations:
        parts = []
        for a, b in char_parts:
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is not None and len(span):
                parts.append((span.start, span.end))
        parts.sort()
        return cls(frozenset(i for a, b in parts for i in range(a, b)), tuple(parts))

    def __contains__(self, i: object) -> bool:
        return i in self.tokens
_MARKED = ("mark", "aux", "auxpass", "neg", "prt", "advmod", "prep", "dative", "agent")


def _subject(tok: Token) -> Token | None:
    return next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)


def _kind(tok: Token) -> str:
    """A coarse class of a noun phrase head: pronoun, named entity type, common noun."""
    if tok.pos_ == "PRON":
        return "PRON:" + tok.lower_
    if tok.ent_type_:
        return "ENT:" + tok.ent_type_
    return tok.pos_


_NOUN_ARGUMENTS = frozenset({"poss", "acl", "ccomp", "relcl", "appos", "advcl"})
_NOUN_PREPS = frozenset({"of", "about", "on", "by", "from", "against", "for", "with", "to"})


def is_cue_candidate(tok: Token, lex: ReportingLexicon) -> bool:
    """Verbs, "according to", and the nouns that can carry a source or content: a lexicon noun, or one
    with a possessor, a clause or a prepositional phrase (most nouns have none and are never cues)."""
    if tok.lower_ == "according":
        return tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to"
    if tok.pos_ == "AUX":
        return tok.dep_ not in ("aux", "auxpass")
    if tok.pos_ == "NOUN":
        return tok.lemma_.lower() in lex.nouns or any(
            c.dep_ in _NOUN_ARGUMENTS or (c.dep_ == "prep" and c.lower_ in _NOUN_PREPS) for c in tok.children)
    return tok.pos_ in CUE_POS


def cue_features(tok: Token, lex: ReportingLexicon, quoted: Quotations, in_title: bool = False,
                 table: ActorTable | None = None, quoted_sentence: bool = False) -> list[str]:
    """Sparse features of a word as a possible reporting cue."""
    doc = tok.doc
    lemma = tok.lemma_.lower()
    f = [f"l={lemma}", f"p={tok.pos_}", f"t={tok.tag_}", f"d={tok.dep_}", f"hd={tok.head.dep_}",
         f"hp={tok.head.pos_}", f"l|d={lemma}|{tok.dep_}", f"l|t={lemma}|{tok.tag_}"]
    if tok.head.i != tok.i:
        f.append(f"hl={tok.head.lemma_.lower()}|{tok.dep_}")
    deps = set()
    for c in tok.children:
        deps.add(c.dep_)
        if c.dep_ in _MARKED:
            f.append(f"cl={c.dep_}:{c.lower_}")
            f.append(f"l|cl={lemma}|{c.dep_}:{c.lower_}")
        elif c.dep_ in ("dobj", "xcomp", "attr", "oprd", "acomp"):
            f.append(f"{c.dep_}={c.lemma_.lower()}")
            f.append(f"{c.dep_}|p={c.pos_}")
        elif c.dep_ == "ccomp":
            if any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
                f.append("ccomp=finite")
                f.append(f"l|ccomp=finite|{lemma}")
            if any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
                f.append("ccomp=that")
            f.append("ccomp=" + ("before" if c.i < tok.i else "after"))
    for d in deps:
        f.append(f"c={d}")
        f.append(f"l|c={lemma}|{d}")
    subj = _subject(tok)
    if subj is not None:
        kind = _kind(subj)
        f.append(f"s={kind}")
        f.append(f"sl={subj.lemma_.lower()}")
        f.append(f"l|s={lemma}|{kind}")
        if table is not None:
            actor = table.get(table.actor_of(subj))
            f.append(f"sa={actor.kind if actor is not None else 'none'}")
            f.append(f"l|sa={lemma}|{actor.kind if actor is not None else 'none'}")
    else:
        f.append("s=none")
        f.append(f"l|s={lemma}|none")
    verb = lex.verbs.get(lemma)
    noun = lex.nouns.get(lemma)
    particle = next((c for c in tok.children if c.dep_ == "prt"), None)
    if particle is not None and lex.verbs.get(f"{lemma} {particle.lower_}"):
        verb = lex.verbs[f"{lemma} {particle.lower_}"]
    entry = verb if tok.pos_ != "NOUN" else noun
    if entry is not None:
        f.append("lex")
        f.extend(f"lexf={x}" for x in entry.frames)
        if entry.cognitive:
            f.append("lex=cognitive")
        if entry.attitude:
            f.append("lex=attitude")
    if tok.i in quoted:
        f.append("quoted")
    prev = doc[tok.i - 1] if tok.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if prev is not None:
        f.append(f"pl={prev.lower_ if prev.is_stop or prev.is_punct else prev.pos_}")
        if prev.is_quote:
            f.append("prev=quote")
        elif prev.i - 1 >= 0 and doc[prev.i - 1].is_quote:
            f.append("prev2=quote")
    if nxt is not None:
        f.append(f"nl={nxt.lower_ if nxt.is_stop or nxt.is_punct else nxt.pos_}")
        if nxt.is_quote:
            f.append("next=quote")
    if quoted_sentence:
        f.append("sent=quoted")
    if in_title:
        f.append("title")
    return f


@dataclass(frozen=True)
class CueCandidate:
    index: int
    features: list[str]
    lexical: bool  # the lexicon has rules for it


def cue_candidates(doc: Doc, lex: ReportingLexicon, quoted: Quotations,
                   title: tuple[int, int] | None = None,
                   table: ActorTable | None = None) -> list[CueCandidate]:
    out = []
    words = lex.cue_words
    sentence = np.cumsum(doc.to_array(SENT_START) == 1).tolist() if len(doc) else []
    quoted_sentences = {sentence[a] for a, _ in quoted.parts}
    for tok in doc:
        if is_cue_candidate(tok, lex):
            in_title = bool(title and title[0] <= tok.idx < title[1])
            lexical = tok.lower_ == "according" or tok.lemma_.lower() in words
            features = cue_features(tok, lex, quoted, in_title, table, sentence[tok.i] in quoted_sentences)
            out.append(CueCandidate(tok.i, features, lexical))
    return out


# --- content ------------------------------------------------------------------------------------------
_CLAUSE_DEPS = ("ccomp", "xcomp", "dobj", "attr", "oprd", "acomp", "advcl", "pcomp", "acl", "relcl", "appos",
                "nsubjpass", "csubj")
_PREPS = ("prep", "dative", "agent")


def _edge(tok: Token) -> Range:
    return tok.left_edge.i, tok.right_edge.i + 1


def _trimmed(doc: Doc, a: int, b: int) -> Range | None:
    while a < b and (doc[a].is_punct or doc[a].is_space):
        a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
        b -= 1
    return (a, b) if b > a else None


def _near_quotations(tok: Token, quoted: Quotations) -> list[tuple[str, Range]]:
    """The quotation closing just before the cue and the one opening just after it, in its paragraph:
    when one of them is the content, the quotation is attributed to the cue as a direct quote."""
    doc = tok.doc
    out = []
    before = [r for r in quoted.parts if r[1] <= tok.i and tok.i - r[1] <= 12]
    after = [r for r in quoted.parts if r[0] > tok.i and r[0] - tok.i <= 8]
    for kind, found in (("quote-before", before[-1:]), ("quote-after", after[:1])):
        if not found:
            continue
        r = found[0]
        lo, hi = min(r[0], tok.i), max(r[1], tok.i + 1)
        if not any("\n" in t.text_with_ws for t in doc[lo:hi - 1]):
            out.append((kind, r))
    return out


def content_candidates(tok: Token, quoted: Quotations = Quotations()) -> list[tuple[str, Range]]:
    """Stretches that can be a cue's content, each with the construction it comes from: the parse's
    clauses, objects and phrases around the cue, and the quotations next to it."""
    doc = tok.doc
    out: dict[Range, str] = {r: kind for kind, r in _near_quotations(tok, quoted)}

    def add(kind: str, a: int, b: int) -> None:
        r = _trimmed(doc, a, b)
        if r is not None and not (r[0] <= tok.i < r[1]) and r not in out:
            out[r] = kind

    children = list(tok.children)
    dobj = next((c for c in children if c.dep_ == "dobj"), None)
    for c in children:
        if c.dep_ in _CLAUSE_DEPS:
            add(f"{c.dep_}{'<' if c.i < tok.i else ''}", *_edge(c))
        elif c.dep_ in _PREPS:
            obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                add(f"prep:{c.lower_}", *_edge(obj))
                if dobj is not None and dobj.i < c.i:
                    add(f"dobj+prep:{c.lower_}", dobj.left_edge.i, obj.right_edge.i + 1)
        if dobj is not None and c.dep_ in ("oprd", "xcomp", "ccomp") and c.i > dobj.i:
            add("dobj+comp", dobj.left_edge.i, c.right_edge.i + 1)
    passive = next((c for c in children if c.dep_ == "nsubjpass"), None)
    if passive is not None:
        later = [c for c in children if c.i > tok.i and c.dep_ in ("oprd", "xcomp", "prep", "ccomp")]
        if later:
            add("subjpass+comp", passive.left_edge.i, later[-1].right_edge.i + 1)
    # everything after the cue in its subtree ("said on Monday in a statement that ...")
    right = [c for c in children if c.i > tok.i and not c.is_punct]
    if right:
        add("right", tok.i + 1, right[-1].right_edge.i + 1)
    # the clause around a parenthetical or trailing cue ("The plan, she said, will fail.")
    head = tok.head
    if head.i != tok.i and tok.dep_ in ("parataxis", "advcl", "conj", "ccomp", "relcl", "acl"):
        a, b = _edge(head)
        ca, cb = _edge(tok)
        if head.i < ca:
            add(f"head-left:{tok.dep_}", a, ca)
        if cb < b:
            add(f"head-right:{tok.dep_}", cb, b)
    if tok.lower_ == "according":
        sent = tok.sent
        to = doc[tok.i + 1] if tok.i + 1 < len(doc) else tok
        obj = next((g for g in to.children if g.dep_ == "pobj"), None)
        end = obj.right_edge.i + 1 if obj is not None else tok.i + 2
        add("according-left", sent.start, tok.i)
        add("according-right", end, sent.end)
    return [(kind, r) for r, kind in out.items()]


def _bucket(n: int) -> str:
    return "1" if n <= 1 else "2" if n == 2 else "3-4" if n <= 4 else "5-8" if n <= 8 else "9-16" if n <= 16 \
        else "17+"


def content_features(tok: Token, kind: str, r: Range, lex: ReportingLexicon,
                     quoted: Quotations) -> list[str]:
    """Sparse features of one candidate content of cue ``tok``."""
    doc = tok.doc
    lemma = tok.lemma_.lower()
    base = kind.split(":")[0]
    a, b = r
    words = [t for t in doc[a:b] if not t.is_punct]
    n = len(words)
    first = doc[a]
    f = [f"k={kind}", f"kb={base}", f"l|k={lemma}|{kind}", f"l|kb={lemma}|{base}", f"d|k={tok.dep_}|{base}",
         f"p|k={tok.pos_}|{base}", f"len={_bucket(n)}", f"kb|len={base}|{_bucket(n)}",
         f"first={first.lower_ if first.is_stop else first.pos_}", f"kb|first={base}|{first.lower_}",
         "side=left" if b <= tok.i else "side=right"]
    entry = lex.nouns.get(lemma) if tok.pos_ == "NOUN" else lex.verbs.get(lemma)
    if entry is not None:
        f.extend(f"lexf|kb={x}|{base}" for x in entry.frames)
    else:
        f.append(f"nolex|kb={base}")
    if any(t.pos_ in ("VERB", "AUX") for t in words):
        f.append("verb")
        f.append(f"kb|verb={base}")
    if any(t.dep_ == "nsubj" for t in words):
        f.append(f"kb|subj={base}")
    inside = sum(1 for t in words if t.i in quoted.tokens)
    if inside:
        f.append("quoted=all" if inside == n else "quoted=some")
    if any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in words) and n <= 4:
        f.append("short-entity")
    return f


def _log_odds_table(model: LinearModel) -> tuple[dict[str, float], float, float]:
    """(feature → weight of "yes" minus weight of "no", bias difference, temperature)."""
    yes, no = model.labels.index("yes"), model.labels.index("no")
    diff = (model.weights[: model.n_sparse, yes] - model.weights[: model.n_sparse, no]).tolist()
    names = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    return dict(zip(names, diff, strict=True)), float(model.bias[yes] - model.bias[no]), model.temperature


def _probability(table: tuple[dict[str, float], float, float], features: Iterable[str]) -> float:
    weights, bias, temperature = table
    z = bias + sum(weights.get(f, 0.0) for f in set(features))
    return 1.0 / (1.0 + math.exp(-max(-500.0, min(500.0, z / temperature))))


# --- the model ----------------------------------------------------------------------------------------
def bundled_model_dir() -> Path:
    return Path(str(resources.files("newsgraph") / "data" / "models" / "attribution"))


@dataclass
class AttributionModel:
    """The cue classifier and the content chooser, with the decision thresholds chosen in training."""

    cue: LinearModel
    content: LinearModel
    cue_threshold: float = 0.5
    rule_threshold: float = 0.5  # below it, even a lexicon cue with content is no attribution

    @classmethod
    def load(cls, directory: Path | None = None) -> AttributionModel:
        directory = directory or bundled_model_dir()
        cue = LinearModel.load(directory / "cue")
        content = LinearModel.load(directory / "content")
        threshold = float(cue.meta.get("threshold", 0.5))
        return cls(cue=cue, content=content, cue_threshold=threshold,
                   rule_threshold=float(cue.meta.get("rule_threshold", threshold)))

    def __post_init__(self) -> None:
        # a binary model's log-odds is a sum of per-feature differences: one dict lookup per feature
        self._cue = _log_odds_table(self.cue)
        self._content = _log_odds_table(self.content)

    @property
    def version(self) -> str:
        return str(self.cue.meta.get("version", "0"))

    def cue_probability(self, features: list[str]) -> float:
        return _probability(self._cue, features)

    def best_content(self, tok: Token, lex: ReportingLexicon,
                     quoted: Quotations) -> tuple[str, Range, float] | None:
        """The most probable content of cue ``tok`` among the parse's candidates."""
        best: tuple[str, Range, float] | None = None
        for kind, r in content_candidates(tok, quoted):
            p = _probability(self._content, content_features(tok, kind, r, lex, quoted))
            if best is None or p > best[2]:
                best = (kind, r, p)
        return best
