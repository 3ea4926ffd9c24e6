"""``newsgraph eval plover FILE``: event coding against PLOVER gold-standard records.

A record is one sentence with its coded event: type, source and target actors (CAMEO country codes, or
``IGO``/``NGO``/... with a sector). Records use an older type list, read as today's: DISAPPROVE and
INVESTIGATE are ACCUSE, DEMAND is REQUEST, FIGHT is ASSAULT; CAMEO country codes differing from ISO 3166
(JAP, ITL, VTN...) are mapped to ISO.

Each distinct sentence is extracted once; records sharing a sentence are all its gold events. The
contract's events are scored **as they are**: the event's ``type``, ``source`` and ``target`` fields, with
no reading of events that lives only in the scorer (PLOVER's conventions, such as a promise being AGREE or
a protest with no stated target being aimed at the protesters' own state, are the extractor's job: it
writes them into the event, flagging implied arguments in ``implied``). Every event counts, whatever its
polarity or modality.

Matching. A predicted actor matches a gold actor when its ``country`` or ``code`` (or those of the body it
speaks for) equals the gold code; the codes IGO, NGO, IMG, MNC... match the actor's code or sector. An actor
without any code matches nothing. A predicted event matches a gold record when the types are equal, a
source is among the gold sources and, where the gold has targets, a target is among them.

Figures: dyad+type recall (gold records matched), dyad+type precision (predicted events matching a gold
record of their sentence), and type accuracy (records whose gold type is among the types predicted for the
sentence, over records with any prediction).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import typer

from newsgraph.contract import Actor, Extraction
from newsgraph.eval.report import ConfigOption, ModelOption, ReportFormat, ReportFormatOption, eval_settings
from newsgraph.extract.event_ontology import Ontology, load_ontology

# CAMEO country codes that differ from ISO 3166-1 alpha-3.
CAMEO_TO_ISO = {
    "JAP": "JPN",
    "ITL": "ITA",
    "VTN": "VNM",
    "GMY": "DEU",
    "UK": "GBR",
    "TAW": "TWN",
    "SAF": "ZAF",
    "SWZ": "CHE",
    "SPN": "ESP",
    "ROM": "ROU",
    "ZAI": "COD",
    "BUR": "MMR",
}
# Codes that name a kind of actor rather than a country: matched against the actor's code or sector.
TRANSNATIONAL = {"IGO", "NGO", "IMG", "MNC", "ISM", "UAF"}


@dataclass(frozen=True)
class GoldActor:
    code: str
    sector: str | None
    text: str


@dataclass(frozen=True)
class GoldRecord:
    id: str
    text: str
    type: str
    original_type: str
    sources: tuple[GoldActor, ...]
    targets: tuple[GoldActor, ...]


def normalise_code(code: str) -> str:
    code = (code or "").strip().upper()
    return CAMEO_TO_ISO.get(code, code)


def gold_actors(value: object) -> tuple[GoldActor, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        GoldActor(normalise_code(str(a.get("code", ""))), a.get("sector"), str(a.get("actorText", "")))
        for a in value
        if isinstance(a, dict) and a.get("code")
    )


def load_records(path: Path, ontology: Ontology) -> list[GoldRecord]:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    out = []
    for r in data:
        canonical = ontology.canonical_type(str(r.get("event", "")))
        if canonical is None or not r.get("text"):
            continue
        out.append(
            GoldRecord(
                id=str(r.get("id")),
                text=str(r["text"]).strip(),
                type=canonical,
                original_type=str(r.get("event")),
                sources=gold_actors(r.get("source")),
                targets=gold_actors(r.get("target")),
            )
        )
    return out


def actor_codes(actor: Actor, extraction: Extraction) -> set[str]:
    codes = {c.upper() for c in (actor.country, actor.code, actor.sector) if c}
    org = extraction.actor(actor.organization)
    if org is not None:
        codes |= {c.upper() for c in (org.country, org.code, org.sector) if c}
    return codes


def actor_matches(actor: Actor | None, gold: GoldActor, extraction: Extraction, text: str = "") -> bool:
    if actor is None:
        return False
    codes = actor_codes(actor, extraction)
    if gold.code in TRANSNATIONAL:
        return gold.code in codes or any(c.startswith(gold.code) for c in codes)
    return gold.code in codes


@dataclass
class Prediction:
    type: str
    source: list[str]
    target: list[str]
    trigger: str
    matched: bool = False


@dataclass
class SentenceScore:
    text: str
    gold: list[GoldRecord]
    predicted: list[Prediction]
    matched_gold: list[str] = field(default_factory=list)


@dataclass
class PloverScore:
    sentences: list[SentenceScore]
    by_type: dict[str, list[int]] = field(default_factory=dict)  # type -> [gold, matched]

    @property
    def gold(self) -> int:
        return sum(len(s.gold) for s in self.sentences)

    @property
    def predicted(self) -> int:
        return sum(len(s.predicted) for s in self.sentences)

    @property
    def recall(self) -> float:
        return sum(len(s.matched_gold) for s in self.sentences) / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        right = sum(p.matched for s in self.sentences for p in s.predicted)
        return right / self.predicted if self.predicted else 0.0

    @property
    def type_accuracy(self) -> float:
        with_pred = [(g, s) for s in self.sentences if s.predicted for g in s.gold]
        if not with_pred:
            return 0.0
        return sum(any(p.type == g.type for p in s.predicted) for g, s in with_pred) / len(with_pred)

    @property
    def coverage(self) -> float:
        """Share of gold records whose sentence got any event at all."""
        return sum(len(s.gold) for s in self.sentences if s.predicted) / self.gold if self.gold else 0.0

    def as_dict(self, details: bool = False) -> dict:
        p, r = self.precision, self.recall
        out: dict = {
            "records": self.gold,
            "sentences": len(self.sentences),
            "predicted": self.predicted,
            "dyad_type": {
                "recall": round(r, 4),
                "precision": round(p, 4),
                "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            },
            "type_accuracy": round(self.type_accuracy, 4),
            "coverage": round(self.coverage, 4),
            "by_type": {t: {"gold": g, "matched": m} for t, (g, m) in sorted(self.by_type.items())},
        }
        if details:
            out["sentences_detail"] = [
                {
                    "text": s.text,
                    "gold": [
                        f"{g.type} {'/'.join(a.code for a in g.sources)} -> "
                        f"{'/'.join(a.code for a in g.targets)}"
                        for g in s.gold
                    ],
                    "matched": s.matched_gold,
                    "predicted": [
                        f"{x.type} {x.source} -> {x.target} [{x.trigger}]{' ok' if x.matched else ''}"
                        for x in s.predicted
                    ],
                }
                for s in self.sentences
            ]
        return out


def score_sentence(
    text: str, gold: Sequence[GoldRecord], extraction: Extraction, ontology: Ontology | None = None
) -> SentenceScore:
    preds: list[Prediction] = []
    score = SentenceScore(text=text, gold=list(gold), predicted=preds)
    for ev in extraction.events:
        src = [extraction.actor(a) for a in ev.source]
        tgt = [extraction.actor(a) for a in ev.target]
        pred = Prediction(
            type=ev.type,
            trigger=ev.trigger.text,
            source=[f"{a.name}/{a.country or a.code}" for a in src if a],
            target=[f"{a.name}/{a.country or a.code}" for a in tgt if a],
        )
        for g in gold:
            if g.type != ev.type:
                continue
            if not any(actor_matches(a, ga, extraction) for a in src for ga in g.sources):
                continue
            if g.targets and not any(actor_matches(a, ga, extraction) for a in tgt for ga in g.targets):
                continue
            pred.matched = True
            if g.id not in score.matched_gold:
                score.matched_gold.append(g.id)
        preds.append(pred)
    return score


def score_records_strict(records: Sequence[object], extraction: Extraction) -> dict[str, int]:
    """Counts for one sentence's records given as ``event_data.GsrRecord``-like objects or GoldRecords."""
    gold = [r if isinstance(r, GoldRecord) else _as_gold(r) for r in records]
    s = score_sentence(gold[0].text if gold else "", gold, extraction)
    return {"gold": len(gold), "matched_gold": len(s.matched_gold), "predicted": len(s.predicted),
            "matched_predicted": sum(p.matched for p in s.predicted)}


