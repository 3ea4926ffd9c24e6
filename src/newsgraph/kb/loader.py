"""Reading knowledge-base files (project YAML format) into typed records.

The YAML format is documented in docs/knowledge-base.md. Parsing is pure: functions take the parsed
document or a path given by the caller; nothing here decides where files live.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from newsgraph.kb.model import KINDS, Agent, Government, KBEntry, Membership, Office, latest_office
from newsgraph.kb.normalize import agent_key, slug

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_LIST_FIELDS = ("aliases", "adjectives", "metonyms", "surnames", "cameo_aliases")
_ENTRY_FIELDS = frozenset({
    "id", "name", "official_name", "kind", "code", "country", "sector", "cameo", "wikidata", "parent",
    "generic", "offices", "replace", "match_by_name", "parties", *_LIST_FIELDS,
})
_OFFICE_FIELDS = frozenset({"role", "country", "organization", "sector", "start", "end"})
_MEMBERSHIP_FIELDS = frozenset({"party", "start", "end"})
_GOVERNMENT_FIELDS = frozenset({"country", "parties", "start", "end", "complete"})


DEFAULTS_KEY = "_defaults"


def with_defaults(rec: Mapping[str, Any], *, new: bool) -> dict[str, Any]:
    """A raw record ready to build or merge: its file's defaults applied only when it is new."""
    body = {k: v for k, v in rec.items() if k != DEFAULTS_KEY}
    return {**(rec.get(DEFAULTS_KEY) or {}), **body} if new else body


class KBFormatError(ValueError):
    """A knowledge-base file that cannot be read; the message names the file and the record."""


@dataclass
class Layer:
    """The records of one source file (or of all bundled files): later layers override earlier ones."""

    source: str
    agents: list[Agent] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    places: dict[str, str] = field(default_factory=dict)  # place name -> ISO3 of its state
    governments: list[Government] = field(default_factory=list)
    # Problems that did not stop the file from loading ("file:line: what"), for the caller to report.
    warnings: list[str] = field(default_factory=list)
    # A PETRARCH/TABARI dictionary: its records extend what earlier files know (a name or form the KB
    # already has keeps its meaning; an agent pattern already defined keeps its definition).
    dictionary: bool = False
    skipped: int = 0  # lines of an unsupported construct that were ignored
    # Records by id, still as mappings, so that a later record with the same id merges field by field.
    raw: dict[str, dict[str, Any]] = field(default_factory=dict)


