"""``newsgraph eval places``: toponym resolution against places annotated with the place meant.

Two kinds of gold, both kept in the repository under ``annotations/places/``:

- ``re3d-open-locations.tsv``: the re3d-open Location entities that name a place, each with the country
  it lies in and the gazetteer entry meant (``-`` when the gazetteer has none: an air base, a dam, a
  village below 500 people); the texts come from the re3d folder given with ``--re3d``.
- ``sentences.jsonl``: sentences written for this project, one JSON object a line:
  ``{"id", "text", "places": [{"text", "country", "place"}], "event_place"?}``; a place's ``text`` is
  found in the sentence (its first occurrence, or the ``nth``); ``"place": "none"`` marks a name that
  must stay unresolved (an ambiguous name with nothing in the text to decide it). ``event_place`` is the
  gazetteer id of where the sentence's (first) event happened by the text, ``"-"`` for no stated place.

A gold place is *found* when a place mention overlaps it; of the overlapping places the most specific
resolved one is scored (a city over the country written beside it in "Palmyra, Syria"). Country accuracy
is over the gold places with a country, place accuracy over those the gazetteer holds; a place not
found counts as wrong in both.  Event location accuracy compares the stated ``geo`` of the sentence's
events with ``event_place``, over the sentences where the event coder coded an event at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import typer

from newsgraph.contract import Extraction, Place
from newsgraph.eval.report import ConfigOption, ModelOption, ReportFormat, ReportFormatOption, eval_settings
from newsgraph.geo.locate import SPECIFICITY

UNRESOLVED = "none"  # a gold place that must stay unresolved


@dataclass(frozen=True)
class GoldPlace:
    doc: str
    start: int
    end: int
    text: str
    country: str | None
    place: str | None


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    country_gold: int = 0
    country_right: int = 0
    place_gold: int = 0
    place_right: int = 0
    events_gold: int = 0
    events_right: int = 0
    errors: list[str] = field(default_factory=list)

    @staticmethod
    def ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    def as_dict(self) -> dict[str, object]:
        return {"gold": self.gold, "found": self.found,
                "country_accuracy": round(self.ratio(self.country_right, self.country_gold), 3),
                "country": [self.country_right, self.country_gold],
                "place_accuracy": round(self.ratio(self.place_right, self.place_gold), 3),
                "place": [self.place_right, self.place_gold],
                "event_location_accuracy": round(self.ratio(self.events_right, self.events_gold), 3),
                "events": [self.events_right, self.events_gold]}


def chosen(places: Iterable[Place], start: int, end: int) -> Place | None:
    """The most specific resolved place with a mention overlapping [start, end), else any such place."""
    over = [p for p in places if any(m.start < end and start < m.end for m in p.mentions)]
    if not over:
        return None
    return min(over, key=lambda p: (p.feature is None, SPECIFICITY.get(p.feature or "", 4)))


def score(gold: Iterable[GoldPlace], extraction: Extraction, tally: Tally) -> None:
    for g in gold:
        tally.gold += 1
        p = chosen(extraction.places, g.start, g.end)
        tally.found += p is not None
        got_country = p.country if p is not None else None
        got_place = p.gazetteer_id if p is not None else None
        if g.country:
            tally.country_gold += 1
            tally.country_right += got_country == g.country
        if g.place:
            tally.place_gold += 1
            tally.place_right += got_place == g.place or (g.place == UNRESOLVED and got_place is None)
        wrong_place = g.place and got_place != g.place and not (g.place == UNRESOLVED and got_place is None)
        if (g.country and got_country != g.country) or wrong_place:
            tally.errors.append(f"{g.doc}: {g.text!r} gold {g.country}/{g.place} got "
                                f"{got_country}/{got_place}" + ("" if p else " (not found)"))


# --- gold -------------------------------------------------------------------------------------------
def read_tsv(path: Path) -> list[GoldPlace]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        _ds, doc, begin, end, value, country, place = line.split("\t")
        out.append(GoldPlace(doc, int(begin), int(end), value, None if country == "-" else country,
                             None if place == "-" else place))
    return out


@dataclass(frozen=True)
class Sentence:
    id: str
    text: str
    places: tuple[GoldPlace, ...]
    event_place: str | None = None  # gazetteer id, "-" (no stated place) or None (not annotated)


def read_sentences(path: Path) -> list[Sentence]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        places = []
        for p in rec.get("places", []):
            pos = -1
            for _ in range(int(p.get("nth", 1))):
                pos = rec["text"].find(p["text"], pos + 1)
            if pos < 0:
                raise ValueError(f"{path}:{n}: {p['text']!r} is not in the sentence")
            places.append(GoldPlace(rec["id"], pos, pos + len(p["text"]), p["text"], p.get("country"),
                                    p.get("place")))
        out.append(Sentence(rec["id"], rec["text"], tuple(places), rec.get("event_place")))
    return out


# --- running ----------------------------------------------------------------------------------------
def run_re3d(gold_path: Path, re3d_root: Path, settings: object | None = None) -> Tally:
    from newsgraph.config import Settings
    from newsgraph.eval.re3d import load
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.ingest.readers import ArticleInput

    gold = read_tsv(gold_path)
    by_doc: dict[str, list[GoldPlace]] = {}
    for g in gold:
        by_doc.setdefault(g.doc, []).append(g)
    docs = [d for ds in load(re3d_root) for d in ds.documents if d.doc_id in by_doc]
    extractor = Extractor(settings if isinstance(settings, Settings) else Settings())
    tally = Tally()
    for doc, ex in zip(docs, extractor.extract_many(ArticleInput(text=d.text, id=d.doc_id) for d in docs),
                       strict=True):
        score(by_doc[doc.doc_id], ex, tally)
    return tally


def run_sentences(path: Path, settings: object | None = None) -> Tally:
    from newsgraph.config import Settings
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.ingest.readers import ArticleInput

    sentences = read_sentences(path)
    extractor = Extractor(settings if isinstance(settings, Settings) else Settings())
    tally = Tally()
    for s, ex in zip(sentences, extractor.extract_many(ArticleInput(text=s.text, id=s.id) for s in sentences),
                     strict=True):
        score(s.places, ex, tally)
        if s.event_place is not None and ex.events:  # scored where the event coder coded an event
            tally.events_gold += 1
            stated = next((e.geo for e in ex.events if e.geo is not None and e.geo.basis == "stated"), None)
            got = (stated.gazetteer_id if stated is not None else None) or "-"
            tally.events_right += got == s.event_place
            if got != s.event_place:
                tally.errors.append(f"{s.id}: event place gold {s.event_place} got {got}")
    return tally


def places_command(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False,
                                help="annotations/places/re3d-open-locations.tsv or a sentences .jsonl"),
    re3d: Path = typer.Option(None, "--re3d", exists=True, file_okay=False,
                              help="the re3d folder the TSV's documents come from"),
    fmt: ReportFormatOption = ReportFormat.text,
    details: bool = typer.Option(False, "--details", help="List every wrong or missed place."),
    model: ModelOption = None,
    config: ConfigOption = None,
) -> None:
    """Score toponym resolution (and event locations) against places annotated with the place meant."""
    settings = eval_settings(model, config)
    if gold.suffix == ".tsv":
        if re3d is None:
            raise typer.BadParameter("a re3d TSV needs --re3d DIR (the folder with the documents)")
        tally = run_re3d(gold, re3d, settings)
    else:
        tally = run_sentences(gold, settings)
    if fmt == ReportFormat.json:
        typer.echo(json.dumps(tally.as_dict(), indent=2))
        return
    if details:
        for e in tally.errors:
            typer.echo(f"  {e}")
    d = tally.as_dict()
    typer.echo(f"places  gold {tally.gold}  found {tally.found}")
    typer.echo(f"country accuracy {d['country_accuracy']:.3f} ({tally.country_right}/{tally.country_gold})  "
               f"place accuracy {d['place_accuracy']:.3f} ({tally.place_right}/{tally.place_gold})")
    if tally.events_gold:
        typer.echo(f"event location accuracy {d['event_location_accuracy']:.3f} "
                   f"({tally.events_right}/{tally.events_gold})")


def register(app: typer.Typer) -> None:
    app.command("places")(places_command)