def _as_gold(r) -> GoldRecord:
    return GoldRecord(id=r.id, text=r.text, type=r.type, original_type=r.type, sources=r.sources,
                      targets=r.targets)


def evaluate(
    records: Sequence[GoldRecord], extractions: Iterable[Extraction], texts: Sequence[str], ontology: Ontology
) -> PloverScore:
    by_text: dict[str, list[GoldRecord]] = {}
    for r in records:
        by_text.setdefault(r.text, []).append(r)
    sentences = [
        score_sentence(t, by_text[t], ex, ontology) for t, ex in zip(texts, extractions, strict=True)
    ]
    by_type: dict[str, list[int]] = {}
    for s in sentences:
        for g in s.gold:
            row = by_type.setdefault(g.type, [0, 0])
            row[0] += 1
            row[1] += g.id in s.matched_gold
    return PloverScore(sentences=sentences, by_type=by_type)


def run(path: Path, settings: object | None = None) -> PloverScore:
    from newsgraph.config import Settings
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.ingest.readers import ArticleInput

    ontology = load_ontology()
    records = load_records(path, ontology)
    texts = list(dict.fromkeys(r.text for r in records))
    extractor = Extractor(settings if isinstance(settings, Settings) else Settings())
    articles = (ArticleInput(text=t, id=f"plover-{k}") for k, t in enumerate(texts))
    return evaluate(records, list(extractor.extract_many(articles)), texts, ontology)


