"""A multinomial linear classifier over named sparse features plus an optional dense vector.

A model file (``.npz``) holds the class labels, the feature vocabulary (only features seen in training),
the weight matrix, the bias, and a softmax temperature fitted on held-out predictions so that
``predict_proba`` gives calibrated probabilities. Metadata (data, seed, date, figures) lives beside it in
``model.json``, which the model card is written from.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

DenseRows = Sequence[Sequence[float]] | np.ndarray  # one dense vector per row


def _softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over the last axis (one row of scores, or one per candidate)."""
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    return p / p.sum(axis=-1, keepdims=True)


class ModelFileError(RuntimeError):
    """A model file is missing, unreadable or does not fit this version of newsgraph."""


@dataclass
class LinearModel:
    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: np.ndarray  # (n_sparse + n_dense, n_labels), float32
    bias: np.ndarray  # (n_labels,)
    n_dense: int = 0
    temperature: float = 1.0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def n_sparse(self) -> int:
        return len(self.vocabulary)

    def _rows(self, features: Iterable[str]) -> list[int]:
        # each feature once, as training counts it (a feature is present or not)
        return sorted({i for f in features if (i := self.vocabulary.get(f)) is not None})

    def _add_dense(self, out: np.ndarray, dense: Sequence[float] | np.ndarray | None) -> np.ndarray:
        if self.n_dense and dense is not None:
            out += np.asarray(dense, dtype=np.float64) @ self.weights[self.n_sparse :]
        return out

    def scores(
        self, features: Iterable[str], dense: Sequence[float] | np.ndarray | None = None
    ) -> np.ndarray:
        rows = self._rows(features)
        out = self.bias.astype(np.float64).copy()
        if rows:
            out += self.weights[rows].sum(axis=0, dtype=np.float64)
        return self._add_dense(out, dense)

    def scores_many(
        self, feature_lists: Sequence[Iterable[str]], dense: DenseRows | None = None
    ) -> np.ndarray:
        """``scores`` of many candidates at once, (n, n_labels): one gather and one segmented sum instead of
        a NumPy call per row, which is what made coding a document's candidates slow. ``dense``: one vector
        per row, for a model with a dense part."""
        rows = [self._rows(fs) for fs in feature_lists]
        out = np.tile(self.bias.astype(np.float64), (len(rows), 1))
        filled = [k for k, r in enumerate(rows) if r]
        if filled:
            flat = np.fromiter((i for k in filled for i in rows[k]), dtype=np.int64)
            starts = np.cumsum([0] + [len(rows[k]) for k in filled[:-1]])
            out[filled] += np.add.reduceat(self.weights[flat].astype(np.float64), starts, axis=0)
        return self._add_dense(out, dense)

    def predict_proba_many(
        self, feature_lists: Sequence[Iterable[str]], dense: DenseRows | None = None
    ) -> np.ndarray:
        """Calibrated probabilities of many candidates, (n, n_labels) in the order of ``labels``."""
        return _softmax(self.scores_many(feature_lists, dense) / self.temperature)

    def predict_proba(
        self,
        features: Iterable[str],
        dense: Sequence[float] | np.ndarray | None = None,
    ) -> dict[str, float]:
        p = _softmax(self.scores(features, dense) / self.temperature)
        return dict(zip(self.labels, p.tolist(), strict=True))

    def predict(
        self,
        features: Iterable[str],
        dense: Sequence[float] | np.ndarray | None = None,
    ) -> tuple[str, float]:
        probs = self.predict_proba(features, dense)
        label = max(probs, key=probs.__getitem__)
        return label, probs[label]

    def top_features(self, label: str, n: int = 20) -> list[tuple[str, float]]:
        """The sparse features that most favour ``label``: for model cards and debugging."""
        column = self.weights[: self.n_sparse, self.labels.index(label)]
        names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        order = np.argsort(-column)[:n]
        return [(names[i], float(column[i])) for i in order]

    # --- files -------------------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            directory / "model.npz",
            labels=np.array(self.labels),
            features=np.array(names),
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
            n_dense=np.array(self.n_dense),
            temperature=np.array(self.temperature),
        )
        (directory / "model.json").write_text(
            json.dumps(self.meta, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: Path) -> LinearModel:
        path = directory / "model.npz"
        if not path.is_file():
            raise ModelFileError(
                f"no trained model at {path}; rebuild it with `newsgraph train` (see docs/model-cards)"
            )
        try:
            with np.load(path, allow_pickle=False) as data:
                names = [str(x) for x in data["features"]]
                model = cls(
                    labels=tuple(str(x) for x in data["labels"]),
                    vocabulary={name: i for i, name in enumerate(names)},
                    weights=data["weights"].astype(np.float32),
                    bias=data["bias"].astype(np.float32),
                    n_dense=int(data["n_dense"]),
                    temperature=float(data["temperature"]),
                )
        except (OSError, KeyError, ValueError) as err:
            raise ModelFileError(f"{path}: not a newsgraph model file ({err})") from err
        meta_path = directory / "model.json"
        if meta_path.is_file():
            model.meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if model.weights.shape != (model.n_sparse + model.n_dense, len(model.labels)):
            raise ModelFileError(
                f"{path}: weights of shape {model.weights.shape} do not fit "
                f"{model.n_sparse} features, {model.n_dense} dense and {len(model.labels)} labels"
            )
        return model


def from_sklearn(
    estimator: Any,
    vocabulary: Mapping[str, int],
    n_dense: int,
    temperature: float,
    meta: dict[str, Any] | None = None,
) -> LinearModel:
    """Wrap a fitted scikit-learn linear classifier (``coef_``, ``intercept_``, ``classes_``)."""
    coef = np.asarray(estimator.coef_, dtype=np.float32)
    intercept = np.asarray(estimator.intercept_, dtype=np.float32)
    labels = tuple(str(c) for c in estimator.classes_)
    if len(labels) == 2 and coef.shape[0] == 1:  # binary: one column of log-odds for the second class
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.array([0.0, intercept[0]], dtype=np.float32)
    return LinearModel(
        labels=labels,
        vocabulary=dict(vocabulary),
        weights=coef.T.copy(),
        bias=intercept,
        n_dense=n_dense,
        temperature=temperature,
        meta=meta or {},
    )
