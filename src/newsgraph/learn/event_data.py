"""Labelled event candidates from the three training sources.

- the event corpus (``annotations/events``): every event of an article is coded, so every candidate is
  labelled: the gold type when it overlaps a gold trigger, else ``NONE``;
- PLV pairs (``plv-train.tsv``): one marked (source, target) pair a sentence with its PLOVER root; the
  candidate whose frame links the pair is the positive, other candidates linking the same pair are ``NONE``
  (one pair, one event), and the rest of the sentence is not labelled (PLV codes one pair only);
- PLOVER gold-standard records: the candidate at the first event word of the record's markup (``EVT``) takes
  the record's type; the rest is not labelled.

Rows carry a group (the article or sentence) so cross-validation never splits one text across folds.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

from newsgraph.eval.event_corpus import AnnotatedDoc
from newsgraph.eval.plover import gold_actors as plover_actors
from newsgraph.extract.event_candidates import Candidate
from newsgraph.learn.training import Featurized

NONE = "NONE"
UNCERTAIN_WEIGHT = 0.5
PLV_ROOTS = {"YIELD": ("CONCEDE", "RETREAT")}  # PLV's YIELD is PLOVER's CONCEDE or RETREAT
_OLD_TYPES = {"DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "DEMAND": "REQUEST", "FIGHT": "ASSAULT"}


@dataclass
class PlvPair:
    id: str
    text: str
    source: tuple[int, int]
    target: tuple[int, int]
    root: str  # PLV's root label (YIELD included)

    def accepts(self, plover_type: str) -> bool:
        return plover_type in PLV_ROOTS.get(self.root, (self.root,))


def read_plv(path: Path) -> list[PlvPair]:
    """Marked PLV sentences, with the offsets of the marked source and target in the unmarked text."""
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            marked = row["marked_sentence"]
            text, spans, pos = [], {}, 0
            for piece in re.split(r"(</?[st]>)", marked):
                if piece in ("<s>", "<t>"):
                    spans[piece[1]] = [pos, None]
                elif piece in ("</s>", "</t>"):
                    spans[piece[2]][1] = pos
                else:
                    text.append(piece)
                    pos += len(piece)
            if "s" not in spans or "t" not in spans or None in spans["s"] or None in spans["t"]:
                continue
            full = "".join(text)
            s, t = spans["s"], spans["t"]
            # marked spans sometimes include the space before the closing tag: trim both ends
            for span in (s, t):
                while span[0] < span[1] and full[span[0]].isspace():
                    span[0] += 1
                while span[1] > span[0] and full[span[1] - 1].isspace():
                    span[1] -= 1
            out.append(
                PlvPair(
                    id=row["sentence_id"] or row[""],
                    text=full,
                    source=(s[0], s[1]),
                    target=(t[0], t[1]),
                    root=row["gold_root"].strip(),
                )
            )
    return out


@dataclass
class GsrRecord:
    id: str
    text: str
    type: str
    event_words: list[tuple[int, int]]
    sources: tuple = ()  # GoldActor tuples, as newsgraph eval plover reads them
    targets: tuple = ()


def read_gsr(path: Path) -> list[GsrRecord]:
    out = []
    for r in json.loads(path.read_text(encoding="utf-8")):
        text = str(r.get("text", "")).strip()
        etype = _OLD_TYPES.get(str(r.get("event", "")), str(r.get("event", "")))
        if not text or not etype:
            continue
        words = []
        for w in re.findall(r"\(EVT: ([^()]*)\)", r.get("textInfo", {}).get("markup", "")):
            first = w.split()[0] if w.split() else ""
            pos = text.find(first) if first else -1
            if pos >= 0:
                words.append((pos, pos + len(first)))
        out.append(
            GsrRecord(
                id=str(r.get("id")),
                text=text,
                type=etype,
                event_words=words,
                sources=plover_actors(r.get("source")),
                targets=plover_actors(r.get("target")),
            )
        )
    return out


# ---- frames against marked spans ---------------------------------------------------------------------
def _subtree_span(tok: Token) -> tuple[int, int]:
    left, right = tok.left_edge, tok.right_edge
    return left.idx, right.idx + len(right.text)


def _covers(tok: Token | None, span: tuple[int, int]) -> bool:
    if tok is None:
        return False
    a = _subtree_span(tok)
    head = (tok.idx, tok.idx + len(tok.text))
    # the argument's head word inside the marked span, or the marked span inside the argument phrase
    return (span[0] <= head[0] and head[1] <= span[1]) or (
        a[0] <= span[0] and span[1] <= a[1] and a[1] - a[0] <= 3 * (span[1] - span[0]) + 20
    )


def links_pair(c: Candidate, source: tuple[int, int], target: tuple[int, int]) -> bool:
    if not _covers(c.subject, source):
        return False
    if any(_covers(o, target) for _, o in c.objects):
        return True
    # a target further down the candidate's own phrase ("imposed sanctions on X", "a ceasefire in X")
    head = c.light if c.light is not None else c.token
    lo, hi = _subtree_span(head)
    return (
        lo <= target[0] and target[1] <= hi and not (c.subject.idx <= target[0] < _subtree_span(c.subject)[1])
    )


# ---- rows --------------------------------------------------------------------------------------------
Featurize = "Callable[[Doc], list[tuple[Candidate, list[str], object]]]"


def _row(c: Candidate, feats: list[str], vec, label: str, group: str, source: str) -> Featurized:
    return Featurized(
        features=feats,
        label=label,
        group=group,
        dense=vec,
        info={"source": source, "token": c.token.i, "word": c.token.text, "kind": c.kind},
    )


def plv_rows(pairs: Iterable[PlvPair], docs: Iterable[Doc], featurize) -> Iterator[Featurized]:
    for pair, doc in zip(pairs, docs, strict=True):
        cands = featurize(doc)
        linking = [(c, f, v) for c, f, v in cands if links_pair(c, pair.source, pair.target)]
        if not linking:
            continue
        accepted = [x for x in linking if x[0].entry is not None and pair.accepts(x[0].entry.type)]
        chosen = (accepted or linking)[0]
        label = chosen[0].entry.type if accepted else PLV_ROOTS.get(pair.root, (pair.root,))[0]
        for c, f, v in linking:
            yield _row(c, f, v, label if c is chosen[0] else NONE, f"plv:{pair.id}", "plv")


def gsr_rows(records: Iterable[GsrRecord], docs: Iterable[Doc], featurize) -> Iterator[Featurized]:
    for rec, doc in zip(records, docs, strict=True):
        cands = featurize(doc)
        for start, end in rec.event_words:
            hit = next(
                (
                    (c, f, v)
                    for c, f, v in cands
                    if any(t.idx < end and start < t.idx + len(t.text) for t in c.parts)
                ),
                None,
            )
            if hit is not None:
                yield _row(*hit, rec.type, f"gsr:{rec.text[:40]}", "gsr")
                break


def corpus_rows(docs: Iterable[AnnotatedDoc], parsed: Iterable[Doc], featurize) -> Iterator[Featurized]:
    for adoc, doc in zip(docs, parsed, strict=True):
        spans = [(g.trigger.start, g.trigger.end, g.type, g.certain) for g in adoc.events]
        for c, f, v in featurize(doc):
            label, certain, best = NONE, True, 0
            for s, e, t, sure in spans:
                overlap = sum(1 for tok in c.parts if tok.idx < e and s < tok.idx + len(tok.text))
                if overlap > best:
                    best, label, certain = overlap, t, sure
            row = _row(c, f, v, label, f"corpus:{adoc.id}", "corpus")
            if not certain:  # a judgement call the annotator flagged: it teaches the model less
                row.weight = UNCERTAIN_WEIGHT
            yield row


def parse(nlp: Language, texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
    yield from nlp.pipe(texts, batch_size=batch_size)


# ---- role rows: which actor mention is the source, which the target ------------------------------------
def _role_of(m, actor, sources, targets) -> str:
    from newsgraph.eval.event_corpus import _name_matches

    for role, spans in (("source", sources), ("target", targets)):
        for g in spans:
            if m.start < g.end and g.start < m.end:
                return role
    for role, spans in (("source", sources), ("target", targets)):
        if actor is not None and any(_name_matches(actor, g) for g in spans if getattr(g, "name", None)):
            return role
    return "none"


def _role_rows_for(
    c: Candidate, event_type: str, doc: Doc, sources, targets, group: str, source_tag: str
) -> Iterator[Featurized]:
    from newsgraph.extract.event_roles import mention_features, sentence_mentions

    table = doc._.ng_actors
    if table is None:
        return
    speaker = c.quote.speaker if c.quote is not None else None
    mentions = sentence_mentions(doc, c.token.sent, table, (t.i for t in c.parts))
    if speaker is not None and not any(m.actor_id == speaker for m in mentions):
        own = [m for m in table.mentions if m.actor_id == speaker]
        if own:
            mentions.append(min(own, key=lambda x: abs(x.token_start - c.token.i)))
    for m in mentions:
        label = _role_of(m, table.get(m.actor_id), sources, targets)
        yield Featurized(
            features=mention_features(c, event_type, m, doc, table, speaker),
            label=label,
            group=group,
            info={"source": source_tag},
        )


def corpus_role_rows(adoc: AnnotatedDoc, doc: Doc, cands: list[Candidate]) -> Iterator[Featurized]:
    for g in adoc.events:
        best, overlap = None, 0
        for c in cands:
            n = sum(
                1 for tok in c.parts if tok.idx < g.trigger.end and g.trigger.start < tok.idx + len(tok.text)
            )
            if n > overlap:
                best, overlap = c, n
        if best is not None:
            yield from _role_rows_for(
                best, g.type, doc, g.arguments("source"), g.arguments("target"), f"corpus:{adoc.id}", "corpus"
            )


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    name: str | None = None


def plv_role_rows(pair: PlvPair, doc: Doc, cands: list[Candidate]) -> Iterator[Featurized]:
    linking = [c for c in cands if links_pair(c, pair.source, pair.target)]
    if not linking:
        return
    accepted = [c for c in linking if c.entry is not None and pair.accepts(c.entry.type)]
    chosen = (accepted or linking)[0]
    label = chosen.entry.type if accepted else PLV_ROOTS.get(pair.root, (pair.root,))[0]
    yield from _role_rows_for(
        chosen, label, doc, [_Span(*pair.source)], [_Span(*pair.target)], f"plv:{pair.id}", "plv"
    )
