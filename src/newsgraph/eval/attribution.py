"""``newsgraph eval attribution DIR``: quotations and reported speech against brat attribution corpora.

Layout (that of PolNeAR): ``DIR/text/DOC.txt`` and ``DIR/attributions/DOC_ANNOTATOR.ann``; the first
annotator file (in name order) of each document is the gold. Gold attributions are brat events
``E… Attribution:T… Content:T… Cue:T… Source:T…`` whose arguments are text-bound annotations, possibly
discontinuous ("212 263;290 326").

Matching. A predicted quote and a gold attribution match on *content* when their content spans overlap by
at least half of the shorter one. A discontinuous span counts as the set of its parts: its length is the
sum of the parts' lengths and the overlap of two spans is the summed overlap of every pair of parts (for
a predicted quote, its ``parts`` when split, else ``start``–``end``). The *attributed* match also needs
the predicted ``speaker_span`` to overlap a part of the gold Source span; a gold attribution without a
Source can then only match a prediction without a speaker span. Matching is one to one, best overlap
first; every predicted quote (direct, partial and indirect) counts towards precision.

Per kind. Gold attributions carry no kind, so it is read from the text: a content of which nine tenths
(of its non-space characters) lie inside quotation marks (as `quote_marks` pairs them) is *direct*, one
with some quoted words *partial*, the rest *indirect*. Recall per kind counts gold attributions of that
kind; precision per kind counts predicted quotes of that kind. *Speaker accuracy given a found quote*:
of the content matches, the share whose speaker also matches (the attributed rule).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import typer

from newsgraph.contract import Quote
from newsgraph.eval.report import (
    ConfigOption,
    MatchCounts,
    ModelOption,
    ReportFormat,
    ReportFormatOption,
    eval_settings,
    one_to_one,
)

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GoldAttribution:
    id: str
    content: Spans
    source: Spans = ()
    cue: Spans = ()


@dataclass(frozen=True)
class GoldDocument:
    doc_id: str
    text_path: Path
    ann_path: Path
    attributions: tuple[GoldAttribution, ...]


@dataclass
class Counts:
    predicted: int = 0
    gold: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.predicted += other.predicted
        self.gold += other.gold
        self.matched += other.matched

    def as_dict(self) -> dict[str, float | int]:
        return {"predicted": self.predicted, "gold": self.gold, "matched": self.matched,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


KINDS = ("direct", "partial", "indirect")


# precision counts predicted quotes of the kind, recall gold attributions of the kind
KindCounts = MatchCounts


@dataclass
class SpeakerCounts:
    found: int = 0  # content matches
    right: int = 0  # … whose speaker matches too

    @property
    def accuracy(self) -> float:
        return self.right / self.found if self.found else 0.0

    def add(self, other: SpeakerCounts) -> None:
        self.found += other.found
        self.right += other.right


@dataclass
class DocumentScore:
    doc_id: str
    content: Counts
    attributed: Counts
    kinds: dict[str, KindCounts] = field(default_factory=lambda: {k: KindCounts() for k in KINDS})
    speaker: SpeakerCounts = field(default_factory=SpeakerCounts)
    missed: list[str] = field(default_factory=list)  # gold content text not matched (attributed)
    extra: list[str] = field(default_factory=list)  # predicted quote text not matched (attributed)


def read_text(path: Path) -> str:
    """The file exactly as brat counts it: line ends are kept ("\\r\\n" stays two characters)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


# --- reading brat ---------------------------------------------------------------------------------
_SPAN = re.compile(r"^(\d+) (\d+)$")


def parse_spans(field_text: str) -> Spans:
    """``"74 105"`` or ``"212 263;290 326"`` → ((74, 105),) / ((212, 263), (290, 326))."""
    out = []
    for piece in field_text.split(";"):
        m = _SPAN.match(piece.strip())
        if not m:
            raise ValueError(f"bad brat span {piece!r}")
        out.append((int(m.group(1)), int(m.group(2))))
    return tuple(out)


