"""Random primitives of every backend: shapes, dtypes, ranges, statistics
and seeded repeatability (values may differ between backends)."""

import numpy as np
import pytest

from lamina import backend
from lamina.backend.common import scope as scope_lib
from lamina.backend.common.seed import SeedGenerator

NAMES = ("torch", "jax", "numpy")


@pytest.fixture(params=NAMES)
def B(request):
    return backend.get(request.param)


def _np(B, x):
    return np.asarray(B.convert_to_numpy(x))


def test_normal(B):
    x = B.random.normal((200, 50), mean=2.0, stddev=3.0, seed=1)
    assert B.shape(x) == (200, 50) and B.dtype(x) == "float32"
    values = _np(B, x)
    assert abs(values.mean() - 2.0) < 0.1 and abs(values.std() - 3.0) < 0.1
    assert B.dtype(B.random.normal((2,), dtype="float64", seed=1)) \
        == "float64"


def test_uniform(B):
    values = _np(B, B.random.uniform((10000,), -2.0, 3.0, seed=2))
    assert values.dtype == np.float32
    assert values.min() >= -2.0 and values.max() < 3.0
    assert abs(values.mean() - 0.5) < 0.05


def test_truncated_normal(B):
    values = _np(B, B.random.truncated_normal((10000,), 1.0, 0.5, seed=3))
    assert values.min() >= 0.0 and values.max() <= 2.0
    # The standard normal cut at +-2 has std 0.8796.
    assert abs(values.std() - 0.5 * 0.8796) < 0.02


def test_randint(B):
    x = B.random.randint((5000,), 3, 7, seed=4)
    assert B.dtype(x) == "int32"
    assert set(np.unique(_np(B, x))) == {3, 4, 5, 6}
    assert B.dtype(B.random.randint((2,), 0, 2, dtype="int64", seed=4)) \
        == "int64"


def test_dropout(B):
    x = B.ones((200, 100))
    values = _np(B, B.random.dropout(x, 0.25, seed=5))
    assert set(np.unique(values)) <= {0.0, np.float32(1 / 0.75)}
    assert abs((values == 0).mean() - 0.25) < 0.02
    assert B.dtype(B.random.dropout(x, 0.25, seed=5)) == "float32"


def test_dropout_noise_shape_broadcasts(B):
    x = B.ones((8, 50))
    values = _np(B, B.random.dropout(x, 0.5, noise_shape=(1, 50), seed=6))
    assert (values == values[:1]).all()  # one mask for every row
    values = _np(B, B.random.dropout(x, 0.5, noise_shape=(None, 1),
                                     seed=6))
    assert (values == values[:, :1]).all()


def test_shuffle_permutes_along_axis(B):
    x = B.reshape(B.arange(40), (10, 4))
    out = _np(B, B.random.shuffle(x, seed=7))
    assert sorted(map(tuple, out)) == sorted(map(tuple, _np(B, x)))
    out = _np(B, B.random.shuffle(x, axis=1, seed=7))
    assert (np.sort(out, 1) == _np(B, x)).all()


def test_categorical(B):
    logits = B.convert_to_tensor([[0.0, 0.0, 0.0], [-50.0, 50.0, -50.0]])
    out = B.random.categorical(logits, 2000, seed=8)
    assert B.shape(out) == (2, 2000) and B.dtype(out) == "int32"
    values = _np(B, out)
    assert set(np.unique(values[0])) == {0, 1, 2}
    assert (values[1] == 1).all()
    counts = np.bincount(values[0], minlength=3) / 2000
    assert np.allclose(counts, 1 / 3, atol=0.05)


def test_int_seed_repeats(B):
    for fn in (lambda s: B.random.normal((5,), seed=s),
               lambda s: B.random.uniform((5,), seed=s),
               lambda s: B.random.randint((5,), 0, 100, seed=s),
               lambda s: B.random.dropout(B.ones((5,)), 0.5, seed=s)):
        assert (_np(B, fn(11)) == _np(B, fn(11))).all()
        assert not (_np(B, fn(11)) == _np(B, fn(12))).all()


def test_seed_generator_is_a_repeatable_stream(B):
    a, b = SeedGenerator(21), SeedGenerator(21)
    first = _np(B, B.random.normal((6,), seed=a))
    second = _np(B, B.random.normal((6,), seed=a))
    assert not np.allclose(first, second)
    assert (_np(B, B.random.normal((6,), seed=b)) == first).all()
    assert (_np(B, B.random.normal((6,), seed=b)) == second).all()


def test_global_seed_repeats(B):
    B.random.set_global_seed(31)
    first = _np(B, B.random.uniform((6,)))
    second = _np(B, B.random.uniform((6,)))
    B.random.set_global_seed(31)
    assert (_np(B, B.random.uniform((6,))) == first).all()
    assert not np.allclose(first, second)


def test_bad_seed_is_rejected():
    for name in ("jax", "numpy"):
        with pytest.raises(TypeError, match="seed"):
            backend.get(name).random.normal((2,), seed="x")


def test_jax_seed_state_is_a_uint32_key_variable():
    J = backend.get("jax")
    seed = SeedGenerator(5)
    J.random.normal((2,), seed=seed)
    state = seed.backend_state
    assert isinstance(state, J.Variable)
    assert state.shape == (2,) and state.dtype == "uint32"
    assert not state.trainable


def test_jax_seed_key_is_recorded_in_a_stateless_scope():
    import jax
    J = backend.get("jax")
    seed = SeedGenerator(9)
    state = J.random.seed_variable(seed)
    before = state.numpy()

    @jax.jit
    def step(key):
        with scope_lib.StatelessScope([(state, key)]) as scope:
            x = J.random.uniform((4,), seed=seed)
            return x, scope.get(state)
    x1, key1 = step(state.value)
    x2, key2 = step(key1)
    assert (state.numpy() == before).all()  # stored key untouched
    assert not np.allclose(np.asarray(x1), np.asarray(x2))
    assert not (np.asarray(key1) == np.asarray(key2)).all()
    # The same draw, eagerly, from the same stored key.
    eager = J.random.uniform((4,), seed=seed)
    np.testing.assert_array_equal(np.asarray(eager), np.asarray(x1))
    assert (state.numpy() == np.asarray(key1)).all()


def test_backend_state_of_another_backend_is_replaced():
    seed = SeedGenerator(3)
    backend.get("jax").random.normal((2,), seed=seed)
    out = backend.get("numpy").random.normal((2,), seed=seed)
    assert out.shape == (2,)
    assert isinstance(seed.backend_state, np.random.Generator)
