"""JAX backend: the conv primitives of `lamina.backend.interface`.

Convolutions are `jax.lax.conv_general_dilated` (and `conv_transpose`)
with dimension numbers that read the channels-last or channels-first input
and the Keras kernel layout (*spatial, in, out) as they are, so XLA sees no
transposes. Pooling is `jax.lax.reduce_window`. Padding is given as
explicit (before, after) pairs from the arithmetic shared with the NumPy
reference backend.
"""

import jax.numpy as jnp
from jax import lax

from lamina.backend.jax.core import _t
from lamina.backend.numpy.conv import (
    data_format_of, normalize_tuple, padding_pairs, transpose_pairs)

__all__ = ["average_pool", "conv", "conv_transpose", "depthwise_conv",
           "max_pool"]


def _dimension_numbers(nd, data_format):
    spatial = tuple(range(1, nd + 1))
    if data_format == "channels_last":
        lhs = (0, nd + 1) + spatial
    else:
        lhs = (0, 1) + tuple(range(2, nd + 2))
    # Kernel (*spatial, in, out): out is axis nd + 1, in is axis nd.
    rhs = (nd + 1, nd) + tuple(range(nd))
    return lax.ConvDimensionNumbers(lhs, rhs, lhs)


def _spatial_shape(x, data_format):
    return x.shape[1:-1] if data_format == "channels_last" else x.shape[2:]


def _channels(x, data_format):
    return x.shape[-1] if data_format == "channels_last" else x.shape[1]


def conv(inputs, kernel, strides=1, padding="valid", data_format=None,
         dilation_rate=1, bias=None):
    data_format = data_format_of(data_format)
    x, kernel = _t(inputs), _t(kernel)
    nd = x.ndim - 2
    channels = _channels(x, data_format)
    if channels % kernel.shape[-2]:
        raise ValueError(f"conv: the input has {channels} channels, not a "
                         f"multiple of the kernel's {kernel.shape[-2]} "
                         f"input channels (kernel shape {kernel.shape}).")
    strides = normalize_tuple(strides, nd, "strides")
    dilation = normalize_tuple(dilation_rate, nd, "dilation_rate")
    pairs = padding_pairs(_spatial_shape(x, data_format), kernel.shape[:-2],
                          strides, padding, dilation)
    out = lax.conv_general_dilated(
        x, kernel, strides, pairs, rhs_dilation=dilation,
        dimension_numbers=_dimension_numbers(nd, data_format),
        feature_group_count=channels // kernel.shape[-2])
    return out if bias is None else _add_bias(out, _t(bias), data_format)


def _add_bias(out, bias, data_format):
    """XLA fuses this add into the convolution."""
    if data_format == "channels_first":
        bias = bias.reshape((-1,) + (1,) * (out.ndim - 2))
    return out + bias.astype(out.dtype)


def depthwise_conv(inputs, kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    kernel = _t(kernel)
    # (*k, C, M) -> (*k, 1, C * M): one group per input channel.
    kernel = kernel.reshape(kernel.shape[:-2] + (1, -1))
    return conv(inputs, kernel, strides, padding, data_format,
                dilation_rate)


def conv_transpose(inputs, kernel, strides, padding="valid",
                   output_padding=None, data_format=None, dilation_rate=1):
    data_format = data_format_of(data_format)
    x, kernel = _t(inputs), _t(kernel)
    nd = x.ndim - 2
    strides = normalize_tuple(strides, nd, "strides")
    dilation = normalize_tuple(dilation_rate, nd, "dilation_rate")
    pairs = transpose_pairs(kernel.shape[:-2], strides, dilation, padding,
                            output_padding)
    # transpose_kernel=True reads the kernel as the forward convolution's
    # (*k, out, in), flipping it and exchanging its channel axes.
    return lax.conv_transpose(
        x, kernel, strides, pairs, rhs_dilation=dilation,
        dimension_numbers=_dimension_numbers(nd, data_format),
        transpose_kernel=True)


def _window(x, pool_size, strides, padding, data_format):
    nd = x.ndim - 2
    pool_size = normalize_tuple(pool_size, nd, "pool_size")
    strides = pool_size if strides is None else normalize_tuple(
        strides, nd, "strides")
    pairs = padding_pairs(_spatial_shape(x, data_format), pool_size,
                          strides, padding, (1,) * nd)
    if data_format == "channels_last":
        return ((1,) + pool_size + (1,), (1,) + strides + (1,),
                [(0, 0)] + pairs + [(0, 0)])
    return ((1, 1) + pool_size, (1, 1) + strides,
            [(0, 0), (0, 0)] + pairs)


def max_pool(inputs, pool_size, strides=None, padding="valid",
             data_format=None):
    data_format = data_format_of(data_format)
    x = _t(inputs)
    dims, steps, pads = _window(x, pool_size, strides, padding, data_format)
    # A Python scalar start value: JAX differentiates reduce_window only
    # when it can see the start value is the monoid's identity.
    if jnp.issubdtype(x.dtype, jnp.floating):
        low = -float("inf")
    else:
        low = int(jnp.iinfo(x.dtype).min)
    return lax.reduce_window(x, low, lax.max, dims, steps, pads)


def average_pool(inputs, pool_size, strides=None, padding="valid",
                 data_format=None):
    data_format = data_format_of(data_format)
    x = _t(inputs)
    dims, steps, pads = _window(x, pool_size, strides, padding, data_format)
    total = lax.reduce_window(x, 0, lax.add, dims, steps, pads)
    if all(a == 0 and b == 0 for a, b in pads):
        size = 1
        for d in dims:
            size *= d
        return total / jnp.array(size, x.dtype)
    # Padded positions are left out of each average: divide by the number
    # of real inputs in each window (a constant XLA folds).
    spatial = _spatial_shape(x, data_format)
    shape = ((1,) + spatial + (1,) if data_format == "channels_last"
             else (1, 1) + spatial)
    ones = jnp.ones(shape, x.dtype)
    count = lax.reduce_window(ones, 0, lax.add, dims, steps, pads)
    return total / count

