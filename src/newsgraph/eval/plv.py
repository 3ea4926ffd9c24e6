"""``newsgraph eval plv FILE``: event coding against PLV's marked (source, target) pairs.

PLV (Zero-Shot-PLOVER, 2017-2018 news) marks one pair a sentence, ``<s>...</s>`` and ``<t>...</t>``, with its
PLOVER root; PLV's YIELD is PLOVER's CONCEDE or RETREAT. The contract's events are scored as they are:

- an event's source (target) *matches* when one of that actor's mentions overlaps the marked source
  (target) span;
- *pair recall*: marked pairs with an extracted event of the gold type between a matching source and a
  matching target;
- *type given dyad*: of the pairs whose dyad some extracted event links, the share where one of those
  events has the gold type;
- *precision*: of the extracted events whose source and target both match the marked pair of their
  sentence, the share with the gold type.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import typer

from newsgraph.contract import Extraction
from newsgraph.eval.report import ConfigOption, ModelOption, ReportFormat, ReportFormatOption, eval_settings
from newsgraph.learn.event_data import PlvPair, read_plv


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _matches(ex: Extraction, actor_ids: Sequence[str], span: tuple[int, int]) -> bool:
    for a in actor_ids:
        actor = ex.actor(a)
        if actor is not None and any(_overlaps((m.start, m.end), span) for m in actor.mentions):
            return True
    return False


@dataclass
class PlvScore:
    pairs: int = 0
    pair_hits: int = 0
    dyads_found: int = 0
    dyad_type_right: int = 0
    dyad_events: int = 0
    dyad_events_right: int = 0
    confusion: Counter = field(default_factory=Counter)  # (gold root, predicted type or NONE)
    misses: list[dict] = field(default_factory=list)

    def add(self, other: PlvScore) -> None:
        for name in (
            "pairs",
            "pair_hits",
            "dyads_found",
            "dyad_type_right",
            "dyad_events",
            "dyad_events_right",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.confusion.update(other.confusion)
        self.misses.extend(other.misses)

    def as_dict(self) -> dict:
        r = lambda a, b: round(a / b, 3) if b else 0.0  # noqa: E731
        return {
            "pairs": self.pairs,
            "pair_recall": r(self.pair_hits, self.pairs),
            "type_given_dyad": r(self.dyad_type_right, self.dyads_found),
            "precision": r(self.dyad_events_right, self.dyad_events),
            "dyad_found": r(self.dyads_found, self.pairs),
            "events_on_pairs": self.dyad_events,
        }


def score(pairs: Sequence[PlvPair], extractions: Sequence[Extraction], keep_misses: bool = False) -> PlvScore:
    out = PlvScore()
    for pair, ex in zip(pairs, extractions, strict=True):
        out.pairs += 1
        on_pair = [
            ev
            for ev in ex.events
            if _matches(ex, ev.source, pair.source) and _matches(ex, ev.target, pair.target)
        ]
        right = [ev for ev in on_pair if pair.accepts(ev.type)]
        out.dyad_events += len(on_pair)
        out.dyad_events_right += len(right)
        if on_pair:
            out.dyads_found += 1
            out.dyad_type_right += bool(right)
        out.pair_hits += bool(right)
        predicted = right[0].type if right else (on_pair[0].type if on_pair else "NONE")
        out.confusion[(pair.root, predicted if not right else pair.root)] += 1
        if keep_misses and not right:
            out.misses.append(
                {
                    "id": pair.id,
                    "gold": pair.root,
                    "predicted": [ev.type for ev in on_pair],
                    "all_events": [(ev.type, ev.trigger.text) for ev in ex.events],
                    "text": pair.text[:200],
                }
            )
    return out


def run(path: Path, settings: object | None = None, keep_misses: bool = False) -> PlvScore:
    from newsgraph.config import Settings
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.ingest.readers import ArticleInput

    pairs = read_plv(path)
    extractor = Extractor(settings if isinstance(settings, Settings) else Settings())
    extractions = list(extractor.extract_many(ArticleInput(text=p.text, id=f"plv-{p.id}") for p in pairs))
    return score(pairs, extractions, keep_misses)


def plv_command(
    file: Path = typer.Argument(
        ..., help="PLV pairs (TSV with marked_sentence and gold_root)", exists=True, dir_okay=False
    ),
    fmt: ReportFormatOption = ReportFormat.text,
    details: bool = typer.Option(False, "--details", help="List the pairs without a right event."),
    model: ModelOption = None,
    config: ConfigOption = None,
) -> None:
    """Score event coding against PLV pairs: pair recall, type given dyad and precision."""
    settings = eval_settings(model, config)
    try:
        result = run(file, settings, keep_misses=details)
    except (OSError, ValueError, KeyError) as err:
        typer.echo(f"newsgraph: {err}", err=True)
        raise typer.Exit(2) from err
    d = result.as_dict()
    if fmt is ReportFormat.json:
        d["confusion"] = {f"{g}->{p}": n for (g, p), n in sorted(result.confusion.items())}
        if details:
            d["misses"] = result.misses
        typer.echo(json.dumps(d, indent=2, ensure_ascii=False))
        return
    if details:
        for m in result.misses:
            typer.echo(f"  MISS {m['gold']:<9} predicted {m['predicted'] or '-'}  {m['text'][:100]}")
    typer.echo(f"pairs {d['pairs']}  events on the pairs {d['events_on_pairs']}")
    typer.echo(
        f"pair recall {d['pair_recall']:.3f}  type given dyad {d['type_given_dyad']:.3f}  "
        f"precision {d['precision']:.3f}  (dyad found for {d['dyad_found']:.3f} of the pairs)"
    )


def register(eval_app: typer.Typer) -> None:
    """Adds ``plv`` to ``newsgraph eval``."""
    eval_app.command("plv")(plv_command)
