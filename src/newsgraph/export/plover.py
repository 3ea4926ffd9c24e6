"""PLOVER JSON lines: one record per event with the PLOVER manual's event fields.

Field names follow the manual (``event_type``, ``mode``, ``context``, ``source``/``src_actor``/
``src_agent``, ``target``/``tgt_actor``/``tgt_agent``, ``event_text``, ``dead``/``injured``/
``size``…); newsgraph's own fields (polarity, modality, evidence offsets, claimant) follow them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from newsgraph.query.models import EventRow

REQUIRED_FIELDS = (
    "id",
    "date",
    "event_type",
    "mode",
    "context",
    "source",
    "src_actor",
    "src_agent",
    "target",
    "tgt_actor",
    "tgt_agent",
    "event_text",
    "location",
    "language",
    "publication",
    "url",
    "coder",
    "version",
    "date_coded",
)
QUANTITY_FIELDS = ("dead", "injured", "size")


def _sum(event: EventRow, role: str) -> float | int | None:
    values = [q.value for q in event.quantities if q.role == role]
    if not values:
        return None
    total = sum(values)
    return int(total) if float(total).is_integer() else total


def _location(event: EventRow) -> dict | None:
    g = event.geo
    if g is not None and g.lat is not None:
        gid = g.gazetteer_id or ""
        return {"name": g.name, "country": g.country, "region": g.region, "lat": g.lat, "lon": g.lon,
                "geonames_id": gid.split(":", 1)[1] if gid.startswith("geonames:") else None,
                "basis": g.basis}
    if event.location or event.location_country:
        return {"name": event.location, "country": event.location_country}
    return None


def plover_record(event: EventRow, coder: str = "newsgraph") -> dict:
    """The PLOVER record of one stored event."""
    src, tgt = event.source, event.target
    record = {
        "id": event.id,
        "date": event.date,
        "event_type": event.type,
        "mode": event.mode or "",
        "context": event.context,
        "source": "; ".join(a.name for a in src),
        "src_actor": src[0].code if src and src[0].code else (src[0].country if src else None),
        "src_agent": None,
        "src_other": [a.code or a.country for a in src[1:] if a.code or a.country],
        "target": "; ".join(a.name for a in tgt),
        "tgt_actor": tgt[0].code if tgt and tgt[0].code else (tgt[0].country if tgt else None),
        "tgt_agent": None,
        "tgt_other": [a.code or a.country for a in tgt[1:] if a.code or a.country],
        "event_text": event.evidence.text,
        "location": _location(event),
        "dead": _sum(event, "dead"),
        "injured": _sum(event, "injured"),
        "size": _sum(event, "size"),
        "language": event.language,
        "publication": event.article_source,
        "url": event.article_url,
        "coder": coder,
        "version": event.coder_version,
        "date_coded": (event.ingested_at or "")[:10] or None,
        # newsgraph fields
        "cameo": event.cameo,
        "quad_class": event.quad_class,
        "goldstein": event.goldstein,
        "polarity": event.polarity,
        "modality": event.modality,
        "claimed_by": event.attributed_to.name if event.attributed_to else None,
        "trigger": event.trigger.text,
        "evidence_span": [event.evidence.start, event.evidence.end],
        "quantities": [q.model_dump() for q in event.quantities],
        "confidence": event.confidence,
        "article_id": event.article_id,
        "story_id": event.story_id,
    }
    return record


def with_sectors(record: dict, sectors: dict[str, str | None], event: EventRow) -> dict:
    """Fill ``src_agent``/``tgt_agent`` with the first actor's sector (GOV, MIL…)."""
    if event.source:
        record["src_agent"] = sectors.get(event.source[0].id)
    if event.target:
        record["tgt_agent"] = sectors.get(event.target[0].id)
    return record


def write_plover(events: Iterable[EventRow], sectors: dict[str, str | None], out: IO[str]) -> int:
    n = 0
    for event in events:
        out.write(json.dumps(with_sectors(plover_record(event), sectors, event), ensure_ascii=False) + "\n")
        n += 1
    return n
