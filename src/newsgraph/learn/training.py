"""Training helpers shared by the trained components (scikit-learn, from the `train` extra).

`Featurized` rows (named sparse features, an optional dense vector, a label, a group for grouped
cross-validation) become a CSR matrix; `fit_linear` fits an L2 logistic regression with a fixed seed;
`fit_temperature` calibrates softmax probabilities on held-out predictions; `cross_validate` gives
held-out predictions for every row with article-grouped folds, so no article is in its own training fold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np


def _sklearn():
    try:
        import sklearn  # noqa: F401
    except ImportError as err:  # pragma: no cover - the message is the point
        raise RuntimeError("training needs scikit-learn: pip install 'newsgraph[train]'") from err


@dataclass
class Featurized:
    features: list[str]
    label: str
    group: str = ""
    dense: Sequence[float] | None = None
    weight: float = 1.0
    info: dict = field(default_factory=dict)


def build_vocabulary(rows: Sequence[Featurized], min_count: int = 1) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        for f in set(row.features):
            counts[f] = counts.get(f, 0) + 1
    kept = sorted(f for f, c in counts.items() if c >= min_count)
    return {f: i for i, f in enumerate(kept)}


def to_matrix(rows: Sequence[Featurized], vocabulary: dict[str, int], n_dense: int):
    from scipy.sparse import csr_matrix, hstack

    indptr, indices, data = [0], [], []
    for row in rows:
        idx = sorted({i for f in row.features if (i := vocabulary.get(f)) is not None})
        indices.extend(idx)
        data.extend([1.0] * len(idx))
        indptr.append(len(indices))
    sparse = csr_matrix(
        (np.array(data, dtype=np.float32), np.array(indices, dtype=np.int64), indptr),
        shape=(len(rows), len(vocabulary)),
    )
    if not n_dense:
        return sparse
    dense = np.array(
        [row.dense if row.dense is not None else np.zeros(n_dense) for row in rows], dtype=np.float32
    )
    return hstack([sparse, csr_matrix(dense)], format="csr")


def fit_linear(
    rows: Sequence[Featurized],
    *,
    c: float,
    seed: int,
    n_dense: int = 0,
    min_count: int = 1,
    class_weight: dict[str, float] | str | None = None,
    max_iter: int = 2000,
):
    """Fit an L2-regularised multinomial logistic regression; returns (estimator, vocabulary)."""
    _sklearn()
    from sklearn.linear_model import LogisticRegression

    vocabulary = build_vocabulary(rows, min_count)
    x = to_matrix(rows, vocabulary, n_dense)
    y = np.array([row.label for row in rows])
    w = np.array([row.weight for row in rows], dtype=np.float64)
    model = LogisticRegression(
        C=c, max_iter=max_iter, random_state=seed, class_weight=class_weight, solver="lbfgs"
    )
    model.fit(x, y, sample_weight=w)
    return model, vocabulary


def predict_proba(
    model, vocabulary: dict[str, int], rows: Sequence[Featurized], n_dense: int = 0
) -> np.ndarray:
    return model.predict_proba(to_matrix(rows, vocabulary, n_dense))


def group_folds(groups: Sequence[str], k: int, seed: int) -> list[np.ndarray]:
    """Indices of each of ``k`` folds, whole groups (articles, sentences) to one fold."""
    unique = sorted(set(groups))
    rng = np.random.default_rng(seed)
    rng.shuffle(unique)
    fold_of = {g: i % k for i, g in enumerate(unique)}
    return [np.array([i for i, g in enumerate(groups) if fold_of[g] == f]) for f in range(k)]


def cross_validate(
    rows: Sequence[Featurized],
    fit: Callable[[Sequence[Featurized]], tuple],
    k: int,
    seed: int,
    n_dense: int = 0,
) -> tuple[np.ndarray, list[str]]:
    """Held-out class probabilities for every row (article-grouped k-fold); returns (probs, labels)."""
    labels = sorted({row.label for row in rows})
    probs = np.zeros((len(rows), len(labels)))
    for test_idx in group_folds([row.group for row in rows], k, seed):
        test_set = set(test_idx.tolist())
        train_rows = [r for i, r in enumerate(rows) if i not in test_set]
        model, vocab = fit(train_rows)
        p = predict_proba(model, vocab, [rows[i] for i in test_idx], n_dense)
        for j, cls in enumerate(model.classes_):
            probs[test_idx, labels.index(str(cls))] = p[:, j]
    return probs, labels


def fit_temperature(logits_or_probs: np.ndarray, gold: Sequence[int], *, from_probs: bool = True) -> float:
    """The softmax temperature minimising held-out log loss (a one-parameter calibration)."""
    z = np.log(np.clip(logits_or_probs, 1e-12, 1.0)) if from_probs else np.asarray(logits_or_probs)
    gold_idx = np.asarray(gold)
    best_t, best_loss = 1.0, float("inf")
    for t in np.exp(np.linspace(np.log(0.25), np.log(4.0), 81)):
        s = z / t
        s = s - s.max(axis=1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
        loss = -float(logp[np.arange(len(gold_idx)), gold_idx].mean())
        if loss < best_loss:
            best_t, best_loss = float(t), loss
    return best_t


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    conf, ok = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        mask = (conf > lo) & (conf <= hi)
        if mask.any():
            total += mask.mean() * abs(conf[mask].mean() - ok[mask].mean())
    return float(total)
