import warnings

import numpy as np
import pytest
from rnn_reference import run, run_masked

from lamina import ops, regularizers
from lamina.layers.recurrent import LSTM, RNN, LSTMCell
from lamina.ops._bind import B
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(0)
X = rng.normal(size=(3, 6, 4)).astype("float32")
MASK = np.array([[1] * 6, [1] * 3 + [0] * 3, [1] + [0] * 5], bool)
LENGTHS = [6, 3, 1]


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _weights(layer):
    return [w.astype("float64") for w in layer.get_weights()]


def test_lstm_standard_checks():
    run_layer_test(LSTM, {"units": 3}, input_shape=(2, 4, 5),
                   expected_output_shape=(2, 3), expected_num_weights=3,
                   expected_num_trainable_weights=3)


def test_lstm_sequences_checks():
    run_layer_test(LSTM, {"units": 2, "return_sequences": True,
                          "go_backwards": True},
                   input_shape=(2, 3, 4), expected_output_shape=(2, 3, 2))


def test_weights_are_keras_shapes_names_and_order():
    layer = LSTM(5)
    layer(X)
    assert [(w.name, w.shape) for w in layer.weights] == [
        ("kernel", (4, 20)), ("recurrent_kernel", (5, 20)), ("bias", (20,))]
    assert layer.cell.name == "lstm_cell"


