"""Registers the ``eval`` subcommands; each evaluation lives in its own module."""

from __future__ import annotations

import typer


def register(eval_app: typer.Typer) -> None:
    """Nothing yet."""
