import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.layers import Input
from lamina.layers.recurrent import GRU, LSTM, Bidirectional, SimpleRNN
from lamina.testing import check_gradients, run_layer_test

rng = np.random.default_rng(4)
X = rng.normal(size=(2, 5, 3)).astype("float32")
MASK = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _manual(layer, x, mask=None, **kwargs):
    """The two directions run by hand with the wrapper's weights."""
    cls = type(layer.forward_layer)
    forward = cls(**{**kwargs, "return_sequences": True})
    backward = cls(**{**kwargs, "return_sequences": True,
                      "go_backwards": True})
    forward(x)
    backward(x)
    weights = layer.get_weights()
    forward.set_weights(weights[:len(weights) // 2])
    backward.set_weights(weights[len(weights) // 2:])
    return _np(forward(x, mask=mask)), _np(backward(x, mask=mask))[:, ::-1]


def test_bidirectional_standard_checks():
    # Gradients are checked below: the float64 copy run_layer_test makes
    # would wrap this float32 LSTM.
    run_layer_test(Bidirectional, {"layer": LSTM(3)}, input_shape=(2, 4, 5),
                   expected_output_shape=(2, 6), expected_num_weights=6,
                   check_grads=False)


@pytest.mark.requires_training
def test_gradients_match_finite_differences():
    layer = Bidirectional(GRU(3, dtype="float64", return_sequences=True),
                          merge_mode="mul", dtype="float64")
    x = X.astype("float64")
    layer(x)
    check_gradients(layer, x)


@pytest.mark.parametrize("mode, merge", [
    ("concat", lambda a, b: np.concatenate([a, b], -1)),
    ("sum", lambda a, b: a + b), ("mul", lambda a, b: a * b),
    ("ave", lambda a, b: (a + b) / 2)])
def test_merge_modes_equal_two_manual_runs(mode, merge):
    layer = Bidirectional(GRU(4, return_sequences=True), merge_mode=mode)
    got = _np(layer(X))
    forward, backward = _manual(layer, X, units=4)
    np.testing.assert_allclose(got, merge(forward, backward), rtol=1e-5,
                               atol=1e-6)


def test_merge_none_returns_both():
    layer = Bidirectional(SimpleRNN(3), merge_mode=None)
    forward, backward = layer(X)
    want_f, want_b = _manual(layer, X, units=3)
    np.testing.assert_allclose(_np(forward), want_f[:, -1], rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(_np(backward), want_b[:, 0], rtol=1e-5,
                               atol=1e-6)


def test_masked_sequences_output_zeros_at_padding():
    layer = Bidirectional(LSTM(3, return_sequences=True))
    got = _np(layer(X, mask=MASK))
    assert np.all(got[0, 3:] == 0)
    forward, backward = _manual(layer, X, MASK, units=3,
                                zero_output_for_mask=True)
    np.testing.assert_allclose(got, np.concatenate([forward, backward], -1),
                               rtol=1e-5, atol=1e-6)
    # The padded sample equals its unpadded prefix run alone.
    alone = _np(layer(X[:1, :3]))
    np.testing.assert_allclose(got[:1, :3], alone, rtol=1e-5, atol=1e-6)


def test_return_state():
    layer = Bidirectional(LSTM(3, return_state=True))
    out, fh, _fc, bh, bc = layer(X)
    assert tuple(out.shape) == (2, 6) and tuple(bc.shape) == (2, 3)
    np.testing.assert_allclose(_np(out), np.concatenate(
        [_np(fh), _np(bh)], -1), rtol=1e-6)
    assert layer.compute_output_shape((2, 5, 3)) == [
        (2, 6), (2, 3), (2, 3), (2, 3), (2, 3)]
    sym = Bidirectional(GRU(2, return_state=True))(Input(shape=(5, 3)))
    assert [s.shape for s in sym] == [(None, 4), (None, 2), (None, 2)]


def test_in_a_model_with_masks():
    inp = Input(shape=(5,), dtype="int32")
    from lamina.layers.recurrent import Embedding
    x = Embedding(9, 3, mask_zero=True)(inp)
    x = Bidirectional(GRU(2))(x)
    model = lamina.Model(inp, x)
    tokens = np.array([[1, 2, 3, 0, 0]], "int32")
    embedded = model.layers[1](tokens[:, :3])
    np.testing.assert_allclose(model.predict(tokens, verbose=0),
                               _np(model.layers[2](embedded)), rtol=1e-5,
                               atol=1e-6)


def test_custom_backward_layer_and_config():
    layer = Bidirectional(LSTM(3, return_sequences=True),
                          backward_layer=LSTM(3, activation="relu",
                                              return_sequences=True,
                                              go_backwards=True))
    layer(X)
    assert layer.backward_layer.activation.__name__ == "relu"
    assert layer.forward_layer.name.startswith("forward_")
    clone = Bidirectional.from_config(layer.get_config())
    clone(X)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(_np(clone(X)), _np(layer(X)), rtol=1e-6)


def test_bad_arguments():
    with pytest.raises(ValueError, match="merge_mode"):
        Bidirectional(LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="go_backwards"):
        Bidirectional(LSTM(2), backward_layer=LSTM(2))
    with pytest.raises(ValueError, match="return_sequences"):
        Bidirectional(LSTM(2), backward_layer=LSTM(
            2, go_backwards=True, return_sequences=True))
    with pytest.raises(ValueError, match="Layer"):
        Bidirectional("lstm")
