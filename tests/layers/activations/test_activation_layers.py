"""ReLU, LeakyReLU, PReLU, ELU and Softmax layers against torch functions
(and NumPy formulas where torch has no counterpart)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lamina
from lamina import ops
from lamina.layers.activations import (
    ALL_OBJECTS,
    ELU,
    LeakyReLU,
    PReLU,
    ReLU,
    Softmax,
)
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(4)
X = rng.normal(0.0, 3.0, size=(4, 5)).astype("float32")
XT = torch.tensor(X)


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def _round_trip(layer):
    clone = deserialize(serialize(layer), "layers",
                        custom_objects=ALL_OBJECTS)
    assert type(clone) is type(layer)
    assert clone.get_config() == layer.get_config()
    return clone


def test_relu_variants():
    np.testing.assert_array_equal(np_(ReLU()(X)), F.relu(XT).numpy())
    np.testing.assert_allclose(np_(ReLU(max_value=2.0)(X)),
                               torch.clamp(XT, 0, 2).numpy())
    np.testing.assert_allclose(np_(ReLU(negative_slope=0.1)(X)),
                               F.leaky_relu(XT, 0.1).numpy(), rtol=1e-6)
    # Keras's full rule: cap, threshold and slope below the threshold.
    got = np_(ReLU(max_value=3.0, negative_slope=0.5, threshold=1.0)(X))
    want = np.where(X >= 3.0, 3.0, np.where(X > 1.0, X, 0.5 * (X - 1.0)))
    np.testing.assert_allclose(got, want, rtol=1e-6)
    run_layer_test(ReLU, {"max_value": 6.0}, (2, 3), (2, 3))
    _round_trip(ReLU(max_value=6.0, threshold=0.5))
    for bad in ({"max_value": -1.0}, {"negative_slope": -0.1},
                {"threshold": None}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            ReLU(**bad)


def test_leaky_relu():
    np.testing.assert_allclose(np_(LeakyReLU()(X)),
                               F.leaky_relu(XT, 0.3).numpy(), rtol=1e-6)
    np.testing.assert_allclose(np_(LeakyReLU(0.01)(X)),
                               F.leaky_relu(XT, 0.01).numpy(), rtol=1e-6)
    with pytest.warns(DeprecationWarning, match="negative_slope=0.2"):
        assert LeakyReLU(alpha=0.2).negative_slope == 0.2
    with pytest.raises(ValueError, match="negative_slope"):
        LeakyReLU(-0.5)
    run_layer_test(LeakyReLU, {"negative_slope": 0.2}, (2, 3), (2, 3))
    assert _round_trip(LeakyReLU(0.2)).negative_slope == 0.2


def test_elu():
    for alpha in (1.0, 0.5):
        np.testing.assert_allclose(np_(ELU(alpha)(X)),
                                   F.elu(XT, alpha).numpy(), rtol=1e-5,
                                   atol=1e-6)
    run_layer_test(ELU, {"alpha": 0.7}, (2, 3), (2, 3))
    assert _round_trip(ELU(0.7)).alpha == 0.7


def test_prelu_per_element_and_shared_axes():
    layer = PReLU(alpha_initializer="ones")
    layer.build((None, 5))
    assert [w.name for w in layer.weights] == ["alpha"]
    assert layer.alpha.shape == (5,)
    alpha = rng.uniform(0, 1, size=5).astype("float32")
    layer.set_weights([alpha])
    np.testing.assert_allclose(np_(layer(X)), np.where(X > 0, X, alpha * X),
                               rtol=1e-6)
    # One slope per channel of a channels-first image: torch's F.prelu.
    image = rng.normal(size=(2, 3, 4, 4)).astype("float32")
    layer = PReLU(shared_axes=[2, 3])
    layer.build(image.shape)
    assert layer.alpha.shape == (3, 1, 1)
    alpha = rng.uniform(0, 1, size=(3, 1, 1)).astype("float32")
    layer.set_weights([alpha])
    want = F.prelu(torch.tensor(image), torch.tensor(alpha.ravel())).numpy()
    np.testing.assert_allclose(np_(layer(image)), want, rtol=1e-6)


def test_prelu_layer_test_config_and_legacy():
    run_layer_test(PReLU, {"alpha_initializer": "constant"}, (2, 3, 4),
                   (2, 3, 4), expected_num_weights=1,
                   expected_num_trainable_weights=1)
    run_layer_test(PReLU, {"shared_axes": 1}, (2, 3, 4), (2, 3, 4),
                   expected_num_weights=1)
    clone = _round_trip(PReLU(alpha_regularizer="l2", shared_axes=1))
    assert clone.shared_axes == [1]
    with pytest.warns(DeprecationWarning, match="alpha_initializer"):
        assert type(PReLU(init="ones").alpha_initializer).__name__ == "Ones"
    with pytest.raises(ValueError, match="shared_axes"):
        PReLU(shared_axes=[0])


def test_softmax_axes():
    np.testing.assert_allclose(np_(Softmax()(X)),
                               F.softmax(XT, dim=-1).numpy(), rtol=1e-5)
    x3 = rng.normal(size=(2, 3, 4)).astype("float32")
    np.testing.assert_allclose(np_(Softmax(axis=1)(x3)),
                               F.softmax(torch.tensor(x3), 1).numpy(),
                               rtol=1e-5)
    flat = F.softmax(torch.tensor(x3).reshape(2, -1), -1).numpy()
    np.testing.assert_allclose(np_(Softmax(axis=[1, 2])(x3)),
                               flat.reshape(x3.shape), rtol=1e-5)
    run_layer_test(Softmax, {"axis": 1}, (2, 3, 4), (2, 3, 4))
    assert _round_trip(Softmax(axis=[1, 2])).axis == [1, 2]
    with pytest.raises(ValueError, match="axis"):
        Softmax(axis="last")


def test_softmax_mask_gives_zero_probability():
    mask = rng.uniform(size=X.shape) > 0.4
    mask[0] = False  # a fully masked row comes out all zero
    got = np_(Softmax()(X, mask=mask))
    e = np.where(mask, np.exp(X - X.max(-1, keepdims=True)), 0.0)
    total = e.sum(-1, keepdims=True)
    want = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)
    assert (got[~mask] == 0).all()
    # A per-step mask (one axis fewer) covers each step's features.
    x3 = rng.normal(size=(2, 3, 4)).astype("float32")
    step_mask = np.array([[True, False, True], [False, True, True]])
    got = np_(Softmax()(x3, mask=step_mask))
    np.testing.assert_array_equal(got[~step_mask], 0.0)
    np.testing.assert_allclose(got[step_mask],
                               F.softmax(torch.tensor(x3[step_mask]),
                                         -1).numpy(), rtol=1e-5)


def test_softmax_receives_masks_in_functional_models():
    inp = lamina.Input(shape=(3, 4))
    model = lamina.Model(inp, Softmax()(inp))
    x3 = rng.normal(size=(2, 3, 4)).astype("float32")
    mask = np.array([[True, False, True], [True, True, False]])
    got = np_(model(x3, mask=mask))
    np.testing.assert_array_equal(got[~mask], 0.0)
