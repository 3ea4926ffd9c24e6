"""Toponym resolution: which gazetteer entry a place name in an article means, or none.

Each candidate entry gets a score from what it is (a country outranks a town of the same name, a
populous city a hamlet, the primary name an alternate one, a capital a namesake) and from the article's
evidence: a qualifier written with the name ("Paris, Texas", "Palmyra, Syria"), a kind word ("Kirkuk
province", "the city of Mosul"), the countries the article is about (its state actors and its
unambiguous places), the dateline's country and region, and regions named elsewhere in the article. The
best candidate is taken when it leads the next one by ``MARGIN`` or only it has evidence; otherwise the
name stays unresolved ("Springfield" with nothing to go on). Resolution runs twice, so that places
resolved on the first pass count as evidence for the rest.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from newsgraph.geo.gazetteer import Gazetteer, GazetteerEntry, name_key

Cue = Literal["region", "city"]
MARGIN = 0.8
_BASE = {"country": 5.0, "area": 5.5, "region": 5.0, "city": 1.0}


@dataclass
class Toponym:
    """One place mention: where it is, the name to look up, and what the text says about its kind."""

    start: int
    end: int
    surface: str
    cue: Cue | None = None
    within: int | None = None  # index of the toponym that qualifies this one ("Palmyra, Syria")
    origin: str = "ner"  # ner | gazetteer | dateline
    known: GazetteerEntry | None = None  # the country the actor layer reads the name as ("the US")
    qualifies: bool = False  # written after another place and a comma: "Woodbridge, Virginia"
    namesake: str | None = None  # the listed place an unlisted feature is named after ("Mount Sinjar")


@dataclass
class Resolution:
    entry: GazetteerEntry | None
    candidates: int
    confidence: float = 0.0
    inside: GazetteerEntry | None = None  # for an unlisted feature: the place it is named after


@dataclass
class Evidence:
    """What the article says about where it is: country weights, the dateline's entry, regions named."""

    countries: Mapping[str, float] = field(default_factory=dict)
    dateline: GazetteerEntry | None = None
    regions: frozenset[tuple[str, str]] = frozenset()
    nearby: tuple[tuple[float, float], ...] = ()  # points of the article's other resolved places


def _score(c: GazetteerEntry, key: str, t: Toponym, ev: Evidence,
           qualifier: GazetteerEntry | None) -> tuple[float, bool]:
    s = _BASE[c.feature]
    # size says which of two namesakes is meant more often: a decade of people is worth a point
    # (cities500 lists places of unknown population as 0: counted as the smallest it lists; a
    # region's size is the people of its towns, and a region counts a point less than a city that big)
    if c.feature == "city":
        s += math.log10(max(c.population, 1000)) + (2.0 if c.capital else 0.0)
    elif c.feature in ("country", "region") and c.population:
        s += math.log10(c.population) - (4.0 if c.feature == "country" else 6.0)
    s += 1.0 if name_key(c.name) == key else -0.5  # an alternate name is a weaker claim than the name
    if t.cue is not None and c.feature == t.cue:
        s += 3.0 if t.cue == "region" else 2.0
    if t.qualifies and c.feature in ("country", "region"):
        s += 2.0
    support = 0.0
    if c.country and ev.countries.get(c.country):
        support += 2.0 * ev.countries[c.country]  # weighed by the country's share of the article
    if ev.dateline is not None and ev.dateline.id != c.id and c.country == ev.dateline.country:
        support += 1.0 + (2.0 if c.region and c.region == ev.dateline.region else 0.0)
    if c.feature != "region" and c.region and (c.country or "", c.region) in ev.regions:
        support += 2.5
    if c.feature in ("city", "region") and ev.nearby:  # places of one article tend to lie near each other
        near = min((_km(c.lat, c.lon, lat, lon) for lat, lon in ev.nearby if abs(c.lat - lat) < 9.5),
                   default=math.inf)  # 9.5 degrees of latitude are more than 1,000 km
        support += 1.5 if near < 300 else 0.75 if near < 1000 else 0.0
    if qualifier is not None:
        inside = c.country == qualifier.country and c.id != qualifier.id
        if qualifier.feature in ("country", "area") and inside:
            support += 6.0
        elif qualifier.feature == "region" and c.country == qualifier.country and c.region == qualifier.name:
            support += 6.0
    return s + support, support > 0


