"""``newsgraph eval``: measure the extractor against annotated corpora."""

from __future__ import annotations

import typer

eval_app = typer.Typer(help="Evaluate extraction against gold annotations.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    from newsgraph.eval import commands

    commands.register(eval_app)
    app.add_typer(eval_app, name="eval")
