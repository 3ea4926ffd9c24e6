"""Command-line options that several commands take, defined once so their names and help agree.

Each is an ``Annotated`` type: a command declares ``model: ModelOption = None``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsgraph.cli.output import OutputFormat
from newsgraph.eval.report import ConfigOption, ModelOption  # noqa: F401  (see eval/report.py)

# -- settings ---------------------------------------------------------------------------------------

ActorsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--actors",
        exists=True,
        dir_okay=False,
        help="Extra actor dictionary (project YAML or PETRARCH format); repeatable.",
    ),
]
MaxBytesOption = Annotated[
    int | None, typer.Option("--max-bytes", help="Largest input accepted (default 10 MB).")
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        min=1,
        help="Extraction processes (default: the machine's cores; a single article is extracted in-process).",
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store: a SQLite file path or a postgresql:// URL (default: NEWSGRAPH_DB or ./newsgraph.db).",
    ),
]

# -- queries ----------------------------------------------------------------------------------------

SINCE_HELP = "First day (YYYY-MM-DD), inclusive."
UNTIL_HELP = "Last day (YYYY-MM-DD), inclusive."


def check_date(value: str | None) -> str | None:
    """The day as YYYY-MM-DD (a longer ISO timestamp is cut to its day); a usage error otherwise."""
    if not value:
        return value
    import datetime as dt

    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError as err:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from err


SinceOption = Annotated[str | None, typer.Option("--since", help=SINCE_HELP, callback=check_date)]
UntilOption = Annotated[str | None, typer.Option("--until", help=UNTIL_HELP, callback=check_date)]
LimitOption = Annotated[int, typer.Option("--limit", min=1, help="Rows per page.")]
OffsetOption = Annotated[int, typer.Option("--offset", min=0, help="Rows to skip.")]
FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format", "-f", help="table, json, jsonl or csv (default: table on a terminal, else json)."
    ),
]
TypesOption = Annotated[
    list[str] | None, typer.Option("--type", "-t", help="PLOVER type(s), e.g. AID or AID,ASSAULT.")
]

# The filters of ``newsgraph.query.EventFilter``, shared by ``events`` and ``export``.
ActorFilter = Annotated[
    str | None, typer.Option("--actor", help="Actor on either side: code (PRK), name or id.")
]
SourceFilter = Annotated[str | None, typer.Option("--source", help="Source actor.")]
TargetFilter = Annotated[str | None, typer.Option("--target", help="Target actor.")]
ClaimedByFilter = Annotated[
    str | None, typer.Option("--claimed-by", help="Whoever asserts the event (e.g. a spokesman).")
]
ArticleFilter = Annotated[str | None, typer.Option("--article", help="Article id.")]
CountryFilter = Annotated[
    str | None,
    typer.Option("--country", help="Where it happened: ISO 3166-1 alpha-3 code(s), comma-separated."),
]
RegionFilter = Annotated[
    str | None,
    typer.Option("--region", help="Where it happened: a first-level region (\"Nineveh\", \"Texas\")."),
]


def _check_bbox(value: str | None) -> str | None:
    from newsgraph.query.queries import parse_bbox

    try:
        parse_bbox(value)
    except ValueError as err:
        raise typer.BadParameter(str(err)) from err
    return value


BBoxFilter = Annotated[
    str | None,
    typer.Option("--bbox", callback=_check_bbox,
                 help="Where it happened: west,south,east,north in degrees (e.g. 35,29,49,38)."),
]
MinConfidenceFilter = Annotated[
    float | None,
    typer.Option("--min-confidence", min=0.0, max=1.0, help="Only events of at least this confidence (0-1)."),
]
IncludeAllFilter = Annotated[
    bool,
    typer.Option(
        "--all", help="Include negated, planned, hypothetical events and those of near-duplicate copies."
    ),
]
