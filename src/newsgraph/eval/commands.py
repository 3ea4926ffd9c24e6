"""Registers the ``eval`` subcommands; each evaluation lives in its own module."""

from __future__ import annotations

import typer

from newsgraph.eval import attribution, event_corpus, places, plover, plv, re3d


def register(eval_app: typer.Typer) -> None:
    attribution.register(eval_app)
    event_corpus.register(eval_app)
    places.register(eval_app)
    plover.register(eval_app)
    plv.register(eval_app)
    re3d.register(eval_app)
