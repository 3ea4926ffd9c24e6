"""The trained event model: a candidate's PLOVER type, or no event, with a calibrated probability.

The model files live in ``data/models/events/`` (``model.npz``, ``model.json``) and are rebuilt by
``newsgraph train events`` (see docs/model-cards/events.md). ``threshold`` is the least probability at
which a candidate becomes an event; it is chosen on cross-validated predictions in training and stored
with the model, and settings can override it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsgraph.extract.event_roles import RoleModel
from newsgraph.learn.linear import LinearModel

BUNDLED_DIR = Path(__file__).resolve().parents[1] / "data" / "models" / "events"
NONE = "NONE"
DEFAULT_THRESHOLD = 0.5


EVENT = "EVENT"


@dataclass
class EventModel:
    """``linear`` gives each type's probability (with or without a NONE class); ``gate``, when there is one,
    the probability that the candidate is an event at all (labels EVENT and NONE), learnt from every
    positive pooled, so that what marks an act (an actor acting on another, a judgement in a statement) is
    shared by all types. The event's probability is then P(event) x P(type | event)."""

    linear: LinearModel
    threshold: float = DEFAULT_THRESHOLD
    gate: LinearModel | None = None
    roles: RoleModel | None = None
    # an act with no one on its receiving end is kept only when its trigger is intransitive ("resigned") or
    # a material act with a known place: most coded events have a target; one without usually lost it
    require_target: bool = True

    @classmethod
    def load(cls, directory: Path = BUNDLED_DIR, threshold: float | None = None) -> EventModel:
        linear = LinearModel.load(directory)
        gate = LinearModel.load(directory / "gate") if (directory / "gate" / "model.npz").is_file() else None
        roles = None
        if (directory / "roles" / "model.npz").is_file():
            role_linear = LinearModel.load(directory / "roles")
            roles = RoleModel(role_linear, float(role_linear.meta.get("threshold", 0.5)))
        stored = linear.meta.get("threshold", DEFAULT_THRESHOLD)
        return cls(
            linear=linear,
            threshold=float(stored if threshold is None else threshold),
            gate=gate,
            roles=roles,
            require_target=bool(linear.meta.get("require_target", True)),
        )

    def save(self, directory: Path) -> None:
        self.linear.meta["threshold"] = self.threshold
        self.linear.meta["require_target"] = self.require_target
        self.linear.save(directory)
        if self.gate is not None:
            self.gate.save(directory / "gate")
        if self.roles is not None:
            self.roles.linear.meta["threshold"] = self.roles.threshold
            self.roles.linear.save(directory / "roles")

    @property
    def version(self) -> str:
        return str(self.linear.meta.get("version", "unversioned"))

    def decide(self, features: list[str], vector: np.ndarray) -> tuple[str, float]:
        """(type, probability) of the most probable type, or (NONE, probability of no event) when that type's
        probability is under the threshold."""
        probs = self.linear.predict_proba(features, vector if self.linear.n_dense else None)
        if self.gate is not None:
            p_event = self.gate.predict_proba(features, vector if self.gate.n_dense else None)[EVENT]
            typed = {t: p for t, p in probs.items() if t != NONE}
            total = sum(typed.values()) or 1.0
            probs = {t: p_event * p / total for t, p in typed.items()} | {NONE: 1.0 - p_event}
        best = max(((p, t) for t, p in probs.items() if t != NONE), default=(0.0, NONE))
        if best[0] >= self.threshold:
            return best[1], best[0]
        return NONE, probs.get(NONE, 1.0 - best[0])
