"""``newsgraph train``: fit the learned components from annotated data (needs the ``train`` extra).

Each command rebuilds one of the package's trained models with a fixed seed from data beside the repository
(``../shared``) and the project's annotations; the models it writes are read with NumPy alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsgraph.cli.options import ConfigOption, ModelOption

train_app = typer.Typer(help="Train the learned components from annotated corpora.", no_args_is_help=True)


@train_app.command("attribution")
def attribution_command(
    train_dir: Path = typer.Argument(
        ...,
        exists=True,
        file_okay=False,
        help="brat corpus (PolNeAR layout: text/, attributions/) to train on",
    ),
    out: Path = typer.Option(
        None, "--out", "-o", help="Model directory to write (default: the one shipped in the package)."
    ),
    dev: Path = typer.Option(
        None,
        "--dev",
        exists=True,
        file_okay=False,
        help="A held-out brat corpus to report figures on (not used for fitting).",
    ),
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
    result = train_from_corpus(
        train_dir,
        directory,
        dev_dir=dev,
        seed=seed,
        folds=folds,
        limit=limit,
        settings=eval_settings(model, config),
        log=lambda message: typer.echo(message, err=True),
    )
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if report is not None:
        report.write_text(text + "\n", encoding="utf-8")
    typer.echo(text)
    typer.echo(f"model written to {directory}", err=True)


@train_app.command("events")
def events_command(
    shared: Path = typer.Option(
        Path("../shared"), "--shared", help="the shared data folder (eval/...)", exists=True, file_okay=False
    ),
    annotations: Path = typer.Option(
        Path("annotations/events"),
        "--annotations",
        help="the event corpus folder",
        exists=True,
        file_okay=False,
    ),
    out: Path | None = typer.Option(None, "--out", help="where to write the model (default: the package's)"),
    seed: int | None = typer.Option(None, "--seed", help="random seed (default: the documented one)"),
    limit: int | None = typer.Option(
        None, "--limit", help="at most this many texts per source (a quick run)"
    ),
    evaluate: bool = typer.Option(
        True,
        "--evaluate/--no-evaluate",
        help="also run fold models end to end and choose the threshold on them",
    ),
    card: Path | None = typer.Option(
        None, "--card", help="also write the model card here (docs/model-cards/)"
    ),
    thresholds: str | None = typer.Option(
        None,
        "--thresholds",
        help="ship this threshold pair ('0.4/0.2': any type / the lexicon's type) instead of the "
        "cross-validated best; it must be one of the pairs cross-validated",
    ),
) -> None:
    """Train the event model (types, the event gate, roles, polarity and modality) and its model card."""
    from newsgraph.extract.event_model import BUNDLED_DIR
    from newsgraph.learn import event_training as et

    cfg = et.EventTrainingConfig(
        shared=shared,
        annotations=annotations,
        out=out or BUNDLED_DIR,
        seed=seed if seed is not None else et.DEFAULT_SEED,
        limit=limit,
        evaluate=evaluate,
        thresholds=tuple(float(x) for x in thresholds.split("/")) if thresholds else None,
    )
    try:
        result = et.train_events(cfg)
    except (RuntimeError, OSError, ValueError) as err:
        typer.echo(f"newsgraph: {err}", err=True)
        raise typer.Exit(2) from err
    et.save(result, cfg.out)
    text = et.model_card(result.report)
    (cfg.out / "MODEL_CARD.md").write_text(text, encoding="utf-8")
    if card is not None:
        card.write_text(text, encoding="utf-8")
    typer.echo(f"newsgraph: event model written to {cfg.out}")
    typer.echo(json.dumps(et.summary(result.report), indent=2))


def register(app: typer.Typer) -> None:
    app.add_typer(train_app, name="train")
