"""Flat tables (articles, actors, events, quotes, quantities, mentions) as Parquet or CSV files."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import select

from newsgraph.query.models import EventRow
from newsgraph.store import Store
from newsgraph.store import tables as t

TABLES = ("articles", "actors", "events", "quotes", "quantities", "mentions")
_CHUNK = 900

EVENT_COLUMNS = (
    "id",
    "article_id",
    "date",
    "type",
    "mode",
    "context",
    "cameo",
    "quad_class",
    "goldstein",
    "polarity",
    "modality",
    "source_ids",
    "source_names",
    "source_codes",
    "target_ids",
    "target_names",
    "target_codes",
    "attributed_to_id",
    "attributed_to_name",
    "quote_id",
    "trigger_text",
    "trigger_start",
    "trigger_end",
    "evidence_text",
    "evidence_start",
    "evidence_end",
    "location",
    "location_country",
    "geo_name",
    "geo_feature",
    "geo_country",
    "geo_region",
    "geo_lat",
    "geo_lon",
    "geo_basis",
    "geo_gazetteer_id",
    "quantity_ids",
    "confidence",
    "story_id",
    "duplicate_of",
)


def event_record(e: EventRow) -> dict:
    return {
        "id": e.id,
        "article_id": e.article_id,
        "date": e.date,
        "type": e.type,
        "mode": e.mode,
        "context": e.context,
        "cameo": e.cameo,
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        "polarity": e.polarity,
        "modality": e.modality,
        "source_ids": [a.id for a in e.source],
        "source_names": [a.name for a in e.source],
        "source_codes": [a.code or "" for a in e.source],
        "target_ids": [a.id for a in e.target],
        "target_names": [a.name for a in e.target],
        "target_codes": [a.code or "" for a in e.target],
        "attributed_to_id": e.attributed_to.id if e.attributed_to else None,
        "attributed_to_name": e.attributed_to.name if e.attributed_to else None,
        "quote_id": e.quote_id,
        "trigger_text": e.trigger.text,
        "trigger_start": e.trigger.start,
        "trigger_end": e.trigger.end,
        "evidence_text": e.evidence.text,
        "evidence_start": e.evidence.start,
        "evidence_end": e.evidence.end,
        "location": e.location,
        "location_country": e.location_country,
        **{f"geo_{k}": getattr(e.geo, k) if e.geo is not None else None
           for k in ("name", "feature", "country", "region", "lat", "lon", "basis", "gazetteer_id")},
        "quantity_ids": [q.id for q in e.quantities],
        "confidence": e.confidence,
        "story_id": e.story_id,
        "duplicate_of": e.duplicate_of,
    }


def _rows(store: Store, table, columns, key, ids: list[str] | None) -> Iterator[dict]:
    cols = [table.c[c] for c in columns]
    with store.engine.connect() as conn:
        if ids is None:
            for r in conn.execute(select(*cols).order_by(*[table.c[k] for k in key])):
                yield dict(r._mapping)
            return
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for r in conn.execute(
                select(*cols)
                .where(table.c.article_id.in_(chunk) if "article_id" in table.c else table.c.id.in_(chunk))
                .order_by(*[table.c[k] for k in key])
            ):
                yield dict(r._mapping)


def collect_tables(store: Store, events: Iterable[EventRow], *, filtered: bool) -> dict[str, list[dict]]:
    """Rows of every exported table; with ``filtered`` only what the selected events' articles hold."""
    event_rows = [event_record(e) for e in events]
    article_ids = sorted({e["article_id"] for e in event_rows}) if filtered else None
    art_cols = [c for c in t.articles.c.keys() if c not in ("extraction",)]
    out: dict[str, list[dict]] = {"events": event_rows}
    out["articles"] = list(_rows(store, t.articles, art_cols, ["id"], article_ids))
    for name in ("quotes", "quantities", "mentions"):
        table = t.metadata.tables[name]
        out[name] = list(_rows(store, table, list(table.c.keys()), ["id"], article_ids))
    actor_cols = list(t.actors.c.keys())
    if filtered:
        wanted: set[str] = set()
        for row in out["mentions"]:
            wanted.add(row["actor_id"])
        for row in event_rows:
            wanted.update(row["source_ids"] + row["target_ids"])
        with store.engine.connect() as conn:
            actors = []
            ids = sorted(wanted)
            for start in range(0, len(ids), _CHUNK):
                actors += [
                    dict(r._mapping)
                    for r in conn.execute(
                        select(t.actors).where(t.actors.c.id.in_(ids[start : start + _CHUNK]))
                    )
                ]
        out["actors"] = sorted(actors, key=lambda r: r["id"])
    else:
        out["actors"] = list(_rows(store, t.actors, actor_cols, ["id"], None))
    for row in out["actors"]:
        row["aliases"] = t.split_list(row.get("aliases"))
    return out


def write_parquet(tables: dict[str, list[dict]], directory: Path) -> dict[str, int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in TABLES:
        rows = tables[name]
        columns = list(rows[0]) if rows else _columns(name)
        table = (
            pa.Table.from_pylist(rows) if rows else pa.table({c: pa.array([], pa.string()) for c in columns})
        )
        pq.write_table(table, directory / f"{name}.parquet")
        counts[name] = len(rows)
    return counts


def _columns(name: str) -> list[str]:
    if name == "events":
        return list(EVENT_COLUMNS)
    if name == "articles":
        return [c for c in t.articles.c.keys() if c != "extraction"]
    return list(t.metadata.tables[name].c.keys())


def _cell(value: object) -> object:
    if isinstance(value, list):
        return t.join_list(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def write_csv_table(rows: list[dict], columns: list[str], path: Path) -> int:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
    return len(rows)


def write_csv(tables: dict[str, list[dict]], directory: Path) -> dict[str, int]:
    directory.mkdir(parents=True, exist_ok=True)
    return {
        name: write_csv_table(
            tables[name], list(tables[name][0]) if tables[name] else _columns(name), directory / f"{name}.csv"
        )
        for name in TABLES
    }
