"""The linear classifier's batched scoring gives what scoring one candidate at a time gives."""

import numpy as np

from newsgraph.extract.event_model import EventModel
from newsgraph.learn.linear import LinearModel


def _model() -> LinearModel:
    rng = np.random.default_rng(3)
    vocabulary = {f"f{i}": i for i in range(50)}
    return LinearModel(labels=("NONE", "AID", "ACCUSE"), vocabulary=vocabulary,
                       weights=rng.normal(size=(50, 3)).astype(np.float32),
                       bias=np.array([0.5, -0.2, 0.1], dtype=np.float32), temperature=1.7)


def test_batched_probabilities_equal_one_by_one_ones():
    model = _model()
    rows = [["f1", "f2", "f1"], [], ["unknown"], ["f49", "f0", "f7", "unknown"], ["f3"]]
    batched = model.predict_proba_many(rows)
    assert batched.shape == (5, 3)
    for row, probs in zip(rows, batched, strict=True):
        single = model.predict_proba(row)
        assert np.allclose(probs, [single[t] for t in model.labels])
    # a feature counts once, an unknown one not at all, an empty row is the bias alone
    assert np.allclose(batched[0], model.predict_proba_many([["f1", "f2"]])[0])
    assert np.allclose(batched[1], batched[2])
    assert not np.allclose(batched[0], batched[1])


def test_batched_decisions_equal_single_ones_and_apply_the_lexicon_threshold():
    model = EventModel(linear=_model(), threshold=0.45, lexicon_threshold=0.2)
    rows = [[f"f{i}", f"f{i + 1}"] for i in range(0, 40, 3)]
    vectors = [np.zeros(0)] * len(rows)
    lexicals = [None, "AID", "ACCUSE"] * 4 + [None, None]
    batched = model.decide_many(rows, vectors, lexicals[: len(rows)])
    assert batched == [model.decide(r, v, x) for r, v, x in zip(rows, vectors, lexicals, strict=False)]
    # a type the lexicon agrees with needs only the lower threshold
    for (label, p), lexical in zip(batched, lexicals, strict=False):
        if label != "NONE":
            assert p >= (0.2 if label == lexical else 0.45)
    assert model.decide_many([], [], []) == []
