"""DepthwiseConv1D/2D and SeparableConv1D/2D: standard checks and values
against torch.nn.functional.conv{1,2}d with groups=channels."""

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lamina import ops
from lamina.layers.convolutional import (
    ALL_OBJECTS, DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D,
    SeparableConv2D)
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(0)


def same_pads(sizes, kernel, strides, dilation):
    pad = []
    for n, k, s, d in reversed(list(zip(sizes, kernel, strides, dilation))):
        extent = (k - 1) * d + 1
        total = max((-(-n // s) - 1) * s + extent - n, 0)
        pad += [total // 2, total - total // 2]
    return pad


def torch_depthwise(x_first, kernel, layer):
    """kernel (*k, C, M) as torch's grouped weight (C * M, 1, *k)."""
    nd = x_first.ndim - 2
    channels = kernel.shape[-2]
    xt = torch.tensor(x_first)
    if layer.padding == "same":
        xt = F.pad(xt, same_pads(xt.shape[2:], layer.kernel_size,
                                 layer.strides, layer.dilation_rate))
    w = torch.tensor(kernel).reshape(kernel.shape[:nd] + (-1,))
    w = w.permute(nd, *range(nd)).unsqueeze(1)
    conv = (F.conv1d, F.conv2d)[nd - 1]
    return conv(xt, w, None, layer.strides, 0, layer.dilation_rate,
                channels)


def _inputs(shape, data_format):
    x = rng.normal(size=shape).astype("float32")
    first = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    return (x if data_format == "channels_last" else first), first


def _to_first(y, data_format):
    return np.moveaxis(y, -1, 1) if data_format == "channels_last" else y


def test_depthwise_conv2d_checks():
    run_layer_test(DepthwiseConv2D, {"kernel_size": 3, "depth_multiplier": 2,
                                     "padding": "same"},
                   input_shape=(2, 5, 4, 3), expected_output_shape=(2, 5, 4, 6),
                   expected_num_weights=2)


def test_depthwise_conv1d_checks():
    run_layer_test(DepthwiseConv1D, {"kernel_size": 2, "strides": 2,
                                     "data_format": "channels_first"},
                   input_shape=(2, 3, 7), expected_output_shape=(2, 3, 3))


def test_separable_conv2d_checks():
    run_layer_test(SeparableConv2D, {"filters": 4, "kernel_size": 2,
                                     "depth_multiplier": 2},
                   input_shape=(2, 4, 4, 3), expected_output_shape=(2, 3, 3, 4),
                   expected_num_weights=3)


def test_separable_conv1d_checks():
    run_layer_test(SeparableConv1D, {"filters": 2, "kernel_size": 3,
                                     "padding": "same", "use_bias": False},
                   input_shape=(2, 6, 3), expected_output_shape=(2, 6, 2),
                   expected_num_weights=2)


DEPTHWISE = [
    (DepthwiseConv2D, {"kernel_size": 3}, (2, 6, 5, 3)),
    (DepthwiseConv2D, {"kernel_size": (2, 3), "strides": 2,
                       "padding": "same", "depth_multiplier": 2},
     (2, 6, 5, 3)),
    (DepthwiseConv2D, {"kernel_size": 2, "dilation_rate": 2,
                       "depth_multiplier": 3}, (2, 6, 5, 2)),
    (DepthwiseConv1D, {"kernel_size": 4, "padding": "same",
                       "depth_multiplier": 2}, (2, 7, 3)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cls, kwargs, shape", DEPTHWISE)
def test_depthwise_matches_torch(cls, kwargs, shape, data_format):
    x, first = _inputs(shape, data_format)
    layer = cls(data_format=data_format, bias_initializer="random_normal",
                **kwargs)
    got = _to_first(ops.convert_to_numpy(layer(x)), data_format)
    kernel, bias = layer.get_weights()
    multiplier = kwargs.get("depth_multiplier", 1)
    assert kernel.shape == layer.kernel_size + (shape[-1], multiplier)
    assert bias.shape == (shape[-1] * multiplier,)
    want = torch_depthwise(first, kernel, layer).numpy()
    want += bias.reshape((-1,) + (1,) * (len(shape) - 2))
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


SEPARABLE = [
    (SeparableConv2D, {"kernel_size": 3, "depth_multiplier": 2},
     (2, 6, 5, 3)),
    (SeparableConv2D, {"kernel_size": 2, "strides": 2, "padding": "same"},
     (2, 5, 5, 3)),
    (SeparableConv1D, {"kernel_size": 3, "dilation_rate": 2,
                       "padding": "same"}, (2, 8, 3)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cls, kwargs, shape", SEPARABLE)
def test_separable_matches_torch(cls, kwargs, shape, data_format):
    x, first = _inputs(shape, data_format)
    layer = cls(4, data_format=data_format, activation="relu",
                bias_initializer="random_normal", **kwargs)
    got = _to_first(ops.convert_to_numpy(layer(x)), data_format)
    depthwise, pointwise, bias = layer.get_weights()
    nd = len(shape) - 2
    assert pointwise.shape == (1,) * nd + (
        shape[-1] * kwargs.get("depth_multiplier", 1), 4)
    h = torch_depthwise(first, depthwise, layer)
    w = torch.tensor(pointwise).permute(nd + 1, nd, *range(nd))
    conv = (F.conv1d, F.conv2d)[nd - 1]
    want = F.relu(conv(h, w, torch.tensor(bias))).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_weight_names_and_order_like_keras():
    layer = SeparableConv2D(5, 3, depth_multiplier=2)
    layer.build((None, 8, 8, 4))
    assert [w.name for w in layer.weights] == [
        "depthwise_kernel", "pointwise_kernel", "bias"]
    depthwise = DepthwiseConv2D(3)
    depthwise.build((None, 8, 8, 4))
    assert [w.name for w in depthwise.weights] == ["kernel", "bias"]


@pytest.mark.parametrize("cls, args", [(DepthwiseConv2D, (3,)),
                                       (SeparableConv1D, (2, 3))])
def test_serialize_round_trip(cls, args):
    layer = cls(*args, depth_multiplier=2, depthwise_regularizer="l1",
                padding="same")
    config = json.loads(json.dumps(serialize(layer)))
    clone = deserialize(config, "layers", custom_objects=ALL_OBJECTS)
    assert clone.get_config() == layer.get_config()
    assert config["config"]["depth_multiplier"] == 2


def test_bad_depth_multiplier():
    with pytest.raises(ValueError, match="depth_multiplier"):
        DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match="padding"):
        SeparableConv1D(2, 3, padding="causal")
