"""A CAMEO/GDELT-style event table (tab-separated); the column mapping is in docs/exports.md."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

from newsgraph.query.models import ActorRef, EventRow

COLUMNS = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1Type1Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2Type1Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
    # newsgraph extensions
    "PloverType",
    "Polarity",
    "Modality",
    "ClaimedBy",
    "EvidenceText",
    "ArticleId",
    "StoryId",
    "ActionGeo_Basis",
    "Confidence",
)


def geo_type(e: EventRow) -> str:
    """GDELT's ActionGeo_Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state."""
    g = e.geo
    if g is None or g.lat is None:
        return ""
    if g.feature == "country":
        return "1"
    us = g.country == "USA"
    if g.feature == "region":
        return "2" if us else "5"
    return ("3" if us else "4") if g.feature == "city" else ""


def _geo_cols(e: EventRow) -> list[str]:
    g = e.geo if e.geo is not None and e.geo.lat is not None else None
    if g is None:  # no point: the older location strings only
        return ["", e.location or "", e.location_country or "", "", "", "", ""]
    full = ", ".join(dict.fromkeys(p for p in (g.name, g.region) if p))
    return [geo_type(e), full, g.country or "", g.region or "", f"{g.lat:.4f}", f"{g.lon:.4f}",
            g.gazetteer_id or ""]


def _actor_cols(actor: ActorRef | None, info: dict[str, dict]) -> list[str]:
    if actor is None:
        return ["", "", "", ""]
    meta = info.get(actor.id, {})
    sector = meta.get("sector") or ""
    code = meta.get("cameo") or ((actor.code or actor.country or "") + sector)
    return [code, actor.name.upper(), actor.country or "", sector]


def _fraction(day: str) -> str:
    year, month, dom = (int(p) for p in day.split("-"))
    return f"{year + ((month - 1) * 30 + dom) / 365:.4f}"


def write_cameo(
    events: Iterable[EventRow], actor_info: dict[str, dict], story_articles: dict[str, int], out: IO[str]
) -> int:
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    n = 0
    for e in events:
        day = e.date or ""
        cameo = e.cameo or ""
        root = cameo[:2] if cameo else ""
        base = cameo[:3] if len(cameo) >= 3 else cameo
        evidence = " ".join(e.evidence.text.split())
        writer.writerow(
            [
                e.id,
                day.replace("-", ""),
                day[:7].replace("-", ""),
                day[:4],
                _fraction(day) if day else "",
                *_actor_cols(e.source[0] if e.source else None, actor_info),
                *_actor_cols(e.target[0] if e.target else None, actor_info),
                "1" if e.quote_id is None else "0",
                cameo,
                base,
                root,
                e.quad_class or "",
                "" if e.goldstein is None else e.goldstein,
                1 + len(e.also_evidence),
                story_articles.get(e.story_id or "", 1),
                story_articles.get(e.story_id or "", 1),
                "",
                *_geo_cols(e),
                (e.ingested_at or "")[:10].replace("-", ""),
                e.article_url or "",
                e.type,
                e.polarity,
                e.modality,
                e.attributed_to.name if e.attributed_to else "",
                evidence,
                e.article_id,
                e.story_id or "",
                e.geo.basis if e.geo is not None else "",
                e.confidence,
            ]
        )
        n += 1
    return n
