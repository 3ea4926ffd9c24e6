"""``newsgraph batch INPUT OUTPUT``: extract a whole corpus into shards, on worker processes or Ray."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from newsgraph.cli.options import ActorsOption, ConfigOption, MaxBytesOption, ModelOption

_INPUT_HELP = ("Directory, file or glob of JSONL/text/HTML files, or an fsspec URL "
               "(s3://bucket/prefix/*.jsonl) when fsspec and its driver are installed.")
_OUTPUT_HELP = "Directory of shards (created; reruns skip shards already written)."
_ENGINE_HELP = "local: worker processes on this machine; ray: Ray Data on a Ray cluster."
_WORKERS_HELP = "Worker processes or Ray actors (default: the CPUs of this machine or of the Ray cluster)."
_ADDRESS_HELP = "Ray cluster address (e.g. auto or ray://head:10001); default: start a local Ray instance."


class EngineChoice(StrEnum):
    local = "local"
    ray = "ray"


class ShardFormatChoice(StrEnum):
    parquet = "parquet"
    jsonl = "jsonl"


def batch_command(
    source: str = typer.Argument(..., metavar="INPUT", help=_INPUT_HELP),
    output: Path = typer.Argument(..., metavar="OUTPUT", help=_OUTPUT_HELP),
    engine: EngineChoice = typer.Option(EngineChoice.local, "--engine", help=_ENGINE_HELP),
    workers: int = typer.Option(None, "--workers", min=1, help=_WORKERS_HELP),
    address: str = typer.Option(None, "--address", help=_ADDRESS_HELP),
    shard_size: int = typer.Option(64, "--shard-size", min=1, help="Articles per shard."),
    fmt: ShardFormatChoice = typer.Option(ShardFormatChoice.parquet, "--format", help="Shard format."),
    retries: int = typer.Option(2, "--retries", min=0, help="Extra attempts for a shard that fails."),
    model: ModelOption = None,
    actors: ActorsOption = None,
    max_bytes: MaxBytesOption = None,
    config: ConfigOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print the run summary as JSON on standard output."),
) -> None:
    """Extract every article under INPUT into Parquet/JSONL shards under OUTPUT.

    Exit status: 0 all shards written, 1 a shard failed (see OUTPUT/_manifest.json), 2 cannot start.
    """
    from newsgraph.batch import BatchError, BatchOptions, run_batch
    from newsgraph.cli.extract import settings_from_options

    settings = settings_from_options(model, actors, max_bytes, config)
    options = BatchOptions(engine=engine.value, workers=workers, address=address, shard_size=shard_size,
                           fmt=fmt.value, retries=retries)

    def log(message: str) -> None:
        typer.echo(message, err=True)

    try:
        summary = run_batch(source, output, settings, options, log=log)
    except BatchError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from err
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), indent=1))
    typer.echo(summary.line(), err=True)
    for record in summary.failed:
        typer.echo(f"FAILED {record.shard_id} ({record.articles} articles, {record.attempts} attempts): "
                   f"{record.error}", err=True)
    if not summary.ok:
        typer.echo(f"{len(summary.failed)} shard(s) failed; rerun the same command to retry them "
                   f"(details in {output / '_manifest.json'})", err=True)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("batch")(batch_command)