def plover_command(
    file: Path = typer.Argument(
        ..., help="PLOVER gold-standard records (JSON list)", exists=True, dir_okay=False
    ),
    fmt: ReportFormatOption = ReportFormat.text,
    details: bool = typer.Option(False, "--details", help="List gold and predicted events per sentence."),
    model: ModelOption = None,
    config: ConfigOption = None,
) -> None:
    """Score event coding (type, source, target) against PLOVER gold-standard records."""
    settings = eval_settings(model, config)
    try:
        result = run(file, settings)
    except (OSError, ValueError) as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from err
    if fmt is ReportFormat.json:
        typer.echo(json.dumps(result.as_dict(details), indent=2, ensure_ascii=False))
        return
    if details:
        for s in result.sentences:
            typer.echo(s.text[:110])
            for g in s.gold:
                mark = "ok " if g.id in s.matched_gold else "MISS"
                typer.echo(
                    f"  {mark} gold {g.type} {'/'.join(a.code for a in g.sources)} -> "
                    f"{'/'.join(a.code for a in g.targets)}"
                )
            for p in s.predicted:
                typer.echo(
                    f"  {'ok ' if p.matched else 'XTRA'} pred {p.type} {p.source} -> {p.target} [{p.trigger}]"
                )
    d = result.as_dict()
    typer.echo(f"records {d['records']}  sentences {d['sentences']}  predicted events {d['predicted']}")
    typer.echo(
        f"type accuracy {d['type_accuracy']:.3f}  (records whose sentence has predictions: "
        f"{d['coverage']:.3f})"
    )
    typer.echo(
        f"dyad+type  recall {d['dyad_type']['recall']:.3f}  precision {d['dyad_type']['precision']:.3f}  "
        f"F1 {d['dyad_type']['f1']:.3f}"
    )
    counts = Counter({t: v["gold"] for t, v in d["by_type"].items()})
    typer.echo("  ".join(f"{t} {d['by_type'][t]['matched']}/{n}" for t, n in sorted(counts.items())))


def register(eval_app: typer.Typer) -> None:
    """Adds ``plover`` to ``newsgraph eval``."""
    eval_app.command("plover")(plover_command)


__all__ = [
    "GoldActor",
    "GoldRecord",
    "PloverScore",
    "load_records",
    "actor_matches",
    "score_sentence",
    "evaluate",
    "run",
    "register",
    "normalise_code",
]
