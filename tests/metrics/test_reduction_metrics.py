"""`Sum`, `Mean` and `MeanMetricWrapper`, over several weighted batches."""

import numpy as np
import pytest

from lamina import losses, metrics, ops

RNG = np.random.default_rng(3)


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def batches(shape_tail=(), weight_tail=None, count=3):
    for size in (4, 7, 2)[:count]:
        values = RNG.normal(size=(size,) + shape_tail).astype("float32")
        weight = None if weight_tail is None else RNG.uniform(
            0, 2, (size,) + weight_tail).astype("float32")
        yield values, weight


def test_sum_over_batches():
    m = metrics.Sum()
    total = 0.0
    for values, weight in batches((3,), ()):
        m.update_state(values, sample_weight=weight)
        total += (values * weight[:, None]).sum()
    np.testing.assert_allclose(to_np(m.result()), total, rtol=1e-5)
    assert m.name == "sum"


def test_mean_without_weights_is_the_mean_of_all_values():
    m = metrics.Mean()
    seen = []
    for values, _ in batches():
        m.update_state(values)
        seen.append(values)
    np.testing.assert_allclose(to_np(m.result()),
                               np.concatenate(seen).mean(), rtol=1e-5)
    m.reset_state()
    assert float(to_np(m.result())) == 0.0  # no data: 0, not NaN


@pytest.mark.parametrize("weight_tail", [(), (1,), (5,)])
def test_weighted_mean_over_batches(weight_tail):
    m = metrics.Mean()
    num = den = 0.0
    for values, weight in batches((5,), weight_tail):
        m.update_state(values, sample_weight=weight)
        w = np.broadcast_to(weight.reshape(weight.shape[0], -1), values.shape)
        num += (values * w).sum()
        den += w.sum()
    np.testing.assert_allclose(to_np(m.result()), num / den, rtol=1e-5)


def test_scalar_sample_weight():
    m = metrics.Mean()
    m.update_state([1.0, 2.0, 3.0], sample_weight=2.0)
    m.update_state([7.0], sample_weight=2.0)
    assert float(to_np(m.result())) == pytest.approx(13 / 4)


def test_sum_result_is_a_snapshot():
    m = metrics.Sum()
    m.update_state([1.0, 2.0])
    first = m.result()
    m.update_state([10.0])
    assert float(to_np(first)) == 3.0
    assert float(to_np(m.result())) == 13.0


def test_mean_metric_wrapper_with_a_loss_function():
    m = metrics.MeanMetricWrapper(losses.mean_absolute_error)
    assert m.name == "mean_absolute_error"
    num = den = 0.0
    for t, w in batches((3,), ()):
        p = t + RNG.normal(size=t.shape).astype("float32")
        m.update_state(t, p, sample_weight=w)
        num += (np.abs(t - p).mean(-1) * w).sum()
        den += w.sum()
    np.testing.assert_allclose(to_np(m.result()), num / den, rtol=1e-5)


def _with_mask(x, mask):
    x = ops.convert_to_tensor(x)
    try:
        x._mask = ops.convert_to_tensor(mask)
    except AttributeError:
        pytest.skip("this backend's arrays take no attributes")
    return x


def test_mean_metric_wrapper_respects_the_prediction_mask():
    t = RNG.normal(size=(2, 4, 3)).astype("float32")
    p = RNG.normal(size=(2, 4, 3)).astype("float32")
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1]], bool)
    per_step = ((t - p) ** 2).mean(-1)
    m = metrics.MeanMetricWrapper(losses.mean_squared_error)
    m.update_state(t, _with_mask(p, mask))
    np.testing.assert_allclose(to_np(m.result()), per_step[mask].mean(),
                               rtol=1e-5)
    m.reset_state()
    w = np.array([1.0, 3.0], "float32")
    m.update_state(t, _with_mask(p, mask), sample_weight=w)
    full = mask * w[:, None]
    np.testing.assert_allclose(to_np(m.result()),
                               (per_step * full).sum() / full.sum(),
                               rtol=1e-5)


def scaled_error(y_true, y_pred, scale=1.0):
    return scale * ops.abs(y_pred - y_true)


def test_mean_metric_wrapper_config_round_trip():
    m = metrics.MeanMetricWrapper(scaled_error, name="err", scale=3.0)
    config = metrics.serialize(m)
    assert config["config"] == {"name": "err", "dtype": "float32",
                                "scale": 3.0, "fn": "scaled_error"}
    again = metrics.deserialize(config,
                                custom_objects={"scaled_error": scaled_error})
    assert again.get_config() == m.get_config()
    again.update_state([[1.0]], [[2.0]])
    assert float(to_np(again.result())) == 3.0
    builtin = metrics.MeanMetricWrapper(metrics.binary_accuracy,
                                        threshold=0.2)
    restored = metrics.deserialize(metrics.serialize(builtin))
    assert restored._fn is metrics.binary_accuracy
    assert restored.get_config()["threshold"] == 0.2


def test_mean_metric_wrapper_rejects_bad_functions():
    with pytest.raises(TypeError, match="fn"):
        metrics.MeanMetricWrapper(42)
    with pytest.raises(ValueError, match="nope"):
        metrics.MeanMetricWrapper("nope")


@pytest.mark.parametrize("cls", [metrics.Sum, metrics.Mean])
def test_config_round_trip(cls):
    m = cls(name="x", dtype="float64")
    again = metrics.deserialize(metrics.serialize(m))
    assert type(again) is cls and again.get_config() == m.get_config()
    assert again.variables[0].dtype == "float64"
