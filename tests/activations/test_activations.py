import json
import math

import numpy as np
import pytest

from lamina import activations, ops
from lamina.saving import config as saving

RNG = np.random.default_rng(0)
# Values spread over [-4, 4] plus the points where formulas change branch.
X = np.concatenate([RNG.uniform(-4, 4, 40),
                    [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0, 7.0]]
                   ).astype("float32").reshape(7, 7)

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805
_erf = np.vectorize(math.erf)


def np_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_softplus(x):
    return np.log1p(np.exp(x))


def np_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(x))


def np_hard_sigmoid(x):
    return np.clip(x / 6.0 + 0.5, 0.0, 1.0)


def np_relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    out = np.where(x > threshold, x, negative_slope * (x - threshold))
    if max_value is not None:
        out = np.where(x >= max_value, max_value, out)
    return out


REFERENCES = [
    ("relu", {}, lambda x: np.maximum(x, 0)),
    ("sigmoid", {}, np_sigmoid),
    ("tanh", {}, np.tanh),
    ("softmax", {}, np_softmax),
    ("log_softmax", {}, lambda x: np.log(np_softmax(x))),
    ("elu", {}, np_elu),
    ("elu", {"alpha": 0.5}, lambda x: np_elu(x, 0.5)),
    ("selu", {}, lambda x: SELU_SCALE * np_elu(x, SELU_ALPHA)),
    ("celu", {"alpha": 2.0},
     lambda x: np.maximum(x, 0) + np.minimum(0, 2.0 * np.expm1(x / 2.0))),
    ("softplus", {}, np_softplus),
    ("softsign", {}, lambda x: x / (1 + np.abs(x))),
    ("gelu", {}, lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    ("gelu", {"approximate": True}, lambda x: 0.5 * x * (1 + np.tanh(
        np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))),
    ("silu", {}, lambda x: x * np_sigmoid(x)),
    ("swish", {}, lambda x: x * np_sigmoid(x)),
    ("leaky_relu", {}, lambda x: np.where(x > 0, x, 0.2 * x)),
    ("leaky_relu", {"negative_slope": 0.01},
     lambda x: np.where(x > 0, x, 0.01 * x)),
    ("relu6", {}, lambda x: np.clip(x, 0, 6)),
    ("hard_sigmoid", {}, np_hard_sigmoid),
    ("hard_sigmoid", {}, lambda x: np.clip(x + 3, 0, 6) / 6),
    ("hard_silu", {}, lambda x: x * np_hard_sigmoid(x)),
    ("hard_swish", {}, lambda x: x * np_hard_sigmoid(x)),
    ("log_sigmoid", {}, lambda x: np.log(np_sigmoid(x))),
    ("hard_tanh", {}, lambda x: np.clip(x, -1, 1)),
    ("exponential", {}, np.exp),
    ("linear", {}, lambda x: x),
    ("mish", {}, lambda x: x * np.tanh(np_softplus(x))),
    ("hard_shrink", {}, lambda x: np.where(np.abs(x) > 0.5, x, 0)),
    ("soft_shrink", {"threshold": 1.0}, lambda x: np.where(
        x > 1, x - 1, np.where(x < -1, x + 1, 0))),
    ("tanh_shrink", {}, lambda x: x - np.tanh(x)),
    ("squareplus", {}, lambda x: (x + np.sqrt(x * x + 4)) / 2),
    ("sparse_plus", {}, lambda x: np.where(
        x <= -1, 0, np.where(x < 1, (x + 1) ** 2 / 4, x))),
    ("threshold", {"threshold": 0.5, "default_value": -2.0},
     lambda x: np.where(x > 0.5, x, -2.0)),
]


@pytest.mark.parametrize("name,kwargs,reference", REFERENCES,
                         ids=[f"{r[0]}-{i}" for i, r in
                              enumerate(REFERENCES)])
def test_matches_numpy(name, kwargs, reference):
    fn = activations.get(name)
    out = ops.convert_to_numpy(fn(X, **kwargs))
    assert out.shape == X.shape
    expected = reference(X.astype("float64"))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kwargs", [
    {"negative_slope": 0.1},
    {"max_value": 6.0},
    {"max_value": 2.5},
    {"threshold": 1.0},
    {"negative_slope": 0.1, "max_value": 3.0},
    {"negative_slope": 0.2, "threshold": -1.0},
    {"negative_slope": 0.1, "max_value": 3.0, "threshold": 0.5},
])
def test_relu_keras3_arguments(kwargs):
    out = ops.convert_to_numpy(activations.relu(X, **kwargs))
    np.testing.assert_allclose(out, np_relu(X.astype("float64"), **kwargs),
                               rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, (1, 2), (0, 2)])
