"""Conv1D, Conv2D, Conv3D: standard checks and values against
torch.nn.functional.conv{1,2,3}d called directly."""

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lamina import ops
from lamina.layers.convolutional import (
    ALL_OBJECTS, Conv1D, Conv2D, Conv3D, Convolution2D)
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(0)


def same_pads(sizes, kernel, strides, dilation):
    """F.pad amounts (last axis first) for Keras 'same' padding."""
    pad = []
    for n, k, s, d in reversed(list(zip(sizes, kernel, strides, dilation))):
        extent = (k - 1) * d + 1
        total = max((-(-n // s) - 1) * s + extent - n, 0)
        pad += [total // 2, total - total // 2]
    return pad


def torch_conv(x, kernel, bias, strides, padding, dilation, groups,
               data_format):
    """The layer's computation written with torch.nn.functional."""
    nd = x.ndim - 2
    xt = torch.tensor(x)
    if data_format == "channels_last":
        xt = xt.movedim(-1, 1)
    if padding == "same":
        xt = F.pad(xt, same_pads(xt.shape[2:], kernel.shape[:nd], strides,
                                 dilation))
    elif padding == "causal":
        xt = F.pad(xt, [dilation[0] * (kernel.shape[0] - 1), 0])
    w = torch.tensor(kernel).permute(nd + 1, nd, *range(nd))
    conv = (F.conv1d, F.conv2d, F.conv3d)[nd - 1]
    out = conv(xt, w, torch.tensor(bias), strides, 0, dilation, groups)
    if data_format == "channels_last":
        out = out.movedim(1, -1)
    return out.numpy()


def test_conv2d_standard_checks():
    run_layer_test(Conv2D, {"filters": 3, "kernel_size": 3,
                            "activation": "tanh"},
                   input_shape=(2, 6, 5, 2), expected_output_shape=(2, 4, 3, 3),
                   expected_num_weights=2, expected_num_trainable_weights=2)


def test_conv2d_same_strided_channels_first_checks():
    run_layer_test(Conv2D, {"filters": 4, "kernel_size": (2, 3),
                            "strides": 2, "padding": "same",
                            "data_format": "channels_first"},
                   input_shape=(2, 2, 7, 6), expected_output_shape=(2, 4, 4, 3))


def test_conv2d_groups_dilation_checks():
    run_layer_test(Conv2D, {"filters": 4, "kernel_size": 2, "groups": 2,
                            "dilation_rate": 2, "use_bias": False},
                   input_shape=(2, 5, 5, 4), expected_output_shape=(2, 3, 3, 4),
                   expected_num_weights=1)


def test_conv1d_causal_checks():
    run_layer_test(Conv1D, {"filters": 3, "kernel_size": 3,
                            "padding": "causal", "dilation_rate": 2},
                   input_shape=(2, 7, 2), expected_output_shape=(2, 7, 3))


def test_conv3d_checks():
    run_layer_test(Conv3D, {"filters": 2, "kernel_size": 2, "strides": 2},
                   input_shape=(1, 4, 5, 4, 2),
                   expected_output_shape=(1, 2, 2, 2, 2))


CASES = [
    (Conv1D, {"kernel_size": 3}, (2, 9, 4)),
    (Conv1D, {"kernel_size": 4, "strides": 2, "padding": "same"}, (2, 9, 4)),
    (Conv1D, {"kernel_size": 3, "padding": "causal", "dilation_rate": 2},
     (2, 9, 4)),
    (Conv1D, {"kernel_size": 2, "groups": 2}, (2, 6, 4)),
    (Conv2D, {"kernel_size": 3}, (2, 7, 6, 4)),
    (Conv2D, {"kernel_size": (2, 4), "padding": "same"}, (2, 7, 6, 4)),
    (Conv2D, {"kernel_size": 3, "strides": (2, 3), "padding": "same"},
     (2, 7, 6, 4)),
    (Conv2D, {"kernel_size": 3, "dilation_rate": (2, 1), "padding": "same"},
     (2, 7, 6, 4)),
    (Conv2D, {"kernel_size": 1, "groups": 4}, (2, 3, 3, 4)),
    (Conv3D, {"kernel_size": (2, 3, 2), "padding": "same", "groups": 2},
     (1, 4, 5, 3, 4)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cls, kwargs, shape", CASES)
def test_matches_torch_functional(cls, kwargs, shape, data_format):
    x = rng.normal(size=shape).astype("float32")
    if data_format == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    layer = cls(filters=4, activation="relu", data_format=data_format,
                bias_initializer="random_normal", **kwargs)
    got = ops.convert_to_numpy(layer(x))
    kernel, bias = layer.get_weights()
    nd = len(shape) - 2
    want = torch_conv(x, kernel, bias, layer.strides, layer.padding,
                      layer.dilation_rate, kwargs.get("groups", 1),
                      data_format)
    np.testing.assert_allclose(got, np.maximum(want, 0), rtol=1e-4,
                               atol=1e-5)
    assert got.shape == layer.compute_output_shape(x.shape)
    assert kernel.shape == layer.kernel_size + (
        x.shape[-1 if data_format == "channels_last" else 1]
        // kwargs.get("groups", 1), 4)
    assert len(layer.kernel_size) == nd


def test_hand_computed_causal():
    layer = Conv1D(1, 2, padding="causal", kernel_initializer="ones",
                   use_bias=False)
    x = np.array([1.0, 2.0, 4.0], "float32").reshape(1, 3, 1)
    y = ops.convert_to_numpy(layer(x)).reshape(-1)
    np.testing.assert_allclose(y, [1.0, 3.0, 6.0])


def test_weights_are_named_and_shaped_like_keras():
    layer = Conv2D(8, (3, 2), groups=2)
    layer.build((None, 10, 10, 6))
    assert [w.name for w in layer.weights] == ["kernel", "bias"]
    assert [w.shape for w in layer.weights] == [(3, 2, 3, 8), (8,)]


def test_unknown_spatial_size_gives_none():
    layer = Conv2D(2, 3, strides=2)
    assert layer.compute_output_shape((None, None, 9, 1)) == \
        (None, None, 4, 2)


@pytest.mark.parametrize("kwargs, match", [
    ({"filters": 0, "kernel_size": 3}, "filters"),
    ({"filters": 3, "kernel_size": 3, "groups": 2}, "groups"),
    ({"filters": 2, "kernel_size": 0}, "kernel_size"),
    ({"filters": 2, "kernel_size": (3, 3, 3)}, "kernel_size"),
    ({"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
     "dilation_rate"),
    ({"filters": 2, "kernel_size": 3, "padding": "causal"}, "padding"),
    ({"filters": 2, "kernel_size": 3, "data_format": "nhwc"},
     "data_format"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Conv2D(**kwargs)


def test_channels_not_dividing_into_groups():
    with pytest.raises(ValueError, match="groups"):
        Conv2D(4, 3, groups=4)(np.ones((1, 5, 5, 6), "float32"))


def test_config_and_serialize_round_trip():
    layer = Conv1D(3, 2, strides=1, padding="causal", dilation_rate=2,
                   activation="relu", kernel_regularizer="l2",
                   bias_constraint="non_neg", name="c1")
    x = rng.normal(size=(2, 5, 2)).astype("float32")
    y = ops.convert_to_numpy(layer(x))
    config = json.loads(json.dumps(serialize(layer)))
    assert config["class_name"] == "Conv1D"
    clone = deserialize(config, "layers", custom_objects=ALL_OBJECTS)
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(ops.convert_to_numpy(clone(x)), y, rtol=1e-6)
    assert clone.get_config() == layer.get_config()
    assert len(clone.losses) == 1


def test_keras3_alias():
    assert Convolution2D is Conv2D
    assert ALL_OBJECTS["Convolution2D"] is Conv2D
