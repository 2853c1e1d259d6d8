"""The backend's fused RNN kernels (torch) give the generic loop's outputs
and gradients, and run only where they can (others fall back)."""

import numpy as np
import pytest

from lamina import ops
from lamina.layers.recurrent import GRU, LSTM, SimpleRNN
from lamina.ops._bind import B

pytestmark = pytest.mark.skipif(
    getattr(B, "lstm", None) is None,
    reason=f"backend '{B.name}' has no fused RNN kernels")

rng = np.random.default_rng(6)
X = rng.normal(size=(3, 5, 4))
RIGHT_PADDED = np.array([[1] * 5, [1] * 2 + [0] * 3, [1] * 4 + [0]], bool)
HOLES = np.array([[1, 0, 1, 1, 1], [0, 0, 1, 1, 1], [1] * 5], bool)
KINDS = {"lstm": LSTM, "gru": GRU, "simple_rnn": SimpleRNN}
CONFIGS = [
    {},
    {"return_sequences": True, "go_backwards": True},
    {"return_sequences": True, "return_state": True, "mask": RIGHT_PADDED},
    {"return_sequences": True, "zero_output_for_mask": True,
     "mask": RIGHT_PADDED},
    {"return_sequences": True, "go_backwards": True, "mask": RIGHT_PADDED},
    {"return_state": True, "initial_state": True},
]


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


class Counter:
    """Wraps a backend kernel, counting the calls it handled."""

    def __init__(self, monkeypatch, name):
        self.handled = self.declined = 0
        inner = getattr(B, name)

        def wrapped(*args, **kwargs):
            out = inner(*args, **kwargs)
            if out is None:
                self.declined += 1
            else:
                self.handled += 1
            return out
        monkeypatch.setattr(B, name, wrapped)


def _projection(out):
    shape = tuple(ops.shape(out))
    return np.cos(np.arange(int(np.prod(shape)))).reshape(shape)


def _pair(kind, **kwargs):
    fused = KINDS[kind](3, dtype="float64", bias_initializer="normal",
                        **kwargs)
    loop = KINDS[kind](3, dtype="float64", use_cudnn=False, **kwargs)
    fused(X)
    loop(X)
    loop.set_weights(fused.get_weights())
    return fused, loop


def _outputs_and_grads(layer, config):
    x = B.Variable(X, dtype="float64", name="x")
    call = {}
    if config.get("mask") is not None:
        call["mask"] = config["mask"]
    if config.get("initial_state"):
        units = layer.units
        count = 2 if isinstance(layer, LSTM) else 1
        call["initial_state"] = [np.full((3, units), 0.1 * (i + 1))
                                 for i in range(count)]
    weights = list(layer.trainable_weights)

    def loss():
        out = layer(x.value, **call)
        outs = out if isinstance(out, list) else [out]
        total = sum(ops.sum(ops.multiply(o, _projection(o))) for o in outs)
        return total, [_np(o) for o in outs]

    (_, outs), grads = B.value_and_grad(loss, [x] + weights)
    return outs, [_np(g) for g in grads]


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("index", range(len(CONFIGS)))
def test_fused_equals_loop(monkeypatch, kind, index):
    config = dict(CONFIGS[index])
    layer_kwargs = {k: v for k, v in config.items()
                    if k not in ("mask", "initial_state")}
    fused, loop = _pair(kind, **layer_kwargs)
    counter = Counter(monkeypatch, kind)
    fused_outs, fused_grads = _outputs_and_grads(fused, config)
    assert counter.handled == 1 and counter.declined == 0
    loop_outs, loop_grads = _outputs_and_grads(loop, config)
    assert counter.handled == 1  # use_cudnn=False never calls it
    for a, b in zip(fused_outs, loop_outs):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)
    for a, b in zip(fused_grads, loop_grads):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_mask_with_holes_falls_back_to_the_loop(monkeypatch, kind):
    fused, loop = _pair(kind, return_sequences=True)
    counter = Counter(monkeypatch, kind)
    got = _np(fused(X, mask=HOLES))
    assert counter.declined == 1 and counter.handled == 0
    np.testing.assert_allclose(got, _np(loop(X, mask=HOLES)), rtol=1e-12)


def test_what_the_kernels_cannot_express_uses_the_loop(monkeypatch):
    counters = {k: Counter(monkeypatch, k) for k in KINDS}
    for layer in (LSTM(2, activation="relu"), GRU(2, reset_after=False),
                  GRU(2, recurrent_activation="hard_sigmoid"),
                  SimpleRNN(2, activation="relu")):
        layer(X.astype("float32"))
    layer = LSTM(2, recurrent_dropout=0.5)
    layer(X.astype("float32"), training=True)
    assert sum(c.handled for c in counters.values()) == 0
    LSTM(2, recurrent_dropout=0.5)(X.astype("float32"), training=False)
    assert counters["lstm"].handled == 1


def test_input_dropout_in_training_matches_the_loop(monkeypatch):
    fused = LSTM(3, dtype="float64", dropout=0.4, seed=11,
                 return_sequences=True)
    loop = LSTM(3, dtype="float64", dropout=0.4, seed=11,
                return_sequences=True, use_cudnn=False)
    fused(X)
    loop(X)
    loop.set_weights(fused.get_weights())
    counter = Counter(monkeypatch, "lstm")
    got = _np(fused(X, training=True))
    assert counter.handled == 1
    np.testing.assert_allclose(got, _np(loop(X, training=True)),
                               rtol=1e-10, atol=1e-12)
