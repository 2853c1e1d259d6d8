"""Every loss function against a NumPy formula (and torch where it has one)."""

import numpy as np
import pytest
import torch

from lamina import ops
from lamina.losses import loss_functions as F

EPS = 1e-7
RNG = np.random.default_rng(0)


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def probs(shape):
    return RNG.uniform(0.05, 0.95, shape).astype("float32")


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def one_hot(labels, classes):
    return np.eye(classes, dtype="float32")[labels]


# -- NumPy references (float64) ---------------------------------------------
def np_mse(t, p):
    return np.mean((t - p) ** 2, axis=-1)


def np_mae(t, p):
    return np.mean(np.abs(t - p), axis=-1)


def np_mape(t, p):
    return 100 * np.mean(np.abs(t - p) / np.maximum(np.abs(t), EPS), -1)


def np_msle(t, p):
    return np.mean((np.log1p(np.maximum(p, EPS))
                    - np.log1p(np.maximum(t, EPS))) ** 2, axis=-1)


def np_cosine(t, p):
    tn = t / np.linalg.norm(t, axis=-1, keepdims=True)
    pn = p / np.linalg.norm(p, axis=-1, keepdims=True)
    return -np.sum(tn * pn, axis=-1)


def np_huber(t, p, delta=1.0):
    e = np.abs(p - t)
    return np.mean(np.where(e <= delta, 0.5 * e ** 2,
                            delta * e - 0.5 * delta ** 2), axis=-1)


def np_log_cosh(t, p):
    return np.mean(np.log(np.cosh(p - t)), axis=-1)


def np_kld(t, p):
    t, p = np.clip(t, EPS, 1), np.clip(p, EPS, 1)
    return np.sum(t * np.log(t / p), axis=-1)


def np_poisson(t, p):
    return np.mean(p - t * np.log(p + EPS), axis=-1)


def _pm1(t):
    return 2 * t - 1 if np.isin(t, (0, 1)).all() else t


def np_hinge(t, p):
    return np.mean(np.maximum(1 - _pm1(t) * p, 0), axis=-1)


def np_squared_hinge(t, p):
    return np.mean(np.maximum(1 - _pm1(t) * p, 0) ** 2, axis=-1)


def np_categorical_hinge(t, p):
    pos = np.sum(t * p, axis=-1)
    neg = np.max((1 - t) * p, axis=-1)
    return np.maximum(neg - pos + 1, 0)


def np_bce(t, p, label_smoothing=0.0):
    t = t * (1 - label_smoothing) + 0.5 * label_smoothing
    p = np.clip(p, EPS, 1 - EPS)
    return np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p)), axis=-1)


def np_cce(t, p, label_smoothing=0.0):
    t = t * (1 - label_smoothing) + label_smoothing / t.shape[-1]
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return -np.sum(t * np.log(p), axis=-1)


def np_scce(labels, p):
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return -np.log(np.take_along_axis(p, labels[..., None], -1)[..., 0])


def np_binary_focal(t, p, gamma=2.0, alpha=0.25, balance=False):
    bce = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    p_t = t * p + (1 - t) * (1 - p)
    out = (1 - p_t) ** gamma * bce
    if balance:
        out = (t * alpha + (1 - t) * (1 - alpha)) * out
    return np.mean(out, axis=-1)


def np_categorical_focal(t, p, gamma=2.0, alpha=0.25):
    return -np.sum(alpha * (1 - p) ** gamma * t * np.log(p), axis=-1)


# -- value tables -------------------------------------------------------------
REGRESSION = [
    (F.mean_squared_error, np_mse),
    (F.mean_absolute_error, np_mae),
    (F.mean_absolute_percentage_error, np_mape),
    (F.mean_squared_logarithmic_error, np_msle),
    (F.cosine_similarity, np_cosine),
    (F.huber, np_huber),
    (F.log_cosh, np_log_cosh),
]


@pytest.mark.parametrize("fn,ref", REGRESSION, ids=lambda v: getattr(
    v, "__name__", ""))
@pytest.mark.parametrize("shape", [(6, 3), (2, 4, 3)])
def test_regression_losses_match_numpy(fn, ref, shape):
    t = RNG.normal(size=shape).astype("float32")
    p = RNG.normal(size=shape).astype("float32")
    out = to_np(fn(t, p))
    assert out.shape == shape[:-1]
    np.testing.assert_allclose(out, ref(t.astype("float64"), p), rtol=1e-5,
                               atol=1e-5)


@pytest.mark.parametrize("fn,ref", [
    (F.kl_divergence, np_kld), (F.poisson, np_poisson),
    (F.binary_crossentropy, np_bce), (F.categorical_crossentropy, np_cce),
    (F.mean_squared_logarithmic_error, np_msle)])
