"""BatchNormalization against torch.nn.functional.batch_norm and the moving
average formula, including inside `fit` (JAX's pure, jitted step)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lamina
from lamina import ops
from lamina.layers.normalization import ALL_OBJECTS, BatchNormalization
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(0)


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def _torch_bn(x, axis, mean, var, gamma, beta, eps, training):
    """F.batch_norm on `x` with channels on `axis`."""
    xt = torch.tensor(np.moveaxis(x, axis, 1).copy())
    out = F.batch_norm(xt, torch.tensor(mean), torch.tensor(var),
                       torch.tensor(gamma), torch.tensor(beta),
                       training=training, eps=eps)
    return np.moveaxis(out.numpy(), 1, axis)


def test_layer_test_channels_last_and_first():
    run_layer_test(BatchNormalization, {}, (4, 3), (4, 3),
                   expected_num_weights=4, expected_num_trainable_weights=2)
    run_layer_test(BatchNormalization, {"axis": 1, "momentum": 0.9},
                   (2, 3, 4, 5), (2, 3, 4, 5), expected_num_weights=4)
    run_layer_test(BatchNormalization, {"center": False, "scale": False},
                   (4, 3), (4, 3), expected_num_weights=2,
                   expected_num_trainable_weights=0)


def test_weight_names_order_and_shapes():
    layer = BatchNormalization(axis=1)
    layer.build((None, 5, 7))
    assert [w.name for w in layer.weights] == [
        "gamma", "beta", "moving_mean", "moving_variance"]
    assert all(w.shape == (5,) for w in layer.weights)
    assert [w.trainable for w in layer.weights] == [True, True, False,
                                                    False]


@pytest.mark.parametrize("axis, shape", [(-1, (6, 3)), (-1, (2, 4, 5, 3)),
                                         (1, (2, 3, 4, 5))])
def test_values_match_torch_batch_norm(axis, shape):
    x = rng.normal(2.0, 3.0, size=shape).astype("float32")
    layer = BatchNormalization(axis=axis, epsilon=1e-2)
    layer.build(shape)
    c = shape[axis]
    gamma, beta = rng.normal(size=c), rng.normal(size=c)
    mean, var = rng.normal(size=c), rng.uniform(0.5, 2, size=c)
    layer.set_weights([w.astype("float32") for w in (gamma, beta, mean,
                                                      var)])
    args = [w.astype("float32") for w in (mean, var, gamma, beta)]
    np.testing.assert_allclose(
        np_(layer(x, training=True)),
        _torch_bn(x, axis, *args, 1e-2, training=True), atol=1e-4)
    # Inference reads the moving statistics (updated once above).
    moving_mean, moving_var = layer.get_weights()[2:]
    np.testing.assert_allclose(
        np_(layer(x)),
        _torch_bn(x, axis, moving_mean, moving_var, *args[2:], 1e-2,
                  training=False), atol=1e-4)


def test_moving_statistics_follow_the_formula():
    layer = BatchNormalization(momentum=0.8)
    mean, var = np.zeros(3), np.ones(3)
    for step in range(3):
        x = rng.normal(step, 1 + step, size=(16, 3)).astype("float32")
        layer(x, training=True)
        mean = mean * 0.8 + x.mean(0) * 0.2
        var = var * 0.8 + x.var(0) * 0.2  # population variance
        np.testing.assert_allclose(layer.moving_mean.numpy(), mean,
                                   rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(layer.moving_variance.numpy(), var,
                                   rtol=1e-5)
    # Inference leaves them alone.
    layer(x)
    layer(x, training=False)
    np.testing.assert_allclose(layer.moving_mean.numpy(), mean, rtol=1e-5,
                               atol=1e-6)


def test_frozen_layer_runs_in_inference_mode():
    layer = BatchNormalization()
    x = rng.normal(5.0, 2.0, size=(8, 2)).astype("float32")
    layer.trainable = False
    out = np_(layer(x, training=True))
    np.testing.assert_allclose(out, x / np.sqrt(1 + 1e-3), rtol=1e-5)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), [0.0, 0.0])


def test_mask_leaves_masked_steps_out_of_the_statistics():
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], bool)
    layer = BatchNormalization(momentum=0.0)  # moving = this batch's stats
    out = np_(layer(x, training=True, mask=mask))
    kept = x[mask]  # (7, 3)
    np.testing.assert_allclose(layer.moving_mean.numpy(), kept.mean(0),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.moving_variance.numpy(), kept.var(0),
                               rtol=1e-5, atol=1e-6)
    want = (x - kept.mean(0)) / np.sqrt(kept.var(0) + 1e-3)
    np.testing.assert_allclose(out, want, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="one axis less"):
        layer(x, training=True, mask=mask[0])


@pytest.mark.requires_training
@pytest.mark.parametrize("run_eagerly", [False, True])
def test_fit_updates_moving_statistics_and_predict_uses_them(run_eagerly):
    x = rng.normal(3.0, 2.0, size=(24, 3)).astype("float32")
    y = rng.normal(size=(24, 1)).astype("float32")
    inp = lamina.Input(shape=(3,))
    bn = BatchNormalization(momentum=0.7)
    dense = lamina.layers.Dense(1)
    model = lamina.Model(inp, dense(bn(inp)))
    model.compile(optimizer="sgd", loss="mse", run_eagerly=run_eagerly)
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    mean, var = np.zeros(3), np.ones(3)
    for start in range(0, 24, 8):
        batch = x[start:start + 8].astype("float64")
        mean = mean * 0.7 + batch.mean(0) * 0.3
        var = var * 0.7 + batch.var(0) * 0.3
    gamma, beta, moving_mean, moving_var = bn.get_weights()
    np.testing.assert_allclose(moving_mean, mean, rtol=1e-5)
    np.testing.assert_allclose(moving_var, var, rtol=1e-5)
    assert not np.allclose(gamma, 1.0)  # the trainable weights trained too
    kernel, bias = dense.get_weights()
    normalized = gamma * (x - mean) / np.sqrt(var + 1e-3) + beta
    want = normalized @ kernel + bias
    pred = model.predict(x, batch_size=8, verbose=0)
    np.testing.assert_allclose(pred, want, rtol=1e-4, atol=1e-5)
    loss = model.evaluate(x, y, batch_size=24, verbose=0)
    np.testing.assert_allclose(loss, np.mean((want - y) ** 2), rtol=1e-4)
    # Neither evaluate nor predict moved the statistics.
    np.testing.assert_allclose(bn.get_weights()[2], moving_mean)


def test_config_and_serialization_round_trip():
    layer = BatchNormalization(axis=1, momentum=0.5, epsilon=0.01,
                               center=False, gamma_initializer="zeros",
                               gamma_regularizer="l2", synchronized=True)
    config = layer.get_config()
    assert config["axis"] == 1 and config["momentum"] == 0.5
    assert config["gamma_initializer"]["class_name"] == "Zeros"
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert isinstance(clone, BatchNormalization)
    assert clone.get_config() == config


def test_regularizer_and_legacy_arguments():
    layer = BatchNormalization(gamma_regularizer="l2")
    layer(np.ones((2, 3), "float32"))
    # L2(0.01) on gamma = ones(3).
    np.testing.assert_allclose(float(np_(layer.losses[0])), 0.03, rtol=1e-6)
    with pytest.warns(DeprecationWarning, match="gamma_initializer"):
        legacy = BatchNormalization(gamma_init="zero")
    assert type(legacy.gamma_initializer).__name__ == "Zeros"
    with pytest.warns(DeprecationWarning, match="mode"):
        BatchNormalization(mode=0)
    with pytest.raises(ValueError, match="mode=2"):
        BatchNormalization(mode=2)
    # A tf.keras 2 config loads when its extras are at their defaults.
    BatchNormalization(fused=True, renorm=False, renorm_momentum=0.99,
                       virtual_batch_size=None, adjustment=None)
    with pytest.raises(ValueError, match="renorm"):
        BatchNormalization(renorm=True)


def test_stateless_call_returns_updated_statistics():
    layer = BatchNormalization(momentum=0.5)
    x = rng.normal(4.0, 1.0, size=(10, 2)).astype("float32")
    layer.build(x.shape)
    trainable = [w.value for w in layer.trainable_weights]
    non_trainable = [w.value for w in layer.non_trainable_weights]
    _, (mean, var) = layer.stateless_call(trainable, non_trainable, x,
                                          training=True)
    np.testing.assert_allclose(np_(mean), 0.5 * x.mean(0), rtol=1e-5)
    np.testing.assert_allclose(np_(var), 0.5 + 0.5 * x.var(0), rtol=1e-5)
    # The layer's own variables are untouched.
    np.testing.assert_array_equal(layer.moving_mean.numpy(), [0.0, 0.0])


def test_bad_arguments():
    with pytest.raises(TypeError, match="axis"):
        BatchNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match="momentum"):
        BatchNormalization(momentum=1.5)
    with pytest.raises(ValueError, match="out of range"):
        BatchNormalization(axis=3)(np.ones((2, 3), "float32"))
