"""The `Loss` base class: reductions, sample weights, masks, the wrapper."""

import numpy as np
import pytest

from lamina import losses, ops
from lamina.losses import loss as loss_lib
from lamina.saving import config as saving

RNG = np.random.default_rng(1)


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


class AbsError(losses.Loss):
    """Per-sample loss: mean absolute error over the last axis."""

    def call(self, y_true, y_pred):
        return ops.mean(ops.abs(y_pred - y_true), axis=-1)


def np_reduce(values, weight, reduction):
    weighted = values * np.broadcast_to(weight, values.shape)
    if reduction in ("none", None):
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean_with_sample_weight":
        return weighted.sum() / np.broadcast_to(weight, values.shape).sum()
    return weighted.sum() / values.size  # sum_over_batch_size, mean


REDUCTIONS = ["sum_over_batch_size", "sum", "mean",
              "mean_with_sample_weight", "none", None]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_reductions(reduction, weighted):
    t = RNG.normal(size=(5, 3)).astype("float32")
    p = RNG.normal(size=(5, 3)).astype("float32")
    w = RNG.uniform(0, 2, 5).astype("float32") if weighted else None
    out = AbsError(reduction=reduction)(t, p, sample_weight=w)
    per_sample = np.abs(p - t).mean(-1)
    expected = np_reduce(per_sample, 1.0 if w is None else w, reduction)
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5)


@pytest.mark.parametrize("weight_shape", [(), (4,), (4, 1)])
def test_sample_weight_shapes_for_per_sample_losses(weight_shape):
    t = RNG.normal(size=(4, 2)).astype("float32")
    p = RNG.normal(size=(4, 2)).astype("float32")
    w = RNG.uniform(0, 1, weight_shape).astype("float32")
    out = losses.MeanSquaredError(reduction="sum")(t, p, sample_weight=w)
    expected = (np.mean((t - p) ** 2, -1) * w.reshape(w.shape[:1])).sum()
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5)


@pytest.mark.parametrize("weight_shape", [(3, 5), (3,), (3, 1)])
def test_sample_weight_against_sequence_losses(weight_shape):
    t = RNG.normal(size=(3, 5, 2)).astype("float32")
    p = RNG.normal(size=(3, 5, 2)).astype("float32")
    w = RNG.uniform(0, 1, weight_shape).astype("float32")
    out = losses.MeanAbsoluteError()(t, p, sample_weight=w)
    per_step = np.abs(t - p).mean(-1)  # (3, 5)
    full_w = w if w.ndim == 2 and w.shape[1] == 5 else w.reshape(3, 1)
    np.testing.assert_allclose(to_np(out), (per_step * full_w).sum() / 15,
                               rtol=1e-5)


def test_sum_over_batch_size_matches_keras_example():
    # keras.losses.MeanSquaredError docstring example values.
    y_true = [[0.0, 1.0], [0.0, 0.0]]
    y_pred = [[1.0, 1.0], [1.0, 0.0]]
    mse = losses.MeanSquaredError()
    assert float(to_np(mse(y_true, y_pred))) == pytest.approx(0.5)
    assert float(to_np(mse(y_true, y_pred, sample_weight=[0.7, 0.3]))) \
        == pytest.approx(0.25)
    assert float(to_np(losses.MeanSquaredError(reduction="sum")(
        y_true, y_pred))) == pytest.approx(1.0)
    np.testing.assert_allclose(to_np(losses.MeanSquaredError(
        reduction=None)(y_true, y_pred)), [0.5, 0.5])


def _with_mask(x, mask):
    x = ops.convert_to_tensor(x)
    try:
        x._mask = ops.convert_to_tensor(mask)
    except AttributeError:
        pytest.skip("this backend's arrays take no attributes")
    return x


