"""FollowTheMoney entities as JSON lines (written directly; no dependency on the followthemoney package).

Actors become ``Person``, ``Organization`` or ``PublicBody`` (states and government bodies), articles
``Article``, each event an ``Event`` (organizer: source actors, involved: all parties), each person
speaking for a body a ``Membership`` and each dyad an ``UnknownLink`` summarising its events.
Every entity is ``{"id", "schema", "properties"}`` with list values, as FtM's JSON form.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import IO

from newsgraph.query.models import EventRow

PREFIX = "ng"
GOVERNMENT_SECTORS = {"GOV", "MIL", "LEG", "JUD", "SPY", "POL"}


def _props(**values: object) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in values.items():
        if value is None or value == "" or value == []:
            continue
        items = value if isinstance(value, list | tuple | set) else [value]
        cleaned = [str(v) for v in items if v not in (None, "")]
        if cleaned:
            out[key] = sorted(set(cleaned)) if isinstance(value, set) else cleaned
    return out


def load_country_codes(path: Path | None = None) -> dict[str, str]:
    """ISO alpha-3 -> FtM's lower-case alpha-2 (the bundled table unless ``path`` is given)."""
    if path is None:
        text = (resources.files("newsgraph") / "data" / "export" / "country_alpha2.json").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return dict(json.loads(text)["codes"])


def _country(code: str | None, countries: Mapping[str, str]) -> str | None:
    return countries.get(code.upper()) if code else None


def actor_schema(actor: dict) -> str:
    if actor["kind"] == "person":
        return "Person"
    if actor["kind"] == "state" or (actor.get("sector") in GOVERNMENT_SECTORS):
        return "PublicBody"
    return "Organization"


def actor_entity(actor: dict, countries: Mapping[str, str]) -> dict:
    schema = actor_schema(actor)
    country = _country(actor.get("country"), countries)
    props = _props(
        name=actor["name"],
        alias=[a for a in actor.get("aliases", []) if a != actor["name"]],
        country=country,
        wikidataId=actor.get("wikidata"),
        notes=f"newsgraph actor {actor['id']}; kind {actor['kind']}"
        + (f"; code {actor['code']}" if actor.get("code") else ""),
    )
    if schema == "Person":
        props.update(_props(position=actor.get("role"), nationality=country))
    if actor["kind"] == "state" and country:
        props.update(_props(jurisdiction=country))
    return {"id": f"{PREFIX}-actor-{actor['id']}", "schema": schema, "properties": props}


def write_ftm(
    events: Iterable[EventRow], actors: dict[str, dict], out: IO[str], countries: Mapping[str, str]
) -> int:
    """Write entities for the given events and the actors they involve; returns the entity count."""
    n = 0
    used: set[str] = set()
    articles: dict[str, dict] = {}
    dyads: dict[tuple[str, str], Counter] = defaultdict(Counter)
    dyad_dates: dict[tuple[str, str], list[str]] = defaultdict(list)
    lines: list[dict] = []
    for e in events:
        parties = [a.id for a in e.source + e.target]
        used.update(parties)
        if e.attributed_to:
            used.add(e.attributed_to.id)
        articles.setdefault(
            e.article_id,
            {
                "title": e.article_title,
                "url": e.article_url,
                "publisher": e.article_source,
                "language": e.language,
            },
        )
        lines.append(
            {
                "id": f"{PREFIX}-event-{e.id}",
                "schema": "Event",
                "properties": _props(
                    name=f"{e.type}: "
                    + ", ".join(a.name for a in e.source)
                    + " → "
                    + ", ".join(a.name for a in e.target),
                    summary=e.evidence.text,
                    date=e.date,
                    organizer=[f"{PREFIX}-actor-{a.id}" for a in e.source],
                    involved=[f"{PREFIX}-actor-{a}" for a in parties],
                    location=e.location,
                    country=_country(e.location_country, countries),
                    sourceUrl=e.article_url,
                    publisher=e.article_source,
                    proof=f"{PREFIX}-article-{e.article_id}",
                    keywords=[e.type, *([e.cameo] if e.cameo else [])],
                    # FtM has no confidence property: it goes in the notes, with the claimant.
                    notes=[*([f"claimed by {e.attributed_to.name}"] if e.attributed_to else []),
                           f"confidence {e.confidence}"],
                ),
            }
        )
        for s in e.source:
            for tg in e.target:
                if s.id != tg.id:
                    dyads[(s.id, tg.id)][e.type] += 1
                    if e.date:
                        dyad_dates[(s.id, tg.id)].append(e.date)
    for actor_id in sorted(used):
        actor = actors.get(actor_id)
        if actor:
            out.write(json.dumps(actor_entity(actor, countries), ensure_ascii=False) + "\n")
            n += 1
            org = actor.get("organization_id")
            if actor["kind"] == "person" and org and org in actors:
                membership = {
                    "id": f"{PREFIX}-membership-{actor_id}-{org}",
                    "schema": "Membership",
                    "properties": _props(
                        member=f"{PREFIX}-actor-{actor_id}",
                        organization=f"{PREFIX}-actor-{org}",
                        role=actor.get("role"),
                    ),
                }
                if org not in used:
                    out.write(json.dumps(actor_entity(actors[org], countries), ensure_ascii=False) + "\n")
                    used.add(org)
                    n += 1
                out.write(json.dumps(membership, ensure_ascii=False) + "\n")
                n += 1
    for article_id, a in sorted(articles.items()):
        out.write(
            json.dumps(
                {
                    "id": f"{PREFIX}-article-{article_id}",
                    "schema": "Article",
                    "properties": _props(
                        title=a["title"],
                        sourceUrl=a["url"],
                        publisher=a["publisher"],
                        language=a["language"],
                        fileName=article_id,
                    ),
                },
                ensure_ascii=False,
            )
            + "\n"
        )
        n += 1
    for line in lines:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        n += 1
    for (s, tg), types in sorted(dyads.items()):
        dates = sorted(dyad_dates[(s, tg)])
        out.write(
            json.dumps(
                {
                    "id": f"{PREFIX}-link-{s}-{tg}",
                    "schema": "UnknownLink",
                    "properties": _props(
                        subject=f"{PREFIX}-actor-{s}",
                        object=f"{PREFIX}-actor-{tg}",
                        role=[f"{k} ×{v}" for k, v in sorted(types.items())],
                        startDate=dates[0] if dates else None,
                        endDate=dates[-1] if dates else None,
                    ),
                },
                ensure_ascii=False,
            )
            + "\n"
        )
        n += 1
    return n
