"""Evaluation command (being written)."""

from __future__ import annotations

import typer


def register(eval_app: typer.Typer) -> None:
    """Adds this evaluation's command to ``newsgraph eval``."""