def test_mask_on_predictions_leaves_steps_out_of_the_mean():
    t = RNG.normal(size=(2, 4, 3)).astype("float32")
    p = RNG.normal(size=(2, 4, 3)).astype("float32")
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 0]], bool)
    per_step = np.mean((t - p) ** 2, -1)
    out = losses.MeanSquaredError()(t, _with_mask(p, mask))
    np.testing.assert_allclose(to_np(out), per_step[mask].mean(), rtol=1e-5)
    w = np.array([2.0, 1.0], "float32")
    out = losses.MeanSquaredError(reduction="sum")(
        t, _with_mask(p, mask), sample_weight=w)
    expected = (per_step * mask * w[:, None]).sum()
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-5)


def test_ignore_class_is_left_out_of_the_mean():
    logits = RNG.normal(size=(2, 4, 3)).astype("float32")
    labels = np.array([[0, 1, 2, 9], [2, 9, 9, 9]])
    loss = losses.SparseCategoricalCrossentropy(from_logits=True,
                                                ignore_class=9)
    valid = labels != 9
    all_losses = to_np(losses.sparse_categorical_crossentropy(
        np.where(valid, labels, 0), logits, from_logits=True))
    np.testing.assert_allclose(to_np(loss(labels, logits)),
                               all_losses[valid].mean(), rtol=1e-5)
    w = np.array([1.0, 3.0], "float32")
    loss = losses.SparseCategoricalCrossentropy(
        from_logits=True, ignore_class=9, reduction="sum")
    np.testing.assert_allclose(
        to_np(loss(labels, logits, sample_weight=w)),
        (all_losses * valid * w[:, None]).sum(), rtol=1e-5)


def test_loss_dtype():
    t = np.ones((2, 2))
    p = np.zeros((2, 2))  # float64 inputs: computed in the loss dtype
    assert ops.dtype(losses.MeanSquaredError()(t, p)) == "float32"
    if ops.dtype(ops.convert_to_tensor(np.zeros(1))) == "float64":
        out = losses.MeanSquaredError(dtype="float64")(t, p)
        assert ops.dtype(out) == "float64"
    assert losses.MeanSquaredError(dtype="float64").get_config()["dtype"] \
        == "float64"
    assert "dtype" not in losses.MeanSquaredError().get_config()


def test_keras_dtype_policy_configs_are_understood():
    policy = {"module": "keras", "class_name": "DTypePolicy",
              "config": {"name": "mixed_float16"}, "registered_name": None}
    assert losses.MeanSquaredError(dtype=policy).dtype == "float16"


def test_invalid_reduction_names_the_argument():
    with pytest.raises(ValueError, match="reduction.*'sum_over_batch_size'"):
        losses.MeanSquaredError(reduction="average")


def test_keras2_auto_reduction_is_accepted():
    assert losses.MeanSquaredError(reduction="auto").reduction == \
        "sum_over_batch_size"


def test_base_class_needs_call():
    with pytest.raises(NotImplementedError, match="call"):
        losses.Loss()([[1.0]], [[1.0]])


def test_default_name_and_config_of_subclass():
    loss = AbsError()
    assert loss.name == "abs_error"
    assert loss.get_config() == {"name": "abs_error",
                                 "reduction": "sum_over_batch_size"}
    again = AbsError.from_config(AbsError(reduction="sum").get_config())
    assert again.reduction == "sum"


def squared_log_error(y_true, y_pred, scale=1.0):
    return scale * ops.mean(ops.square(ops.log1p(y_pred) - ops.log1p(y_true)),
                            axis=-1)


def test_loss_function_wrapper_with_custom_function():
    wrapper = losses.LossFunctionWrapper(squared_log_error, scale=2.0,
                                         reduction="sum")
    assert wrapper.name == "squared_log_error"
    t, p = np.array([[1.0, 2.0]], "float32"), np.array([[2.0, 2.0]], "float32")
    expected = 2.0 * np.mean((np.log1p(p) - np.log1p(t)) ** 2)
    np.testing.assert_allclose(to_np(wrapper(t, p)), expected, rtol=1e-6)
    config = saving.serialize(wrapper)
    assert config["config"]["fn"] == "squared_log_error"
    assert config["config"]["scale"] == 2.0
    restored = losses.deserialize(
        config, custom_objects={"squared_log_error": squared_log_error})
    assert restored.get_config() == wrapper.get_config()
    np.testing.assert_allclose(to_np(restored(t, p)), expected, rtol=1e-6)