def parse_ann(text: str) -> tuple[GoldAttribution, ...]:
    """Attribution events of a brat ``.ann`` file (other lines are ignored)."""
    spans: dict[str, Spans] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            label, _, where = parts[1].partition(" ")
            spans[parts[0]] = parse_spans(where)
        elif line.startswith("E"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            args = [tuple(a.split(":", 1)) for a in parts[1].split() if ":" in a]
            events.append((parts[0], args))  # type: ignore[arg-type]
    out = []
    for eid, args in events:
        if not args or not any(role.startswith("Content") for role, _ in args):
            continue  # other event types
        roles: dict[str, list[tuple[int, int]]] = {"Content": [], "Source": [], "Cue": []}
        for role, ref in args:
            base = role.rstrip("0123456789")
            if base in roles and ref in spans:
                roles[base].extend(spans[ref])
        if roles["Content"]:
            out.append(GoldAttribution(eid, tuple(sorted(roles["Content"])), tuple(roles["Source"]),
                                       tuple(roles["Cue"])))
    return tuple(out)


def load_corpus(root: Path) -> list[GoldDocument]:
    """Every ``text/DOC.txt`` with its first annotator's ``attributions/DOC_*.ann``."""
    text_dir, ann_dir = root / "text", root / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise FileNotFoundError(f"{root}: expected text/ and attributions/ directories")
    anns: dict[str, list[Path]] = {}
    for p in sorted(ann_dir.glob("*.ann")):
        doc_id = p.stem.rsplit("_", 1)[0] if "_" in p.stem else p.stem
        anns.setdefault(doc_id, []).append(p)
    docs = []
    for txt in sorted(text_dir.glob("*.txt")):
        files = anns.get(txt.stem)
        if not files:
            continue
        ann = files[0]
        docs.append(GoldDocument(txt.stem, txt, ann, parse_ann(read_text(ann))))
    return docs


# --- matching -------------------------------------------------------------------------------------
def _length(spans: Spans) -> int:
    return sum(b - a for a, b in spans)


def overlap(x: Spans, y: Spans) -> int:
    return sum(max(0, min(b1, b2) - max(a1, a2)) for a1, b1 in x for a2, b2 in y)


def content_matches(pred: Spans, gold: Spans) -> bool:
    shorter = min(_length(pred), _length(gold))
    return shorter > 0 and overlap(pred, gold) >= 0.5 * shorter


def quote_spans(q: Quote) -> Spans:
    return tuple((p.start, p.end) for p in q.parts) if q.parts else ((q.start, q.end),)


def quoted_characters(text: str) -> set[int]:
    from newsgraph.extract.quote_marks import find_quotes

    return {i for q in find_quotes(text).quotes for a, b in q.parts for i in range(a, b)}


def gold_kind(text: str, content: Spans, quoted: set[int]) -> str:
    """direct, partial or indirect, from how much of the content lies inside quotation marks."""
    chars = [i for a, b in content for i in range(a, min(b, len(text))) if not text[i].isspace()]
    inside = sum(1 for i in chars if i in quoted)
    if chars and inside >= 0.9 * len(chars):
        return "direct"
    return "partial" if inside else "indirect"


def score_document(doc_id: str, text: str, quotes: Sequence[Quote],
                   gold: Sequence[GoldAttribution]) -> DocumentScore:
    content_pairs: list[tuple[float, int, int]] = []
    attributed_pairs: list[tuple[float, int, int]] = []
    for pi, q in enumerate(quotes):
        ps = quote_spans(q)
        for gi, g in enumerate(gold):
            if not content_matches(ps, g.content):
                continue
            ratio = overlap(ps, g.content) / max(1, min(_length(ps), _length(g.content)))
            content_pairs.append((ratio, pi, gi))
            speaker = ((q.speaker_span.start, q.speaker_span.end),) if q.speaker_span else ()
            if (g.source and speaker and overlap(speaker, g.source) > 0) or (not g.source and not speaker):
                attributed_pairs.append((ratio, pi, gi))
    content = one_to_one(content_pairs)
    attributed = one_to_one(attributed_pairs)
    matched_g = {g for _, g in attributed}
    matched_p = {p for p, _ in attributed}
    kinds = {k: KindCounts() for k in KINDS}
    quoted = quoted_characters(text) if gold else set()
    for gi, g in enumerate(gold):
        k = kinds[gold_kind(text, g.content, quoted)]
        k.gold += 1
        k.gold_matched += gi in matched_g
    for pi, q in enumerate(quotes):
        kinds[q.kind].predicted += 1
        kinds[q.kind].predicted_matched += pi in matched_p
    right = {(p, g) for _, p, g in attributed_pairs}
    return DocumentScore(
        doc_id,
        Counts(len(quotes), len(gold), len(content)),
        Counts(len(quotes), len(gold), len(attributed)),
        kinds=kinds,
        speaker=SpeakerCounts(len(content), sum(1 for pair in content if pair in right)),
        missed=[" … ".join(text[a:b] for a, b in g.content)
                for i, g in enumerate(gold) if i not in matched_g],
        extra=[q.text for i, q in enumerate(quotes) if i not in matched_p],
    )


@dataclass
class CorpusScore:
    documents: list[DocumentScore]
    content: Counts
    attributed: Counts
    kinds: dict[str, KindCounts] = field(default_factory=lambda: {k: KindCounts() for k in KINDS})
    speaker: SpeakerCounts = field(default_factory=SpeakerCounts)

    def add(self, score: DocumentScore) -> None:
        self.documents.append(score)
        self.content.add(score.content)
        self.attributed.add(score.attributed)
        for k, c in score.kinds.items():
            self.kinds[k].add(c)
        self.speaker.add(score.speaker)

    def as_dict(self, details: bool = False) -> dict:
        out: dict = {"documents": len(self.documents), "content": self.content.as_dict(),
                     "attributed": self.attributed.as_dict(),
                     "kinds": {k: c.as_dict() for k, c in self.kinds.items()},
                     "speaker_accuracy": {"found": self.speaker.found,
                                          "accuracy": round(self.speaker.accuracy, 4)}}
        if details:
            out["per_document"] = [
                {"doc": d.doc_id, "content": d.content.as_dict(), "attributed": d.attributed.as_dict(),
                 "missed": d.missed, "extra": d.extra} for d in self.documents]
        return out


def evaluate(docs: Iterable[GoldDocument], quotes_of: Iterable[Sequence[Quote]]) -> CorpusScore:
    """Score predictions (one list of quotes per document, in the same order) against the gold."""
    total = CorpusScore([], Counts(), Counts())
    for doc, quotes in zip(docs, quotes_of, strict=True):
        total.add(score_document(doc.doc_id, read_text(doc.text_path), quotes, doc.attributions))
    return total


def run(root: Path, settings: object | None = None) -> CorpusScore:
    """Extract every document of the corpus at ``root`` and score it."""
    from newsgraph.config import Settings
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.ingest.readers import ArticleInput

    docs = load_corpus(root)
    extractor = Extractor(settings if isinstance(settings, Settings) else Settings())
    articles = (ArticleInput(text=read_text(d.text_path), id=d.doc_id) for d in docs)
    return evaluate(docs, (ex.quotes for ex in extractor.extract_many(articles)))


# --- command --------------------------------------------------------------------------------------
def attribution_command(
    directory: Path = typer.Argument(..., help="brat corpus: text/DOC.txt and attributions/DOC_ANNOTATOR.ann",
                                     exists=True, file_okay=False),
    fmt: ReportFormatOption = ReportFormat.text,
    details: bool = typer.Option(False, "--details", help="List missed and extra attributions per document."),
    model: ModelOption = None,
    config: ConfigOption = None,
) -> None:
    """Score quotations and reported speech against brat attribution annotations (PolNeAR layout)."""
    try:
        result = run(directory, eval_settings(model, config))
    except FileNotFoundError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from err
    if fmt is ReportFormat.json:
        typer.echo(json.dumps(result.as_dict(details), indent=2, ensure_ascii=False))
        return
    if details:
        for d in result.documents:
            typer.echo(f"{d.doc_id}: attributed {d.attributed.matched}/{d.attributed.gold} "
                       f"(predicted {d.attributed.predicted})")
            for m in d.missed:
                typer.echo(f"  MISSED {m[:100]!r}")
            for x in d.extra:
                typer.echo(f"  EXTRA  {x[:100]!r}")
    typer.echo(f"documents {len(result.documents)}  gold {result.content.gold}  "
               f"predicted {result.content.predicted}")
    for name, c in (("content-only", result.content), ("attributed", result.attributed)):
        typer.echo(f"{name:13} P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}  "
                   f"(matched {c.matched})")
    for kind, k in result.kinds.items():
        typer.echo(f"  {kind:11} P {k.precision:.3f}  R {k.recall:.3f}  F1 {k.f1:.3f}  "
                   f"(predicted {k.predicted}, gold {k.gold}; attributed)")
    typer.echo(f"speaker accuracy given a found quote {result.speaker.accuracy:.3f} "
               f"({result.speaker.right} of {result.speaker.found})")


def register(eval_app: typer.Typer) -> None:
    """Adds ``attribution`` to ``newsgraph eval``."""
    eval_app.command("attribution")(attribution_command)


__all__ = ["GoldAttribution", "GoldDocument", "Counts", "KindCounts", "SpeakerCounts", "CorpusScore",
           "DocumentScore", "gold_kind", "parse_ann",
           "parse_spans", "load_corpus", "score_document", "evaluate", "run", "register"]
