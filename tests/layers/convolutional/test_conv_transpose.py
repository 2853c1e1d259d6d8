"""Conv1DTranspose, Conv2DTranspose, Conv3DTranspose: standard checks and
values against torch (autograd's gradient of a convolution, which is what a
transposed convolution is, and F.conv_transpose2d where its arguments mean
the same)."""

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lamina import ops
from lamina.layers.convolutional import (
    ALL_OBJECTS, Conv1DTranspose, Conv2DTranspose, Conv3DTranspose)
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


def gradient_of_conv(x_first, kernel, strides, padding, dilation,
                     out_spatial):
    """d/dy of <conv(y, kernel), x>: the transposed convolution of x."""
    nd = x_first.ndim - 2
    y = torch.zeros((x_first.shape[0], kernel.shape[-2]) + out_spatial,
                    dtype=torch.float64, requires_grad=True)
    padded = y
    if padding == "same":
        padded = F.pad(y, same_pads(out_spatial, kernel.shape[:nd], strides,
                                    dilation))
    w = torch.tensor(kernel, dtype=torch.float64).permute(
        nd + 1, nd, *range(nd))
    conv = (F.conv1d, F.conv2d, F.conv3d)[nd - 1]
    out = conv(padded, w, None, strides, 0, dilation)
    (grad,) = torch.autograd.grad(out, y, torch.tensor(
        x_first, dtype=torch.float64))
    return grad.numpy()


def test_conv2d_transpose_standard_checks():
    run_layer_test(Conv2DTranspose, {"filters": 3, "kernel_size": 3,
                                     "strides": 2, "padding": "same"},
                   input_shape=(2, 4, 3, 2), expected_output_shape=(2, 8, 6, 3),
                   expected_num_weights=2)


def test_conv1d_transpose_valid_output_padding_checks():
    run_layer_test(Conv1DTranspose, {"filters": 2, "kernel_size": 3,
                                     "strides": 2, "output_padding": 1,
                                     "data_format": "channels_first"},
                   input_shape=(2, 3, 4), expected_output_shape=(2, 2, 10))


def test_conv3d_transpose_checks():
    run_layer_test(Conv3DTranspose, {"filters": 2, "kernel_size": 2,
                                     "dilation_rate": 2, "use_bias": False},
                   input_shape=(1, 3, 2, 3, 2),
                   expected_output_shape=(1, 5, 4, 5, 2),
                   expected_num_weights=1)


CASES = [
    (Conv1DTranspose, {"kernel_size": 3, "strides": 2}, (2, 5, 3)),
    (Conv1DTranspose, {"kernel_size": 4, "strides": 2, "padding": "same"},
     (2, 5, 3)),
    (Conv2DTranspose, {"kernel_size": 3}, (2, 4, 5, 3)),
    (Conv2DTranspose, {"kernel_size": 3, "strides": 2, "padding": "same"},
     (2, 4, 5, 3)),
    (Conv2DTranspose, {"kernel_size": (2, 3), "strides": (3, 1),
                       "padding": "same"}, (2, 4, 5, 3)),
    (Conv2DTranspose, {"kernel_size": (1, 2), "strides": 3}, (2, 4, 5, 3)),
    (Conv2DTranspose, {"kernel_size": 3, "dilation_rate": 2,
                       "padding": "same"}, (2, 4, 5, 3)),
    (Conv3DTranspose, {"kernel_size": 2, "strides": 2, "padding": "same"},
     (1, 2, 3, 2, 3)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cls, kwargs, shape", CASES)
def test_matches_gradient_of_torch_conv(cls, kwargs, shape, data_format):
    x = rng.normal(size=shape).astype("float32")
    x_first = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    inputs = x if data_format == "channels_last" else x_first
    layer = cls(filters=2, data_format=data_format,
                bias_initializer="random_normal", **kwargs)
    got = ops.convert_to_numpy(layer(inputs))
    kernel, bias = layer.get_weights()
    assert kernel.shape == layer.kernel_size + (2, shape[-1])
    if data_format == "channels_last":
        got = np.moveaxis(got, -1, 1)
    want = gradient_of_conv(x_first, kernel, layer.strides, layer.padding,
                            layer.dilation_rate, got.shape[2:])
    bias = bias.reshape((-1,) + (1,) * (len(shape) - 2))
    np.testing.assert_allclose(got, want + bias, rtol=1e-4, atol=1e-5)
    expected = layer.compute_output_shape(inputs.shape)
    assert tuple(ops.shape(layer(inputs))) == expected


@pytest.mark.parametrize("kernel_size, output_padding", [(3, 1), (4, 0),
                                                         ((2, 3), (1, 0))])
def test_valid_output_padding_matches_torch_conv_transpose(kernel_size,
                                                           output_padding):
    x = rng.normal(size=(2, 4, 3, 3)).astype("float32")
    layer = Conv2DTranspose(2, kernel_size, strides=2,
                            output_padding=output_padding, use_bias=False)
    got = ops.convert_to_numpy(layer(x))
    (kernel,) = layer.get_weights()
    op = (output_padding,) * 2 if isinstance(output_padding, int) \
        else output_padding
    want = F.conv_transpose2d(torch.tensor(x).movedim(-1, 1),
                              torch.tensor(kernel).permute(3, 2, 0, 1),
                              stride=2, output_padding=op)
    np.testing.assert_allclose(got, want.movedim(1, -1).numpy(), rtol=1e-4,
                               atol=1e-5)


def test_same_output_padding_length():
    # (size - 1) * stride + kernel - 2 * (kernel // 2) + output_padding
    layer = Conv2DTranspose(1, (3, 4), strides=2, padding="same",
                            output_padding=1)
    out = layer(np.ones((1, 5, 5, 1), "float32"))
    # rows: 4 * 2 + 3 - 2 + 1 = 10; cols: 4 * 2 + 4 - 4 + 1 = 9
    assert tuple(ops.shape(out)) == (1, 10, 9, 1)
    assert layer.compute_output_shape((1, 5, 5, 1)) == (1, 10, 9, 1)


def test_hand_computed_stride_2():
    layer = Conv1DTranspose(1, 2, strides=2, kernel_initializer="ones",
                            use_bias=False)
    x = np.array([1.0, 2.0], "float32").reshape(1, 2, 1)
    y = ops.convert_to_numpy(layer(x)).reshape(-1)
    np.testing.assert_allclose(y, [1.0, 1.0, 2.0, 2.0])


@pytest.mark.parametrize("kwargs, match", [
    ({"output_padding": 2, "strides": 2}, "output_padding"),
    ({"padding": "causal"}, "padding"),
    ({"strides": 2, "dilation_rate": 2}, "dilation_rate"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Conv1DTranspose(2, 3, **kwargs)


def test_serialize_round_trip_keeps_output_padding():
    layer = Conv2DTranspose(2, 3, strides=2, output_padding=(1, 0))
    config = json.loads(json.dumps(serialize(layer)))
    clone = deserialize(config, "layers", custom_objects=ALL_OBJECTS)
    assert clone.output_padding == (1, 0)
    assert clone.get_config() == layer.get_config()
