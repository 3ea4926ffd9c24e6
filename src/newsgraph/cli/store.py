"""Store commands: ingest, events, quotes, actors, network, timeline, stories, changes, export."""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from pathlib import Path

import typer

from newsgraph.cli.options import (
    SINCE_HELP,
    UNTIL_HELP,
    ActorFilter,
    ArticleFilter,
    BBoxFilter,
    ClaimedByFilter,
    ConfigOption,
    CountryFilter,
    DbOption,
    FormatOption,
    IncludeAllFilter,
    LimitOption,
    MinConfidenceFilter,
    ModelOption,
    OffsetOption,
    RegionFilter,
    SinceOption,
    SourceFilter,
    TargetFilter,
    TypesOption,
    UntilOption,
    WorkersOption,
    check_date,
)
from newsgraph.cli.output import OutputFormat, emit
from newsgraph.config import Settings


class CountBy(StrEnum):
    stories = "stories"
    reports = "reports"


class NetworkFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    gexf = "gexf"
    graphml = "graphml"


class Period(StrEnum):
    day = "day"
    week = "week"
    month = "month"


class ExportFormat(StrEnum):
    plover = "plover"
    cameo = "cameo"
    ftm = "ftm"
    geojson = "geojson"
    gexf = "gexf"
    graphml = "graphml"
    parquet = "parquet"
    csv = "csv"


def _settings(config: Path | None = None) -> Settings:
    return Settings.load(config_file=config)


def _open(db: str | None, config: Path | None = None, *, create: bool = False):
    """Open the store; queries refuse to create an empty SQLite file where none exists."""
    from newsgraph.store import Store

    target = db or _settings(config).db
    is_file = not target.startswith(("postgresql", "postgres:", "sqlite:")) and target != ":memory:"
    if is_file and not create and not Path(target).exists():
        typer.echo(f"newsgraph: no store at {target} (ingest into it first)", err=True)
        raise typer.Exit(2)
    try:
        return Store.open(target)
    except Exception as err:  # a bad URL, an unreachable server, a newer schema
        typer.echo(f"newsgraph: cannot open store {target}: {err}", err=True)
        raise typer.Exit(2) from err


def _fmt(fmt: OutputFormat | None) -> OutputFormat:
    return fmt or (OutputFormat.table if sys.stdout.isatty() else OutputFormat.json)


def _bad(message: str) -> typer.Exit:
    typer.echo(f"newsgraph: {message}", err=True)
    return typer.Exit(2)


# -- ingest -----------------------------------------------------------------------------------------