def test_unit_forget_bias_initializes_forget_gate_to_one():
    layer = LSTM(3, bias_initializer="zeros")
    layer(X)
    np.testing.assert_array_equal(layer.get_weights()[2],
                                  [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    layer = LSTM(3, unit_forget_bias=False, bias_initializer="ones")
    layer(X)
    np.testing.assert_array_equal(layer.get_weights()[2], np.ones(12))


@pytest.mark.parametrize("use_cudnn", ["auto", False])
def test_matches_torch_lstm_with_states(use_cudnn):
    layer = LSTM(5, return_sequences=True, return_state=True,
                 bias_initializer="normal", use_cudnn=use_cudnn)
    out, h, c = layer(X)
    want, (want_h, want_c) = run("lstm", _weights(layer), X)
    np.testing.assert_allclose(_np(out), want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(h), want_h, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(c), want_c, rtol=1e-5, atol=1e-5)


def test_initial_state_matches_torch():
    h0 = rng.normal(size=(3, 5)).astype("float32")
    c0 = rng.normal(size=(3, 5)).astype("float32")
    layer = LSTM(5, return_sequences=True)
    out = layer(X, initial_state=[h0, c0])
    want, _ = run("lstm", _weights(layer), X, initial_state=[h0, c0])
    np.testing.assert_allclose(_np(out), want, rtol=1e-5, atol=1e-5)


def test_go_backwards_is_torch_on_the_reversed_sequence():
    layer = LSTM(5, return_sequences=True, go_backwards=True)
    out = layer(X)
    want, _ = run("lstm", _weights(layer), X[:, ::-1])
    np.testing.assert_allclose(_np(out), want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("use_cudnn", ["auto", False])
def test_right_padded_mask_equals_unpadded_runs(use_cudnn):
    layer = LSTM(5, return_sequences=True, return_state=True,
                 use_cudnn=use_cudnn)
    out, h, c = layer(X, mask=MASK)
    want, last, (want_h, want_c) = run_masked("lstm", _weights(layer), X,
                                              LENGTHS)
    np.testing.assert_allclose(_np(out), want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(h), want_h, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(c), want_c, rtol=1e-5, atol=1e-5)
    last_only = LSTM(5)
    last_only(X)
    last_only.set_weights(layer.get_weights())
    np.testing.assert_allclose(_np(last_only(X, mask=MASK)), last,
                               rtol=1e-5, atol=1e-5)


def test_mask_with_holes_skips_those_steps():
    """A mask that is not right-padded (the generic loop on every
    backend): the states are those of the run on the kept steps only."""
    mask = np.array([[0, 1, 1, 0, 1, 1], [0, 0, 0, 1, 1, 1],
                     [1, 0, 1, 0, 1, 0]], bool)
    layer = LSTM(5, return_state=True)
    out, h, c = layer(X, mask=mask)
    weights = _weights(layer)
    for b in range(3):
        _, (want_h, want_c) = run("lstm", weights, X[b:b + 1, mask[b]])
        np.testing.assert_allclose(_np(h)[b], want_h[0], rtol=1e-5,
                                   atol=1e-5)
        np.testing.assert_allclose(_np(c)[b], want_c[0], rtol=1e-5,
                                   atol=1e-5)
        np.testing.assert_allclose(_np(out)[b], want_h[0], rtol=1e-5,
                                   atol=1e-5)


def test_dropout_is_identity_at_inference_and_seeded_in_training():
    plain = LSTM(4, return_sequences=True)
    dropped = LSTM(4, return_sequences=True, dropout=0.5,
                   recurrent_dropout=0.5, seed=3)
    plain(X)
    dropped(X)
    dropped.set_weights(plain.get_weights())
    np.testing.assert_allclose(_np(dropped(X)), _np(plain(X)), rtol=1e-6)
    np.testing.assert_allclose(_np(dropped(X, training=False)),
                               _np(plain(X)), rtol=1e-6)
    if not B.supports_training:
        return
    first = _np(dropped(X, training=True))
    assert not np.allclose(first, _np(plain(X)))
    again = LSTM(4, return_sequences=True, dropout=0.5,
                 recurrent_dropout=0.5, seed=3)
    again(X)
    again.set_weights(plain.get_weights())
    np.testing.assert_allclose(_np(again(X, training=True)), first,
                               rtol=1e-6)


def test_rnn_over_lstm_cell_equals_lstm_layer():
    layer = LSTM(5, return_sequences=True)
    want = _np(layer(X, mask=MASK))
    generic = RNN(LSTMCell(5), return_sequences=True)
    generic(X)
    generic.set_weights(layer.get_weights())
    np.testing.assert_allclose(_np(generic(X, mask=MASK)), want, rtol=1e-5,
                               atol=1e-6)


def test_config_has_keras_keys_and_round_trips():
    layer = LSTM(3, recurrent_activation="hard_sigmoid", dropout=0.1,
                 kernel_regularizer=regularizers.l2(0.01), seed=7,
                 return_state=True)
    config = layer.get_config()
    for key in ("units", "activation", "recurrent_activation",
                "unit_forget_bias", "recurrent_initializer", "dropout",
                "recurrent_dropout", "seed", "return_sequences",
                "return_state", "go_backwards", "stateful", "unroll",
                "zero_output_for_mask"):
        assert key in config, key
    assert "cell" not in config
    clone = deserialize(serialize(layer), "layers",
                        custom_objects={"LSTM": LSTM})
    assert clone.get_config() == config
    assert clone.units == 3 and clone.recurrent_dropout == 0.0


def test_keras1_arguments():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer = LSTM(output_dim=3, inner_activation="hard_sigmoid",
                     inner_init="orthogonal", dropout_W=0.2, dropout_U=0.1,
                     consume_less="gpu")
    assert any("units=3" in str(c.message) for c in caught)
    assert layer.units == 3 and layer.dropout == 0.2
    assert layer.recurrent_dropout == 0.1
    assert layer.recurrent_activation.__name__ == "hard_sigmoid"


def test_use_cudnn_true_without_a_fused_kernel_is_an_error():
    layer = LSTM(3, activation="relu", use_cudnn=True)
    with pytest.raises(ValueError, match="use_cudnn"):
        layer(X)


def test_bad_arguments():
    with pytest.raises(ValueError, match="units"):
        LSTM(0)
    with pytest.raises(ValueError, match="dropout"):
        LSTM(3, dropout=1.5)
    with pytest.raises(ValueError, match="use_cudnn"):
        LSTM(3, use_cudnn="yes")


def test_loads_a_keras3_config():
    """The config Keras 3 writes for LSTM(8, return_sequences=True)."""
    init = {"module": "keras.initializers", "class_name": "GlorotUniform",
            "config": {"seed": None}, "registered_name": None}
    keras_config = {
        "module": "keras.layers", "class_name": "LSTM",
        "registered_name": None,
        "config": {
            "name": "lstm", "trainable": True,
            "dtype": {"module": "keras", "class_name": "DTypePolicy",
                      "config": {"name": "float32"},
                      "registered_name": None},
            "return_sequences": True, "return_state": False,
            "go_backwards": False, "stateful": False, "unroll": False,
            "zero_output_for_mask": False, "units": 8,
            "activation": "tanh", "recurrent_activation": "sigmoid",
            "use_bias": True, "kernel_initializer": init,
            "recurrent_initializer": {
                "module": "keras.initializers", "class_name": "Orthogonal",
                "config": {"gain": 1.0, "seed": None},
                "registered_name": None},
            "bias_initializer": {
                "module": "keras.initializers", "class_name": "Zeros",
                "config": {}, "registered_name": None},
            "unit_forget_bias": True, "kernel_regularizer": None,
            "recurrent_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None,
            "recurrent_constraint": None, "bias_constraint": None,
            "dropout": 0.0, "recurrent_dropout": 0.0, "seed": None}}
    layer = deserialize(keras_config, "layers",
                        custom_objects={"LSTM": LSTM})
    assert isinstance(layer, LSTM) and layer.units == 8
    assert layer.return_sequences and layer.unit_forget_bias
    assert tuple(layer(X).shape) == (3, 6, 8)
