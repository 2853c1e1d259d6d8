import numpy as np
import pytest
from rnn_reference import run, run_masked

from lamina import ops
from lamina.layers.recurrent import SimpleRNN, SimpleRNNCell
from lamina.testing import run_layer_test

rng = np.random.default_rng(2)
X = rng.normal(size=(3, 5, 4)).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _weights(layer):
    return [w.astype("float64") for w in layer.get_weights()]


def test_simple_rnn_standard_checks():
    run_layer_test(SimpleRNN, {"units": 3}, input_shape=(2, 4, 5),
                   expected_output_shape=(2, 3), expected_num_weights=3)


def test_rnn_over_simple_cell_checks():
    from lamina.layers.recurrent import RNN
    # check_grads=False: the float64 copy would share this built cell.
    run_layer_test(RNN, {"cell": SimpleRNNCell(3), "return_sequences": True},
                   input_shape=(2, 4, 5), expected_output_shape=(2, 4, 3),
                   check_grads=False)


@pytest.mark.parametrize("use_cudnn", ["auto", False])
def test_matches_torch_rnn(use_cudnn):
    layer = SimpleRNN(5, return_sequences=True, return_state=True,
                      bias_initializer="normal", use_cudnn=use_cudnn)
    out, h = layer(X)
    want, (want_h,) = run("simple_rnn", _weights(layer), X)
    np.testing.assert_allclose(_np(out), want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(h), want_h, rtol=1e-5, atol=1e-5)


def test_relu_activation_matches_numpy():
    layer = SimpleRNN(4, activation="relu", return_sequences=True,
                      use_bias=False)
    out = layer(X)
    kernel, recurrent = _weights(layer)
    h, want = np.zeros((3, 4)), []
    for t in range(5):
        h = np.maximum(X[:, t] @ kernel + h @ recurrent, 0)
        want.append(h)
    np.testing.assert_allclose(_np(out), np.stack(want, 1), rtol=1e-5,
                               atol=1e-5)


def test_masked_go_backwards_equals_reversed_unpadded_runs():
    mask = np.array([[1] * 5, [1] * 2 + [0] * 3, [1] * 4 + [0]], bool)
    lengths = [5, 2, 4]
    layer = SimpleRNN(5, go_backwards=True, return_state=True)
    out, h = layer(X, mask=mask)
    flipped = np.stack([np.concatenate([X[b, :n][::-1], X[b, n:]])
                        for b, n in enumerate(lengths)])
    _, last, (want_h,) = run_masked("simple_rnn", _weights(layer), flipped,
                                    lengths)
    np.testing.assert_allclose(_np(out), last, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(h), want_h, rtol=1e-5, atol=1e-5)


def test_config_round_trip():
    layer = SimpleRNN(3, activation="relu", dropout=0.1, stateful=False)
    config = layer.get_config()
    clone = SimpleRNN.from_config(config)
    assert clone.get_config() == config
    assert config["activation"] == "relu" and "recurrent_activation" \
        not in config