class _Progress:
    """A rich progress bar on a terminal, plain log lines otherwise (both on stderr)."""

    def __init__(self, enabled: bool | None) -> None:
        self.start = time.monotonic()
        self.done = 0
        self.skipped = 0
        self.tty = sys.stderr.isatty() if enabled is None else enabled
        self._bar = None
        if self.tty:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed} articles"),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._task = self._bar.add_task("ingesting", total=None, rate="")
            self._bar.start()

    def rate(self) -> float:
        elapsed = max(time.monotonic() - self.start, 1e-6)
        return self.done / elapsed

    def skip(self, _article: object) -> None:
        self.skipped += 1
        if self._bar is not None:
            self._bar.update(self._task, description=f"ingesting ({self.skipped} already stored)")

    def batch(self, part) -> None:
        self.done += part.added + part.reprocessed + part.skipped
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, rate=f"{self.rate():.1f} articles/s")
        else:
            typer.echo(
                f"newsgraph: batch stored: {part.added} added, {part.reprocessed} reprocessed, "
                f"{part.skipped} skipped, {part.duplicates} near-duplicates linked; "
                f"{self.done} articles, {self.rate():.1f} articles/s",
                err=True,
            )

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def ingest_command(
    inputs: list[str] = typer.Argument(
        None, help="Files, directories, JSONL, - for stdin, or http(s) page URLs."
    ),
    feed: list[str] = typer.Option(
        None, "--feed", help="RSS/Atom feed URL; every entry is fetched. Repeatable."
    ),
    db: DbOption = None,
    reprocess: bool = typer.Option(
        False, "--reprocess", help="Re-extract stored articles coded by another coder version."
    ),
    workers: WorkersOption = None,
    batch_size: int = typer.Option(None, "--batch-size", help="Articles per transaction (default 32)."),
    model: ModelOption = None,
    progress: bool = typer.Option(
        None, "--progress/--no-progress", help="Progress bar (default: on a terminal)."
    ),
    config: ConfigOption = None,
    from_parquet: Path = typer.Option(
        None,
        "--from-parquet",
        file_okay=False,
        help="Load the shards `newsgraph batch` wrote in this directory (no extraction here).",
    ),
    published: str = typer.Option(
        None,
        "--published",
        callback=check_date,
        help="Publication date (YYYY-MM-DD) of inputs that carry none: no date in their metadata "
        "(JSONL field, HTML meta) or dateline. Undated articles' events are in no period of a timeline.",
    ),
) -> None:
    """Extract articles, pages and feeds and store them (each article once)."""
    from newsgraph.ingest import web
    from newsgraph.ingest.readers import ArticleInput, iter_inputs
    from newsgraph.store.ingest import run_ingest

    settings = _settings(config)
    if model:
        settings = settings.updated({"model": model})
    if batch_size:
        settings = settings.updated({"batch_size": batch_size})
    inputs = list(inputs or [])
    feeds = list(feed or [])
    if from_parquet is not None:
        if inputs or feeds or published:
            raise _bad("--from-parquet loads shards only; give inputs (and --published) in a separate ingest")
        _load_shards(from_parquet, db or settings.db, reprocess, settings.batch_size, progress)
        return
    if not inputs and not feeds:
        raise _bad("give files, directories, URLs or --feed URL")
    urls = [i for i in inputs if web.is_url(i)]
    paths = [i for i in inputs if not web.is_url(i)]

    def read():
        if paths:
            yield from iter_inputs(paths, settings)
        if urls or feeds:
            yield from web.iter_web_inputs(urls, feeds, settings)

    def stream():
        for item in read():
            if published and isinstance(item, ArticleInput):
                item.default_published = published
            yield item

    def problem(p) -> None:
        typer.echo(f"newsgraph: skipped {p.origin}: {p.message}", err=True)

    def warning(article, w) -> None:
        typer.echo(f"newsgraph: warning: {w.input or article.origin}: {w.message}", err=True)

    store = _open(db or settings.db, create=True)
    bar = _Progress(progress)
    try:
        summary = run_ingest(
            stream(),
            store,
            settings,
            workers=workers,
            reprocess=reprocess,
            batch_size=settings.batch_size,
            on_problem=problem,
            on_warning=warning,
            on_skip=bar.skip,
            on_batch=bar.batch,
        )
    except RuntimeError as err:  # e.g. the spaCy model is missing
        bar.stop()
        raise _bad(str(err)) from err
    finally:
        store.close()
    bar.stop()
    r = summary.report
    typer.echo(
        f"newsgraph: {summary.inputs} inputs: {r.added} added ({r.duplicates} linked as near-duplicates), "
        f"{r.reprocessed} reprocessed, {summary.skipped} already stored, {summary.problems} problems; "
        f"{r.events} events, {r.quotes} quotes; {bar.rate():.1f} articles/s",
        err=True,
    )
    if summary.problems and not (r.added or r.reprocessed or summary.skipped):
        raise typer.Exit(1)


def _load_shards(directory: Path, db: str, reprocess: bool, batch_size: int, progress: bool | None) -> None:
    from newsgraph.batch.load import load_shards

    if not directory.is_dir():
        raise _bad(f"no shard directory {directory}")
    store = _open(db, create=True)
    bar = _Progress(progress)
    try:
        report = load_shards(directory, store, reprocess=reprocess, batch_size=batch_size, on_batch=bar.batch)
    finally:
        bar.stop()
        store.close()
    typer.echo(
        f"newsgraph: shards loaded: {report.added} added ({report.duplicates} linked as near-duplicates), "
        f"{report.reprocessed} reprocessed, {report.skipped} already stored; "
        f"{report.events} events, {report.quotes} quotes",
        err=True,
    )


