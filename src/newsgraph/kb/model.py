"""Typed records of the actor knowledge base (states, organisations, groups, people, role nouns)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

Kind = Literal["person", "state", "organization", "group", "party"]
MatchKind = Literal["name", "alias", "adjective", "metonym", "surname"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Office:
    """A position held by a person, with its date range (``end=None``: still in office)."""

    role: str  # title as usually written: "President", "Secretary-General", "Foreign Minister"
    country: str | None  # ISO3 of the state the office belongs to (None for IGO offices)
    organization: str | None  # KB id of the body ("org:NATO"); None for heads of state
    sector: str | None  # GOV, MIL, LEG, JUD, IGO, ...
    start: datetime.date | None
    end: datetime.date | None

    def holds_on(self, when: datetime.date) -> bool:
        """True when ``when`` falls inside the range (open ends count as unbounded)."""
        if self.start is not None and when < self.start:
            return False
        return self.end is None or when <= self.end


@dataclass(frozen=True)
class Membership:
    """A person's membership of a political party (``party`` is its KB id); open ends are unbounded."""

    party: str
    start: datetime.date | None = None
    end: datetime.date | None = None

    def holds_on(self, when: datetime.date) -> bool:
        if self.start is not None and when < self.start:
            return False
        return self.end is None or when <= self.end


@dataclass(frozen=True)
class Government:
    """The parties that governed a state in a period. ``complete``: every governing party is listed, so
    the state's other parties were in opposition then; otherwise only the listed ones are known."""

    country: str
    parties: tuple[str, ...]
    start: datetime.date | None
    end: datetime.date | None
    complete: bool = True

    def holds_on(self, when: datetime.date) -> bool:
        if self.start is not None and when < self.start:
            return False
        return self.end is None or when <= self.end


@dataclass(frozen=True)
class KBEntry:
    id: str  # "state:USA", "org:NATO", "person:Q6279" or "person:joe-biden"
    name: str  # canonical display name
    kind: Kind
    code: str | None  # ISO3 for states, state bodies and state officials; IGO / NGO / MNC ... otherwise
    country: str | None  # ISO3
    sector: str | None  # GOV, MIL, LEG, JUD, MED, BUS, REB, OPP, CVL, IGO, NGO ...
    cameo: str | None  # CAMEO actor code: "USA", "USAGOV", "IGOUNO", "RUSMIL"
    wikidata: str | None  # "Q30"
    aliases: tuple[str, ...]  # every surface form that names it (the name included)
    adjectives: tuple[str, ...] = ()  # "American", "Americans"
    metonyms: tuple[str, ...] = ()  # "Washington", "the White House": the place stands for the government
    parent: str | None = None  # "org:UNSC" -> "org:UN"; a ministry -> "state:USA"
    offices: tuple[Office, ...] = ()  # persons
    surnames: tuple[str, ...] = ()  # persons: forms used alone for later mentions
    # Additions after the first API (all defaulted, so positional construction is unchanged):
    cameo_aliases: tuple[str, ...] = ()  # historical CAMEO variants ("JAP" for JPN)
    generic: bool = False  # the name alone does not say which country ("Foreign Ministry")
    parties: tuple[Membership, ...] = ()  # persons: party memberships, dated where known


@dataclass(frozen=True)
class Agent:
    """A generic role noun (PETRARCH "agent"): the title tells the sector, context tells the country."""

    pattern: str  # lower-case words: "foreign minister", "spokesman", "rebels"
    sector: str  # GOV, MIL, REB, OPP, CVL, LEG, JUD, MED, BUS, ...
    kind: Kind  # person for singular titles, group/organization for plural or collective nouns
    role: str | None = None  # title to report for a person ("Foreign Minister"); None: the pattern itself
    # an actor only with a determiner, possessor or modifier ("our allies", "Turkish allies"): the bare
    # plural is too often generic ("allies might object")
    determined: bool = False


def office_rank(role: str) -> int:
    """Seniority of a title, 0 = highest — used to pick one office among several held at once.

    0 supreme leader; 1 head of state; 2 party or junta chief; 3 head of government; 4 ministers,
    secretaries, chiefs, speakers; 5 deputies and acting holders; 6 anything else.
    """
    r = role.lower().replace("-", " ")
    if any(w in r for w in ("vice ", "deputy", "acting ", "former ")):
        return 5
    if "supreme leader" in r:
        return 0
    heads = ("king", "queen", "emperor", "emir", "sultan", "pope", "president of the state affairs",
             "president of the palestinian authority")
    if r == "president" or any(w in r for w in heads):
        return 1
    party_chiefs = ("general secretary", "first secretary", "chairman of the state", "leader of the")
    if any(w in r for w in party_chiefs):
        return 2
    if "exchequer" not in r and any(w in r for w in ("prime minister", "premier", "chancellor", "taoiseach")):
        return 3
    senior = ("minister", "secretary", "exchequer", "president", "chair", "head", "director", "commander",
              "chief", "speaker", "governor", "leader")
    if any(w in r for w in senior):
        return 4
    return 6


def latest_office(offices: tuple[Office, ...] | list[Office]) -> Office | None:
    """The most senior office still held, else the one that ended last."""
    if not offices:
        return None
    current = [o for o in offices if o.end is None]
    if current:
        return min(current, key=lambda o: (office_rank(o.role), -(o.start or datetime.date.min).toordinal()))
    return max(offices, key=lambda o: (o.end or datetime.date.max, -office_rank(o.role)))
