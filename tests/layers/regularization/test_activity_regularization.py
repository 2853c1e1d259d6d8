"""ActivityRegularization: identity plus an L1/L2 penalty on its input."""

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.layers.regularization import ALL_OBJECTS, ActivityRegularization
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_penalty_and_identity():
    x = np.array([[1.0, -2.0], [0.5, 3.0]], "float32")
    layer = ActivityRegularization(l1=0.1, l2=0.01)
    np.testing.assert_array_equal(np_(layer(x)), x)
    (loss,) = layer.losses
    np.testing.assert_allclose(float(np_(loss)),
                               0.1 * np.abs(x).sum() + 0.01 * (x ** 2).sum(),
                               rtol=1e-6)
    run_layer_test(ActivityRegularization, {"l2": 0.1}, (2, 3), (2, 3),
                   expected_num_weights=0)


@pytest.mark.requires_training
def test_penalty_enters_the_training_loss():
    inp = lamina.Input(shape=(2,))
    dense = lamina.layers.Dense(2, kernel_initializer="identity")
    model = lamina.Model(inp, ActivityRegularization(l1=1.0)(dense(inp)))
    model.compile(optimizer="sgd", loss="mse")
    x = np.array([[1.0, -2.0]], "float32")
    history = model.fit(x, x, epochs=1, verbose=0)
    # The first step's mse is 0 (identity); the loss is the L1 penalty.
    np.testing.assert_allclose(history.history["loss"][0], 3.0, rtol=1e-5)


def test_config():
    layer = ActivityRegularization(l1=0.5)
    config = layer.get_config()
    assert config["l1"] == 0.5 and config["l2"] == 0.0
    assert "activity_regularizer" not in config
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert clone.get_config() == config
    with pytest.raises(ValueError, match="l1"):
        ActivityRegularization(l1=-1.0)
