"""`R2Score` against scikit-learn's `r2_score`, over several weighted
batches."""

import numpy as np
import pytest
from sklearn import metrics as skm

from lamina import metrics, ops

RNG = np.random.default_rng(61)


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def batches(weighted, columns=3, sizes=(8, 8, 5)):
    out = []
    for n in sizes:
        y = RNG.normal(size=(n, columns)).astype("float32") * [1, 3, 0.5][
            :columns]
        p = (y + RNG.normal(size=(n, columns)) * 0.7).astype("float32")
        w = RNG.uniform(0.1, 2, n).astype("float32") if weighted else None
        out.append((y, p, w))
    return out


def run(metric, data):
    for y, p, w in data:
        metric.update_state(y, p, sample_weight=w)
    return to_np(metric.result())


def joined(data):
    y = np.concatenate([b[0] for b in data])
    p = np.concatenate([b[1] for b in data])
    w = None if data[0][2] is None else np.concatenate([b[2] for b in data])
    return y, p, w


@pytest.mark.parametrize("aggregation,multioutput", [
    ("uniform_average", "uniform_average"),
    ("variance_weighted_average", "variance_weighted"),
    (None, "raw_values")])
@pytest.mark.parametrize("weighted", [False, True])
def test_against_sklearn(aggregation, multioutput, weighted):
    data = batches(weighted)
    y, p, w = joined(data)
    m = metrics.R2Score(class_aggregation=aggregation)
    np.testing.assert_allclose(run(m, data), skm.r2_score(
        y, p, sample_weight=w, multioutput=multioutput), rtol=1e-4)


def test_adjusted_score():
    data = batches(True, columns=1)
    y, p, w = joined(data)
    r2 = skm.r2_score(y, p, sample_weight=w)
    n, k = len(y), 3
    m = metrics.R2Score(num_regressors=k)
    assert float(run(m, data)) == pytest.approx(
        1 - (1 - r2) * (n - 1) / (n - k - 1), rel=1e-4)
    # Too many regressors for the data: the plain score.
    m = metrics.R2Score(num_regressors=n - 1)
    assert float(run(m, data)) == pytest.approx(r2, rel=1e-4)


def test_keras_documented_value_and_rank_one_targets():
    m = metrics.R2Score()
    m.update_state([1.0, 4.0, 3.0], [[2.0], [4.0], [4.0]])
    assert float(to_np(m.result())) == pytest.approx(0.57142854, rel=1e-5)


def test_constant_targets_give_zero_for_that_column():
    y = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], "float32")
    p = np.array([[0.5, 0.1], [1.5, 1.2], [1.0, 1.7]], "float32")
    m = metrics.R2Score(class_aggregation=None)
    out = run(m, [(y, p, None)])
    np.testing.assert_allclose(out, skm.r2_score(
        y, p, multioutput="raw_values"), rtol=1e-5)
    assert out[0] == 0.0
    m = metrics.R2Score(class_aggregation=None)  # and exactly predicted
    assert np.isnan(run(m, [(y, y, None)])[0])


def test_empty_and_reset_give_zero():
    m = metrics.R2Score()
    assert float(to_np(m.result())) == 0.0  # nothing seen, nothing built
    run(m, batches(True))
    assert [v.name for v in m.variables] == [
        "num_samples", "squared_sum", "sum", "residual", "count"]
    m.reset_state()
    assert all(np.all(to_np(v) == 0) for v in m.variables)
    assert float(to_np(m.result())) == 0.0


def test_stateless_twin_matches():
    data = batches(True)
    m, twin = metrics.R2Score(), metrics.R2Score()
    state = twin.stateless_reset_state()
    for y, p, w in data:
        state = twin.stateless_update_state(state, y, p, sample_weight=w)
    assert float(to_np(twin.stateless_result(state))) == pytest.approx(
        float(run(m, data)), rel=1e-6)


def test_config_round_trip():
    m = metrics.R2Score(class_aggregation="variance_weighted_average",
                        num_regressors=2, name="r2")
    assert m._direction == "up"  # callbacks' mode='auto' maximizes it
    config = m.get_config()
    assert config == {"name": "r2", "dtype": "float32",
                      "class_aggregation": "variance_weighted_average",
                      "num_regressors": 2}
    assert metrics.R2Score.from_config(config).get_config() == config
    restored = metrics.deserialize(metrics.serialize(m))
    assert type(restored) is metrics.R2Score
    assert restored.get_config() == config


def test_bad_arguments():
    with pytest.raises(ValueError, match="class_aggregation"):
        metrics.R2Score(class_aggregation="mean")
    with pytest.raises(ValueError, match="num_regressors"):
        metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match="2D inputs"):
        metrics.R2Score().update_state(np.ones((2, 3, 4)), np.ones((2, 3, 4)))