# -- queries ----------------------------------------------------------------------------------------

EVENT_COLUMNS = ["date", "type", "source", "target", "attributed_to", "evidence", "quantities", "geo",
                 "confidence", "article_id"]


def events_command(
    actor: ActorFilter = None,
    source: SourceFilter = None,
    target: TargetFilter = None,
    type: TypesOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    claimed_by: ClaimedByFilter = None,
    article: ArticleFilter = None,
    country: CountryFilter = None,
    region: RegionFilter = None,
    bbox: BBoxFilter = None,
    min_confidence: MinConfidenceFilter = None,
    include_all: IncludeAllFilter = False,
    limit: LimitOption = 100,
    offset: OffsetOption = 0,
    fmt: FormatOption = None,
    db: DbOption = None,
) -> None:
    """Events with their evidence, parties, claimant and quantities."""
    from newsgraph import query

    where = query.EventFilter(
        actor=actor, source=source, target=target, type=type, since=since, until=until,
        claimed_by=claimed_by, article=article, country=country, region=region, bbox=bbox,
        min_confidence=min_confidence, include_all=include_all,
    )
    with _open(db) as store:
        page = query.list_events(store, where, limit=limit, offset=offset)
    emit(page.items, _fmt(fmt), columns=EVENT_COLUMNS, title=f"Events ({page.total})")


def quotes_command(
    speaker: str = typer.Option(
        None, "--speaker", help="Quotes by this actor (name, code or id), itself or a spokesman or official."
    ),
    about: str = typer.Option(None, "--about", help="Quotes that mention this actor (name, code or id)."),
    since: SinceOption = None,
    until: UntilOption = None,
    search: str = typer.Option(None, "--search", "-s", help="Words in the quoted text."),
    limit: LimitOption = 100,
    offset: OffsetOption = 0,
    fmt: FormatOption = None,
    db: DbOption = None,
) -> None:
    """Quotes and reported speech with speakers: --speaker for what an actor says, --about for what is said
    about it."""
    from newsgraph import query

    with _open(db) as store:
        page = query.list_quotes(
            store,
            speaker=speaker,
            about=about,
            since=since,
            until=until,
            search=search,
            limit=limit,
            offset=offset,
        )
    emit(
        page.items,
        _fmt(fmt),
        columns=["date", "speaker", "speaker_organization", "kind", "text", "about", "article_id"],
        title=f"Quotes ({page.total})",
    )


def actors_command(
    name: str = typer.Option(None, "--name", help="Name, code or id."),
    kind: str = typer.Option(None, "--kind", help="person, state, organization or group."),
    country: str = typer.Option(None, "--country", help="ISO 3166-1 alpha-3 code."),
    limit: LimitOption = 100,
    offset: OffsetOption = 0,
    fmt: FormatOption = None,
    db: DbOption = None,
) -> None:
    """Canonical actors with mention, event and quote counts."""
    from newsgraph import query

    with _open(db) as store:
        page = query.list_actors(store, name=name, kind=kind, country=country, limit=limit, offset=offset)
    emit(
        page.items,
        _fmt(fmt),
        columns=[
            "id",
            "name",
            "kind",
            "code",
            "country",
            "role",
            "mention_count",
            "event_count",
            "quote_count",
        ],
        title=f"Actors ({page.total})",
    )


