"""The ``newsgraph`` command line: each command group lives in its own module and registers itself."""

from __future__ import annotations

import typer

from newsgraph import __version__
from newsgraph.cli import batch, eval, extract, help, serve, store, train


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsgraph {__version__}")
        raise typer.Exit()


app = typer.Typer(
    name="newsgraph",
    help="Read geopolitical news; extract actors, quotes and events with evidence; "
    "store, query and export them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    pass


for module in (extract, eval, store, serve, batch, train):
    module.register(app)
help.finish(app)


def main() -> None:
    app()
