"""Keras 1 layer classes: Deconvolution2D, AtrousConvolution, Convolution*
configs, TimeDistributedDense, MaxoutDense, Highway and the Merge layer
(alone and as the first layer of a Sequential)."""

import os
import warnings

import numpy as np
import pytest

import lamina
from lamina import layers as L
from lamina import ops
from lamina.legacy import arguments
from lamina.saving.config import deserialize
from lamina.testing import check_gradients, run_layer_test


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch):
    monkeypatch.setattr(arguments, "_warned", set())


def quietly(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make()


def recording(make):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obj = make()
    return obj, [str(w.message) for w in caught]


def np_(x):
    return ops.convert_to_numpy(x)


def rand(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# -- Deconvolution2D / Atrous ------------------------------------------------

@pytest.mark.parametrize("kwargs, in_shape, out_shape", [
    ({"subsample": (2, 2), "border_mode": "same"}, (1, 5, 5, 3),
     (None, 10, 10, 4)),
    ({"subsample": (2, 2), "border_mode": "same"}, (1, 5, 5, 3),
     (None, 9, 9, 4)),
    ({"subsample": (2, 2), "border_mode": "valid"}, (1, 5, 5, 3),
     (None, 11, 11, 4)),
    ({"subsample": (3, 2), "border_mode": "valid"}, (1, 4, 5, 3),
     (None, 13, 12, 4)),
    ({"border_mode": "valid", "dim_ordering": "th"}, (1, 3, 5, 5),
     (None, 4, 7, 7)),
])
def test_deconvolution2d_gives_the_requested_output_shape(
        kwargs, in_shape, out_shape):
    layer, messages = recording(
        lambda: L.Deconvolution2D(4, 3, 3, out_shape, **kwargs))
    assert type(layer) is L.Conv2DTranspose
    assert any("output_padding=" in m for m in messages)
    x = rand(*in_shape)
    y = np_(layer(x))
    assert y.shape[1:] == tuple(out_shape[1:])
    # The rewrite its warning gives: Conv2DTranspose with output_padding.
    modern = L.Conv2DTranspose(
        4, (3, 3), strides=layer.strides, padding=layer.padding,
        output_padding=layer.output_padding, data_format=layer.data_format)
    modern(x)
    modern.set_weights(layer.get_weights())
    np.testing.assert_allclose(np_(modern(x)), y, rtol=1e-6, atol=1e-6)


def test_deconvolution2d_keras2_spelling_is_conv2d_transpose():
    layer = quietly(lambda: L.Deconvolution2D(3, (2, 2), strides=2))
    assert type(layer) is L.Conv2DTranspose
    assert layer.output_padding is None and layer.strides == (2, 2)


@pytest.mark.parametrize("make, error, text", [
    (lambda: L.Deconvolution2D(4, 3, 3, (None, 10, 10, 5)), ValueError,
     "5 channels"),
    (lambda: L.Deconvolution2D(4, 3, 3, (10, 10, 4)), ValueError,
     r"\(batch, rows, cols, filters\)"),
    (lambda: L.Deconvolution2D(4, 3, 3, (None, 1, 1, 4)), ValueError,
     "too small"),
    (lambda: L.Deconvolution2D(4, 3, 3, output_shape=(None, 8, 8, 4),
                               output_padding=1, subsample=(2, 2)),
     TypeError, "output_padding"),
])
def test_deconvolution2d_bad_output_shape(make, error, text):
    with pytest.raises(error, match=text):
        quietly(make)


def test_atrous_convolution2d_equals_dilated_conv2d():
    layer = quietly(lambda: L.AtrousConvolution2D(2, 3, 3,
                                                  atrous_rate=(2, 3)))
    assert type(layer) is L.Conv2D and layer.dilation_rate == (2, 3)
    x = rand(1, 9, 10, 2)
    y = np_(layer(x))
    kernel, bias = layer.get_weights()
    # NumPy reference: a dilated 'valid' correlation.
    out = np.zeros((1, 5, 4, 2), "float32")
    for i in range(5):
        for j in range(4):
            patch = x[0, i:i + 5:2, j:j + 7:3, :]
            out[0, i, j] = np.einsum("abc,abcd->d", patch, kernel) + bias
    np.testing.assert_allclose(y, out, rtol=1e-5, atol=1e-5)


# -- configs with Keras 1 class names ----------------------------------------

def test_keras1_configs_deserialize():
    conv = quietly(lambda: deserialize({"class_name": "Convolution2D",
                                        "config": {
        "name": "c", "nb_filter": 8, "nb_row": 3, "nb_col": 2,
        "border_mode": "same", "subsample": [1, 1], "dim_ordering": "tf",
        "init": "glorot_uniform", "activation": "relu", "bias": True,
        "W_regularizer": None, "b_regularizer": None,
        "activity_regularizer": None, "W_constraint": None,
        "b_constraint": None, "trainable": True,
        "batch_input_shape": [None, 8, 8, 1], "input_dtype": "float32"}},
        "layers"))
    assert type(conv) is L.Conv2D
    assert (conv.filters, conv.kernel_size, conv.padding) == \
        (8, (3, 2), "same")
    dense = quietly(lambda: deserialize(
        {"class_name": "TimeDistributedDense",
         "config": {"output_dim": 5, "init": "zero", "input_dim": 3,
                    "input_length": 4, "name": "tdd"}}, "layers"))
    assert type(dense) is L.TimeDistributed
    assert dense.layer.units == 5 and dense._batch_input_shape == (None, 4,
                                                                  3)
    for name in ("Convolution1D", "Convolution3D", "Deconvolution2D",
                 "AtrousConvolution1D", "AtrousConvolution2D", "Merge",
                 "MaxoutDense", "Highway", "TimeDistributedDense"):
        assert name in L.ALL_OBJECTS


# -- TimeDistributedDense ----------------------------------------------------

def test_time_distributed_dense_is_time_distributed_dense():
    layer, messages = recording(lambda: L.TimeDistributedDense(
        5, input_dim=3, input_length=4, activation="tanh"))
    assert messages == [("TimeDistributedDense(5, ...) is the Keras 1 "
                        "spelling; write TimeDistributed(Dense(5, ...)).")]
    model = lamina.Sequential([layer])
    assert model.input_shape == (None, 4, 3)
    kernel, bias = layer.get_weights()
    assert kernel.shape == (3, 5) and bias.shape == (5,)
    x = rand(2, 4, 3)
    np.testing.assert_allclose(np_(layer(x)), np.tanh(x @ kernel + bias),
                               rtol=1e-5, atol=1e-6)


# -- MaxoutDense ---------------------------------------------------------------

def test_maxout_dense_values_and_rewrite():
    layer, messages = recording(lambda: L.MaxoutDense(3, nb_feature=2))
    assert len(messages) == 1 and "Dense(6), Reshape((2, 3))" in messages[0]
    x = rand(5, 4)
    y = np_(layer(x))
    kernel, bias = layer.get_weights()
    assert kernel.shape == (2, 4, 3) and bias.shape == (2, 3)
    layer.set_weights([kernel, rand(2, 3, seed=1)])
    bias = layer.get_weights()[1]
    y = np_(layer(x))
    expected = np.max(np.einsum("bi,kio->bko", x, kernel) + bias, axis=1)
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)
    # The rewrite in the warning, with the kernel laid out as it says.
    inputs = lamina.Input(shape=(4,))
    h = L.Dense(6)(inputs)
    h = L.Reshape((2, 3))(h)
    out = L.Lambda(lambda t: ops.max(t, axis=1))(h)
    rewrite = lamina.Model(inputs, out)
    rewrite.layers[1].set_weights([kernel.transpose(1, 0, 2).reshape(4, 6),
                                   bias.reshape(-1)])
    np.testing.assert_allclose(np_(rewrite(x)), y, rtol=1e-5, atol=1e-6)


def test_maxout_dense_standard_checks():
    quietly(lambda: run_layer_test(
        L.MaxoutDense, {"units": 3, "nb_feature": 2}, (2, 4), (2, 3),
        expected_num_weights=2))


def test_maxout_dense_keras1_arguments():
    layer = quietly(lambda: L.MaxoutDense(output_dim=2, nb_feature=3,
                                          init="zeros", bias=False,
                                          input_dim=4))
    assert layer.units == 2 and not layer.use_bias
    assert lamina.Sequential([layer]).input_shape == (None, 4)
    assert len(layer.weights) == 1
    assert not np.any(layer.get_weights()[0])
    with pytest.raises(ValueError, match="nb_feature"):
        quietly(lambda: L.MaxoutDense(2, nb_feature=0))


# -- Highway -----------------------------------------------------------------

def test_highway_values():
    layer = quietly(lambda: L.Highway(activation="tanh"))
    x = rand(3, 4)
    layer(x)
    names = [v.name for v in layer.weights]
    assert names == ["kernel", "carry_kernel", "bias", "carry_bias"]
    kernel, carry_kernel = rand(4, 4, seed=1), rand(4, 4, seed=2)
    bias, carry_bias = rand(4, seed=3), rand(4, seed=4)
    layer.set_weights([kernel, carry_kernel, bias, carry_bias])
    gate = sigmoid(x @ carry_kernel + carry_bias)
    expected = np.tanh(x @ kernel + bias) * gate + x * (1 - gate)
    np.testing.assert_allclose(np_(layer(x)), expected, rtol=1e-5,
                               atol=1e-6)


def test_highway_initial_carry_bias_and_no_bias():
    default = quietly(lambda: L.Highway())
    default(rand(2, 3))
    np.testing.assert_array_equal(default.get_weights()[3], np.ones(3))
    given = quietly(lambda: L.Highway(transform_bias=-2))
    given(rand(2, 3))
    np.testing.assert_array_equal(given.get_weights()[3], -2 * np.ones(3))
    plain = quietly(lambda: L.Highway(bias=False, init="zeros"))
    x = rand(2, 3)
    # Zero kernels: gate 0.5, transform 0, so the output is x / 2.
    np.testing.assert_allclose(np_(plain(x)), x / 2, rtol=1e-6)
    assert len(plain.weights) == 2


def test_highway_standard_checks():
    quietly(lambda: run_layer_test(
        L.Highway, {"activation": "tanh", "transform_bias": -1.0}, (2, 4),
        (2, 4), expected_num_weights=4, expected_num_trainable_weights=4))


@pytest.mark.requires_training
def test_highway_and_maxout_gradients_in_float64():
    for layer in (quietly(lambda: L.Highway(activation="tanh",
                                            dtype="float64")),
                  quietly(lambda: L.MaxoutDense(2, nb_feature=3,
                                                dtype="float64"))):
        x = np.random.default_rng(5).normal(size=(3, 4))
        layer(x)
        check_gradients(layer, x)


# -- Merge ---------------------------------------------------------------------

@pytest.mark.parametrize("mode, reference", [
    ("sum", lambda a, b: a + b),
    ("mul", lambda a, b: a * b),
    ("ave", lambda a, b: (a + b) / 2),
    ("max", np.maximum),
    ("concat", lambda a, b: np.concatenate([a, b], axis=-1)),
    ("dot", lambda a, b: np.sum(a * b, axis=1, keepdims=True)),
    ("cos", lambda a, b: np.sum(a * b, axis=1, keepdims=True) /
     np.linalg.norm(a, axis=1, keepdims=True) /
     np.linalg.norm(b, axis=1, keepdims=True)),
    (lambda t: t[0] - t[1], lambda a, b: a - b),
])
def test_merge_modes(mode, reference):
    a, b = rand(3, 4, seed=1), rand(3, 4, seed=2)
    layer, messages = recording(lambda: L.Merge(mode=mode))
    assert len(messages) == 1 and "write" in messages[0]
    np.testing.assert_allclose(np_(layer([a, b])), reference(a, b),
                               rtol=1e-5, atol=1e-6)
    ta, tb = lamina.Input(shape=(4,)), lamina.Input(shape=(4,))
    out = layer([ta, tb])
    assert tuple(out.shape) == (None,) + reference(a, b).shape[1:]


@pytest.mark.parametrize("make, error, text", [
    (lambda: L.Merge(mode="avg"), ValueError, "unknown mode"),
    (lambda: L.Merge(mode="sum", node_indices=[0, 0]), ValueError,
     "node_indices"),
    (lambda: L.Merge([lamina.Sequential([L.Dense(2, input_dim=3)])]),
     ValueError, "at least 2"),
    (lambda: L.Merge([lamina.Sequential([L.Dense(2)]),
                      lamina.Sequential([L.Dense(2)])]),
     ValueError, "no output yet"),
])
def test_merge_errors(make, error, text):
    with pytest.raises(error, match=text):
        quietly(make)


def _merged_and_functional():
    """A Keras 1 Merge Sequential and the functional model it stands for,
    with the same weights."""
    left = lamina.Sequential([L.Dense(3, input_dim=4, activation="tanh")])
    right = lamina.Sequential([L.Dense(2, input_dim=5, activation="relu")])
    merged = quietly(lambda: lamina.Sequential([
        L.Merge([left, right], mode="concat"),
        L.Dense(1, activation="sigmoid")]))
    a, b = lamina.Input(shape=(4,)), lamina.Input(shape=(5,))
    joined = L.Concatenate()([L.Dense(3, activation="tanh")(a),
                              L.Dense(2, activation="relu")(b)])
    functional = lamina.Model([a, b], L.Dense(1, activation="sigmoid")(
        joined))
    functional.set_weights(merged.get_weights())
    return merged, functional


def test_merge_first_in_sequential_matches_functional():
    merged, functional = _merged_and_functional()
    assert len(merged.inputs) == 2 and merged.output_shape == (None, 1)
    xs = [rand(6, 4, seed=1), rand(6, 5, seed=2)]
    np.testing.assert_allclose(merged.predict(xs, verbose=0),
                               functional.predict(xs, verbose=0),
                               rtol=1e-6, atol=1e-6)


@pytest.mark.requires_training
def test_merge_sequential_trains_like_functional():
    merged, functional = _merged_and_functional()
    xs = [rand(16, 4, seed=1), rand(16, 5, seed=2)]
    y = (np.random.default_rng(3).random((16, 1)) > 0.5).astype("float32")
    histories = []
    for model in (merged, functional):
        model.compile(lamina.optimizers.SGD(0.1), "binary_crossentropy")
        histories.append(model.fit(xs, y, epochs=2, batch_size=8,
                                   shuffle=False, verbose=0))
    np.testing.assert_allclose(histories[0].history["loss"],
                               histories[1].history["loss"], rtol=1e-5)
    for w1, w2 in zip(merged.get_weights(), functional.get_weights()):
        np.testing.assert_allclose(w1, w2, rtol=1e-5, atol=1e-6)
    assert histories[0].history["loss"][1] != histories[0].history["loss"][0]


def test_merge_sequential_config_and_weights_round_trip(tmp_path):
    merged, _ = _merged_and_functional()
    xs = [rand(3, 4, seed=1), rand(3, 5, seed=2)]
    path = os.path.join(tmp_path, "merged.weights.h5")
    merged.save_weights(path)
    clone = quietly(lambda: lamina.Sequential.from_config(
        merged.get_config()))
    clone.load_weights(path)
    np.testing.assert_allclose(clone.predict(xs, verbose=0),
                               merged.predict(xs, verbose=0), rtol=1e-6)


def test_merge_of_models_only_first_in_sequential():
    merged, _ = _merged_and_functional()
    head = merged.layers[0]
    with pytest.raises(ValueError, match="first layer"):
        lamina.Sequential([L.Dense(2, input_dim=3), head])
    with pytest.raises(TypeError, match="Lambda"):
        quietly(lambda: L.Merge(mode=lambda t: t[0]).get_config())
