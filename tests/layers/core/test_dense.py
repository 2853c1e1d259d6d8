import warnings

import numpy as np
import pytest
import torch

import lamina
from lamina import layers, ops, regularizers
from lamina.legacy import arguments
from lamina.testing import run_layer_test


def test_dense_standard_checks():
    run_layer_test(layers.Dense, {"units": 3, "activation": "tanh"},
                   input_shape=(4, 5), expected_output_shape=(4, 3),
                   expected_num_weights=2, expected_num_trainable_weights=2)


def test_dense_on_3d_input():
    run_layer_test(layers.Dense, {"units": 2}, input_shape=(2, 3, 4),
                   expected_output_shape=(2, 3, 2))


def test_dense_matches_torch_linear():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 5)).astype("float32")
    layer = layers.Dense(4, activation="relu")
    y = ops.convert_to_numpy(layer(x))
    kernel, bias = layer.get_weights()
    want = torch.relu(torch.nn.functional.linear(
        torch.tensor(x), torch.tensor(kernel.T), torch.tensor(bias)))
    np.testing.assert_allclose(y, want.numpy(), rtol=1e-5, atol=1e-6)


def test_dense_hand_computed():
    layer = layers.Dense(2, kernel_initializer="ones",
                         bias_initializer="ones")
    y = ops.convert_to_numpy(layer(np.array([[1.0, 2.0, 3.0]])))
    np.testing.assert_allclose(y, [[7.0, 7.0]])


def test_keras1_arguments_warn_once_and_work():
    w = np.full((4, 3), 0.5, "float32")
    b = np.arange(3, dtype="float32")
    arguments._warned.clear()  # an earlier test may have had the warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer = layers.Dense(output_dim=3, init="uniform", weights=[w, b],
                             W_regularizer=regularizers.l2(0.01), bias=True)
    texts = [str(c.message) for c in caught]
    assert any("units=3" in t for t in texts), texts
    assert layer.units == 3 and layer.use_bias
    y = ops.convert_to_numpy(layer(np.ones((2, 4), "float32")))
    np.testing.assert_allclose(y, np.ones((2, 4)) @ w + b, rtol=1e-6)
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(ops.convert_to_numpy(layer.losses[0])),
                               0.01 * (w ** 2).sum(), rtol=1e-5)


def test_bias_false_means_no_bias():
    layer = layers.Dense(3, bias=False)
    layer(np.ones((1, 2), "float32"))
    assert len(layer.get_weights()) == 1 and not layer.use_bias


def test_both_spellings_is_an_error():
    with pytest.raises(TypeError, match="units"):
        layers.Dense(3, output_dim=3)


def test_bad_units():
    with pytest.raises(ValueError, match="units"):
        layers.Dense(0)


def test_wrong_input_size_names_layer_and_shapes():
    a = lamina.Input(shape=(32,))
    dense = layers.Dense(4, name="dense_for_error")
    dense(a)
    with pytest.raises(ValueError) as err:
        dense(np.ones((2, 31), "float32"))
    text = str(err.value)
    assert "dense_for_error" in text and "32" in text and "31" in text


def test_activity_regularizer_loss():
    layer = layers.Dense(2, kernel_initializer="ones",
                         activity_regularizer=regularizers.l1(0.1))
    y = layer(np.ones((3, 2), "float32"))
    got = float(ops.convert_to_numpy(layer.losses[0]))
    assert got == pytest.approx(0.1 * np.abs(ops.convert_to_numpy(y)).sum())


def test_constraint_applied_after_update():
    from lamina import constraints
    model = lamina.Sequential([layers.Dense(
        2, input_shape=(3,), kernel_constraint=constraints.NonNeg())])
    model.compile("sgd", "mse")
    model.fit(np.ones((8, 3)), -10 * np.ones((8, 2)), epochs=2, verbose=0)
    assert (model.layers[0].get_weights()[0] >= 0).all()
