import numpy as np
import pytest
from rnn_reference import run, run_masked

from lamina import ops
from lamina.layers.recurrent import GRU, RNN, GRUCell
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(1)
X = rng.normal(size=(3, 6, 4)).astype("float32")
MASK = np.array([[1] * 6, [1] * 4 + [0] * 2, [1] * 2 + [0] * 4], bool)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _weights(layer):
    return [w.astype("float64") for w in layer.get_weights()]


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def gru_reset_before(x, kernel, recurrent_kernel, bias):
    """NumPy GRU with `reset_after=False` (torch has no such kernel):
    hh = tanh(x W_h + b_h + (r * h) U_h)."""
    u = recurrent_kernel.shape[0]
    h = np.zeros((x.shape[0], u))
    outs = []
    for t in range(x.shape[1]):
        xz, xr, xh = np.split(x[:, t] @ kernel + bias, 3, axis=-1)
        z = _sigmoid(xz + h @ recurrent_kernel[:, :u])
        r = _sigmoid(xr + h @ recurrent_kernel[:, u:2 * u])
        hh = np.tanh(xh + (r * h) @ recurrent_kernel[:, 2 * u:])
        h = z * h + (1 - z) * hh
        outs.append(h)
    return np.stack(outs, axis=1)


def test_gru_standard_checks():
    run_layer_test(GRU, {"units": 3}, input_shape=(2, 4, 5),
                   expected_output_shape=(2, 3), expected_num_weights=3)


def test_gru_reset_before_checks():
    run_layer_test(GRU, {"units": 2, "reset_after": False,
                         "return_sequences": True},
                   input_shape=(2, 3, 4), expected_output_shape=(2, 3, 2))


def test_weights_are_keras_shapes_names_and_order():
    layer = GRU(5)
    layer(X)
    assert [(w.name, w.shape) for w in layer.weights] == [
        ("kernel", (4, 15)), ("recurrent_kernel", (5, 15)), ("bias", (2, 15))]
    before = GRU(5, reset_after=False)
    before(X)
    assert before.weights[2].shape == (15,)


@pytest.mark.parametrize("use_cudnn", ["auto", False])
def test_matches_torch_gru(use_cudnn):
    layer = GRU(5, return_sequences=True, return_state=True,
                bias_initializer="normal", use_cudnn=use_cudnn)
    out, h = layer(X)
    want, (want_h,) = run("gru", _weights(layer), X)
    np.testing.assert_allclose(_np(out), want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(h), want_h, rtol=1e-5, atol=1e-5)


def test_reset_before_matches_numpy():
    layer = GRU(5, reset_after=False, return_sequences=True,
                bias_initializer="normal")
    out = layer(X)
    np.testing.assert_allclose(_np(out), gru_reset_before(
        X.astype("float64"), *_weights(layer)), rtol=1e-5, atol=1e-5)


def test_initial_state_and_go_backwards_match_torch():
    h0 = rng.normal(size=(3, 5)).astype("float32")
    layer = GRU(5, return_sequences=True, go_backwards=True)
    out = layer(X, initial_state=h0)
    want, _ = run("gru", _weights(layer), X[:, ::-1], initial_state=[h0])
    np.testing.assert_allclose(_np(out), want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("use_cudnn", ["auto", False])
@pytest.mark.parametrize("zero_output", [False, True])
def test_right_padded_mask_equals_unpadded_runs(use_cudnn, zero_output):
    layer = GRU(5, return_sequences=True, return_state=True,
                use_cudnn=use_cudnn, zero_output_for_mask=zero_output)
    out, h = layer(X, mask=MASK)
    want, _, (want_h,) = run_masked("gru", _weights(layer), X, [6, 4, 2],
                                    zero_output=zero_output)
    np.testing.assert_allclose(_np(out), want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(h), want_h, rtol=1e-5, atol=1e-5)


def test_dropout_is_identity_at_inference():
    plain, dropped = GRU(4), GRU(4, dropout=0.3, recurrent_dropout=0.3)
    plain(X)
    dropped(X)
    dropped.set_weights(plain.get_weights())
    np.testing.assert_allclose(_np(dropped(X, training=False)),
                               _np(plain(X)), rtol=1e-6)


def test_rnn_over_gru_cell_equals_gru_layer():
    layer = GRU(5, return_sequences=True)
    want = _np(layer(X))
    generic = RNN(GRUCell(5), return_sequences=True)
    generic(X)
    generic.set_weights(layer.get_weights())
    np.testing.assert_allclose(_np(generic(X)), want, rtol=1e-5, atol=1e-6)


def test_config_round_trip():
    layer = GRU(3, reset_after=False, recurrent_dropout=0.2, seed=1)
    config = layer.get_config()
    assert config["reset_after"] is False and "cell" not in config
    clone = deserialize(serialize(layer), "layers",
                        custom_objects={"GRU": GRU})
    assert clone.get_config() == config and clone.reset_after is False
