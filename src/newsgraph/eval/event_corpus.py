"""The annotated event corpus (``annotations/events/``): loading and scoring extractions against it.

The corpus codes every event of real news articles by docs/annotation-guidelines-events.md; its files
point into the shared texts by character offsets. Scoring, per article:

- an extracted event and a gold event *correspond* when their triggers overlap (or, failing that, their
  evidence spans overlap and the extracted trigger lies in the gold evidence) and the types are equal;
- *lenient* precision and recall count corresponding events; *strict* ones also need the dyad: a source
  among the gold sources and, when the gold has targets, a target among them. An extracted actor matches a
  gold argument when one of its mentions overlaps the gold span, or its name matches the gold name
  (surname or full name: the corpus names who a pronoun or title is);
- *modality accuracy* and *polarity accuracy* over corresponding events, and *inverted facts*: extracted
  as an actual positive fact while the gold says it did not happen or is not actual (or the reverse);
- an intent coded as PLOVER codes it ("will send aid": AGREE, ``promised`` AID) corresponds to the corpus's
  coding of the intended act (AID, planned), and is no inverted fact: the intent is the fact.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import typer

from newsgraph.contract import Actor, Event, Extraction
from newsgraph.eval.report import ConfigOption, ModelOption, ReportFormat, ReportFormatOption, eval_settings


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    text: str
    name: str | None = None
    kind: str | None = None
    country: str | None = None
    role: str | None = None
    basis: str | None = None


@dataclass(frozen=True)
class GoldEvent:
    id: str
    type: str
    trigger: GoldSpan
    evidence: tuple[int, int]
    source: tuple[GoldSpan, ...]
    target: tuple[GoldSpan, ...]
    implied: tuple[GoldSpan, ...] = ()
    polarity: str = "positive"
    modality: str = "actual"
    claimant: GoldSpan | None = None
    promised: str | None = None
    mode: str | None = None
    certain: bool = True

    @property
    def actual_fact(self) -> bool:
        return self.polarity == "positive" and self.modality == "actual"

    def arguments(self, role: str) -> tuple[GoldSpan, ...]:
        stated = self.source if role == "source" else self.target
        return stated + tuple(i for i in self.implied if i.role == role)


@dataclass
class AnnotatedDoc:
    doc: str  # path relative to the shared eval folder
    text: str
    split: str
    events: list[GoldEvent]
    non_events: list[GoldSpan] = field(default_factory=list)

    @property
    def id(self) -> str:
        return Path(self.doc).stem


class CorpusError(RuntimeError):
    pass


def _span(d: dict) -> GoldSpan:
    return GoldSpan(
        start=int(d["start"]),
        end=int(d["end"]),
        text=str(d["text"]),
        name=d.get("name"),
        kind=d.get("kind"),
        country=d.get("country"),
        role=d.get("role"),
        basis=d.get("basis"),
    )


def load_corpus(annotations: Path, shared: Path, splits: Iterable[str] | None = None) -> list[AnnotatedDoc]:
    """Every stored annotation whose article is in ``splits`` (all when None), with its text.

    Raises ``CorpusError`` when a shared text is missing or changed (its sha256 differs)."""
    sample = json.loads((annotations / "sample.json").read_text(encoding="utf-8"))
    split_of = {d["doc"]: d["split"] for d in sample["docs"]}
    wanted = set(splits) if splits is not None else None
    out = []
    for path in sorted((annotations / "docs").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        split = split_of.get(data["doc"], "extra")
        if wanted is not None and split not in wanted:
            continue
        text_path = shared / "eval" / data["doc"]
        if not text_path.is_file():
            raise CorpusError(f"{path.name}: the article {text_path} is missing")
        text = text_path.read_text(encoding="utf-8")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != data["text_sha256"]:
            raise CorpusError(f"{path.name}: {text_path} is not the text that was annotated")
        events = [
            GoldEvent(
                id=e["id"],
                type=e["type"],
                trigger=_span(e["trigger"]),
                evidence=(e["evidence"]["start"], e["evidence"]["end"]),
                source=tuple(_span(s) for s in e["source"]),
                target=tuple(_span(s) for s in e["target"]),
                implied=tuple(_span(s) for s in e.get("implied", [])),
                polarity=e["polarity"],
                modality=e["modality"],
                claimant=_span(e["claimant"]) if e.get("claimant") else None,
                promised=e.get("promised"),
                mode=e.get("mode"),
                certain=e.get("certain", True),
            )
            for e in data["events"]
        ]
        non_events = [_span(ne["trigger"]) for ne in data.get("non_events", [])]
        out.append(
            AnnotatedDoc(doc=data["doc"], text=text, split=split, events=events, non_events=non_events)
        )
    return out


# ---- scoring ---------------------------------------------------------------------------------------------
def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _name_matches(actor: Actor, gold: GoldSpan) -> bool:
    if not gold.name:
        return False
    a, g = actor.name.lower(), gold.name.lower()
    if a == g or a in g.split() or g in a:
        return True
    return a.split()[-1:] == g.split()[-1:] and len(a.split()[-1]) > 2


def actor_matches(actor: Actor | None, gold: GoldSpan) -> bool:
    if actor is None:
        return False
    if any(_overlaps((m.start, m.end), (gold.start, gold.end)) for m in actor.mentions):
        return True
    return _name_matches(actor, gold)


def _args_match(ids: Sequence[str], gold: Sequence[GoldSpan], ex: Extraction) -> bool:
    return any(actor_matches(ex.actor(a), g) for a in ids for g in gold)


def corresponds(ev: Event, gold: GoldEvent) -> bool:
    trig = (ev.trigger.start, ev.trigger.end)
    if _overlaps(trig, (gold.trigger.start, gold.trigger.end)):
        return True
    return gold.evidence[0] <= ev.trigger.start < gold.evidence[1] and _overlaps(
        (ev.evidence.start, ev.evidence.end), (gold.trigger.start, gold.trigger.end)
    )


def _same_type(ev: Event, gold: GoldEvent) -> bool:
    """The corpus codes an announced act as that act, planned ("will send aid": AID, planned); the extractor
    codes it as PLOVER does, an intent that happened (AGREE, promised AID). Both are right."""
    return ev.type == gold.type or (ev.promised == gold.type and gold.modality != "actual")


def dyad_matches(ev: Event, gold: GoldEvent, ex: Extraction) -> bool:
    if not _args_match(ev.source, gold.arguments("source"), ex):
        return False
    targets = gold.arguments("target")
    return not targets or _args_match(ev.target, targets, ex)


def _predicted_events(ex: Extraction) -> list[tuple[Event, tuple[int, int]]]:
    """Every statement of every extracted event (its main evidence and its further evidence)."""
    out = []
    for ev in ex.events:
        out.append((ev, (ev.trigger.start, ev.trigger.end)))
        for extra in ev.also_evidence:
            out.append(
                (ev.model_copy(update={"trigger": extra, "evidence": extra}), (extra.start, extra.end))
            )
    return out


@dataclass
class CorpusScore:
    gold: int = 0
    predicted: int = 0
    lenient_tp_gold: int = 0
    lenient_tp_pred: int = 0
    strict_tp_gold: int = 0
    strict_tp_pred: int = 0
    typed_pairs: int = 0  # corresponding by trigger, any type
    type_right: int = 0
    modality_right: int = 0
    polarity_right: int = 0
    inverted: int = 0
    confusion: Counter = field(default_factory=Counter)  # (gold type or NONE, predicted type or NONE)
    errors: list[dict] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return round(a / b, 3) if b else 0.0

    def as_dict(self) -> dict:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "lenient": {
                "precision": self._ratio(self.lenient_tp_pred, self.predicted),
                "recall": self._ratio(self.lenient_tp_gold, self.gold),
            },
            "strict": {
                "precision": self._ratio(self.strict_tp_pred, self.predicted),
                "recall": self._ratio(self.strict_tp_gold, self.gold),
            },
            "type_accuracy_on_found_triggers": self._ratio(self.type_right, self.typed_pairs),
            "modality_accuracy": self._ratio(self.modality_right, self.lenient_tp_pred),
            "polarity_accuracy": self._ratio(self.polarity_right, self.lenient_tp_pred),
            "inverted_facts": self.inverted,
        }


def score_document(doc: AnnotatedDoc, ex: Extraction, score: CorpusScore, keep_errors: bool = False) -> None:
    golds = doc.events
    score.gold += len(golds)
    preds = _predicted_events(ex)
    score.predicted += len(ex.events)
    matched_gold_lenient: set[str] = set()
    matched_gold_strict: set[str] = set()
    matched_events_lenient: set[str] = set()
    matched_events_strict: set[str] = set()
    for ev, _ in preds:
        any_type = [g for g in golds if corresponds(ev, g)]
        same = [g for g in any_type if _same_type(ev, g)]
        if any_type:
            score.typed_pairs += 1
            score.type_right += bool(same)
            score.confusion[(any_type[0].type, ev.type if not same else same[0].type)] += 1
        else:
            score.confusion[("NONE", ev.type)] += 1
        for g in same:
            first = ev.id not in matched_events_lenient
            matched_gold_lenient.add(g.id)
            matched_events_lenient.add(ev.id)
            if first:
                score.modality_right += ev.modality == g.modality
                score.polarity_right += ev.polarity == g.polarity
                pred_fact = ev.polarity == "positive" and ev.modality == "actual" and ev.type == g.type
                if pred_fact != g.actual_fact and (pred_fact or g.actual_fact) and ev.promised != g.type:
                    score.inverted += 1
                    if keep_errors:
                        score.errors.append(
                            {
                                "doc": doc.id,
                                "kind": "inverted",
                                "trigger": ev.trigger.text,
                                "gold": f"{g.polarity}/{g.modality}",
                                "predicted": f"{ev.polarity}/{ev.modality}",
                            }
                        )
            if dyad_matches(ev, g, ex):
                matched_gold_strict.add(g.id)
                matched_events_strict.add(ev.id)
        if keep_errors and not same:
            score.errors.append(
                {
                    "doc": doc.id,
                    "kind": "false-positive" if not any_type else "wrong-type",
                    "trigger": ev.trigger.text,
                    "type": ev.type,
                    "gold": any_type[0].type if any_type else None,
                    "evidence": ev.evidence.text[:160],
                }
            )
    for g in golds:
        if g.id not in matched_gold_lenient:
            score.confusion[(g.type, "NONE")] += 1
            if keep_errors:
                score.errors.append(
                    {
                        "doc": doc.id,
                        "kind": "missed",
                        "type": g.type,
                        "trigger": g.trigger.text,
                        "evidence": doc.text[g.evidence[0] : g.evidence[1]][:160],
                    }
                )
    score.lenient_tp_gold += len(matched_gold_lenient)
    score.strict_tp_gold += len(matched_gold_strict)
    score.lenient_tp_pred += len(matched_events_lenient)
    score.strict_tp_pred += len(matched_events_strict)


def evaluate(
    docs: Sequence[AnnotatedDoc],
    extractions: Sequence[Extraction],
    keep_errors: bool = False,
) -> CorpusScore:
    score = CorpusScore()
    for doc, ex in zip(docs, extractions, strict=True):
        score_document(doc, ex, score, keep_errors)
    return score


def run(
    annotations: Path,
    shared: Path,
    splits: Sequence[str],
    settings: object | None = None,
    keep_errors: bool = False,
) -> tuple[CorpusScore, int]:
    from newsgraph.config import Settings
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.ingest.readers import ArticleInput

    docs = load_corpus(annotations, shared, splits)
    extractor = Extractor(settings if isinstance(settings, Settings) else Settings())
    extractions = list(extractor.extract_many(ArticleInput(text=d.text, id=d.id) for d in docs))
    return evaluate(docs, extractions, keep_errors), len(docs)


def events_command(
    annotations: Path = typer.Argument(
        Path("annotations/events"), help="the event corpus folder", exists=True, file_okay=False
    ),
    split: list[str] = typer.Option(["dev"], "--split", help="corpus split(s): train, dev, test"),
    shared: Path = typer.Option(Path("../shared"), "--shared", help="the folder holding eval/polnear/"),
    fmt: ReportFormatOption = ReportFormat.text,
    details: bool = typer.Option(
        False, "--details", help="List false, wrong-type, missed and inverted events."
    ),
    model: ModelOption = None,
    config: ConfigOption = None,
) -> None:
    """Score events against the annotated corpus: precision, recall, modality and inverted facts."""
    settings = eval_settings(model, config)
    try:
        score, n_docs = run(annotations, shared, split, settings, keep_errors=details)
    except (OSError, CorpusError, KeyError, ValueError) as err:
        typer.echo(f"newsgraph: {err}", err=True)
        raise typer.Exit(2) from err
    d = score.as_dict() | {"articles": n_docs, "splits": split}
    if fmt is ReportFormat.json:
        d["confusion"] = {f"{g}->{p}": n for (g, p), n in sorted(score.confusion.items())}
        if details:
            d["errors"] = score.errors
        typer.echo(json.dumps(d, indent=2, ensure_ascii=False))
        return
    if details:
        for e in score.errors:
            typer.echo("  " + "  ".join(f"{k}={v}" for k, v in e.items() if k != "doc") + f"  [{e['doc']}]")
    typer.echo(f"articles {n_docs} ({', '.join(split)})  gold events {d['gold']}  extracted {d['predicted']}")
    typer.echo(f"lenient  precision {d['lenient']['precision']:.3f}  recall {d['lenient']['recall']:.3f}")
    typer.echo(f"strict   precision {d['strict']['precision']:.3f}  recall {d['strict']['recall']:.3f}")
    typer.echo(
        f"modality accuracy {d['modality_accuracy']:.3f}  polarity accuracy {d['polarity_accuracy']:.3f}  "
        f"inverted facts {d['inverted_facts']}"
    )


def register(eval_app: typer.Typer) -> None:
    """Adds ``events`` to ``newsgraph eval``."""
    eval_app.command("events")(events_command)