def test_probability_losses_match_numpy(fn, ref):
    t = softmax(RNG.normal(size=(5, 4))).astype("float32")
    p = softmax(RNG.normal(size=(5, 4))).astype("float32")
    np.testing.assert_allclose(to_np(fn(t, p)), ref(t, p.astype("float64")),
                               rtol=1e-5, atol=1e-6)


def test_kl_divergence_matches_torch():
    t = softmax(RNG.normal(size=(5, 4))).astype("float32")
    p = softmax(RNG.normal(size=(5, 4))).astype("float32")
    expected = torch.nn.functional.kl_div(
        torch.log(torch.tensor(p)), torch.tensor(t), reduction="none").sum(-1)
    np.testing.assert_allclose(to_np(F.kl_divergence(t, p)),
                               expected.numpy(), rtol=1e-5, atol=1e-6)


def test_huber_delta():
    t = np.zeros((4, 2), "float32")
    p = np.array([[0.5, 3.0], [-2.0, 1.0], [0.1, 0.2], [5, -5]], "float32")
    for delta in (0.5, 1.0, 2.5):
        np.testing.assert_allclose(to_np(F.huber(t, p, delta=delta)),
                                   np_huber(t, p, delta), rtol=1e-6)
        expected = torch.nn.functional.huber_loss(
            torch.tensor(p), torch.tensor(t), delta=delta,
            reduction="none").mean(-1)
        np.testing.assert_allclose(to_np(F.huber(t, p, delta=delta)),
                                   expected.numpy(), rtol=1e-6)


def test_log_cosh_is_stable_for_large_errors():
    out = to_np(F.log_cosh(np.zeros((1, 2), "float32"),
                           np.array([[200.0, -300.0]], "float32")))
    np.testing.assert_allclose(out, [(200 + 300) / 2 - np.log(2)], rtol=1e-6)


@pytest.mark.parametrize("fn,ref", [
    (F.hinge, np_hinge), (F.squared_hinge, np_squared_hinge)])
def test_hinge_losses(fn, ref):
    p = RNG.normal(size=(6, 3)).astype("float32")
    labels01 = RNG.integers(0, 2, (6, 3)).astype("float32")
    np.testing.assert_allclose(to_np(fn(labels01, p)), ref(labels01, p),
                               rtol=1e-6)
    # {0, 1} labels mean the same as {-1, 1} labels.
    np.testing.assert_allclose(to_np(fn(labels01, p)),
                               to_np(fn(2 * labels01 - 1, p)), rtol=1e-6)
    pm1 = np.where(labels01 > 0, 1.0, -1.0).astype("float32")
    np.testing.assert_allclose(to_np(fn(pm1, p)), ref(pm1, p), rtol=1e-6)


def test_categorical_hinge():
    p = RNG.normal(size=(6, 4)).astype("float32")
    t = one_hot(RNG.integers(0, 4, 6), 4)
    np.testing.assert_allclose(to_np(F.categorical_hinge(t, p)),
                               np_categorical_hinge(t, p), rtol=1e-6)


@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_binary_crossentropy_logits_and_probabilities_agree(label_smoothing):
    logits = RNG.normal(size=(8, 3)).astype("float32")
    t = RNG.integers(0, 2, (8, 3)).astype("float32")
    from_probs = to_np(F.binary_crossentropy(
        t, sigmoid(logits), label_smoothing=label_smoothing))
    from_logits = to_np(F.binary_crossentropy(
        t, logits, from_logits=True, label_smoothing=label_smoothing))
    np.testing.assert_allclose(from_probs, from_logits, rtol=1e-5)
    np.testing.assert_allclose(
        from_probs, np_bce(t, sigmoid(logits.astype("float64")),
                           label_smoothing), rtol=1e-5)
    smoothed = t * (1 - label_smoothing) + 0.5 * label_smoothing
    expected = torch.nn.functional.binary_cross_entropy_with_logits(
        torch.tensor(logits), torch.tensor(smoothed),
        reduction="none").mean(-1)
    np.testing.assert_allclose(from_logits, expected.numpy(), rtol=1e-5)


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_categorical_crossentropy_logits_and_probabilities_agree(
        label_smoothing):
    logits = RNG.normal(size=(7, 5)).astype("float32")
    labels = RNG.integers(0, 5, 7)
    t = one_hot(labels, 5)
    from_probs = to_np(F.categorical_crossentropy(
        t, softmax(logits), label_smoothing=label_smoothing))
    from_logits = to_np(F.categorical_crossentropy(
        t, logits, from_logits=True, label_smoothing=label_smoothing))
    np.testing.assert_allclose(from_probs, from_logits, rtol=1e-5)
    np.testing.assert_allclose(
        from_probs, np_cce(t, softmax(logits.astype("float64")),
                           label_smoothing), rtol=1e-5)
    expected = torch.nn.functional.cross_entropy(
        torch.tensor(logits), torch.tensor(labels),
        label_smoothing=label_smoothing, reduction="none")
    np.testing.assert_allclose(from_logits, expected.numpy(), rtol=1e-5)


