"""``newsgraph extract``: articles in, extraction JSON out (nothing stored)."""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.rule import Rule
from rich.table import Table

from newsgraph.cli.options import ActorsOption, ConfigOption, MaxBytesOption, ModelOption, WorkersOption
from newsgraph.cli.output import console_for
from newsgraph.config import Settings
from newsgraph.contract import Extraction


class ExtractFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def settings_from_options(
    model: str | None = None,
    actors: list[Path] | None = None,
    max_bytes: int | None = None,
    config: Path | None = None,
) -> Settings:
    """Settings from config file and environment, then the command-line options on top."""
    settings = Settings.load(config_file=config)
    changes: dict[str, object] = {}
    if model:
        changes["model"] = model
    if actors:
        changes["actor_dictionaries"] = (*settings.actor_dictionaries, *actors)
    if max_bytes:
        changes["max_input_bytes"] = max_bytes
    return settings.updated(changes) if changes else settings


def extract_command(
    paths: list[str] = typer.Argument(
        ...,
        help="Files, directories (recursively) or - for standard input: "
        "plain text, HTML, or JSONL with one article per line.",
    ),
    fmt: ExtractFormat = typer.Option(
        None, "--format", "-f", help="json, jsonl or table (default: table on a terminal, json otherwise)."
    ),
    model: ModelOption = None,
    actors: ActorsOption = None,
    max_bytes: MaxBytesOption = None,
    batch_size: int = typer.Option(None, "--batch-size", help="Articles per nlp.pipe batch."),
    workers: WorkersOption = None,
    config: ConfigOption = None,
) -> None:
    """Extract actors, quotes, events and quantities from articles and print them."""
    from newsgraph.batch.stream import extract_stream
    from newsgraph.ingest.readers import InputProblem, iter_inputs

    settings = settings_from_options(model, actors, max_bytes, config)
    if batch_size:
        settings = settings.updated({"batch_size": batch_size})
    fmt = fmt or (ExtractFormat.table if sys.stdout.isatty() else ExtractFormat.json)
    problems = 0
    if settings.actor_dictionaries:  # report unreadable lines of --actors files once, here in the driver
        from newsgraph.kb import KnowledgeBase

        try:
            kb = KnowledgeBase.load(list(settings.actor_dictionaries))
        except (ValueError, OSError) as err:  # an unreadable or invalid --actors file
            typer.echo(f"newsgraph: {err}", err=True)
            raise typer.Exit(2) from err
        for problem in kb.warnings:
            typer.echo(f"newsgraph: warning: {problem}", err=True)
    results: list[Extraction] = []
    count = 0
    progress = _progress_bar() if sys.stderr.isatty() else None
    task = progress.add_task("extracting", total=None, rate="") if progress else None
    started = time.monotonic()
    try:
        for item in extract_stream(iter_inputs(paths, settings), settings, workers=workers):
            if isinstance(item, InputProblem):
                problems += 1
                typer.echo(f"newsgraph: skipped {item.origin}: {item.message}", err=True)
                continue
            _article, extraction = item
            count += 1
            if progress is not None:
                rate = count / max(time.monotonic() - started, 1e-6)
                progress.update(task, completed=count, rate=f"{rate:.1f} articles/s")
            for w in extraction.warnings:
                typer.echo(f"newsgraph: warning: {w.input or extraction.article.id}: {w.message}", err=True)
            if fmt is ExtractFormat.jsonl:
                sys.stdout.write(json.dumps(extraction.to_json_dict(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                results.append(extraction)
    except (RuntimeError, ValueError, OSError) as err:  # missing model; unreadable or invalid --actors file
        typer.echo(f"newsgraph: {err}", err=True)
        raise typer.Exit(2) from err
    finally:
        if progress is not None:
            progress.stop()
    if fmt is ExtractFormat.json:
        data = [r.to_json_dict() for r in results]
        json.dump(data[0] if len(data) == 1 else data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt is ExtractFormat.table:
        console = console_for(sys.stdout)
        for r in results:
            print_report(r, console)
    if count == 0:
        typer.echo(
            "newsgraph: nothing could be processed" + (f" ({problems} inputs skipped)" if problems else ""),
            err=True,
        )
        raise typer.Exit(1)


def _progress_bar():
    """Articles done and articles/s on stderr, so long runs show progress without touching stdout."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description} {task.completed} articles"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        redirect_stdout=False,  # extractions go to stdout untouched, the bar to stderr
        redirect_stderr=False,
    )
    bar.start()
    return bar


def print_report(ex: Extraction, console: Console) -> None:
    """A readable report of one extraction."""
    a = ex.article
    # Off a terminal the console has no width limit (tables are not wrapped); the rule keeps 80 columns.
    console.print(Rule(f"[bold]{a.title or a.id}"), width=min(console.width, 80) if not console.is_terminal
                  else None)
    console.print(
        f"id {a.id}  published {a.published or '?'}  dateline {a.dateline_place or '?'}  "
        f"language {a.language or '?'}  coder {ex.coder.version} / {ex.coder.model.name} "
        f"{ex.coder.model.version}"
    )
    names = {x.id: x.name for x in ex.actors}
    org = {x.id: names.get(x.organization or "", "") for x in ex.actors}
    t = Table(title=f"Actors ({len(ex.actors)})", show_lines=False)
    for col in ("id", "name", "kind", "code", "country", "sector", "role", "organization", "mentions"):
        t.add_column(col)
    for x in ex.actors:
        t.add_row(
            x.id,
            x.name,
            x.kind,
            x.code or "",
            x.country or "",
            x.sector or "",
            x.role or "",
            org[x.id],
            str(len(x.mentions)),
        )
    console.print(t)
    if ex.quotes:
        t = Table(title=f"Quotes ({len(ex.quotes)})")
        for col in ("id", "kind", "speaker", "cue", "text"):
            t.add_column(col)
        for q in ex.quotes:
            t.add_row(
                q.id,
                q.kind,
                names.get(q.speaker or "", q.speaker_text or "?"),
                q.cue or "",
                q.text if len(q.text) < 120 else q.text[:117] + "…",
            )
        console.print(t)
    if ex.events:
        t = Table(title=f"Events ({len(ex.events)})")
        for col in ("id", "type", "source", "target", "polarity", "modality", "claimed by", "evidence"):
            t.add_column(col)
        for e in ex.events:
            t.add_row(
                e.id,
                f"{e.type}/{e.mode or '-'}",
                ", ".join(names.get(s, s) for s in e.source),
                ", ".join(names.get(s, s) for s in e.target),
                e.polarity,
                e.modality,
                names.get(e.attributed_to or "", ""),
                e.evidence.text if len(e.evidence.text) < 100 else e.evidence.text[:97] + "…",
            )
        console.print(t)
    if ex.quantities:
        t = Table(title=f"Quantities ({len(ex.quantities)})")
        for col in ("id", "text", "value", "qualifier", "unit", "item"):
            t.add_column(col)
        for q in ex.quantities:
            t.add_row(q.id, q.text, f"{q.value:g}", q.qualifier or "", q.unit or "", q.item or "")
        console.print(t)
    for w in ex.warnings:
        console.print(f"[yellow]warning[/]: {w.message}")


def schema_command(
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Print the JSON Schema of the extraction contract newsgraph.extraction/1."""
    from newsgraph.contract import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)
    app.command("schema")(schema_command)