def parse_date(value: object, *, end: bool = False) -> datetime.date | None:
    """YAML dates, "2021-01-20", "2021-01" or "2021" (partial dates: first or last day of the period)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    m = _DATE.match(str(value).strip())
    if not m:
        raise ValueError(f"bad date {value!r}")
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else (12 if end else 1)
    if m.group(3):
        return datetime.date(year, month, int(m.group(3)))
    if not end:
        return datetime.date(year, month, 1)
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return next_month - datetime.timedelta(days=1)


def _strs(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)  # type: ignore[union-attr]


def _office(rec: Mapping[str, Any], person: Mapping[str, Any]) -> Office:
    unknown = set(rec) - _OFFICE_FIELDS
    if unknown:
        raise ValueError(f"unknown office field(s) {sorted(unknown)}")
    org = rec.get("organization")
    # IGO offices belong to no state unless the record says so; others default to the person's country.
    if "country" in rec:
        country = rec["country"]
    else:
        country = None if rec.get("sector") == "IGO" else person.get("country")
    return Office(
        role=str(rec["role"]),
        country=country,
        organization=org,
        sector=rec.get("sector"),
        start=parse_date(rec.get("start")),
        end=parse_date(rec.get("end"), end=True),
    )


def _membership(rec: object) -> Membership:
    """``"party:GBR-LAB"`` or ``{party: "party:GBR-LAB", start: 1994, end: 2007-06}``."""
    if isinstance(rec, str):
        return Membership(rec)
    if not isinstance(rec, Mapping):
        raise ValueError(f"a party membership is an id or a mapping, got {rec!r}")
    unknown = set(rec) - _MEMBERSHIP_FIELDS
    if unknown:
        raise ValueError(f"unknown membership field(s) {sorted(unknown)}")
    return Membership(str(rec["party"]), parse_date(rec.get("start")), parse_date(rec.get("end"), end=True))


def government_from_record(rec: Mapping[str, Any]) -> Government:
    unknown = set(rec) - _GOVERNMENT_FIELDS
    if unknown:
        raise ValueError(f"unknown government field(s) {sorted(unknown)}")
    return Government(country=str(rec["country"]), parties=_strs(rec["parties"]),
                      start=parse_date(rec.get("start")), end=parse_date(rec.get("end"), end=True),
                      complete=bool(rec.get("complete", True)))


def _default_id(rec: Mapping[str, Any]) -> str:
    kind = rec.get("kind")
    if kind == "state":
        return f"state:{rec['code']}"
    if kind == "person":
        return f"person:{rec['wikidata']}" if rec.get("wikidata") else f"person:{slug(str(rec['name']))}"
    if kind == "party":
        return f"party:{rec.get('country') or 'X'}-{slug(str(rec['name'])).upper()}"
    return f"org:{slug(str(rec['name'])).upper()}"


def entry_from_record(rec: Mapping[str, Any]) -> KBEntry:
    """One YAML record (defaults already applied) -> KBEntry. Raises KeyError/ValueError on bad input."""
    kind = rec.get("kind")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    unknown = set(rec) - _ENTRY_FIELDS
    if unknown:  # a misspelt field would otherwise be dropped silently
        raise ValueError(f"unknown field(s) {sorted(unknown)}")
    name = str(rec["name"])
    code = rec.get("code")
    country = rec.get("country", code if kind == "state" else None)
    if kind == "party":
        code = code or country  # a party is a body of its state
    aliases = _strs(rec.get("aliases"))
    official = rec.get("official_name")
    names = (name, *((official,) if official else ()), *aliases)
    offices = tuple(_office(o, rec) for o in rec.get("offices") or ())
    cameo = rec.get("cameo", code if kind == "state" else None)
    sector = rec.get("sector")
    if kind == "person":
        # A person's code/sector/CAMEO default to those of the latest office (dated ones: office_at()).
        latest = latest_office(offices)
        if latest is not None:
            sector = sector or latest.sector
            igo = latest.sector == "IGO"
            home = latest.country or country
            code = code or ("IGO" if igo else home)
            if cameo is None and sector:
                cameo = "IGO" if igo else (f"{home}{sector}" if home else None)
        code = code or country
    return KBEntry(
        id=str(rec.get("id") or _default_id(rec)),
        name=name,
        kind=kind,
        code=code,
        country=country,
        sector=sector,
        cameo=cameo,
        wikidata=rec.get("wikidata"),
        aliases=tuple(dict.fromkeys(names)),
        adjectives=_strs(rec.get("adjectives")),
        metonyms=_strs(rec.get("metonyms")),
        parent=rec.get("parent"),
        offices=offices,
        surnames=_strs(rec.get("surnames")),
        cameo_aliases=_strs(rec.get("cameo_aliases")),
        generic=bool(rec.get("generic", False)),
        parties=tuple(_membership(m) for m in rec.get("parties") or ()),
    )


def agent_from_record(rec: Mapping[str, Any]) -> Agent:
    kind = rec.get("kind", "person")
    if kind not in KINDS:
        raise ValueError(f"agent kind must be one of {KINDS}, got {kind!r}")
    return Agent(pattern=agent_key(str(rec["pattern"])), sector=str(rec["sector"]), kind=kind,
                 role=rec.get("role"), determined=bool(rec.get("determined", False)))


def merge_records(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """A later record with the same id: given scalars replace, lists extend (unless ``replace: true``)."""
    if new.get("replace"):
        return {k: v for k, v in new.items() if k != "replace"}
    merged = dict(old)
    for key, value in new.items():
        if key in ("id", "match_by_name"):
            continue
        if key in _LIST_FIELDS and key in old:
            merged[key] = list(dict.fromkeys([*_strs(old[key]), *_strs(value)]))
        elif key in ("offices", "parties") and key in old:
            merged[key] = [*(old[key] or []), *(value or [])]
        else:
            merged[key] = value
    return merged


def layer_from_documents(docs: Iterable[tuple[str, Mapping[str, Any]]], source: str) -> Layer:
    """Build one layer from parsed YAML documents ``(file name, document)``."""
    layer = Layer(source=source)
    for fname, doc in docs:
        if not isinstance(doc, Mapping):
            raise KBFormatError(f"{fname}: top level must be a mapping with 'version:'")
        if "version" not in doc:
            raise KBFormatError(f"{fname}: missing 'version:'")
        defaults = doc.get("defaults") or {}
        for i, rec in enumerate(doc.get("entries") or ()):
            if not isinstance(rec, Mapping):
                raise KBFormatError(f"{fname}: entry #{i + 1} is not a mapping")
            try:
                rid = str(rec.get("id") or _default_id({**defaults, **rec}))
            except KeyError as exc:
                raise KBFormatError(f"{fname}: entry #{i + 1}: missing field {exc}") from exc
            # File defaults fill in new entries only: a record that extends an entry from an earlier
            # file must not reset, say, its kind. The knowledge base applies them (see DEFAULTS_KEY).
            full = {**rec, "id": rid, DEFAULTS_KEY: defaults} if defaults else {**rec, "id": rid}
            layer.raw[rid] = merge_records(layer.raw[rid], full) if rid in layer.raw else full
        for i, rec in enumerate(doc.get("agents") or ()):
            try:
                layer.agents.append(agent_from_record(rec))
            except (KeyError, ValueError) as exc:
                raise KBFormatError(f"{fname}: agent #{i + 1}: {exc}") from exc
        for i, rec in enumerate(doc.get("governments") or ()):
            try:
                layer.governments.append(government_from_record(rec))
            except (KeyError, ValueError, TypeError) as exc:
                raise KBFormatError(f"{fname}: government #{i + 1}: {exc}") from exc
        layer.regions.extend(_strs(doc.get("regions")))
        places = doc.get("places") or {}
        if not isinstance(places, Mapping):
            raise KBFormatError(f"{fname}: 'places' must map place names to ISO3 codes")
        layer.places.update({str(k): str(v) for k, v in places.items()})
    return layer


def build_entry(rec: Mapping[str, Any], source: str) -> KBEntry:
    try:
        return entry_from_record(rec)
    except (KeyError, ValueError, TypeError) as exc:
        raise KBFormatError(f"{source}: entry {rec.get('id')}: {exc}") from exc


def read_yaml(path: Path) -> Mapping[str, Any]:
    # libyaml's loader when PyYAML was built with it: the bundled files load several times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as fh:
        doc = yaml.load(fh, Loader=loader)
    return doc if doc is not None else {"version": 1}
