"""Recurrent layers in a compiled loop (`B.compiles_scan`, JAX): each step
projects its own input inside the scan body, and gives the outputs and
gradients of the projection hoisted before the loop, and torch's."""

import numpy as np
import pytest
from rnn_reference import run

from lamina import ops
from lamina.layers.recurrent import GRU, LSTM, ConvLSTM1D, SimpleRNN
from lamina.ops._bind import B

pytestmark = pytest.mark.skipif(
    getattr(B, "compiles_scan", None) is None,
    reason=f"backend '{B.name}' loops in Python (no compiled scan)")

rng = np.random.default_rng(9)
X = rng.normal(size=(3, 5, 4))
HOLES = np.array([[1, 0, 1, 1, 1], [0, 0, 1, 1, 1], [1] * 5], bool)
KINDS = {"lstm": LSTM, "gru": GRU, "simple_rnn": SimpleRNN}
CONFIGS = [
    ({}, {}),
    ({"return_sequences": True, "go_backwards": True}, {}),
    ({"return_sequences": True, "return_state": True}, {"mask": HOLES}),
    ({"return_sequences": True, "dropout": 0.3, "seed": 4},
     {"training": True}),
]


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _projection(out):
    shape = tuple(ops.shape(out))
    return np.cos(np.arange(int(np.prod(shape)))).reshape(shape)


def _outputs_and_grads(layer, x_value, call):
    """Outputs and gradients (input, weights) of a fixed projection of the
    outputs, under the backend's gradient (the values are traced)."""
    x = B.Variable(x_value, dtype="float64", name="x")
    weights = list(layer.trainable_weights)

    def loss():
        out = layer(x.value, **call)
        outs = out if isinstance(out, list) else [out]
        total = sum(ops.sum(ops.multiply(o, _projection(o))) for o in outs)
        return total, outs

    (_, outs), grads = B.value_and_grad(loss, [x] + weights)
    return [_np(o) for o in outs], [_np(g) for g in grads]


def _spy_projections(monkeypatch, layer):
    """Records the rank of every input `layer.cell.project` receives."""
    ranks, inner = [], layer.cell.project

    def project(inputs):
        ranks.append(len(ops.shape(inputs)))
        return inner(inputs)
    monkeypatch.setattr(layer.cell, "project", project)
    return ranks


def _pair(cls, x, **kwargs):
    a = cls(3, dtype="float64", bias_initializer="normal", **kwargs)
    b = cls(3, dtype="float64", **kwargs)
    a(x)
    b(x)
    b.set_weights(a.get_weights())
    return a, b


def test_compiles_scan_is_true_only_for_traced_values():
    import jax
    import jax.numpy as jnp
    assert not B.compiles_scan(jnp.ones(3), [jnp.zeros(2)])
    seen = []
    jax.jit(lambda a: seen.append(B.compiles_scan(jnp.ones(2), [a])) or a)(
        jnp.ones(3))
    assert seen == [True]


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("index", range(len(CONFIGS)))
def test_projection_in_the_loop_equals_hoisted(monkeypatch, kind, index):
    layer_kwargs, call = CONFIGS[index]
    in_loop, hoisted = _pair(KINDS[kind], X, use_cudnn=False,
                             **layer_kwargs)
    ranks = _spy_projections(monkeypatch, in_loop)
    got_outs, got_grads = _outputs_and_grads(in_loop, X, call)
    assert ranks and set(ranks) == {2}  # one (batch, features) step
    monkeypatch.setattr(B, "compiles_scan", lambda *trees: False,
                        raising=True)
    ranks = _spy_projections(monkeypatch, hoisted)
    want_outs, want_grads = _outputs_and_grads(hoisted, X, call)
    assert ranks == [3]  # the whole (batch, time, features) sequence
    for a, b in zip(got_outs, want_outs):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    for a, b in zip(got_grads, want_grads):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_projection_in_the_loop_matches_torch(kind):
    layer = KINDS[kind](3, dtype="float64", bias_initializer="normal",
                        return_sequences=True, return_state=True)
    layer(X)
    outs, _ = _outputs_and_grads(layer, X, {})
    want, finals = run(kind, layer.get_weights(), X)
    np.testing.assert_allclose(outs[0], want, rtol=1e-10, atol=1e-12)
    for got, final in zip(outs[1:], finals):
        np.testing.assert_allclose(got, final, rtol=1e-10, atol=1e-12)


def test_conv_lstm_projection_in_the_loop_equals_hoisted(monkeypatch):
    x = rng.normal(size=(2, 3, 6, 2))
    in_loop, hoisted = _pair(ConvLSTM1D, x, kernel_size=3, padding="same",
                             return_sequences=True)
    got_outs, got_grads = _outputs_and_grads(in_loop, x, {})
    monkeypatch.setattr(B, "compiles_scan", lambda *trees: False)
    want_outs, want_grads = _outputs_and_grads(hoisted, x, {})
    np.testing.assert_allclose(got_outs[0], want_outs[0], rtol=1e-10,
                               atol=1e-12)
    for a, b in zip(got_grads, want_grads):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
