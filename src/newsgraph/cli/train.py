"""``newsgraph train``: fit the learned components from annotated data (needs the ``train`` extra)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsgraph.cli.options import ConfigOption, ModelOption

train_app = typer.Typer(help="Train the learned components from annotated corpora.", no_args_is_help=True)


@train_app.command("attribution")
def attribution_command(
    train_dir: Path = typer.Argument(..., exists=True, file_okay=False,
                                     help="brat corpus (PolNeAR layout: text/, attributions/) to train on"),
    out: Path = typer.Option(None, "--out", "-o",
                             help="Model directory to write (default: the one shipped in the package)."),
    dev: Path = typer.Option(None, "--dev", exists=True, file_okay=False,
                             help="A held-out brat corpus to report figures on (not used for fitting)."),
    seed: int = typer.Option(13, "--seed", help="Seed of the folds and the solvers."),
    folds: int = typer.Option(5, "--folds", min=2, help="Article-grouped cross-validation folds."),
    limit: int = typer.Option(None, "--limit", min=2, help="Use only the first N articles (quick runs)."),
    report: Path = typer.Option(None, "--report", help="Also write the figures as JSON to this file."),
    model: ModelOption = None,
    config: ConfigOption = None,
) -> None:
    """Train the reporting-cue classifier and the content chooser of newsgraph_quotes, with
    cross-validated, resubstitution and (with --dev) held-out figures."""
    from newsgraph.eval.report import eval_settings
    from newsgraph.extract.quote_model import bundled_model_dir

    try:
        from newsgraph.learn.attribution import train_from_corpus
    except ImportError as err:  # pragma: no cover - the message is the point
        typer.echo(f"training needs the train extra (pip install 'newsgraph[train]'): {err}", err=True)
        raise typer.Exit(2) from err
    directory = out or bundled_model_dir()
    result = train_from_corpus(train_dir, directory, dev_dir=dev, seed=seed, folds=folds, limit=limit,
                               settings=eval_settings(model, config),
                               log=lambda message: typer.echo(message, err=True))
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if report is not None:
        report.write_text(text + "\n", encoding="utf-8")
    typer.echo(text)
    typer.echo(f"model written to {directory}", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(train_app, name="train")
