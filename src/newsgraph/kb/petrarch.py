"""Reader for PETRARCH/TABARI-style actor and agent dictionaries (the layout of the dictionaries that ship
with PETRARCH2 and the Phoenix pipeline).

Read:

* actor entries: a name line ``BARACK_OBAMA_`` or ``HAMAS WING`` (underscores and spaces separate words; a
  trailing ``_`` is dropped), optionally followed on the same line by codes ``[USAGOV]``;
* synonym lines ``+OBAMA_`` adding surface forms to the current entry;
* code lines (usually indented) with one or more ``[...]`` groups: ``[USAELI 20050103-20081116]``,
  ``[HOBGOV 19950601 - 19990815]`` (spaces allowed), ``[USAGOV >20090120]`` / ``[USAGOV > 20090120]``
  (from that date), ``[USAGOV <20170120]`` (until that date); dates ``YYYYMMDD`` or TABARI's ``YYMMDD``
  (00-29 are 2000-2029, 30-99 are 1930-1999); alternative codes ``[ELR/GAL]`` (the first is used);
  lower-case codes are read in capitals;
* agent entries: ``FOREIGN_MINISTER_ [~GOVFRM]`` or ``[GOV~]`` (the ``~`` marks a role noun), with their
  plural blocks ``{CHAMBERS_OF_COMMERCE}`` (extra forms; ``{}`` means none) and substitution sets
  ``!PERSON! = MAN, MEN, WOMAN`` used as ``BUSINESS!PERSON!`` (each member is one more form);
* comments: ``#`` (whole line, trailing, or straight after a code), TABARI's ``;`` and ``<!-- ... -->``
  blocks (several lines allowed);
* entries coded ``[---]`` ("not an actor") are dropped, and so are codes ``[--- <date>]``.

A line that cannot be read (an unclosed bracket, a bad date, a synonym before any entry, a pattern line
``<...>`` outside a comment) is skipped with a warning naming the file and the line (``Layer.warnings``)
and counted in ``Layer.skipped``; the rest of the file loads. The reader produces records in the project
YAML format, so the knowledge base merges them with other files the same way. Dictionary records extend
what the knowledge base already has (see ``Layer.dictionary``): a name the KB knows names the KB's actor.
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
# Words that make an undated name with a state-sector code a body or a group, not a person.
_BODY_WORDS = frozenset({"house", "ministry", "department", "office", "council", "party", "forces", "force",
                         "troops", "army", "navy", "police", "government", "administration", "agency",
                         "committee", "commission", "brigade", "brigades", "front", "movement", "union",
                         "organization", "organisation", "group", "wing", "command", "militia", "court",
                         "parliament", "assembly", "congress", "senate", "bank", "company", "corporation",
                         "radio", "television", "tv", "news", "newspaper", "embassy", "guard", "cabinet",
                         "authority", "bureau", "service", "services", "regime", "junta", "alliance",
                         "league", "coalition", "association", "federation", "institute", "university"})
_PLURAL_SECTORS = frozenset({"REB", "INS", "MIL", "CVL", "OPP", "REF", "LAB", "UAF", "SPY", "COP"})
_CODE = re.compile(r"\[([^\[\]]*)\]")
_COMMENT = re.compile(r"(?:^|(?<=[\s\]]))(?:#|;).*$")
_DATE8 = re.compile(r"^\d{8}$")
_DATE6 = re.compile(r"^\d{6}$")
_NAME_LINE = re.compile(r"^\+?[A-Z0-9][A-Z0-9_'.&\-]*_?(\s+\[[^\]]*\])*\s*$")
_CODE_LINE = re.compile(r"^(\[[^\]]*\]\s*)+$")
_SUBSTITUTION = re.compile(r"^!([A-Z0-9_]+)!\s*=\s*(.+)$")
_PLURALS = re.compile(r"\{([^{}]*)\}")
_XML_COMMENT = re.compile(r"<!\s*--.*?-->", re.S)
_DISCARD = frozenset({"---", "###"})


@dataclass
class _Actor:
    name: str
    line: int
    synonyms: list[str] = field(default_factory=list)
    codes: list[tuple[str, datetime.date | None, datetime.date | None]] = field(default_factory=list)


def looks_like_petrarch(text: str) -> bool:
    """A text with ``NAME_`` lines or ``[CODE]`` groups and no YAML structure."""
    hits = 0
    for line in _XML_COMMENT.sub("", text[:200_000]).splitlines()[:400]:
        s = line.strip()
        if not s or s.startswith(("#", ";")):
            continue
        if s.startswith(("version:", "entries:", "agents:", "{\"")):
            return False
        if _NAME_LINE.match(s) or _CODE_LINE.match(s) or _CODE.search(s):
            hits += 1
    return hits > 0


def _date(token: str, *, end: bool = False) -> datetime.date:
    if _DATE8.match(token):
        return datetime.date(int(token[:4]), int(token[4:6]), int(token[6:]))
    if _DATE6.match(token):  # TABARI's YYMMDD
        yy = int(token[:2])
        return datetime.date((2000 if yy < 30 else 1900) + yy, int(token[2:4]), int(token[4:]))
    raise ValueError(f"bad PETRARCH date {token!r} (expected YYYYMMDD or YYMMDD)")


def parse_code(group: str) -> tuple[str, datetime.date | None, datetime.date | None]:
    """``"USAGOV 20090120-20170120"`` -> ("USAGOV", start, end); ``>D`` from D, ``<D`` until D; spaces
    around ``-``, ``<`` and ``>`` are allowed; ``ELR/GAL`` -> the first code."""
    text = group.strip()
    if not text:
        raise ValueError("empty code []")
    parts = text.split(None, 1)
    code = parts[0].split("/")[0].upper()
    rest = re.sub(r"\s+", "", parts[1]) if len(parts) > 1 else ""
    start = end = None
    if rest.startswith(">"):
        start = _date(rest[1:])
    elif rest.startswith("<"):
        end = _date(rest[1:])
    elif "-" in rest:
        a, b = rest.split("-", 1)
        start, end = _date(a), _date(b)
    elif rest:
        start = _date(rest)
    if not re.fullmatch(r"[A-Z0-9~+#\-]+", code):
        raise ValueError(f"bad PETRARCH code {code!r}")
    return code, start, end


def _glued_comment(line: str) -> str:
    """The line without a comment glued to a name ("+WEST_PAPUA#_VERY_IFFY_"): a ``#`` outside a
    code block starts a comment wherever it stands."""
    depth = 0
    for i, c in enumerate(line):
        if c == "[":
            depth += 1
        elif c == "]":
            depth = max(0, depth - 1)
        elif c == "#" and depth == 0:
            return line[:i].rstrip()
    return line


def display_name(raw: str) -> str:
    """``BARACK_OBAMA_`` -> ``Barack Obama``; short acronyms stay in capitals, particles lower-case."""
    words = [w for w in raw.replace("_", " ").split() if w]
    out = []
    for i, w in enumerate(words):
        up = w.upper()
        if up in _KEEP_CAPS or (len(up) <= 3 and not re.search(r"[AEIOUY]", up)) \
                or re.fullmatch(r"(?:[A-Z]\.)+|[A-Z]{1,3}&[A-Z]{1,3}", up):  # "A.H.", "AT&T"
            out.append(up)
        elif i > 0 and w.lower() in _PARTICLES:
            out.append(w.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def _forms(raw: str) -> tuple[str, list[str]]:
    """A dictionary name as display forms: the name without a trailing "(ACRONYM)", and the acronym."""
    name = raw.strip().rstrip("_").strip()
    extra = []
    m = re.search(r"_?\(([^()]*)\)_?$", name)
    if m:
        inner = m.group(1).strip("_ ")
        if re.fullmatch(r"[A-Z0-9\-]{2,8}", inner):
            extra.append(inner)
            name = name[:m.start()]
    return display_name(name), extra


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


def _actor_record(actor: _Actor) -> dict[str, Any] | None:
    name, extra = _forms(actor.name)
    aliases = [*extra]
    for syn in actor.synonyms:
        form, more = _forms(syn)
        if re.search(r"[A-Za-z]", form):
            aliases += [form, *more]
    aliases = [a for a in dict.fromkeys(aliases) if a != name]
    codes = actor.codes
    if not codes or not name:
        return None
    dated = [c for c in codes if c[1] or c[2]]
    undated = [c for c in codes if not (c[1] or c[2])]
    # the code that says what the actor is: an undated one (TABARI's default), else the latest
    default = undated[-1] if undated else max(codes, key=lambda c: (c[2] or datetime.date.max,
                                                                       c[1] or datetime.date.min))
    # Records from dictionaries carry this flag so the knowledge base can fold them into an existing entry
    # with the same name or form (dictionary ids are slugs and cannot match the bundled wikidata ids).
    rec: dict[str, Any] = {"name": name, "aliases": aliases, "match_by_name": True}
    code = default[0]
    country, sector = _split_code(code)
    words = {w.lower() for w in re.split(r"[\s\-]+", name)}
    if len(code) == 3 and code[:3] not in NON_STATE_PREFIXES and not any(len(c[0]) > 3 for c in codes):
        # "UNITED_STATES [USA]", "ZIMBABWE [RHO <790606] [ZBW]": a state (a known one by code or name)
        rec.update(kind="state", id=f"state:{code}", code=code, cameo=code)
        return rec
    # a body: its default code is a body's ("ABBEY_NATIONAL_ [MNCGBR <040726][MNCESP]": owners change);
    # a person holds dated posts in bodies and has no undated body code ("KOFI_ANNAN_ [IGOUNO 970101-...]")
    if code[:3] in NON_STATE_PREFIXES and (not dated or default in undated):
        kind = "group" if sector == "REB" or code[:3] == "IMG" else "organization"
        rec.update(kind=kind, id=f"org:{slug(name).upper()}", code=code[:3], country=None, sector=sector,
                   cameo=code)
        return rec
    if not dated and (words & _BODY_WORDS or sector in _PLURAL_SECTORS and name.upper().endswith("S")):
        kind = "group" if sector in _PLURAL_SECTORS else "organization"
        rec.update(kind=kind, id=f"org:{slug(name).upper()}", code=country, country=country, sector=sector,
                   cameo=code)
        return rec
    rec.update(kind="person", id=f"person:{slug(name)}", code=country or code[:3], country=country,
               sector=sector, cameo=code)
    # Only dated codes become offices: an undated code says what the actor is, not when it held a post.
    offices = []
    for c, start, end in dated:
        cc, sc = _split_code(c)
        offices.append({"role": ROLE_LABELS.get(sc or "", sc or c), "country": cc,
                        "organization": None, "sector": sc, "start": start, "end": end})
    if offices:
        rec["offices"] = offices
    return rec


def _agent_records(raw_name: str, plurals: list[str], code: str) -> list[dict[str, Any]]:
    sector = code.strip("~")[:3]
    out = []
    for form in [raw_name, *plurals]:
        pattern = form.replace("_", " ").strip().lower()
        if not pattern:
            continue
        last = pattern.split()[-1]
        plural = pattern in _COLLECTIVE or last in _COLLECTIVE or (
            last.endswith("s") and not last.endswith(("ss", "us", "is")))
        out.append({"pattern": pattern, "sector": sector, "kind": "group" if plural else "person",
                    "role": None if plural else display_name(form)})
    return out


def _expand(name: str, sets: Mapping[str, list[str]]) -> list[str]:
    """``BUSINESS!PERSON!`` with ``!PERSON! = MAN, MEN`` -> ``BUSINESSMAN``, ``BUSINESSMEN``."""
    m = re.search(r"!([A-Z0-9_]+)!", name)
    if m is None:
        return [name]
    members = sets.get(m.group(1))
    if members is None:
        raise ValueError(f"unknown substitution set !{m.group(1)}!")
    return [x for member in members for x in _expand(name[:m.start()] + member + name[m.end():], sets)]


def read_petrarch(text: str, source: str = "<petrarch>") -> Layer:
    """Parse a PETRARCH/TABARI actor or agent dictionary into a knowledge-base layer."""
    layer = Layer(source=source, dictionary=True)
    # <!-- ... --> blocks may span lines: blank them out, keeping the line numbers.
    text = _XML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    actors: list[_Actor] = []
    sets: dict[str, list[str]] = {}
    current: _Actor | None = None
    skipped = 0

    def warn(lineno: int, message: str, *, entry_lost: bool = False) -> None:
        nonlocal skipped, current
        skipped += 1
        if entry_lost:
            current = None  # synonyms and codes after a name line that could not be read belong to no entry
        layer.warnings.append(f"{source}:{lineno}: {message}")

    for lineno, line in enumerate(text.splitlines(), 1):
        s = _COMMENT.sub("", line.replace("\t", " ")).strip()
        if not s:
            continue
        sub = _SUBSTITUTION.match(s)
        if sub:
            sets[sub.group(1)] = [w.strip() for w in sub.group(2).split(",") if w.strip()]
            continue
        if s.startswith("<"):
            warn(lineno, "pattern lines <...> are not supported; line skipped", entry_lost=True)
            continue
        plurals = [p for block in _PLURALS.findall(s) for p in block.replace(",", " ").split()]
        s = _PLURALS.sub(" ", s)
        s = _glued_comment(s)
        groups = _CODE.findall(s)
        # The name is what comes before the first code; words after the codes are remarks, not a name
        # ("A.H._BELO_CORPORATION_ [MNCMED] Newspapers/Magazines $137,000,000").
        head = (s[:s.index("[")] if groups else s).strip()
        if not head and plurals:
            head, plurals = plurals[0], plurals[1:]  # "{POLICEMAN_ POLICEMEN_} [~COP]": the forms alone
        names_entry = bool(head) and not head.startswith("+")
        if any(c in head for c in "[]{}"):
            warn(lineno, f"unreadable line {line.strip()!r} (unbalanced brackets); line skipped",
                 entry_lost=names_entry)
            continue
        try:
            codes = [parse_code(g) for g in groups]
        except ValueError as exc:
            warn(lineno, f"{exc}; line skipped", entry_lost=names_entry)
            continue
        if head.startswith("+"):
            if current is None:
                warn(lineno, "synonym with no entry before it; line skipped")
                continue
            # "+TAIOAN_ +TAWIAN_": two synonyms on one line
            current.synonyms.extend(p.strip() for p in re.split(r"\s\+", head[1:]) if p.strip())
            current.codes.extend(codes)
            continue
        if not head:
            if current is None:
                warn(lineno, "code line with no entry before it; line skipped")
                continue
            current.codes.extend(codes)
            continue
        if any(c.startswith("~") or c.endswith("~") for c, _, _ in codes):
            try:
                names = _expand(head.replace(" ", "_"), sets)
            except ValueError as exc:
                warn(lineno, f"{exc}; line skipped")
                continue
            for name in names:
                for rec in _agent_records(name, plurals, codes[0][0]):
                    layer.agents.append(agent_from_record(rec))
            current = None
            continue
        current = _Actor(name=head.replace(" ", "_"), line=lineno, codes=codes)
        current.synonyms.extend(plurals)
        actors.append(current)
    for actor in actors:
        live = [c for c in actor.codes if c[0] not in _DISCARD]
        if actor.codes and not live or any(c[0] in _DISCARD and not (c[1] or c[2]) for c in actor.codes):
            skipped += 1  # "[---]": a phrase that is not an actor
            continue
        rec = _actor_record(_Actor(actor.name, actor.line, actor.synonyms, live))
        if rec is None:
            warn(actor.line, f"entry {actor.name!r} has no code; skipped")
            continue
        if rec["id"] in layer.raw:
            old = layer.raw[rec["id"]]
            old["aliases"] = list(dict.fromkeys([*old["aliases"], rec["name"], *rec["aliases"]]))
            old.setdefault("offices", []).extend(rec.get("offices", []))
            continue
        layer.raw[rec["id"]] = rec
    layer.skipped = skipped
    return layer


def read_petrarch_file(text: str, source: str) -> Layer:
    return read_petrarch(text, source)