def resolve_one(gazetteer: Gazetteer, t: Toponym, ev: Evidence,
                qualifier: GazetteerEntry | None = None) -> Resolution:
    if t.known is not None:
        return Resolution(t.known, 1, 0.95)
    cands = _distinct((c for c in gazetteer.candidates(t.surface) if not math.isnan(c.lat)), t.cue)
    if t.surface.isupper() and len(t.surface.replace(".", "")) <= 4:
        cands = [c for c in cands if c.feature != "city"]  # "US" is no village called Us
    if not cands:
        if t.namesake:
            named = resolve_one(gazetteer, Toponym(t.start, t.end, t.namesake), ev, qualifier).entry
            if named is not None and ev.countries.get(named.country or ""):  # only in the article's countries
                return Resolution(None, 0, inside=named)
        return Resolution(None, 0)
    key = name_key(t.surface)
    scored = sorted(((*_score(c, key, t, ev, qualifier), c) for c in cands), key=lambda x: -x[0])
    best_score, best_supported, best = scored[0]
    if len(scored) == 1:
        sure = best_supported or best.feature != "city" or best.population > 0
        return Resolution(best, 1, 0.9 if sure else 0.7)
    second_score, second_supported, _ = scored[1]
    margin = best_score - second_score
    if margin >= MARGIN or (best_supported and not second_supported and margin > 0):
        return Resolution(best, len(scored), round(min(0.95, 0.6 + 0.1 * margin), 2))
    return Resolution(None, len(scored))


def _distinct(cands, cue: Cue | None = None) -> list[GazetteerEntry]:
    """One entry per place: GeoNames files some cities twice (the city and its seat, a few km apart),
    and a region named after its city is meant only when the text says so ("Kirkuk province")."""
    out: list[GazetteerEntry] = []
    for c in sorted(cands, key=lambda c: -c.population):
        if not any(o.feature == c.feature and o.country == c.country and name_key(o.name) == name_key(c.name)
                   and abs(o.lat - c.lat) < 0.3 and abs(o.lon - c.lon) < 0.3 for o in out):
            out.append(c)
    if cue != "region":
        cities = {(c.country, c.region) for c in out if c.feature == "city"}
        out = [c for c in out
               if c.feature != "region" or c.country == "USA" or (c.country, c.name) not in cities]
    return out


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlon = math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))


def resolve_all(gazetteer: Gazetteer, toponyms: Sequence[Toponym],
                countries: Mapping[str, float], dateline: int | None = None) -> list[Resolution]:
    """Resolve every toponym of an article; ``countries`` weighs the states its actors name (0..1),
    ``dateline`` is the index of the dateline's toponym."""
    base = Evidence(countries=dict(countries))
    out: list[Resolution] = [Resolution(None, 0) for _ in toponyms]
    keys = [name_key(t.surface) for t in toponyms]
    first = True
    for _ in range(2):
        if dateline is not None:
            out[dateline] = _resolve_at(gazetteer, toponyms, dateline, base if first else
                                        _evidence(countries, out, keys, keys[dateline], base.dateline), out)
            base = Evidence(base.countries, out[dateline].entry)
        evidence: dict[str, Evidence] = {}
        for i in sorted(range(len(toponyms)), key=lambda i: toponyms[i].within is not None):
            if i == dateline:
                continue
            if not first and keys[i] not in evidence:
                evidence[keys[i]] = _evidence(countries, out, keys, keys[i], base.dateline)
            out[i] = _resolve_at(gazetteer, toponyms, i, base if first else evidence[keys[i]], out)
        first = False
    return out


def _evidence(countries: Mapping[str, float], done: Sequence[Resolution], keys: Sequence[str], own: str,
              dateline: GazetteerEntry | None) -> Evidence:
    """The article's evidence for one name: the actors' states and the places resolved under other names
    (a name is no evidence for itself)."""
    others = [r.entry for r, k in zip(done, keys, strict=True) if r.entry is not None and k != own]
    found = Counter(e.country for e in others if e.country)
    weights = dict(countries)
    for iso3, n in found.items():
        weights[iso3] = max(weights.get(iso3, 0.0), min(1.0, n / max(found.values())))
    regions = frozenset((e.country or "", e.region) for e in others if e.feature == "region" and e.region)
    nearby = tuple({(e.lat, e.lon) for e in others if e.feature in ("city", "region")})
    return Evidence(weights, dateline, regions, nearby)


def _resolve_at(gazetteer: Gazetteer, toponyms: Sequence[Toponym], i: int, ev: Evidence,
                done: list[Resolution]) -> Resolution:
    t = toponyms[i]
    qualifier = None
    if t.within is not None:
        q = done[t.within].entry or resolve_one(gazetteer, toponyms[t.within], ev).entry
        qualifier = q
    return resolve_one(gazetteer, t, ev, qualifier)