def test_softmax_3d_along_any_axis(axis):
    x = RNG.normal(size=(3, 4, 5)).astype("float32")
    out = ops.convert_to_numpy(activations.softmax(x, axis=axis))
    np.testing.assert_allclose(out, np_softmax(x, axis=axis), rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(out.sum(axis=axis), 1.0, rtol=1e-5)
    log_out = ops.convert_to_numpy(activations.log_softmax(x, axis=axis))
    np.testing.assert_allclose(log_out, np.log(np_softmax(x, axis=axis)),
                               rtol=1e-5, atol=1e-5)


def test_softmax_is_stable_for_large_logits():
    x = np.array([[1000.0, 1000.0], [-1000.0, 0.0]], "float32")
    out = ops.convert_to_numpy(activations.softmax(x))
    np.testing.assert_allclose(out, [[0.5, 0.5], [0.0, 1.0]], atol=1e-6)


def test_glu_splits_the_axis_in_half():
    x = RNG.normal(size=(2, 6)).astype("float32")
    out = ops.convert_to_numpy(activations.glu(x))
    np.testing.assert_allclose(out, x[:, :3] * np_sigmoid(x[:, 3:]),
                               rtol=1e-5)


def test_output_keeps_float32():
    out = activations.relu(X, max_value=2.0)
    assert ops.dtype(out) == "float32"
    assert ops.dtype(activations.softmax(X, axis=(0, 1))) == "float32"


def test_aliases_are_the_same_function():
    assert activations.swish is activations.silu
    assert activations.hard_swish is activations.hard_silu


def test_get():
    assert activations.get(None) is activations.linear
    assert activations.get("relu") is activations.relu
    assert activations.get("swish") is activations.silu
    assert activations.get(np.tanh) is np.tanh
    keras3 = {"module": "keras.activations", "class_name": "function",
              "config": "softmax", "registered_name": "softmax"}
    assert activations.get(keras3) is activations.softmax


def test_get_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match="Unknown activation.*relu.*tanh"):
        activations.get("rellu")


def test_get_rejects_non_callables():
    with pytest.raises(ValueError, match="activation identifier 3"):
        activations.get(3)


@pytest.mark.parametrize("name", sorted(activations.ALL_OBJECTS))
def test_serialize_round_trip(name):
    fn = activations.ALL_OBJECTS[name]
    config = activations.serialize(fn)
    assert isinstance(config, str)
    json.dumps(config)
    assert activations.deserialize(config) is fn
    assert saving.deserialize(config, "activations") is fn


def test_serialize_gives_canonical_names():
    assert activations.serialize(activations.swish) == "silu"
    assert activations.serialize(activations.hard_swish) == "hard_silu"
    assert activations.serialize(None) is None


def test_custom_function_round_trip():
    def scaled_tanh(x):
        return ops.multiply(ops.tanh(x), 2.0)

    name = activations.serialize(scaled_tanh)
    assert name == "scaled_tanh"
    fn = activations.deserialize(name,
                                 custom_objects={"scaled_tanh": scaled_tanh})
    assert fn is scaled_tanh
    with pytest.raises(ValueError, match="scaled_tanh"):
        activations.deserialize(name)


def test_lambda_cannot_be_serialized():
    with pytest.raises(ValueError, match="lambda"):
        activations.serialize(lambda x: x)


def test_all_objects_cover_the_keras_names():
    expected = {"relu", "sigmoid", "tanh", "softmax", "log_softmax", "elu",
                "selu", "softplus", "softsign", "gelu", "silu", "swish",
                "leaky_relu", "relu6", "hard_sigmoid", "hard_silu",
                "hard_swish", "exponential", "linear", "mish"}
    assert expected <= set(activations.ALL_OBJECTS)
    for name, fn in activations.ALL_OBJECTS.items():
        assert getattr(activations, name) is fn


def test_dunder_all_lists_every_name():
    assert set(activations.ALL_OBJECTS) <= set(activations.__all__)
    for name in activations.__all__:
        assert hasattr(activations, name)
