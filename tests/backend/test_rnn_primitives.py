"""`scan` gives NumPy's results on torch and jax, pytrees included.

NumPy's `scan` is the reference; the cases here also check it against
plain Python loops written in the test.
"""

import numpy as np
import pytest

from lamina import backend

NAMES = ("numpy", "torch", "jax")
rng = np.random.default_rng(0)
XS = rng.standard_normal((5, 3)).astype("float32")
YS = rng.standard_normal((5, 2)).astype("float32")


def _np(b, tree):
    if isinstance(tree, (list, tuple)):
        return type(tree)(_np(b, v) for v in tree)
    if isinstance(tree, dict):
        return {k: _np(b, v) for k, v in tree.items()}
    return None if tree is None else np.asarray(b.convert_to_numpy(tree))


def _cumsum(b):
    def f(carry, x):
        carry = b.add(carry, x)
        return carry, b.multiply(carry, 2.0)
    return f


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("reverse", [False, True])
def test_scan_carry_and_stacked_outputs(name, reverse):
    b = backend.get(name)
    carry, ys = b.scan(_cumsum(b), b.zeros((3,)), b.convert_to_tensor(XS),
                       reverse=reverse)
    order = XS[::-1] if reverse else XS
    want = np.cumsum(order, axis=0) * 2
    if reverse:
        want = want[::-1]  # ys[i] belongs to xs[i]
    np.testing.assert_allclose(_np(b, carry), XS.sum(0), rtol=1e-5)
    np.testing.assert_allclose(_np(b, ys), want, rtol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_scan_pytrees(name):
    b = backend.get(name)

    def f(carry, x):
        a, rest = carry["a"], carry["rest"]
        first, second = x
        new = {"a": b.add(a, b.sum(first)), "rest": (b.add(rest[0], second),)}
        return new, {"out": b.multiply(first, 1.0), "none": None}

    init = {"a": b.zeros(()), "rest": (b.zeros((2,)),)}
    carry, ys = b.scan(f, init, (b.convert_to_tensor(XS),
                                 b.convert_to_tensor(YS)))
    got = _np(b, carry)
    np.testing.assert_allclose(got["a"], XS.sum(), rtol=1e-5)
    np.testing.assert_allclose(got["rest"][0], YS.sum(0), rtol=1e-5)
    np.testing.assert_allclose(_np(b, ys["out"]), XS, rtol=1e-6)
    assert ys["none"] is None


@pytest.mark.parametrize("name", NAMES)
def test_scan_without_xs_uses_length(name):
    b = backend.get(name)

    def f(carry, x):
        assert x is None
        return b.multiply(carry, 2.0), carry

    carry, ys = b.scan(f, b.ones((2,)), length=4)
    np.testing.assert_allclose(_np(b, carry), [16.0, 16.0])
    np.testing.assert_allclose(_np(b, ys)[:, 0], [1.0, 2.0, 4.0, 8.0])


@pytest.mark.parametrize("name", NAMES)
def test_scan_same_as_numpy_on_an_rnn_step(name):
    """A tanh RNN step, the way the recurrent layers use scan."""
    ref, b = backend.get("numpy"), backend.get(name)
    w = rng.standard_normal((3, 4)).astype("float32")
    u = rng.standard_normal((4, 4)).astype("float32")

    def run(m):
        wt, ut = m.convert_to_tensor(w), m.convert_to_tensor(u)

        def f(h, x):
            h = m.tanh(m.add(m.matmul(x, wt), m.matmul(h, ut)))
            return h, h
        xs = m.convert_to_tensor(rng_xs)
        return m.scan(f, m.zeros((2, 4)), xs, unroll=2)

    rng_xs = rng.standard_normal((6, 2, 3)).astype("float32")
    want_h, want_ys = run(ref)
    got_h, got_ys = run(b)
    np.testing.assert_allclose(_np(b, got_h), want_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(b, got_ys), want_ys, rtol=1e-5,
                               atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_scan_needs_xs_or_length(name):
    b = backend.get(name)
    with pytest.raises(ValueError, match="length"):
        b.scan(lambda c, x: (c, None), b.zeros(()))


def test_jax_scan_under_jit_is_lax_scan_and_matches_numpy():
    """Eager JAX calls loop in Python; traced ones compile `lax.scan`."""
    jax = pytest.importorskip("jax")
    b, ref = backend.get("jax"), backend.get("numpy")
    want_carry, want_ys = ref.scan(_cumsum(ref), ref.zeros((3,)), XS,
                                   reverse=True)

    @jax.jit
    def run(xs):
        return b.scan(_cumsum(b), b.zeros((3,)), xs, reverse=True)

    jaxpr = jax.make_jaxpr(run)(XS)
    assert "scan" in str(jaxpr)
    carry, ys = run(XS)
    np.testing.assert_allclose(np.asarray(carry), want_carry, rtol=1e-5)
    np.testing.assert_allclose(np.asarray(ys), want_ys, rtol=1e-5)
