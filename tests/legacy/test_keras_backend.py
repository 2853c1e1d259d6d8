"""`lamina.legacy.keras_backend` (Keras 1/2's `K`) against NumPy."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.legacy import arguments
from lamina.legacy import keras_backend as K

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4, 5)).astype("float32")
P = RNG.uniform(0.1, 2.0, size=(3, 4)).astype("float32")


def close(got, want, atol=1e-5):
    np.testing.assert_allclose(K.eval(got), want, rtol=1e-5, atol=atol)


# -- reductions and elementwise math ------------------------------------

@pytest.mark.parametrize("name, kwargs", [
    ("mean", {}), ("mean", {"axis": 1}), ("mean", {"axis": [0, 2]}),
    ("sum", {"axis": -1, "keepdims": True}), ("max", {"axis": 0}),
    ("min", {"axis": (1, 2)}), ("prod", {"axis": 2}), ("std", {"axis": 1}),
    ("var", {"axis": None}),
])
def test_reductions(name, kwargs):
    axis = kwargs.get("axis")
    ref = getattr(np, name)(X, axis=tuple(axis) if isinstance(axis, list)
                            else axis, keepdims=kwargs.get("keepdims", False))
    close(getattr(K, name)(X, **kwargs), ref, atol=1e-4)


def test_any_all_argmax_argmin():
    b = X > 0.5
    close(K.any(b, axis=1), b.any(axis=1))
    close(K.all(X > -5, axis=None), (X > -5).all())
    close(K.argmax(X), X.argmax(-1))
    close(K.argmin(X, axis=0), X.argmin(0))
    close(K.mean(b), b.mean())  # booleans average as floats


@pytest.mark.parametrize("name, ref", [
    ("square", np.square), ("exp", np.exp), ("abs", np.abs),
    ("sign", np.sign), ("sin", np.sin), ("cos", np.cos),
    ("sigmoid", lambda x: 1 / (1 + np.exp(-x))), ("tanh", np.tanh),
    ("softplus", lambda x: np.log1p(np.exp(x))),
    ("softsign", lambda x: x / (1 + np.abs(x))),
    ("hard_sigmoid", lambda x: np.clip(0.2 * x + 0.5, 0, 1)),
    ("elu", lambda x: np.where(x > 0, x, np.exp(x) - 1)),
    ("sqrt", lambda x: np.sqrt(np.maximum(x, 0))),
])
def test_unary(name, ref):
    close(getattr(K, name)(X), ref(X))


def test_log_pow_round_maximum_minimum():
    close(K.log(P), np.log(P))
    close(K.pow(P, 3), P ** 3, atol=1e-4)
    close(K.round(np.array([0.5, 1.5, 2.5, -0.5, 0.4])),
          [0.0, 2.0, 2.0, -0.0, 0.0])
    close(K.maximum(X, 0.2), np.maximum(X, 0.2))
    close(K.minimum(X, P[:, :, None]), np.minimum(X, P[:, :, None]))


def test_clip_and_relu_variants():
    close(K.clip(X, -0.5, 0.5), np.clip(X, -0.5, 0.5))
    close(K.clip(X, 0.3, 0.1), np.full_like(X, 0.3))  # max below min
    close(K.clip(X, None, 0.0), np.minimum(X, 0.0))
    close(K.relu(X), np.maximum(X, 0))
    close(K.relu(X, alpha=0.1), np.where(X > 0, X, 0.1 * X))
    close(K.relu(X, max_value=0.5), np.clip(X, 0, 0.5))
    close(K.relu(X, threshold=0.2), np.where(X >= 0.2, X, 0.0))


def test_softmax_and_l2_normalize():
    e = np.exp(X - X.max(-1, keepdims=True))
    close(K.softmax(X), e / e.sum(-1, keepdims=True))
    close(K.softmax(X, axis=1), np.exp(X) / np.exp(X).sum(1, keepdims=True))
    close(K.l2_normalize(X, axis=-1),
          X / np.sqrt((X ** 2).sum(-1, keepdims=True)))
    close(K.l2_normalize(X), X / np.sqrt((X ** 2).sum()))


def test_comparisons_and_cumulative():
    close(K.greater(X, 0), X > 0)
    close(K.less_equal(X, 0), X <= 0)
    close(K.equal(K.round(P), np.round(P)), np.ones_like(P, bool))
    close(K.cumsum(P, axis=1), np.cumsum(P, 1))
    close(K.cumprod(P, axis=0), np.cumprod(P, 0))
    close(K.logsumexp(X, axis=1), np.log(np.exp(X).sum(1)))


# -- shapes ----------------------------------------------------------------

def test_shape_functions():
    sym = lamina.Input(shape=(4, 5))
    v = K.variable(np.zeros((2, 3)))
    assert K.int_shape(sym) == (None, 4, 5)
    assert K.int_shape(v) == (2, 3)
    assert K.int_shape(ops.convert_to_tensor(X)) == (3, 4, 5)
    assert K.shape(X) == (3, 4, 5) and K.ndim(X) == 3 and K.ndim(v) == 2
    assert K.dtype(v) == "float32" and K.dtype(sym) == "float32"
    assert K.dtype(K.cast(X, "int32")) == "int32"
    assert K.cast_to_floatx([1, 2]).dtype == np.float32
    assert K.is_keras_tensor(sym) and not K.is_keras_tensor(X)
    assert K.count_params(v) == 6


def test_reshaping():
    close(K.reshape(X, (3, -1)), X.reshape(3, -1))
    close(K.permute_dimensions(X, (2, 0, 1)), X.transpose(2, 0, 1))
    close(K.transpose(X), X.T)
    close(K.expand_dims(P), P[..., None])
    close(K.squeeze(P[:, None], 1), P)
    close(K.flatten(X), X.ravel())
    close(K.batch_flatten(X), X.reshape(3, 20))
    close(K.concatenate([X, X * 2]), np.concatenate([X, X * 2], -1))
    close(K.stack([P, P], axis=1), np.stack([P, P], 1))
    close(K.repeat(P, 2), np.repeat(P[:, None, :], 2, axis=1))
    close(K.repeat_elements(P, 3, axis=1), np.repeat(P, 3, axis=1))
    close(K.tile(P, (2, 1)), np.tile(P, (2, 1)))
    close(K.reverse(X, axes=[0, 2]), X[::-1, :, ::-1])
    close(K.slice(X, (1, 0, 2), (2, 4, 2)), X[1:3, :, 2:4])
    close(K.gather(P, [2, 0]), P[[2, 0]])
    close(K.one_hot(np.array([0, 2]), 3), np.eye(3)[[0, 2]])
    close(K.arange(2, 8, 2), np.arange(2, 8, 2))
    close(K.temporal_padding(X, (1, 2)),
          np.pad(X, ((0, 0), (1, 2), (0, 0))))
    image = X[..., None]
    close(K.spatial_2d_padding(image, ((1, 0), (0, 2)), "channels_last"),
          np.pad(image, ((0, 0), (1, 0), (0, 2), (0, 0))))
    close(K.zeros_like(P), np.zeros_like(P))
    close(K.ones_like(P), np.ones_like(P))
    with pytest.raises(ValueError, match="2-D"):
        K.repeat(X, 2)


# -- products -----------------------------------------------------------

def test_dot_follows_theano_semantics():
    a = RNG.normal(size=(2, 3)).astype("float32")
    b = RNG.normal(size=(4, 3, 5)).astype("float32")
    out = K.dot(a, b)
    assert K.int_shape(out) == (2, 4, 5)
    close(out, np.dot(a, b))
    c = RNG.normal(size=(5, 6)).astype("float32")
    close(K.dot(X, c), np.dot(X, c))


def test_batch_dot_documented_examples():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = np.array([[5.0, 6.0], [7.0, 8.0]])
    close(K.batch_dot(x, y, axes=1), [[17.0], [53.0]])
    out = K.batch_dot(K.ones((32, 20, 1)), K.ones((32, 30, 20)), axes=(1, 2))
    assert K.int_shape(out) == (32, 1, 30)
    assert K.int_shape(K.batch_dot(np.ones((100, 20)), np.ones((100, 30, 20)),
                                   axes=(1, 2))) == (100, 30)


@pytest.mark.parametrize("x_shape, y_shape, axes, subscripts", [
    ((4, 3), (4, 3), None, "bi,bi->b"),
    ((4, 2, 3), (4, 3, 5), None, "bij,bjk->bik"),
    ((4, 2, 3), (4, 5, 3), (2, 2), "bij,bkj->bik"),
    ((4, 3, 2), (4, 3), 1, "bij,bi->bj"),
    ((4, 2, 3, 6), (4, 6, 5), (-1, 1), "bijk,bkl->bijl"),
])
def test_batch_dot_matches_einsum(x_shape, y_shape, axes, subscripts):
    x = RNG.normal(size=x_shape).astype("float32")
    y = RNG.normal(size=y_shape).astype("float32")
    ref = np.einsum(subscripts, x, y)
    if ref.ndim == 1:
        ref = ref[:, None]
    close(K.batch_dot(x, y, axes=axes), ref, atol=1e-4)


def test_batch_dot_errors():
    with pytest.raises(ValueError, match="batch axis"):
        K.batch_dot(np.ones((2, 3)), np.ones((2, 3)), axes=0)
    with pytest.raises(ValueError, match="same size"):
        K.batch_dot(np.ones((2, 3)), np.ones((2, 4)), axes=1)


# -- losses -----------------------------------------------------------------

def test_crossentropies_take_target_first():
    eps = K.epsilon()
    t = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], "float32")
    p = np.array([[0.6, 0.3, 0.3], [0.2, 0.2, 0.6]], "float32")
    pn = p / p.sum(-1, keepdims=True)
    close(K.categorical_crossentropy(t, p), -(t * np.log(pn)).sum(-1))
    logits = np.log(pn) + 1.0
    close(K.categorical_crossentropy(t, logits, from_logits=True),
          -(t * np.log(pn)).sum(-1))
    close(K.sparse_categorical_crossentropy(np.array([0, 1]), p),
          -np.log(pn[[0, 1], [0, 1]]))
    close(K.categorical_crossentropy(target=t, output=p),
          -(t * np.log(pn)).sum(-1))
    q = np.clip(p, eps, 1 - eps)
    close(K.binary_crossentropy(t, p),
          -(t * np.log(q) + (1 - t) * np.log(1 - q)))
    z = RNG.normal(size=(2, 3)).astype("float32")
    s = 1 / (1 + np.exp(-z))
    close(K.binary_crossentropy(t, z, from_logits=True),
          -(t * np.log(s) + (1 - t) * np.log(1 - s)), atol=1e-5)


# -- random -------------------------------------------------------------

def test_random_functions():
    n = K.eval(K.random_normal((2000,), mean=1.0, stddev=0.5, seed=3))
    assert n.shape == (2000,) and n.dtype == np.float32
    assert abs(n.mean() - 1.0) < 0.1 and abs(n.std() - 0.5) < 0.1
    u = K.eval(K.random_uniform((500,), minval=-2.0, maxval=-1.0))
    assert u.min() >= -2.0 and u.max() < -1.0
    b = K.eval(K.random_binomial((500,), p=0.3))
    assert set(np.unique(b)) <= {0.0, 1.0} and 0.15 < b.mean() < 0.45
    t = K.eval(K.truncated_normal((500,), stddev=2.0))
    assert np.abs(t).max() <= 4.0 + 1e-5
    # A seed gives a stream: new numbers on each call, as in Keras 2.
    first = K.eval(K.random_uniform((5,), seed=11))
    assert not np.allclose(first, K.eval(K.random_uniform((5,), seed=11)))


def test_random_keras1_keywords_warn_and_work():
    arguments._warned.difference_update(
        {"K.random_normal.std", "K.random_uniform.low",
         "K.random_uniform.high"})
    with pytest.warns(DeprecationWarning, match="stddev"):
        n = K.eval(K.random_normal((1000,), mean=0.0, std=3.0))
    assert 2.5 < n.std() < 3.5
    with pytest.warns(DeprecationWarning, match="minval"):
        u = K.eval(K.random_uniform((100,), low=5.0, high=6.0))
    assert u.min() >= 5.0 and u.max() < 6.0


def test_dropout_scales_kept_values():
    out = K.eval(K.dropout(np.ones((40, 50), "float32"), 0.25))
    kept = out[out != 0]
    np.testing.assert_allclose(kept, 1 / 0.75, rtol=1e-6)
    assert 0.15 < 1 - kept.size / out.size < 0.35
