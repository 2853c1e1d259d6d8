import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.layers import Dense, Dropout, Input, Layer
from lamina.layers.recurrent import LSTM, Embedding, TimeDistributed
from lamina.testing import check_gradients, run_layer_test

rng = np.random.default_rng(5)
X = rng.normal(size=(2, 3, 4)).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


class MaskEcho(Layer):
    """Returns its mask (as floats) so the test can see what it got."""

    def call(self, inputs, mask=None):
        return ops.cast(mask, "float32")[:, None]


def test_time_distributed_standard_checks():
    # Gradients are checked below: the float64 copy run_layer_test makes
    # would wrap this float32 Dense.
    run_layer_test(TimeDistributed, {"layer": Dense(2)},
                   input_shape=(2, 3, 4), expected_output_shape=(2, 3, 2),
                   expected_num_weights=2, check_grads=False)


@pytest.mark.requires_training
def test_gradients_match_finite_differences():
    layer = TimeDistributed(Dense(2, activation="tanh", dtype="float64"),
                            dtype="float64")
    x = X.astype("float64")
    layer(x)
    check_gradients(layer, x)


def test_equals_dense_on_the_reshaped_input():
    layer = TimeDistributed(Dense(5, activation="tanh"))
    got = _np(layer(X))
    kernel, bias = layer.get_weights()
    want = np.tanh(X.reshape(6, 4) @ kernel + bias).reshape(2, 3, 5)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_equals_a_loop_over_timesteps():
    dense = Dense(3)
    layer = TimeDistributed(dense)
    got = _np(layer(X))
    for t in range(3):
        np.testing.assert_allclose(got[:, t], _np(dense(X[:, t])),
                                   rtol=1e-5, atol=1e-6)


def test_nested_rank_and_symbolic_shape():
    x = rng.normal(size=(2, 3, 2, 4)).astype("float32")
    assert tuple(TimeDistributed(Dense(6))(x).shape) == (2, 3, 2, 6)
    sym = TimeDistributed(Dense(6))(Input(shape=(None, 4)))
    assert sym.shape == (None, None, 6)


def test_training_flag_reaches_the_layer():
    layer = TimeDistributed(Dropout(0.5, seed=1))
    np.testing.assert_array_equal(_np(layer(X, training=False)), X)


def test_mask_is_passed_flattened_and_propagated():
    mask = np.array([[True, False, True], [True, True, False]])
    layer = TimeDistributed(MaskEcho())
    got = _np(layer(X, mask=mask))
    np.testing.assert_array_equal(got[..., 0], mask.astype("float32"))
    assert layer.compute_mask(X, mask) is mask


def test_after_embedding_before_lstm_in_a_model():
    inp = Input(shape=(4,), dtype="int32")
    x = Embedding(7, 3, mask_zero=True)(inp)
    x = TimeDistributed(Dense(5))(x)
    out = LSTM(2)(x)
    model = lamina.Model(inp, out)
    tokens = np.array([[1, 2, 0, 0], [3, 4, 5, 6]], "int32")
    got = model.predict(tokens, verbose=0)
    emb, td, lstm = model.layers[1:]
    np.testing.assert_allclose(got[:1], _np(lstm(td(emb(tokens[:1, :2])))),
                               rtol=1e-5, atol=1e-6)


def test_config_round_trip():
    layer = TimeDistributed(Dense(3, activation="relu"))
    layer(X)
    clone = TimeDistributed.from_config(layer.get_config())
    clone(X)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(_np(clone(X)), _np(layer(X)))
    assert clone.layer.activation.__name__ == "relu"


def test_bad_input():
    with pytest.raises(ValueError, match="Layer"):
        TimeDistributed("dense")
    with pytest.raises(ValueError, match="3 axes"):
        TimeDistributed(Dense(2))(np.ones((2, 3), "float32"))
