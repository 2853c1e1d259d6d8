"""The generic `RNN` layer: user cells, stacking, states, masks."""

import numpy as np
import pytest
from rnn_reference import run

import lamina
from lamina import ops
from lamina.layers import Dense, Input
from lamina.layers.layer import Layer
from lamina.layers.recurrent import (
    GRU,
    LSTM,
    RNN,
    Embedding,
    GRUCell,
    LSTMCell,
    Masking,
    SimpleRNN,
    StackedRNNCells,
)
from lamina.ops._bind import B

rng = np.random.default_rng(3)
X = rng.normal(size=(2, 5, 3)).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


class MinimalCell:
    """A cell that is not a Layer: h = tanh(x @ W + h @ U)."""

    def __init__(self, w, u):
        self.w, self.u = w, u
        self.state_size = u.shape[0]

    def call(self, inputs, states):
        h = ops.tanh(ops.add(ops.matmul(inputs, self.w),
                             ops.matmul(states[0], self.u)))
        return h, [h]


class TwoOutputCell(Layer):
    """A Layer cell with an output size different from its state size."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.state_size = [2]
        self.output_size = 4

    def call(self, inputs, states, training=None):
        s = ops.add(states[0], ops.sum(inputs, axis=-1, keepdims=True))
        return ops.concatenate([s, s], axis=-1), [s]


def test_plain_object_cell():
    w = rng.normal(size=(3, 4)).astype("float32")
    u = rng.normal(size=(4, 4)).astype("float32") * 0.5
    out = RNN(MinimalCell(w, u), return_sequences=True)(X)
    h, want = np.zeros((2, 4)), []
    for t in range(5):
        h = np.tanh(X[:, t] @ w + h @ u)
        want.append(h)
    np.testing.assert_allclose(_np(out), np.stack(want, 1), rtol=1e-5,
                               atol=1e-6)


def test_output_size_differs_from_state_size():
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    layer = RNN(TwoOutputCell(), return_sequences=True, return_state=True)
    out, state = layer(X, mask=mask)
    assert tuple(out.shape) == (2, 5, 4) and tuple(state.shape) == (2, 2)
    sums = np.cumsum(X.sum(-1) * mask, axis=1)
    np.testing.assert_allclose(_np(out)[..., 0], sums, rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape((2, 5, 3)) == [(2, 5, 4), (2, 2)]


def test_cell_must_have_call_and_state_size():
    with pytest.raises(ValueError, match="state_size"):
        RNN(object())


def test_stacked_cells_equal_two_layers():
    stacked = RNN([LSTMCell(4), GRUCell(3)], return_sequences=True)
    out = stacked(X)
    first = LSTM(4, return_sequences=True)
    second = GRU(3, return_sequences=True)
    first(X)
    second(np.zeros((2, 5, 4), "float32"))
    weights = stacked.get_weights()
    first.set_weights(weights[:3])
    second.set_weights(weights[3:])
    np.testing.assert_allclose(_np(out), _np(second(first(X))), rtol=1e-5,
                               atol=1e-6)
    assert isinstance(stacked.cell, StackedRNNCells)
    clone = RNN.from_config(stacked.get_config())
    clone(X)
    clone.set_weights(weights)
    np.testing.assert_allclose(_np(clone(X)), _np(out), rtol=1e-6)


def test_stacked_cells_return_nested_states():
    layer = RNN([LSTMCell(4), LSTMCell(2)], return_state=True)
    out, first, second = layer(X)
    assert [tuple(s.shape) for s in first] == [(2, 4), (2, 4)]
    assert [tuple(s.shape) for s in second] == [(2, 2), (2, 2)]
    np.testing.assert_allclose(_np(out), _np(second[0]))
    sym = layer(Input(shape=(5, 3)))
    assert sym[0].shape == (None, 2) and sym[1][1].shape == (None, 4)


def test_stateful_carries_states_and_resets():
    layer = SimpleRNN(4, stateful=True, return_sequences=True)
    whole = SimpleRNN(4, return_sequences=True)
    model = lamina.Sequential([Input(batch_shape=(2, None, 3)), layer])
    whole(X)
    whole.set_weights(layer.get_weights())
    want = _np(whole(X))
    first = _np(model(X[:, :2]))
    second = _np(model(X[:, 2:]))
    np.testing.assert_allclose(np.concatenate([first, second], 1), want,
                               rtol=1e-5, atol=1e-6)
    layer.reset_states()
    np.testing.assert_allclose(_np(model(X[:, :2])), want[:, :2],
                               rtol=1e-5, atol=1e-6)
    layer.reset_states([np.ones((2, 4), "float32")])
    np.testing.assert_allclose(_np(layer.states[0].value), np.ones((2, 4)))
    assert layer.states[0] not in layer.weights  # Keras saves no states


def test_stateful_needs_a_batch_size():
    with pytest.raises(ValueError, match="batch"):
        LSTM(3, stateful=True)(Input(shape=(4, 3)))


@pytest.mark.requires_training
def test_stateful_model_trains_across_batches():
    model = lamina.Sequential([Input(batch_shape=(2, 5, 3)),
                               LSTM(4, stateful=True), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.concatenate([X, X])
    history = model.fit(x, np.ones((4, 1), "float32"), batch_size=2,
                        epochs=2, shuffle=False, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    state = _np(model.layers[0].states[0].value)
    assert np.abs(state).sum() > 0


def test_symbolic_initial_state_and_return_state():
    seq = Input(shape=(5, 3))
    h0, c0 = Input(shape=(4,)), Input(shape=(4,))
    out, h, c = LSTM(4, return_state=True)(seq, initial_state=[h0, c0])
    assert out.shape == (None, 4) and c.shape == (None, 4)
    model = lamina.Model([seq, h0, c0], [out, h, c])
    start = [rng.normal(size=(2, 4)).astype("float32") for _ in range(2)]
    got = model.predict([X] + start, verbose=0)
    lstm = model.layers[-1]
    _, (want_h, want_c) = run("lstm", [w.astype("float64")
                                       for w in lstm.get_weights()],
                              X, initial_state=start)
    np.testing.assert_allclose(got[1], want_h, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got[2], want_c, rtol=1e-5, atol=1e-5)


def test_wrong_number_of_initial_states():
    with pytest.raises(ValueError, match="initial_state"):
        LSTM(4)(X, initial_state=[np.zeros((2, 4), "float32")])


def test_masks_travel_from_embedding_through_a_model():
    tokens = np.array([[3, 1, 4, 0, 0], [2, 7, 1, 8, 2]], "int32")
    inp = Input(shape=(5,), dtype="int32")
    embedded = Embedding(10, 3, mask_zero=True)(inp)
    seq = LSTM(4, return_sequences=True)(embedded)
    last = GRU(2)(seq)
    model = lamina.Model(inp, last)
    got = model.predict(tokens, verbose=0)
    emb, lstm, gru = model.layers[1:]
    vectors = _np(emb(tokens))
    for b, length in enumerate([3, 5]):
        unpadded = vectors[b:b + 1, :length]
        want = _np(gru(lstm(unpadded)))
        np.testing.assert_allclose(got[b:b + 1], want, rtol=1e-5, atol=1e-5)


def test_masking_layer_feeds_rnn():
    x = X.copy()
    x[0, 3:] = 0.0
    inp = Input(shape=(5, 3))
    out = SimpleRNN(4)(Masking()(inp))
    model = lamina.Model(inp, out)
    rnn = model.layers[-1]
    np.testing.assert_allclose(model.predict(x, verbose=0)[:1],
                               _np(rnn(x[:1, :3])), rtol=1e-5, atol=1e-6)


def test_compute_mask():
    mask = np.array([[True, False]])
    assert RNN(LSTMCell(2)).compute_mask(X, mask) is None
    assert RNN(LSTMCell(2), return_sequences=True).compute_mask(
        X, mask) is mask
    assert RNN(LSTMCell(2), return_state=True).compute_mask(
        X, mask) == [None, None, None]


def test_unroll_gives_the_same_result():
    rolled, unrolled = LSTM(3, return_sequences=True), LSTM(
        3, return_sequences=True, unroll=True)
    rolled(X)
    unrolled(X)
    unrolled.set_weights(rolled.get_weights())
    np.testing.assert_allclose(_np(unrolled(X)), _np(rolled(X)), rtol=1e-6)


def test_jitted_prediction_equals_eager():
    """On JAX, `predict` runs the loop through `lax.scan` under jit."""
    model = lamina.Sequential([Input(shape=(5, 3)),
                               GRU(4, return_sequences=True),
                               LSTM(2, go_backwards=True)])
    mask_free = model.predict(X, verbose=0)
    eager = _np(model(X))
    np.testing.assert_allclose(mask_free, eager, rtol=1e-5, atol=1e-6)
    assert B.name in ("torch", "jax", "numpy")
