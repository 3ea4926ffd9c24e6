"""Reader for PETRARCH/TABARI-style actor and agent dictionaries.

Supported (a subset of the published formats, enough for user dictionaries):

* actor entries: a name line ``BARACK_OBAMA_`` (underscores are spaces; a trailing ``_`` is dropped),
  optionally followed on the same line by codes ``[USAGOV]``;
* synonym lines ``+OBAMA_`` adding surface forms to the current entry;
* code lines (usually indented) ``[USAELI 20050103-20081116]``, ``[USAGOV >20090120]`` (from that date),
  ``[USAGOV <20170120]`` (until that date); several ``[...]`` groups per line are allowed;
* agent entries: ``FOREIGN_MINISTER_ [~GOVFRM]`` or ``[GOV~]`` (the ``~`` marks a role noun);
* ``#`` and ``;`` comments (whole line or trailing).

Not supported and counted in ``Layer.skipped``: ``{...}`` plural/compound blocks, ``<...>`` pattern
lines and ``!...!`` macros; entries coded ``[---]`` ("not an actor") are dropped. The reader produces
records in the project YAML format, so the knowledge base merges them with other files the same way.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from newsgraph.kb.loader import Layer, agent_from_record
from newsgraph.kb.normalize import slug

# CAMEO "country" prefixes that are not states: international/non-governmental/multinational bodies,
# unidentified actors and world regions.
NON_STATE_PREFIXES = frozenset({
    "IGO", "NGO", "NGM", "MNC", "IMG", "UIS", "UNK", "INT",
    "AFR", "ASA", "BLK", "CRB", "CAU", "CFR", "CAS", "CEU", "EIN", "EAF", "EEU", "EUR", "LAM", "MEA",
    "MDT", "NAF", "NMR", "PGS", "SCN", "SAM", "SAS", "SEA", "SAF", "WAF", "WST", "ARB", "ATH",
})
# Sector labels used as the office title when a dictionary gives only a code.
ROLE_LABELS: Mapping[str, str] = MappingProxyType({
    "GOV": "Government", "ELI": "Elite", "MIL": "Military", "LEG": "Legislature", "JUD": "Judiciary",
    "OPP": "Opposition", "REB": "Rebel", "MED": "Media", "BUS": "Business", "CVL": "Civilian",
    "COP": "Police", "SPY": "Intelligence", "HLH": "Health", "EDU": "Education", "LAB": "Labour",
    "REF": "Refugee", "IGO": "International organisation", "NGO": "Non-governmental organisation",
    "PTY": "Political party", "UAF": "Armed forces", "AGR": "Agriculture", "ENV": "Environment",
    "CRM": "Criminal", "REL": "Religion", "MOD": "Moderate", "RAD": "Radical",
})
_PARTICLES = frozenset({"of", "the", "and", "for", "de", "la", "le", "al", "el", "bin", "ibn", "von", "van",
                        "der", "du", "da", "di", "on", "in"})
_KEEP_CAPS = frozenset({"US", "UN", "EU", "UK", "USA", "UAE", "DPRK", "ROK", "PRC", "NATO", "IAEA"})
_COLLECTIVE = frozenset({"police", "army", "military", "government", "navy", "air force", "cabinet",
                         "parliament", "legislature", "judiciary", "court", "opposition", "media", "press",
                         "administration", "regime", "junta", "militia", "guard", "ministry", "council",
                         "people", "public", "staff", "personnel", "leadership", "clergy", "youth",
                         "police force"})
_CODE = re.compile(r"\[([^\]]*)\]")
_COMMENT = re.compile(r"\s(?:#|;).*$")
_DATE = re.compile(r"^\d{8}$")
_NAME_LINE = re.compile(r"^\+?[A-Z0-9][A-Z0-9_'.&\-]*_?(\s+\[[^\]]*\])*\s*$")
_CODE_LINE = re.compile(r"^(\[[^\]]*\]\s*)+$")


@dataclass
class _Actor:
    name: str
    synonyms: list[str] = field(default_factory=list)
    codes: list[tuple[str, datetime.date | None, datetime.date | None]] = field(default_factory=list)


def looks_like_petrarch(text: str) -> bool:
    """A text with ``NAME_`` lines or ``[CODE]`` groups and no YAML structure."""
    hits = 0
    for line in text.splitlines()[:200]:
        s = line.strip()
        if not s or s.startswith(("#", ";")):
            continue
        if s.startswith(("version:", "entries:", "agents:", "{\"")):
            return False
        if _NAME_LINE.match(s) or _CODE_LINE.match(s):
            hits += 1
    return hits > 0


def _date(token: str) -> datetime.date:
    if not _DATE.match(token):
        raise ValueError(f"bad PETRARCH date {token!r} (expected YYYYMMDD)")
    return datetime.date(int(token[:4]), int(token[4:6]), int(token[6:]))


def parse_code(group: str) -> tuple[str, datetime.date | None, datetime.date | None]:
    """``"USAGOV 20090120-20170120"`` -> ("USAGOV", start, end); ``>D`` from D, ``<D`` until D."""
    parts = group.split()
    if not parts:
        raise ValueError("empty code []")
    code = parts[0]
    start = end = None
    if len(parts) > 1:
        rng = parts[1]
        if rng.startswith(">"):
            start = _date(rng[1:])
        elif rng.startswith("<"):
            end = _date(rng[1:])
        elif "-" in rng:
            a, b = rng.split("-", 1)
            start, end = _date(a), _date(b)
        else:
            start = _date(rng)
    return code, start, end


def display_name(raw: str) -> str:
    """``BARACK_OBAMA_`` -> ``Barack Obama``; short acronyms stay in capitals, particles lower-case."""
    words = [w for w in raw.replace("_", " ").split() if w]
    out = []
    for i, w in enumerate(words):
        up = w.upper()
        if up in _KEEP_CAPS or (len(up) <= 3 and not re.search(r"[AEIOUY]", up)):
            out.append(up)
        elif i > 0 and w.lower() in _PARTICLES:
            out.append(w.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def _split_code(code: str) -> tuple[str | None, str | None]:
    """Country (ISO3-like prefix of a state code) and sector (the next three letters).

    For non-state prefixes ("IGOUNO", "IMGMOSREB") the sector is the first known role group after the
    prefix, else the prefix itself for IGO/NGO/MNC.
    """
    prefix = code[:3]
    groups = [code[i:i + 3] for i in range(3, len(code), 3)]
    if prefix in NON_STATE_PREFIXES:
        known = [g for g in groups if g in ROLE_LABELS]
        if known:
            return None, known[0]
        return None, prefix if prefix in ("IGO", "NGO", "MNC") else None
    return prefix, groups[0] if groups else None


def _actor_record(actor: _Actor) -> dict[str, Any]:
    name = display_name(actor.name)
    aliases = [display_name(s) for s in actor.synonyms]
    codes = actor.codes
    latest = max(codes, key=lambda c: (c[2] or datetime.date.max, c[1] or datetime.date.min), default=None)
    person = any(s or e for _, s, e in codes) or len(codes) > 1
    # Records from dictionaries carry this flag so the knowledge base can fold them into an existing entry
    # with the same name (dictionary ids are slugs and cannot match the bundled wikidata ids).
    rec: dict[str, Any] = {"name": name, "aliases": aliases, "match_by_name": True}
    if latest is None:
        rec.update(kind="person", id=f"person:{slug(name)}")
        return rec
    country, sector = _split_code(latest[0])
    if not person and latest[0][:3] in NON_STATE_PREFIXES:
        rec.update(kind="organization", id=f"org:{slug(name).upper()}", code=latest[0][:3], country=None,
                   sector=sector, cameo=latest[0])
        return rec
    rec.update(kind="person", id=f"person:{slug(name)}", code=country or latest[0][:3], country=country,
               sector=sector, cameo=latest[0])
    # Only dated codes become offices: an undated code says what the actor is, not when it held a post.
    offices = []
    for code, start, end in codes:
        if start is None and end is None:
            continue
        c, s = _split_code(code)
        offices.append({"role": ROLE_LABELS.get(s or "", s or code), "country": c,
                        "organization": None, "sector": s, "start": start, "end": end})
    if offices:
        rec["offices"] = offices
    return rec


def _agent_record(raw_name: str, code: str) -> dict[str, Any]:
    pattern = raw_name.replace("_", " ").strip().lower()
    sector = code.strip("~")[:3]
    last = pattern.split()[-1] if pattern else ""
    plural = pattern in _COLLECTIVE or last in _COLLECTIVE or (
        last.endswith("s") and not last.endswith(("ss", "us", "is")))
    kind = "group" if plural else "person"
    return {"pattern": pattern, "sector": sector, "kind": kind,
            "role": None if plural else display_name(raw_name)}


def read_petrarch(text: str, source: str = "<petrarch>") -> Layer:
    """Parse a PETRARCH/TABARI actor or agent dictionary into a knowledge-base layer."""
    layer = Layer(source=source)
    actors: list[_Actor] = []
    current: _Actor | None = None
    skipped = 0
    for lineno, line in enumerate(text.splitlines(), 1):
        s = _COMMENT.sub("", " " + line).strip()
        if not s or s.startswith(("#", ";")):
            continue
        if s.startswith(("{", "<", "!")) or "{" in s:
            skipped += 1  # plural/compound blocks, pattern lines and macros are not supported
            current = None
            continue
        groups = _CODE.findall(s)
        head = _CODE.sub("", s).strip()
        try:
            codes = [parse_code(g) for g in groups]
        except ValueError as exc:
            raise ValueError(f"{source}:{lineno}: {exc}") from exc
        if head.startswith("+"):
            if current is None:
                raise ValueError(f"{source}:{lineno}: synonym before any entry")
            current.synonyms.append(head[1:])
            current.codes.extend(codes)
            continue
        if not head:
            if current is None:
                raise ValueError(f"{source}:{lineno}: code line before any entry")
            current.codes.extend(codes)
            continue
        if any(c.startswith("~") or c.endswith("~") for c, _, _ in codes):
            layer.agents.append(agent_from_record(_agent_record(head, codes[0][0])))
            current = None
            continue
        current = _Actor(name=head, codes=codes)
        actors.append(current)
    # "[---]" marks a phrase as "not an actor": such entries are dropped, not coded.
    kept = [a for a in actors if not a.codes or any(c != "---" for c, _, _ in a.codes)]
    skipped += len(actors) - len(kept)
    actors = [_Actor(a.name, a.synonyms, [c for c in a.codes if c[0] != "---"]) for a in kept]
    for actor in actors:
        rec = _actor_record(actor)
        layer.raw[rec["id"]] = rec
    layer.skipped = skipped
    return layer


def read_petrarch_file(text: str, source: str) -> Layer:
    return read_petrarch(text, source)
