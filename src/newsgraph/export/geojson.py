"""GeoJSON (RFC 7946): one Point Feature per located event, its properties the event's facts and evidence."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from newsgraph.query.models import EventRow


def event_feature(e: EventRow) -> dict[str, Any] | None:
    """The event as a Feature, or None when it has no point."""
    g = e.geo
    if g is None or g.lat is None or g.lon is None:
        return None
    return {
        "type": "Feature",
        "id": e.id,
        "geometry": {"type": "Point", "coordinates": [round(g.lon, 5), round(g.lat, 5)]},
        "properties": {
            "event": e.id,
            "article": e.article_id,
            "date": e.date,
            "type": e.type,
            "mode": e.mode,
            "cameo": e.cameo,
            "quad_class": e.quad_class,
            "goldstein": e.goldstein,
            "source": [{"id": a.id, "name": a.name, "country": a.country} for a in e.source],
            "target": [{"id": a.id, "name": a.name, "country": a.country} for a in e.target],
            "polarity": e.polarity,
            "modality": e.modality,
            "trigger": e.trigger.text,
            "evidence": e.evidence.text,
            "place": g.name,
            "feature": g.feature,
            "gazetteer_id": g.gazetteer_id,
            "country": g.country,
            "region": g.region,
            "basis": g.basis,
            "place_evidence": {"text": g.evidence.text, "start": g.evidence.start, "end": g.evidence.end},
            "article_title": e.article_title,
            "article_url": e.article_url,
        },
    }


def feature_collection(events: Iterable[EventRow]) -> dict[str, Any]:
    features = [f for f in (event_feature(e) for e in events) if f is not None]
    return {"type": "FeatureCollection", "features": features}


def write_geojson(events: Iterable[EventRow], out: IO[str]) -> int:
    """Stream a FeatureCollection (one Feature a line, so large exports stay readable); returns the count."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    n = 0
    for e in events:
        f = event_feature(e)
        if f is None:
            continue
        out.write((",\n" if n else "") + json.dumps(f, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n