def test_categorical_crossentropy_axis():
    logits = RNG.normal(size=(4, 5, 3)).astype("float32")
    t = one_hot(RNG.integers(0, 5, (4, 3)), 5).transpose(0, 2, 1)
    out = to_np(F.categorical_crossentropy(t, logits, from_logits=True,
                                           axis=1))
    expected = to_np(F.categorical_crossentropy(
        t.transpose(0, 2, 1), logits.transpose(0, 2, 1), from_logits=True))
    np.testing.assert_allclose(out, expected, rtol=1e-5)


def test_crossentropy_axis_must_be_an_int():
    with pytest.raises(TypeError, match="axis"):
        F.categorical_crossentropy([[1.0, 0.0]], [[0.5, 0.5]], True, 0.0,
                                   True)


@pytest.mark.parametrize("label_shape", [(6,), (6, 1)])
def test_sparse_categorical_crossentropy(label_shape):
    logits = RNG.normal(size=(6, 4)).astype("float32")
    labels = RNG.integers(0, 4, 6)
    y = labels.reshape(label_shape)
    from_probs = to_np(F.sparse_categorical_crossentropy(y, softmax(logits)))
    from_logits = to_np(F.sparse_categorical_crossentropy(
        y, logits, from_logits=True))
    assert from_probs.shape == (6,)
    np.testing.assert_allclose(from_probs, from_logits, rtol=1e-5)
    np.testing.assert_allclose(
        from_probs, np_scce(labels, softmax(logits.astype("float64"))),
        rtol=1e-5)
    # Same as the categorical loss on one-hot labels.
    np.testing.assert_allclose(
        from_logits, to_np(F.categorical_crossentropy(
            one_hot(labels, 4), logits, from_logits=True)), rtol=1e-5)


def test_sparse_categorical_crossentropy_sequences_and_ignore_class():
    logits = RNG.normal(size=(3, 5, 4)).astype("float32")
    labels = RNG.integers(0, 4, (3, 5))
    labels[0, 3:] = -1
    out = to_np(F.sparse_categorical_crossentropy(
        labels, logits, from_logits=True, ignore_class=-1))
    assert out.shape == (3, 5)
    expected = np_scce(np.maximum(labels, 0), softmax(logits))
    expected[labels == -1] = 0.0
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("balance", [False, True])
@pytest.mark.parametrize("gamma", [0.0, 2.0])
def test_binary_focal_crossentropy(balance, gamma):
    logits = RNG.normal(size=(6, 3)).astype("float32")
    t = RNG.integers(0, 2, (6, 3)).astype("float32")
    p = sigmoid(logits.astype("float64"))
    expected = np_binary_focal(t, p, gamma=gamma, balance=balance)
    for y_pred, from_logits in ((logits, True), (p.astype("float32"), False)):
        out = to_np(F.binary_focal_crossentropy(
            t, y_pred, apply_class_balancing=balance, gamma=gamma,
            from_logits=from_logits))
        np.testing.assert_allclose(out, expected, rtol=1e-4)
    if gamma == 0.0 and not balance:  # plain crossentropy
        np.testing.assert_allclose(expected, np_bce(t, p), rtol=1e-5)


def test_categorical_focal_crossentropy():
    logits = RNG.normal(size=(6, 4)).astype("float32")
    t = one_hot(RNG.integers(0, 4, 6), 4)
    p = softmax(logits.astype("float64"))
    expected = np_categorical_focal(t, p)
    for y_pred, from_logits in ((logits, True), (p.astype("float32"), False)):
        np.testing.assert_allclose(to_np(F.categorical_focal_crossentropy(
            t, y_pred, from_logits=from_logits)), expected, rtol=1e-4)


def test_rank_one_targets_do_not_broadcast_against_column_predictions():
    t = np.array([0.0, 1.0, 2.0], "float32")
    p = np.array([[0.5], [1.0], [1.0]], "float32")
    out = to_np(F.mean_squared_error(t, p))
    np.testing.assert_allclose(out, [0.25, 0.0, 1.0])
    out = to_np(F.binary_crossentropy(np.array([1.0, 0.0]),
                                      np.array([[0.9], [0.1]], "float32")))
    np.testing.assert_allclose(out, -np.log([0.9, 0.9]), rtol=1e-5)


def test_integer_targets_are_cast_to_prediction_dtype():
    out = F.mean_absolute_error(np.array([[1, 2]]), np.array([[1.5, 2.5]],
                                                            "float32"))
    assert ops.dtype(out) == "float32"
    np.testing.assert_allclose(to_np(out), [0.5])


def test_float64_inputs_compute_in_float64():
    if ops.dtype(ops.convert_to_tensor(np.zeros(1))) != "float64":
        pytest.skip("this backend is configured without float64")
    out = F.mean_squared_error(np.ones((2, 2)), np.zeros((2, 2)))
    assert ops.dtype(out) == "float64"
