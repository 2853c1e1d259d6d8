"""Regression metrics against scikit-learn and NumPy, over weighted batches."""

import numpy as np
import pytest
from sklearn import metrics as skm

from lamina import metrics, ops

RNG = np.random.default_rng(5)


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def make_batches(weighted, positive=False, d=3, sizes=(5, 8, 3)):
    out = []
    for size in sizes:
        if positive:
            t = RNG.uniform(0.5, 3, (size, d)).astype("float32")
            p = RNG.uniform(0.5, 3, (size, d)).astype("float32")
        else:
            t = RNG.normal(size=(size, d)).astype("float32")
            p = RNG.normal(size=(size, d)).astype("float32")
        w = RNG.uniform(0, 2, size).astype("float32") if weighted else None
        out.append((t, p, w))
    return out


def run(metric, batches):
    for t, p, w in batches:
        metric.update_state(t, p, sample_weight=w)
    return float(to_np(metric.result()))


def joined(batches):
    t = np.concatenate([b[0] for b in batches]).astype("float64")
    p = np.concatenate([b[1] for b in batches]).astype("float64")
    w = None if batches[0][2] is None else np.concatenate(
        [b[2] for b in batches]).astype("float64")
    return t, p, w


SKLEARN = [
    (metrics.MeanSquaredError, "mean_squared_error", False,
     skm.mean_squared_error),
    (metrics.MeanAbsoluteError, "mean_absolute_error", False,
     skm.mean_absolute_error),
    (metrics.MeanAbsolutePercentageError, "mean_absolute_percentage_error",
     True, lambda *a, **k: 100 * skm.mean_absolute_percentage_error(*a, **k)),
    (metrics.MeanSquaredLogarithmicError, "mean_squared_logarithmic_error",
     True, skm.mean_squared_log_error),
]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("cls,name,positive,reference", SKLEARN,
                         ids=[c[1] for c in SKLEARN])
def test_against_sklearn(cls, name, positive, reference, weighted):
    batches = make_batches(weighted, positive)
    m = cls()
    assert m.name == name
    t, p, w = joined(batches)
    assert run(m, batches) == pytest.approx(
        reference(t, p, sample_weight=w), rel=1e-5)
    m.reset_state()
    assert float(to_np(m.result())) == 0.0


@pytest.mark.parametrize("weighted", [False, True])
def test_root_mean_squared_error(weighted):
    batches = make_batches(weighted, d=1)
    t, p, w = joined(batches)
    expected = np.sqrt(skm.mean_squared_error(t, p, sample_weight=w))
    m = metrics.RootMeanSquaredError()
    assert m.name == "root_mean_squared_error"
    assert run(m, batches) == pytest.approx(expected, rel=1e-5)
    # Several outputs: the root of the mean over every element.
    batches = make_batches(weighted, d=4)
    t, p, w = joined(batches)
    w = np.ones(len(t)) if w is None else w
    expected = np.sqrt((((t - p) ** 2).mean(-1) * w).sum() / w.sum())
    assert run(metrics.RootMeanSquaredError(), batches) == pytest.approx(
        expected, rel=1e-5)


def test_rank_one_targets_against_column_predictions():
    m = metrics.MeanSquaredError()
    m.update_state(np.array([0.0, 1.0, 2.0]),
                   np.array([[0.5], [1.0], [1.0]], "float32"))
    assert float(to_np(m.result())) == pytest.approx((0.25 + 0 + 1) / 3)


@pytest.mark.parametrize("weighted", [False, True])
def test_cosine_similarity_is_positive(weighted):
    batches = make_batches(weighted)
    t, p, w = joined(batches)
    w = np.ones(len(t)) if w is None else w

    def unit(x):
        return x / np.linalg.norm(x, axis=-1, keepdims=True)

    per_sample = (unit(t) * unit(p)).sum(-1)
    m = metrics.CosineSimilarity()
    assert run(m, batches) == pytest.approx(
        (per_sample * w).sum() / w.sum(), rel=1e-5)
    same = metrics.CosineSimilarity()
    same.update_state([[1.0, 2.0]], [[2.0, 4.0]])
    assert float(to_np(same.result())) == pytest.approx(1.0)


@pytest.mark.parametrize("weighted", [False, True])
def test_log_cosh_error(weighted):
    batches = make_batches(weighted)
    t, p, w = joined(batches)
    w = np.ones(len(t)) if w is None else w
    per_sample = np.log(np.cosh(p - t)).mean(-1)
    m = metrics.LogCoshError()
    assert m.name == "logcosh"
    assert run(m, batches) == pytest.approx(
        (per_sample * w).sum() / w.sum(), rel=1e-5)


@pytest.mark.parametrize("cls", [
    metrics.MeanSquaredError, metrics.MeanAbsoluteError,
    metrics.MeanAbsolutePercentageError, metrics.MeanSquaredLogarithmicError,
    metrics.RootMeanSquaredError, metrics.LogCoshError])
def test_config_round_trip(cls):
    m = cls(name="r", dtype="float64")
    assert m.get_config() == {"name": "r", "dtype": "float64"}
    again = metrics.deserialize(metrics.serialize(m))
    assert type(again) is cls and again.get_config() == m.get_config()


def test_cosine_similarity_config_keeps_axis():
    m = metrics.CosineSimilarity(axis=1)
    again = metrics.CosineSimilarity.from_config(m.get_config())
    assert again.get_config() == {"name": "cosine_similarity",
                                  "dtype": "float32", "axis": 1}
