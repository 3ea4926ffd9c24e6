"""The in-memory knowledge base: entries indexed by normalised surface form."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from newsgraph.kb.loader import (
    KBFormatError,
    Layer,
    build_entry,
    layer_from_documents,
    merge_records,
    read_yaml,
    with_defaults,
)
from newsgraph.kb.model import Agent, Government, KBEntry, MatchKind, Office, office_rank
from newsgraph.kb.normalize import agent_key, alias_key, clean, surface_keys, token_count
from newsgraph.kb.petrarch import looks_like_petrarch, read_petrarch_file

_PREPOSITIONS = frozenset({"of", "for", "in", "at", "from", "to", "with", "on", "over", "near", "under"})
# Order in which match kinds are reported when one surface names several entries.
# Words around a place name that do not change which state it is in: "east Beirut", "West Darfur State".
_PLACE_PARTS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                          "central", "northeast", "northwest", "southeast", "southwest", "northeastern",
                          "northwestern", "southeastern", "southwestern", "greater", "downtown", "the"})
_PLACE_KINDS = frozenset({"state", "province", "region", "district", "governorate", "city", "county",
                          "prefecture", "oblast", "municipality", "valley", "area"})
_MATCH_ORDER: tuple[MatchKind, ...] = ("name", "alias", "metonym", "adjective", "surname")
_RAW_KEY_FIELDS: tuple[tuple[str, MatchKind], ...] = (
    ("name", "name"), ("official_name", "alias"), ("aliases", "alias"),
    ("metonyms", "metonym"), ("adjectives", "adjective"), ("surnames", "surname"),
)


@dataclass(frozen=True)
class SurfaceForm:
    """One way of naming an entry, as a matcher needs it (see :meth:`KnowledgeBase.surface_forms`)."""

    entry: KBEntry
    text: str  # as written in the data ("the White House", "U.S.")
    key: str  # normalised lookup key (normalize.alias_key)
    how: MatchKind
    needs_capital: bool  # one-word form: only matches text that starts with a capital


@dataclass(frozen=True)
class _Hit:
    entry_id: str
    how: MatchKind
    layer: int
    # One-word names written with a capital ("Chad", "Amnesty", "Polish") only match capitalised text,
    # so the common words "chad", "amnesty", "polish" do not name actors.
    needs_capital: bool = False


def _values(value: object) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]  # type: ignore[union-attr]


def _raw_keys(rec: Mapping[str, Any]) -> set[str]:
    return {alias_key(v) for fname, _ in _RAW_KEY_FIELDS for v in _values(rec.get(fname))}


def _name_key(rec: Mapping[str, Any]) -> tuple[str, str]:
    return str(rec.get("kind")), alias_key(str(rec.get("name", ""))).lower()


def _form_index(records: Mapping[str, Mapping[str, Any]]) -> dict[tuple[str, str], str]:
    """(kind, lower-case form key) -> id for every name and alias of the records so far (first wins)."""
    out: dict[tuple[str, str], str] = {}
    for rid, rec in records.items():
        kind = str(rec.get("kind") or (rec.get("_defaults") or {}).get("kind"))
        for fname in ("name", "official_name", "aliases"):
            for value in _values(rec.get(fname)):
                out.setdefault((kind, alias_key(value).lower()), rid)
        if kind == "state":
            for code in (rec.get("code"), *_values(rec.get("cameo_aliases"))):
                if code:
                    out.setdefault(("state-code", str(code)), rid)
    return out


def _dictionary_target(rid: str, rec: Mapping[str, Any], records: Mapping[str, Any],
                       by_name: Mapping[tuple[str, str], str],
                       by_form: Mapping[tuple[str, str], str] | None) -> str | None:
    """The existing entry a dictionary record describes: same id and kind, same kind and name, a state by
    its code or CAMEO variant ("JAP"), or the same kind with a name or alias the entry has."""
    kind = str(rec.get("kind"))
    if rid in records and records[rid].get("kind") == kind:
        return rid
    found = by_name.get(_name_key(rec))
    if found is not None:
        return found
    if by_form is None:
        return None
    if kind == "state" and rec.get("code"):
        found = by_form.get(("state-code", str(rec["code"])))
        if found is not None:
            return found
    kinds = ("organization", "group", "party") if kind in ("organization", "group") else (kind,)
    for value in (rec.get("name"), *_values(rec.get("aliases"))):
        for k in kinds:
            found = by_form.get((k, alias_key(str(value)).lower()))
            if found is not None:
                return found
    # "UNITED_NATIONS [UNO]": coded like a state, named like a body the KB has
    key = alias_key(str(rec.get("name", ""))).lower()
    return next((by_form[(k, key)] for k in ("organization", "group", "party", "state", "person")
                 if (k, key) in by_form), None)


def _entry_forms(entry: KBEntry) -> list[tuple[str, MatchKind]]:
    forms: list[tuple[str, MatchKind]] = [(entry.name, "name")]
    forms += [(a, "alias") for a in entry.aliases]
    forms += [(a, "metonym") for a in entry.metonyms]
    forms += [(a, "adjective") for a in entry.adjectives]
    forms += [(a, "surname") for a in entry.surnames]
    return forms


def _needs_capital(form: str, key: str) -> bool:
    return token_count(key) == 1 and clean(form)[:1].isupper()


def _entry_keys(entry: KBEntry) -> list[tuple[str, MatchKind, bool]]:
    out = []
    for form, how in _entry_forms(entry):
        key = alias_key(form)
        if key:
            out.append((key, how, _needs_capital(form, key)))
    return out


class KnowledgeBase:
    """Actors (states, organisations, groups, people), role nouns and region names.

    Build it with :meth:`load`; it is read-only afterwards.
    """

    def __init__(self, layers: Sequence[Layer]) -> None:
        records: dict[str, dict[str, Any]] = {}
        origins: dict[str, list[tuple[int, set[str]]]] = {}
        agents: dict[str, Agent] = {}
        regions: dict[str, str] = {}
        places: dict[str, tuple[str, str]] = {}  # key -> (name, ISO3)
        governments: dict[str, list[Government]] = {}
        by_name: dict[tuple[str, str], str] = {}  # (kind, name key) -> id, for dictionary records
        by_form: dict[tuple[str, str], str] | None = None  # (kind, form key) -> id, built when first needed
        for n, layer in enumerate(layers):
            if layer.dictionary and by_form is None:
                by_form = _form_index(records)
            for rid, rec in layer.raw.items():
                target = _dictionary_target(rid, rec, records, by_name, by_form) if layer.dictionary else None
                if target is not None:
                    # A dictionary entry for an actor we already have extends it with its names (and a
                    # person's dated offices); the existing name, kind and codes stay.
                    known = _raw_keys(records[target])  # a form the entry has keeps its kind (a metonym)
                    names = [a for a in (rec["name"], *rec.get("aliases", ())) if alias_key(a) not in known]
                    rec = {"id": target, "aliases": names} | (
                        {"offices": rec["offices"]} if rec.get("offices") and records[target].get("kind")
                        == "person" else {})
                    rid = target
                if rid in records:
                    records[rid] = merge_records(records[rid], with_defaults(rec, new=False))
                else:
                    records[rid] = with_defaults({k: v for k, v in rec.items() if k != "match_by_name"},
                                                 new=True)
                by_name.setdefault(_name_key(records[rid]), rid)
                if rec.get("replace"):
                    origins[rid] = []
                origins.setdefault(rid, []).append((n, _raw_keys(rec)))
            for agent in layer.agents:
                if layer.dictionary:
                    agents.setdefault(agent.pattern, agent)  # a dictionary adds role nouns, never redefines
                else:
                    agents[agent.pattern] = agent  # a later file redefines a pattern
            for region in layer.regions:
                regions.setdefault(alias_key(region).lower(), region)
            for gov in layer.governments:
                governments.setdefault(gov.country, []).append(gov)
            for place, iso3 in layer.places.items():
                places[alias_key(place).lower()] = (place, iso3)  # a later file may correct a country
        self._entries: dict[str, KBEntry] = {
            rid: build_entry(rec, layers[origins[rid][-1][0]].source) for rid, rec in records.items()
        }
        self._agents = agents
        self._regions = regions
        self._places = places
        self._governments = governments
        self.warnings: tuple[str, ...] = tuple(w for layer in layers for w in layer.warnings)
        index: dict[str, list[_Hit]] = {}
        for rid, entry in self._entries.items():
            seen: set[str] = set()
            for key, how, cap in _entry_keys(entry):
                if key in seen:
                    continue
                seen.add(key)
                layer_no = min((n for n, keys in origins[rid] if key in keys), default=origins[rid][-1][0])
                index.setdefault(key, []).append(_Hit(rid, how, layer_no, cap))
        # A surface form defined in a later file hides the entries earlier files gave it; a dictionary's
        # forms only fill gaps (a form another file defines keeps that file's meaning).
        dictionaries = {n for n, layer in enumerate(layers) if layer.dictionary}
        self._index: dict[str, list[_Hit]] = {}
        for key, hits in index.items():
            own = [h for h in hits if h.layer not in dictionaries] or hits
            top = max(h.layer for h in own)
            self._index[key] = [h for h in own if h.layer == top]
        self._max_tokens = max((token_count(k) for k in self._index), default=0)
        self._states = {e.code: e for e in self._entries.values() if e.kind == "state" and e.code}

    # -- construction

    @staticmethod
    def bundled_files() -> list[Path]:
        """The YAML files shipped in ``newsgraph/data/kb`` (sorted by name)."""
        root = resources.files("newsgraph") / "data" / "kb"
        return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith((".yaml", ".yml")))

    @classmethod
    def load(cls, extra_files: Sequence[Path] = (), include_bundled: bool = True) -> KnowledgeBase:
        """Bundled data plus ``extra_files`` (project YAML or PETRARCH/TABARI dictionaries), in order."""
        layers: list[Layer] = []
        if include_bundled:
            files = cls.bundled_files()
            layers.append(layer_from_documents(((f.name, read_yaml(f)) for f in files), "bundled"))
        for path in extra_files:
            layers.append(read_layer(Path(path)))
        return cls(layers)

    # -- queries

    def lookup_kind(self, surface: str) -> list[tuple[KBEntry, MatchKind]]:
        """Entries a surface form names, with how it matched ("name", "alias", "metonym", ...)."""
        best: dict[str, MatchKind] = {}
        capitalised = clean(surface)[:1].isupper()
        for key in surface_keys(surface):
            for hit in self._index.get(key, ()):
                if hit.needs_capital and not capitalised:
                    continue
                prev = best.get(hit.entry_id)
                if prev is None or _MATCH_ORDER.index(hit.how) < _MATCH_ORDER.index(prev):
                    best[hit.entry_id] = hit.how
        ranked = sorted(best.items(), key=lambda kv: _MATCH_ORDER.index(kv[1]))
        return [(self._entries[rid], how) for rid, how in ranked]

    def lookup(self, surface: str) -> list[KBEntry]:
        return [entry for entry, _ in self.lookup_kind(surface)]

    def get(self, entry_id: str) -> KBEntry | None:
        return self._entries.get(entry_id)

    def state(self, iso3: str) -> KBEntry | None:
        return self._states.get(iso3.upper())

    def is_region(self, surface: str) -> bool:
        """True for regions and places that are not actors ("Europe", "the Middle East", "Gaza Strip")."""
        return any(k.lower() in self._regions or k.lower() in self._places for k in surface_keys(surface))

    def place_country(self, surface: str) -> str | None:
        """ISO3 of the state a listed place belongs to ("Crimea" -> "UKR"); capitals count too, and so do
        a listed place's parts and administrative names ("east Beirut", "West Darfur State")."""
        found = self._place_country(surface)
        if found is None:
            words = surface.split()
            core = words[1:] if len(words) > 1 and words[0].lower() in _PLACE_PARTS else words
            core = core[:-1] if len(core) > 1 and core[-1].lower() in _PLACE_KINDS else core
            if core != words:
                found = self._place_country(" ".join(core))
        return found

    def _place_country(self, surface: str) -> str | None:
        for key in surface_keys(surface):
            if key.lower() in self._places:
                return self._places[key.lower()][1]
        capitals = [e for e, how in self.lookup_kind(surface) if how == "metonym" and e.kind == "state"]
        return capitals[0].code if len(capitals) == 1 else None

    def places(self) -> Mapping[str, str]:
        """Listed places (name as written -> ISO3)."""
        return dict(self._places.values())

    def office_at(self, entry: KBEntry, when: datetime.date | None) -> Office | None:
        """The office held on ``when`` (most senior if several); the latest office otherwise."""
        if not entry.offices:
            return None

        def seniority(o: Office) -> tuple[int, int]:
            return office_rank(o.role), -(o.start or datetime.date.min).toordinal()

        if when is not None:
            held = [o for o in entry.offices if o.holds_on(when)]
            if held:
                return min(held, key=seniority)
        current = [o for o in entry.offices if o.end is None]
        if current:
            return min(current, key=seniority)
        return max(entry.offices, key=lambda o: (o.end or datetime.date.max, -office_rank(o.role)))

    def offices_between(self, entry: KBEntry, start: datetime.date, end: datetime.date) -> list[Office]:
        """Offices held at some time in ``start``..``end`` (open ends unbounded), most senior first."""
        held = [o for o in entry.offices
                if (o.start is None or o.start <= end) and (o.end is None or o.end >= start)]
        return sorted(held, key=lambda o: (office_rank(o.role), -(o.start or datetime.date.min).toordinal()))

    def party_of(self, entry: KBEntry, when: datetime.date | None) -> KBEntry | None:
        """The party a person belonged to on ``when``; with no date, only a membership that is the
        person's only one (a later party is never assumed)."""
        members = entry.parties
        if when is not None:
            members = tuple(m for m in members if m.holds_on(when))
        if len({m.party for m in members}) != 1:
            return None
        return self._entries.get(members[0].party)

    def government(self, country: str, when: datetime.date) -> Government | None:
        """Who governed ``country`` on ``when`` (data: ``governments:`` records), if known."""
        return next((g for g in self._governments.get(country, ()) if g.holds_on(when)), None)

    def party_sector(self, party: KBEntry, when: datetime.date | None) -> str | None:
        """"GOV" for a party in its state's government on ``when``, "OPP" for one out of a government whose
        record is complete, else None (unknown date or no record)."""
        if when is None or not party.country:
            return None
        gov = self.government(party.country, when)
        if gov is None:
            return None
        if party.id in gov.parties:
            return "GOV"
        return "OPP" if gov.complete else None

    def agent(self, words: str) -> Agent | None:
        """The role noun that heads ``words``.

        Tried in order: the whole words; the longest pattern followed by a preposition ("spokesman for
        the State Department", "minister of foreign affairs of Iran"); the longest pattern ending at
        the last word before the first preposition ("army officers in the north"), then at the last
        word ("Foreign Ministry spokesman"), also with that word made singular ("ambassadors"); the
        longest pattern anywhere.
        """
        tokens = agent_key(words).split()
        if not tokens:
            return None
        for toks in (tokens, [*tokens[:-1], _singular(tokens[-1])]):
            whole = self._agents.get(" ".join(toks))
            if whole:
                return whole
        n = len(tokens)
        for length in range(n - 1, 0, -1):
            if tokens[length] in _PREPOSITIONS:
                found = self._agents.get(" ".join(tokens[:length]))
                if found:
                    return found
        cut = next((i for i, t in enumerate(tokens) if i > 0 and t in _PREPOSITIONS), None)
        for part in ([tokens[:cut]] if cut is not None else []) + [tokens]:
            found = self._agent_at_end(part)
            if found:
                return found
        for length in range(n - 1, 0, -1):
            for start in range(n - length, -1, -1):
                found = self._agents.get(" ".join(tokens[start:start + length]))
                if found:
                    return found
        return None

    def _agent_at_end(self, tokens: list[str]) -> Agent | None:
        for toks in (tokens, [*tokens[:-1], _singular(tokens[-1])]):
            n = len(toks)
            for length in range(n, 0, -1):
                found = self._agents.get(" ".join(toks[n - length:]))
                if found:
                    return found
        return None

    def surface_forms(self) -> Iterator[SurfaceForm]:
        """Every form that :meth:`lookup` can match, after layering (forms a later file hides are left out).

        For matchers that scan text for names: a span whose text is one of these forms (under the same
        normalisation, and with a capital where ``needs_capital``) is what ``lookup`` resolves.
        """
        for entry in self._entries.values():
            seen: set[str] = set()
            for form, how in _entry_forms(entry):
                key = alias_key(form)
                if not key or form in seen:
                    continue
                seen.add(form)
                if any(h.entry_id == entry.id for h in self._index.get(key, ())):
                    yield SurfaceForm(entry, form, key, how, _needs_capital(form, key))

    def agents(self) -> Iterable[Agent]:
        return self._agents.values()

    def entries(self) -> Iterable[KBEntry]:
        return self._entries.values()

    def regions(self) -> Iterable[str]:
        return self._regions.values()

    def max_alias_tokens(self) -> int:
        return self._max_tokens

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[KBEntry]:
        return iter(self._entries.values())


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def read_layer(path: Path) -> Layer:
    """A user file: project YAML (.yaml/.yml/.json) or a PETRARCH/TABARI dictionary (detected by content)."""
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        return layer_from_documents([(path.name, read_yaml(path))], str(path))
    text = path.read_text(encoding="utf-8", errors="replace")
    if looks_like_petrarch(text):
        return read_petrarch_file(text, str(path))
    raise KBFormatError(f"{path}: neither knowledge-base YAML nor a PETRARCH/TABARI dictionary")
