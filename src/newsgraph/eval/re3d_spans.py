"""Entity spans scored as named-entity recognition is: overlap and exact F1 against re3d.

``newsgraph eval re3d`` asks whether the right actors exist (any overlap, recall per type). This module
asks the question NER papers and the issue's held-out figures ask, so newsgraph can be set beside spaCy's
NER or a re3d-trained tagger: every gold Person, Organisation, Nationality and Location span (confidence
>= 0.5, pronouns apart) against every span newsgraph marks, each side typed:

- an actor mention is Person (kind ``person``), Organisation (``organization``, ``group``, ``party``),
  and for a state Location when its words name the state ("Syria") or Nationality when they do not
  ("Syrian");
- a place mention is Location, unless it overlaps an actor mention (a state named is both a place and
  an actor: its words are marked once, as the actor).

A prediction and a gold span *match on overlap* when they share a character and agree on type, *exactly*
when their boundaries are the same too; matching is one to one, best overlap first. Untyped overlap
drops the type test (is something marked there at all).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsgraph.contract import Extraction
from newsgraph.eval.report import MatchCounts, one_to_one

SPAN_TYPES: tuple[str, ...] = ("Person", "Organisation", "Nationality", "Location")
_KIND_TYPES = {"person": "Person", "organization": "Organisation", "group": "Organisation",
               "party": "Organisation"}

Span2 = tuple[int, int]
TypedSpan = tuple[int, int, str]


MEASURES: tuple[str, ...] = ("overlap", "exact", "untyped_overlap", "untyped_exact")


@dataclass
class SpanScore:
    """Per measure the overall tally and one per gold type (a type's precision counts the predictions
    of that type)."""

    overall: dict[str, MatchCounts] = field(default_factory=lambda: {m: MatchCounts() for m in MEASURES})
    by_type: dict[str, dict[str, MatchCounts]] = field(
        default_factory=lambda: {t: {m: MatchCounts() for m in MEASURES} for t in SPAN_TYPES})
    # "Type text" of gold spans missed, and of predictions with no gold, on the typed overlap measure
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    # "gold | predicted" pairs that match on typed overlap but not exactly: where boundaries differ
    boundary: list[str] = field(default_factory=list)

    def add(self, other: SpanScore) -> None:
        for m in MEASURES:
            self.overall[m].add(other.overall[m])
            for t in SPAN_TYPES:
                self.by_type[t][m].add(other.by_type[t][m])

    def as_dict(self) -> dict:
        return {"overall": {m: t.as_dict() for m, t in self.overall.items()},
                "by_type": {ty: {m: t.as_dict() for m, t in ms.items()} for ty, ms in self.by_type.items()}}


def predicted_spans(extraction: Extraction, is_state, is_pronoun) -> list[TypedSpan]:
    """The typed spans an extraction marks (actor mentions and places), pronouns left out."""
    text_kinds: dict[Span2, str] = {}
    for a in extraction.actors:
        for m in a.mentions:
            if is_pronoun(m.text):
                continue
            if a.kind == "state":
                # the state's name ends the phrase ("the United States", "northern Syria")
                words = m.text.split(" ")
                named = any(is_state(" ".join(words[i:])) for i in range(len(words)))
                kind = "Location" if named else "Nationality"
            else:
                kind = _KIND_TYPES.get(a.kind)
            if kind is not None:
                # one type per span: a person wins over a body, a body over a place
                prev = text_kinds.get((m.start, m.end))
                if prev is None or SPAN_TYPES.index(kind) < SPAN_TYPES.index(prev):
                    text_kinds[(m.start, m.end)] = kind
    actor_spans = list(text_kinds)
    for p in extraction.places:
        for m in p.mentions:
            # the words of a state's mention are both a place and an actor: marked once
            if not any(s < m.end and m.start < e for s, e in actor_spans):
                text_kinds.setdefault((m.start, m.end), "Location")
    return sorted((s, e, k) for (s, e), k in text_kinds.items())


def _overlap(a: TypedSpan, b: TypedSpan) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _match(pred: Sequence[TypedSpan], gold: Sequence[TypedSpan], typed: bool,
           exact: bool) -> set[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index), best overlap ratio first."""
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if (typed and p[2] != g[2]) or (exact and p[:2] != g[:2]):
                continue
            ov = _overlap(p, g)
            if ov:
                pairs.append((ov / max(p[1] - p[0], g[1] - g[0]), i, j))
    return one_to_one(pairs)


def score_spans(text: str, gold: Iterable[TypedSpan], pred: Iterable[TypedSpan]) -> SpanScore:
    """Every measure for one document."""
    gold, pred = sorted(set(gold)), sorted(set(pred))
    score = SpanScore()
    for measure in MEASURES:
        typed, exact = not measure.startswith("untyped"), measure.endswith("exact")
        pairs = _match(pred, gold, typed, exact)
        tally = score.overall[measure]
        tally.predicted, tally.gold = len(pred), len(gold)
        tally.predicted_matched = tally.gold_matched = len(pairs)
        for ty in SPAN_TYPES:
            t = score.by_type[ty][measure]
            t.predicted = sum(p[2] == ty for p in pred)
            t.gold = sum(g[2] == ty for g in gold)
            # typed: a pair has one type; untyped: credit the prediction's and the gold's own types
            t.predicted_matched = sum(pred[i][2] == ty for i, _ in pairs)
            t.gold_matched = sum(gold[j][2] == ty for _, j in pairs)
        if measure == "overlap":
            hit_p, hit_g = {i for i, _ in pairs}, {j for _, j in pairs}
            score.missed = [f"{g[2]}: {text[g[0]:g[1]]}" for j, g in enumerate(gold) if j not in hit_g]
            score.extra = [f"{p[2]}: {text[p[0]:p[1]]}" for i, p in enumerate(pred) if i not in hit_p]
            score.boundary = [f"{gold[j][2]}: {text[gold[j][0]:gold[j][1]]} | {text[pred[i][0]:pred[i][1]]}"
                              for i, j in sorted(pairs) if pred[i][:2] != gold[j][:2]]
    return score


__all__ = ["SPAN_TYPES", "MEASURES", "SpanScore", "predicted_spans", "score_spans"]
