"""What every ``newsgraph eval`` command shares: its report format and the options that build its settings.

An evaluation command declares ``fmt: ReportFormatOption = ReportFormat.text``, ``model: ModelOption = None``
and ``config: ConfigOption = None``, then calls ``eval_settings(model, config)``.

``ModelOption`` and ``ConfigOption`` are defined here, not in ``newsgraph.cli.options`` (which re-exports
them for the other commands), because importing ``newsgraph.cli`` builds the whole app, eval commands
included: an eval module that imported it would import itself half-loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass
class MatchCounts:
    """Precision over predictions and recall over gold, each with its own matched count (one prediction may
    be of another kind than the gold it matches, so the two counts can differ within a kind or type)."""

    predicted: int = 0
    predicted_matched: int = 0
    gold: int = 0
    gold_matched: int = 0

    @property
    def precision(self) -> float:
        return self.predicted_matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.gold_matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: MatchCounts) -> None:
        self.predicted += other.predicted
        self.predicted_matched += other.predicted_matched
        self.gold += other.gold
        self.gold_matched += other.gold_matched

    def as_dict(self) -> dict[str, float | int]:
        return {"predicted": self.predicted, "gold": self.gold, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def one_to_one(pairs: Iterable[tuple[float, int, int]]) -> set[tuple[int, int]]:
    """(score, prediction, gold) candidates -> one-to-one (prediction, gold) matches, best score first."""
    used_p: set[int] = set()
    used_g: set[int] = set()
    out: set[tuple[int, int]] = set()
    for _, p, g in sorted(pairs, key=lambda x: (-x[0], x[1], x[2])):
        if p not in used_p and g not in used_g:
            used_p.add(p)
            used_g.add(g)
            out.add((p, g))
    return out
