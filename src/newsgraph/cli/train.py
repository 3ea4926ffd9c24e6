"""``newsgraph train``: rebuild the package's trained models from the data, with a fixed seed.

Training needs scikit-learn (``pip install 'newsgraph[train]'``; the test lock has it) and the shared data
beside the repository (``../shared``); the models it writes are read with NumPy alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

train_app = typer.Typer(help="Rebuild the trained models from the annotated data.", no_args_is_help=True)


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
