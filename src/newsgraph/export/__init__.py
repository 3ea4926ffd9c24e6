"""Exports: PLOVER JSONL, CAMEO/GDELT-style TSV, FollowTheMoney entities, GeoJSON, GEXF/GraphML, Parquet, CSV.

``export(store, fmt, output, where)`` takes the same ``EventFilter`` as ``newsgraph.query.list_events``
(network formats use its since, until, type and min_confidence, and count).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import func, select

from newsgraph.export.cameo import write_cameo
from newsgraph.export.ftm import load_country_codes, write_ftm
from newsgraph.export.geojson import feature_collection, write_geojson
from newsgraph.export.graph import to_networkx, write_graph
from newsgraph.export.plover import REQUIRED_FIELDS, plover_record, write_plover
from newsgraph.export.tables import (
    EVENT_COLUMNS,
    collect_tables,
    event_record,
    write_csv,
    write_csv_table,
    write_parquet,
)
from newsgraph.query import EventFilter, iter_events, network
from newsgraph.store import Store
from newsgraph.store import tables as t

FORMATS = ("plover", "cameo", "ftm", "geojson", "gexf", "graphml", "parquet", "csv")


@dataclass
class ExportResult:
    format: str
    output: Path
    records: int
    tables: dict[str, int] = field(default_factory=dict)


def _actor_info(store: Store) -> dict[str, dict]:
    with store.engine.connect() as conn:
        out = {}
        for r in conn.execute(select(t.actors)):
            row = dict(r._mapping)
            row["aliases"] = t.split_list(row.get("aliases"))
            out[row["id"]] = row
        return out


def _story_articles(store: Store) -> dict[str, int]:
    e = t.events
    with store.engine.connect() as conn:
        return dict(
            conn.execute(
                select(e.c.story_id, func.count(func.distinct(e.c.article_id)))
                .where(e.c.story_id.is_not(None))
                .group_by(e.c.story_id)
            ).all()
        )


def export(
    store: Store,
    fmt: str,
    output: Path,
    where: EventFilter | None = None,
    *,
    count: str = "stories",
    min_count: int = 1,
    **filters: object,
) -> ExportResult:
    """Write the events matching ``where`` (or the ``EventFilter`` fields given as keywords) in format
    ``fmt`` to ``output`` (a file, or a directory for parquet and multi-table csv)."""
    output = Path(output)
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    where = EventFilter.of(where, filters)
    if fmt in ("gexf", "graphml"):
        net = network(
            store,
            since=where.since,
            until=where.until,
            types=where.type,
            min_count=min_count,
            count=count,  # type: ignore[arg-type]
            min_confidence=where.min_confidence,
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        write_graph(net, output, fmt)
        return ExportResult(fmt, output, len(net.edges), {"nodes": len(net.nodes), "edges": len(net.edges)})
    events = iter_events(store, where)
    if fmt in ("parquet", "csv") and not (fmt == "csv" and output.suffix.lower() == ".csv"):
        tables = collect_tables(store, events, filtered=where.given())
        counts = write_parquet(tables, output) if fmt == "parquet" else write_csv(tables, output)
        return ExportResult(fmt, output, counts["events"], counts)
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":  # a single .csv file: the events table only
        n = write_csv_table([event_record(e) for e in events], list(EVENT_COLUMNS), output)
        return ExportResult(fmt, output, n, {"events": n})
    with open(output, "w", encoding="utf-8", newline="") as fh:
        if fmt == "plover":
            actors = _actor_info(store)
            n = write_plover(events, {k: v.get("sector") for k, v in actors.items()}, fh)
        elif fmt == "geojson":  # located events only: a Feature needs a point
            n = write_geojson(iter_events(store, replace(where, located=True)), fh)
        elif fmt == "cameo":
            n = write_cameo(events, _actor_info(store), _story_articles(store), fh)
        else:
            n = write_ftm(events, _actor_info(store), fh, load_country_codes())
    return ExportResult(fmt, output, n)


__all__ = ["FORMATS", "REQUIRED_FIELDS", "ExportResult", "export", "feature_collection", "plover_record",
           "to_networkx"]
