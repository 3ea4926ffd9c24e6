"""What every ``newsgraph eval`` command shares: its report format and the options that build its settings.

An evaluation command declares ``fmt: ReportFormatOption = ReportFormat.text``, ``model: ModelOption = None``
and ``config: ConfigOption = None``, then calls ``eval_settings(model, config)``.

``ModelOption`` and ``ConfigOption`` are defined here, not in ``newsgraph.cli.options`` (which re-exports
them for the other commands), because importing ``newsgraph.cli`` builds the whole app, eval commands
included: an eval module that imported it would import itself half-loaded.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from newsgraph.config import Settings


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", exists=True, dir_okay=False, help="TOML configuration file."),
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="spaCy model (default: NEWSGRAPH_MODEL or the English small model)."),
]
ReportFormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="text or json")]


def eval_settings(model: str | None, config: Path | None) -> Settings:
    """Settings from the config file and environment, with ``--model`` on top."""
    settings = Settings.load(config_file=config)
    return settings.updated({"model": model}) if model else settings


__all__ = ["ConfigOption", "ModelOption", "ReportFormat", "ReportFormatOption", "eval_settings"]