def network_command(
    since: SinceOption = None,
    until: UntilOption = None,
    type: TypesOption = None,
    min_count: int = typer.Option(
        1, "--min-count", min=1, help="Leave out dyads with fewer stories/reports."
    ),
    count: CountBy = typer.Option(CountBy.stories, "--count", help="Count stories (default) or reports."),
    fmt: NetworkFormat = typer.Option(
        None, "--format", "-f", help="table, json, jsonl, csv (edges), gexf, graphml."
    ),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    include_local: bool = typer.Option(
        False, "--include-local", help="Keep article-local actors ('ministers', 'the company')."
    ),
    min_confidence: float = typer.Option(
        None, "--min-confidence", min=0.0, max=1.0,
        help="Leave out events below this confidence (default: network_min_confidence, 0.5; 0 keeps all).",
    ),
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """The actor network: dyads with counts per QuadClass and a net cooperation-conflict score."""
    from newsgraph import query
    from newsgraph.export.graph import write_graph

    fmt = fmt or (NetworkFormat.table if sys.stdout.isatty() and output is None else NetworkFormat.json)
    settings = _settings(config)
    threshold = settings.network_min_confidence if min_confidence is None else min_confidence
    with _open(db or settings.db) as store:
        net = query.network(
            store,
            since=since,
            until=until,
            types=type,
            min_count=min_count,
            count=count.value,
            include_local=include_local,
            min_confidence=threshold,
        )
    if net.hidden_events:
        typer.echo(f"newsgraph: {net.hidden_events} events below confidence {threshold:g} left out "
                   "(--min-confidence 0 keeps them)", err=True)
    if fmt in (NetworkFormat.gexf, NetworkFormat.graphml):
        if output is None:
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"network.{fmt.value}"
                write_graph(net, path, fmt.value)
                sys.stdout.write(path.read_text("utf-8"))
        else:
            write_graph(net, output, fmt.value)
        return
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        if fmt is NetworkFormat.json:
            out.write(net.model_dump_json(indent=2) + "\n")
        else:
            names = {n.id: n.name for n in net.nodes}
            rows = [
                {
                    "source": names.get(e.source, e.source),
                    "target": names.get(e.target, e.target),
                    **e.model_dump(exclude={"source", "target"}),
                    "source_id": e.source,
                    "target_id": e.target,
                }
                for e in net.edges
            ]
            emit(
                rows,
                fmt.value,
                title=f"Dyads ({len(rows)})",
                out=out,
                columns=[
                    "source",
                    "target",
                    "verbal_cooperation",
                    "material_cooperation",
                    "verbal_conflict",
                    "material_conflict",
                    "total",
                    "net_score",
                ],
            )
    finally:
        if output:
            out.close()


def timeline_command(
    actor: str = typer.Option(None, "--actor", help="One actor (either side)."),
    dyad: str = typer.Option(None, "--dyad", help="Two actors as A:B (both directions), e.g. PRK:RUS."),
    by: Period = typer.Option(Period.month, "--by", help="day, week or month."),
    since: SinceOption = None,
    until: UntilOption = None,
    count: CountBy = typer.Option(CountBy.stories, "--count", help="Count stories (default) or reports."),
    min_confidence: MinConfidenceFilter = None,
    fmt: FormatOption = None,
    db: DbOption = None,
) -> None:
    """Counts per QuadClass and mean Goldstein score per period."""
    from newsgraph import query

    if (actor is None) == (dyad is None):
        raise _bad("give exactly one of --actor or --dyad")
    if dyad is not None and (dyad.count(":") != 1 or not all(p.strip() for p in dyad.split(":"))):
        raise _bad(f"--dyad must be two actors as A:B, not {dyad!r}")
    with _open(db) as store:
        periods = query.timeline(
            store, actor=actor, dyad=dyad, by=by.value, since=since, until=until, count=count.value,
            min_confidence=min_confidence,
        )
    emit(periods, _fmt(fmt), title="Timeline")


def _report_cell(story: dict) -> str:
    first = story["first_report"]
    return " · ".join(str(x) for x in (first.get("title") or first["article_id"], first.get("date"),
                                        first.get("source")) if x)


STORY_CELLS = {"first_report": _report_cell, "evidence": lambda story: story["first_report"]["evidence"]}


def _stats_cell(stats: dict) -> str:
    if not stats["total"]:
        return "none"
    return f"{stats['total']} ({stats['cooperation']} cooperation, {stats['conflict']} conflict)"


CHANGE_CELLS = {"before": lambda c: _stats_cell(c["before"]), "after": lambda c: _stats_cell(c["after"])}


def stories_command(
    since: SinceOption = None,
    until: UntilOption = None,
    actor: str = typer.Option(None, "--actor", help="Actor on either side."),
    type: TypesOption = None,
    min_reports: int = typer.Option(1, "--min-reports", min=1, help="Only stories with this many reports."),
    limit: LimitOption = 100,
    offset: OffsetOption = 0,
    fmt: FormatOption = None,
    db: DbOption = None,
) -> None:
    """Events reported by several articles, grouped into stories, most reported first."""
    from newsgraph import query

    with _open(db) as store:
        page = query.list_stories(
            store,
            since=since,
            until=until,
            actor=actor,
            type=type,
            min_reports=min_reports,
            limit=limit,
            offset=offset,
        )
    emit(
        page.items,
        _fmt(fmt),
        columns=["first_date", "type", "source", "target", "reports", "articles", "first_report", "evidence"],
        cells=STORY_CELLS,
        title=f"Stories ({page.total})",
    )


def changes_command(
    since: str = typer.Option(..., "--since", help=SINCE_HELP, callback=check_date),
    until: str = typer.Option(None, "--until", help=UNTIL_HELP + " Default: today.", callback=check_date),
    count: CountBy = typer.Option(CountBy.stories, "--count", help="Count stories (default) or reports."),
    fmt: FormatOption = None,
    db: DbOption = None,
) -> None:
    """Dyads that appeared, disappeared or flipped between cooperation and conflict."""
    from newsgraph import query

    with _open(db) as store:
        try:
            result = query.changes(store, since=since, until=until, count=count.value)
        except ValueError as err:
            raise _bad(str(err)) from err
    title = "Changes"
    if result:
        title += (f" from {since} to {until or 'today'} against {result[0].previous_since} to "
                  f"{result[0].previous_until}")
    emit(result, _fmt(fmt), columns=["change", "source", "target", "before", "after"], cells=CHANGE_CELLS,
         title=title)


def export_command(
    fmt: ExportFormat = typer.Option(
        ..., "--format", "-f", help="plover, cameo, ftm, geojson, gexf, graphml, parquet, csv."
    ),
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        help="File (a directory for parquet; csv: a .csv file for events only, else a directory of tables).",
    ),
    actor: ActorFilter = None,
    source: SourceFilter = None,
    target: TargetFilter = None,
    type: TypesOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    claimed_by: ClaimedByFilter = None,
    article: ArticleFilter = None,
    country: CountryFilter = None,
    region: RegionFilter = None,
    bbox: BBoxFilter = None,
    min_confidence: float = typer.Option(
        None, "--min-confidence", min=0.0, max=1.0,
        help="Only events of at least this confidence (0-1); network formats default to "
        "network_min_confidence (0.5).",
    ),
    include_all: IncludeAllFilter = False,
    count: CountBy = typer.Option(
        CountBy.stories, "--count", help="Network formats: count stories or reports."
    ),
    min_count: int = typer.Option(1, "--min-count", min=1, help="Network formats: smallest dyad kept."),
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Export events (or the network) for other tools."""
    from newsgraph.export import export
    from newsgraph.query import EventFilter

    settings = _settings(config)
    if min_confidence is None and fmt in (ExportFormat.gexf, ExportFormat.graphml):
        min_confidence = settings.network_min_confidence  # the network as `newsgraph network` shows it
    where = EventFilter(
        actor=actor, source=source, target=target, type=type, since=since, until=until,
        claimed_by=claimed_by, article=article, country=country, region=region, bbox=bbox,
        min_confidence=min_confidence, include_all=include_all,
    )
    with _open(db or settings.db) as store:
        result = export(store, fmt.value, output, where, count=count.value, min_count=min_count)
    detail = f" ({json.dumps(result.tables)})" if result.tables else ""
    typer.echo(f"newsgraph: wrote {result.records} records to {result.output}{detail}", err=True)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("events")(events_command)
    app.command("quotes")(quotes_command)
    app.command("actors")(actors_command)
    app.command("network")(network_command)
    app.command("timeline")(timeline_command)
    app.command("stories")(stories_command)
    app.command("changes")(changes_command)
    app.command("export")(export_command)