def test_loss_function_wrapper_round_trip_of_builtin_function():
    wrapper = losses.LossFunctionWrapper(losses.huber, delta=0.5)
    restored = losses.deserialize(losses.serialize(wrapper))
    assert restored.fn is losses.huber
    assert restored.get_config() == wrapper.get_config()
    # Keras 3 writes the function as a dict.
    keras_form = dict(wrapper.get_config(), fn={
        "module": "keras.losses", "class_name": "function",
        "config": "huber", "registered_name": "function"})
    assert losses.LossFunctionWrapper.from_config(keras_form).fn \
        is losses.huber


def test_loss_function_wrapper_rejects_unknown_function():
    with pytest.raises(ValueError, match="nope"):
        losses.LossFunctionWrapper("nope")
    with pytest.raises(TypeError, match="fn"):
        losses.LossFunctionWrapper(3)


def test_squeeze_or_expand_to_same_rank():
    a = ops.zeros((4,))
    b = ops.zeros((4, 1))
    x, y = loss_lib.squeeze_or_expand_to_same_rank(a, b)
    assert ops.shape(x) == (4, 1) and ops.shape(y) == (4, 1)
    x, y = loss_lib.squeeze_or_expand_to_same_rank(ops.zeros((4, 3, 1)),
                                                   ops.zeros((4, 3)))
    assert ops.shape(x) == (4, 3) and ops.shape(y) == (4, 3)


def test_gradient_flows_through_the_reduced_loss():
    from lamina.ops._bind import B
    w = B.Variable(np.array([[0.5], [-1.0]], "float32"), name="w")
    x = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
    y = np.array([[1.0], [0.0]], "float32")

    def fn():
        return losses.MeanSquaredError()(y, ops.matmul(x, w.value)), None

    (_, _), grads = ops.value_and_grad(fn, [w])
    pred = x @ np.array([[0.5], [-1.0]])
    expected = x.T @ (2 * (pred - y) / 2)
    np.testing.assert_allclose(to_np(grads[0]), expected, rtol=1e-5)


def test_sample_weight_with_too_many_axes_is_an_error():
    with pytest.raises(ValueError, match=r"sample_weight.*\(4, 3\)"):
        losses.MeanSquaredError()(np.zeros((4, 2), "float32"),
                                  np.ones((4, 2), "float32"),
                                  sample_weight=np.ones((4, 3), "float32"))


def test_custom_loss_and_metric_functions_see_matching_ranks():
    # A (batch,) target against a (batch, 1) output: Keras aligns the ranks
    # before calling a user's function, so nothing broadcasts to (b, b).
    from lamina import metrics
    from lamina.losses.loss import LossFunctionWrapper

    def contrastive(y_true, y_pred, margin=1.0):
        return ops.mean(y_true * ops.square(y_pred) + (1 - y_true) *
                        ops.square(ops.maximum(margin - y_pred, 0.0)),
                        axis=-1)
    y_true = np.array([1.0, 0.0, 1.0], "float32")
    y_pred = np.array([[0.2], [0.3], [1.4]], "float32")
    d = y_pred[:, 0]
    want = np.mean(y_true * d ** 2 + (1 - y_true) * np.maximum(1 - d, 0) ** 2)
    got = LossFunctionWrapper(contrastive)(y_true, y_pred)
    np.testing.assert_allclose(float(ops.convert_to_numpy(got)), want,
                               rtol=1e-6)
    metric = metrics.MeanMetricWrapper(contrastive)
    metric.update_state(y_true, y_pred)
    np.testing.assert_allclose(float(ops.convert_to_numpy(metric.result())),
                               want, rtol=1e-6)
