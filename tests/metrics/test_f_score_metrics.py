"""`FBetaScore` / `F1Score` against scikit-learn's `fbeta_score` /
`f1_score`, for each `average`, over several weighted batches."""

import numpy as np
import pytest
from sklearn import metrics as skm

from lamina import metrics, ops

RNG = np.random.default_rng(41)
C = 4
AVERAGES = [None, "micro", "macro", "weighted"]


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def run(metric, data):
    for y, p, w in data:
        metric.update_state(y, p, sample_weight=w)
    return to_np(metric.result())


def multilabel(weighted, sizes=(9, 9, 6)):
    return [(RNG.integers(0, 2, (n, C)).astype("float32"),
             RNG.uniform(0, 1, (n, C)).astype("float32"),
             RNG.uniform(0.1, 2, n).astype("float32") if weighted else None)
            for n in sizes]


def multiclass(weighted, sizes=(9, 9, 6)):
    out = []
    for n in sizes:
        labels = RNG.integers(0, C, n)
        out.append((np.eye(C, dtype="float32")[labels],
                    RNG.uniform(0, 1, (n, C)).astype("float32"),
                    RNG.uniform(0.1, 2, n).astype("float32") if weighted
                    else None))
    return out


def joined(data):
    y = np.concatenate([b[0] for b in data])
    p = np.concatenate([b[1] for b in data])
    w = None if data[0][2] is None else np.concatenate([b[2] for b in data])
    return y, p, w


@pytest.mark.parametrize("average", AVERAGES)
@pytest.mark.parametrize("weighted", [False, True])
def test_f1_multilabel_with_threshold(average, weighted):
    data = multilabel(weighted)
    y, p, w = joined(data)
    m = metrics.F1Score(average=average, threshold=0.5)
    expected = skm.f1_score(y, p > 0.5, average=average, sample_weight=w,
                            zero_division=0)
    np.testing.assert_allclose(run(m, data), expected, rtol=1e-5)


@pytest.mark.parametrize("average", AVERAGES)
def test_fbeta_multiclass_by_arg_max(average):
    data = multiclass(True)
    y, p, w = joined(data)
    m = metrics.FBetaScore(average=average, beta=2.0)
    predicted = np.eye(C)[p.argmax(-1)]  # threshold=None: the row maximum
    expected = skm.fbeta_score(y, predicted, beta=2.0, average=average,
                               sample_weight=w, zero_division=0)
    np.testing.assert_allclose(run(m, data), expected, rtol=1e-5)
    assert m.name == "fbeta_score"


@pytest.mark.parametrize("beta", [0.5, 3.0])
def test_fbeta_weighted_average_with_per_element_weights(beta):
    data = multilabel(False)
    w = [RNG.uniform(0.1, 2, b[0].shape).astype("float32") for b in data]
    data = [(y, p, wi) for (y, p, _), wi in zip(data, w)]
    y, p, _ = joined(data)
    w = np.concatenate(w)
    # Per-element weights: scikit-learn has none, so count by hand.
    pred = p > 0.3
    tp = (pred * y * w).sum(0)
    fp = (pred * (1 - y) * w).sum(0)
    fn = (~pred * y * w).sum(0)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    score = (1 + beta ** 2) * precision * recall / (
        beta ** 2 * precision + recall)
    support = (y * w).sum(0)
    m = metrics.FBetaScore(average="weighted", beta=beta, threshold=0.3)
    assert float(run(m, data)) == pytest.approx(
        (score * support).sum() / support.sum(), rel=1e-5)


def test_all_zero_row_predicts_nothing():
    m = metrics.F1Score(average=None)
    m.update_state([[1, 0], [0, 1]], [[0.0, 0.0], [0.2, 0.7]])
    np.testing.assert_allclose(to_np(m.result()), [0.0, 1.0], atol=1e-6)
    assert [tuple(v.shape) for v in m.variables] == [(2,)] * 4


def test_micro_state_is_scalar_and_reset():
    m = metrics.F1Score(average="micro", threshold=0.5)
    assert m.variables == []  # built at the first update
    m.update_state([[0, 1], [1, 0]], [[0.2, 0.8], [0.4, 0.6]])
    assert float(to_np(m.result())) == pytest.approx(0.5, rel=1e-5)
    assert [v.name for v in m.variables] == [
        "true_positives", "false_positives", "false_negatives",
        "intermediate_weights"]
    assert all(tuple(v.shape) == () for v in m.variables)
    m.reset_state()
    assert float(to_np(m.result())) == 0.0


def test_stateless_twin_matches():
    data = multiclass(True)
    m = metrics.F1Score(average="macro")
    twin = metrics.F1Score(average="macro")
    state = twin.stateless_reset_state()
    for y, p, w in data:
        state = twin.stateless_update_state(state, y, p, sample_weight=w)
    np.testing.assert_allclose(to_np(twin.stateless_result(state)),
                               run(m, data), rtol=1e-6)


@pytest.mark.parametrize("cls,kwargs", [
    (metrics.F1Score, {"average": "macro", "threshold": 0.4}),
    (metrics.FBetaScore, {"average": "weighted", "beta": 0.5}),
    (metrics.FBetaScore, {})])
def test_config_round_trip(cls, kwargs):
    m = cls(name="mine", **kwargs)
    assert m._direction == "up"  # callbacks' mode='auto' maximizes it
    config = m.get_config()
    assert ("beta" in config) == (cls is metrics.FBetaScore)
    assert cls.from_config(config).get_config() == config
    restored = metrics.deserialize(metrics.serialize(m))
    assert type(restored) is cls and restored.get_config() == config


def test_bad_arguments():
    with pytest.raises(ValueError, match="average"):
        metrics.F1Score(average="samples")
    with pytest.raises(ValueError, match="beta"):
        metrics.FBetaScore(beta=0.0)
    with pytest.raises(ValueError, match="beta"):
        metrics.FBetaScore(beta="2")
    with pytest.raises(ValueError, match="threshold"):
        metrics.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match="2D inputs"):
        metrics.F1Score().update_state([1, 0], [0.3, 0.6])
