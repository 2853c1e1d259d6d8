"""Hinge metrics against scikit-learn and NumPy."""

import numpy as np
import pytest
from sklearn import metrics as skm

from lamina import metrics, ops

RNG = np.random.default_rng(7)


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("labels01", [False, True])
def test_hinge_against_sklearn(weighted, labels01):
    y = RNG.choice([-1.0, 1.0], 12).astype("float32")
    decision = RNG.normal(size=12).astype("float32")
    w = RNG.uniform(0, 2, 12).astype("float32") if weighted else None
    expected = skm.hinge_loss(y, decision, sample_weight=w)
    fed = (y + 1) / 2 if labels01 else y
    m = metrics.Hinge()
    assert m.name == "hinge"
    m.update_state(fed[:5, None], decision[:5, None],
                   sample_weight=None if w is None else w[:5])
    m.update_state(fed[5:, None], decision[5:, None],
                   sample_weight=None if w is None else w[5:])
    assert float(to_np(m.result())) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("weighted", [False, True])
def test_squared_hinge(weighted):
    y = RNG.choice([-1.0, 1.0], (10, 3)).astype("float32")
    p = RNG.normal(size=(10, 3)).astype("float32")
    w = RNG.uniform(0, 2, 10).astype("float32") if weighted else np.ones(10)
    per_sample = (np.maximum(1 - y * p, 0) ** 2).mean(-1)
    m = metrics.SquaredHinge()
    m.update_state(y, p, sample_weight=w)
    assert float(to_np(m.result())) == pytest.approx(
        (per_sample * w).sum() / w.sum(), rel=1e-5)


@pytest.mark.parametrize("weighted", [False, True])
def test_categorical_hinge_against_sklearn(weighted):
    # With positive scores this is scikit-learn's multiclass (Crammer-Singer)
    # hinge loss.
    labels = RNG.integers(0, 4, 12)
    scores = RNG.uniform(0.1, 2, (12, 4)).astype("float32")
    w = RNG.uniform(0, 2, 12).astype("float32") if weighted else None
    expected = skm.hinge_loss(labels, scores, labels=np.arange(4),
                              sample_weight=w)
    m = metrics.CategoricalHinge()
    m.update_state(np.eye(4, dtype="float32")[labels], scores,
                   sample_weight=w)
    assert float(to_np(m.result())) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("cls", [metrics.Hinge, metrics.SquaredHinge,
                                 metrics.CategoricalHinge])
def test_config_round_trip(cls):
    m = cls(name="h")
    again = metrics.deserialize(metrics.serialize(m))
    assert type(again) is cls and again.get_config() == m.get_config()
