"""The trained event model: a candidate's PLOVER type, or no event, with a calibrated probability.

The model files live in ``data/models/events/`` (``model.npz``, ``model.json``) and are rebuilt by
``newsgraph train events`` (see docs/model-cards/events.md). ``threshold`` is the least probability at
which a candidate becomes an event; it is chosen on cross-validated predictions in training and stored
with the model, and settings can override it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsgraph.extract.event_roles import RoleModel
from newsgraph.learn.linear import LinearModel

BUNDLED_DIR = Path(__file__).resolve().parents[1] / "data" / "models" / "events"
NONE = "NONE"
DEFAULT_THRESHOLD = 0.5


EVENT = "EVENT"


ACTUAL = "positive/actual"


@dataclass
class FactModel:
    """Polarity and modality as one prediction ("negative/planned"), learnt from the coded corpus over the
    rules' verdicts and the words they read (``event_modality.modality_features``).

    The two errors are not equal: an act that did not happen shown as a fact is the worst an analyst can be
    given. So the rules' verdict that an act is *not* an actual fact stands unless the model is very sure it
    is (``keep``), and the model makes an act a fact only when it is fairly sure (``tau``); cross-validated on
    the corpus, this keeps non-facts shown as facts at the rules' level while fixing most of the facts the
    rules wrongly hedge."""

    linear: LinearModel
    keep: float = 0.9
    tau: float = 0.7

    def read(self, features: list[str], rule: tuple[str, str]) -> tuple[str, str]:
        probs = self.linear.predict_proba(features)
        p_actual = probs.get(ACTUAL, 0.0)
        rule_label = "/".join(rule)
        if rule_label != ACTUAL and p_actual < self.keep:
            label = rule_label
        elif p_actual >= self.tau:
            label = ACTUAL
        else:
            label = max((p, t) for t, p in probs.items() if t != ACTUAL)[1]
        polarity, modality = label.split("/")
        return polarity, modality


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
    facts: FactModel | None = None
    # an act with no one on its receiving end ("opposition parties demanded an inquiry") is kept only at this
    # probability or more, unless its trigger is intransitive ("resigned") or it is a material act at a known
    # place: most coded events have a target, and one without has often lost it
    targetless_threshold: float = 0.5
    lexicon_threshold: float = DEFAULT_THRESHOLD

    @classmethod
    def load(cls, directory: Path = BUNDLED_DIR, threshold: float | None = None) -> EventModel:
        linear = LinearModel.load(directory)
        gate = LinearModel.load(directory / "gate") if (directory / "gate" / "model.npz").is_file() else None
        roles = None
        if (directory / "roles" / "model.npz").is_file():
            role_linear = LinearModel.load(directory / "roles")
            roles = RoleModel(role_linear, float(role_linear.meta.get("threshold", 0.5)))
        facts = None
        if (directory / "facts" / "model.npz").is_file():
            fact_linear = LinearModel.load(directory / "facts")
            facts = FactModel(
                fact_linear, float(fact_linear.meta.get("keep", 0.9)), float(fact_linear.meta.get("tau", 0.7))
            )
        stored = linear.meta.get("threshold", DEFAULT_THRESHOLD)
        return cls(
            facts=facts,
            linear=linear,
            threshold=float(stored if threshold is None else threshold),
            gate=gate,
            roles=roles,
            targetless_threshold=float(linear.meta.get("targetless_threshold", 0.5)),
            lexicon_threshold=float(linear.meta.get("lexicon_threshold", stored)),
        )

    def save(self, directory: Path) -> None:
        self.linear.meta["threshold"] = self.threshold
        self.linear.meta["targetless_threshold"] = self.targetless_threshold
        self.linear.meta["lexicon_threshold"] = self.lexicon_threshold
        self.linear.save(directory)
        if self.gate is not None:
            self.gate.save(directory / "gate")
        if self.roles is not None:
            self.roles.linear.meta["threshold"] = self.roles.threshold
            self.roles.linear.save(directory / "roles")
        if self.facts is not None:
            self.facts.linear.meta.update(keep=self.facts.keep, tau=self.facts.tau)
            self.facts.linear.save(directory / "facts")

    @property
    def version(self) -> str:
        return str(self.linear.meta.get("version", "unversioned"))

    def decide(
        self, features: list[str], vector: np.ndarray, lexical: str | None = None
    ) -> tuple[str, float]:
        """(type, probability) of one candidate: ``decide_many`` of one."""
        return self.decide_many([features], [vector], [lexical])[0]

    def decide_many(
        self,
        features: Sequence[list[str]],
        vectors: Sequence[np.ndarray],
        lexicals: Sequence[str | None],
    ) -> list[tuple[str, float]]:
        """For each candidate, (type, probability) of the most probable type, or (NONE, probability of no
        event) when that type's probability is under the threshold. ``lexicals``: the type the trigger
        lexicon gives each candidate; when the model agrees with it, ``lexicon_threshold`` applies (the
        lexicon was written for news of states and armed groups, which the corpus has little of; the model
        then only has to rule out other senses). A document's candidates are scored together."""
        labels = self.linear.labels
        typed = [k for k, t in enumerate(labels) if t != NONE]
        if not features or not typed:
            return [(NONE, 1.0)] * len(features)
        dense = np.asarray(vectors) if self.linear.n_dense or (self.gate and self.gate.n_dense) else None
        probs = self.linear.predict_proba_many(features, dense)
        if self.gate is not None:
            p_event = self.gate.predict_proba_many(features, dense)[:, self.gate.labels.index(EVENT)]
            share = probs[:, typed]
            total = share.sum(axis=1)
            total[total == 0] = 1.0
            typed_probs = p_event[:, None] * share / total[:, None]
            p_none = 1.0 - p_event
        else:
            typed_probs = probs[:, typed]
            p_none = probs[:, labels.index(NONE)] if NONE in labels else None
        out: list[tuple[str, float]] = []
        for k, lexical in enumerate(lexicals):
            j = int(typed_probs[k].argmax())
            label, p = labels[typed[j]], float(typed_probs[k, j])
            threshold = self.lexicon_threshold if lexical is not None and label == lexical else self.threshold
            if p >= threshold:
                out.append((label, p))
            else:
                out.append((NONE, float(p_none[k]) if p_none is not None else 1.0 - p))
        return out
