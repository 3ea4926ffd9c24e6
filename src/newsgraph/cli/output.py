"""Printing query results: ``emit(rows, fmt)`` as a rich table, a JSON array, JSON lines or CSV.

Rows are pydantic models or dicts.  JSON keeps the nesting; table and CSV flatten it: an actor
becomes its name, a list of actors their names joined with "; ", other objects their JSON; a
command that lists nested objects passes ``cells`` to say how each becomes one readable table cell.

A table on a terminal fits the terminal's width; anywhere else (a pipe, a file) it has the width its
contents need, so no cell is wrapped (see ``console_for``).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from rich.console import Console

# Wide enough for any row: rich then sizes a table by its contents and never folds a cell.
UNWRAPPED_WIDTH = 100_000


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def as_dict(row: Any) -> dict:
    if isinstance(row, BaseModel):
        return row.model_dump(mode="json")
    return dict(row)


def flat_value(value: Any) -> str:
    """One cell: scalars as text, actors by name, spans by text, lists joined with '; '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        for key in ("name", "text"):
            if key in value and isinstance(value[key], str):
                return value[key]
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "; ".join(flat_value(v) for v in value)
    return str(value)


def flatten(row: Any) -> dict[str, str]:
    return {k: flat_value(v) for k, v in as_dict(row).items()}


def console_for(out: IO[str]) -> Console:
    """A rich console on ``out``: the terminal's width on a terminal, else no width limit."""
    from rich.console import Console

    return Console(file=out) if out.isatty() else Console(file=out, width=UNWRAPPED_WIDTH)


def emit(
    rows: Iterable[Any],
    fmt: OutputFormat | str = "table",
    *,
    columns: Sequence[str] | None = None,
    cells: Mapping[str, Callable[[dict], Any]] | None = None,
    title: str | None = None,
    out: IO[str] | None = None,
) -> int:
    """Write rows to ``out`` (stdout); ``columns`` picks and orders the table's columns.

    ``cells`` computes table columns from a row (the other formats keep the row as it is): a column
    named there is added, or replaces the row's own value. Returns the number of rows written."""
    fmt = OutputFormat(fmt)
    out = out or sys.stdout
    items = [as_dict(r) for r in rows]
    if cells and fmt is OutputFormat.table:
        items = [{**item, **{name: cell(item) for name, cell in cells.items()}} for item in items]
    if fmt is OutputFormat.json:
        out.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
    elif fmt is OutputFormat.jsonl:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.csv:
        keys = list(items[0]) if items else list(columns or [])
        writer = csv.DictWriter(out, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for item in items:
            writer.writerow({k: flat_value(item.get(k)) for k in keys})
    else:
        _table(items, columns, title, out)
    return len(items)


def _table(items: list[dict], columns: Sequence[str] | None, title: str | None, out: IO[str]) -> None:
    from rich.table import Table

    keys = list(columns) if columns else (list(items[0]) if items else [])
    table = Table(title=title, show_lines=False, header_style="bold")
    for key in keys:
        table.add_column(key.replace("_", " "), overflow="fold")
    for item in items:
        # One line of text per cell: line breaks inside evidence would otherwise open blank rows.
        table.add_row(*(" ".join(flat_value(item.get(k)).split()) for k in keys))
    console = console_for(out)
    if not items:
        console.print(f"[dim]no {title.lower() if title else 'rows'}[/dim]")
        return
    console.print(table)
