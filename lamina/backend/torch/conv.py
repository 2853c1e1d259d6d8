"""Torch backend: the conv primitives of `lamina.backend.interface`.

Channels-last inputs are not copied to channels-first: `x.permute(...)`
gives an NCHW-shaped view whose strides are torch's `channels_last` memory
format, which torch's CPU (oneDNN) and CUDA kernels convolve and pool
directly, returning channels_last results that permute back to NHWC
without a copy. (On the MNIST convnet, benchmarks/convnet.py, this path
trains as fast as hand-written torch in channels_last memory format and
10-25% faster than on contiguous NCHW tensors, CPU.) 1-D channels-last
convolutions run as one-row 2-D ones for the same reason.

Kernels are stored the Keras way, (*spatial, in, out); the permuted view
torch wants is small and copied by the kernel call if needed. 'same'
padding with an odd total (even kernels, or strides) pads one more at the
end, as Keras does, through `F.pad`; the padding arithmetic is shared with
the NumPy reference backend.
"""

import math

import torch
import torch.nn.functional as F

from lamina.backend.numpy.conv import (
    data_format_of, normalize_tuple, padding_pairs, transpose_pairs)
from lamina.backend.torch.core import _t

__all__ = ["average_pool", "conv", "conv_transpose", "depthwise_conv",
           "max_pool"]

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d,
           3: F.conv_transpose3d}
_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def _first(x, data_format):
    """`x` as a channels-first-shaped tensor (a view, no copy)."""
    if data_format == "channels_last":
        nd = x.dim() - 2
        return x.permute(0, nd + 1, *range(1, nd + 1))
    return x


def _last(x, data_format):
    if data_format == "channels_last":
        nd = x.dim() - 2
        return x.permute(0, *range(2, nd + 2), 1)
    return x


def _torch_kernel(kernel, nd):
    """(*spatial, a, b) -> (b, a, *spatial)."""
    return kernel.permute(nd + 1, nd, *range(nd))


def _split_pads(pairs):
    """Symmetric padding for torch's kernel argument, plus the `F.pad`
    amounts (last axis first) when some axis needs more at one end."""
    if all(a == b for a, b in pairs):
        return tuple(a for a, _ in pairs), None
    pad = []
    for a, b in reversed(pairs):
        pad += [a, b]
    return (0,) * len(pairs), pad


def _convolve(x, kernel, strides, padding, data_format, dilation_rate,
              groups, bias=None):
    nd = x.dim() - 2
    strides = normalize_tuple(strides, nd, "strides")
    dilation = normalize_tuple(dilation_rate, nd, "dilation_rate")
    if nd == 1 and data_format == "channels_last":
        # (N, W, C) as a one-row image (N, 1, W, C): torch has no
        # channels_last layout for 3-D tensors, so conv1d would copy the
        # input to (N, C, W); conv2d reads it in place (about 25% faster
        # forward and backward, measured on CPU).
        out = _convolve(x.unsqueeze(1), kernel.unsqueeze(2), (1,) + strides,
                        padding, data_format, (1,) + dilation, groups, bias)
        return out.squeeze(1)
    x = _first(x, data_format)
    spatial = tuple(kernel.shape[2:])
    symmetric, pad = _split_pads(padding_pairs(
        x.shape[2:], spatial, strides, padding, dilation))
    if pad is not None:
        x = F.pad(x, pad)
    # The bias goes into the convolution kernel: one pass over the output
    # instead of a second one for a broadcast add (about 10% of a
    # channels_first Conv2D's forward and backward time, CPU).
    out = _CONV[nd](x, kernel, bias, strides, symmetric, dilation, groups)
    return _last(out, data_format)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None,
         dilation_rate=1, bias=None):
    data_format = data_format_of(data_format)
    x, kernel = _t(inputs), _t(kernel)
    nd = x.dim() - 2
    channels = x.shape[-1 if data_format == "channels_last" else 1]
    if channels % kernel.shape[-2]:
        raise ValueError(f"conv: the input has {channels} channels, not a "
                         f"multiple of the kernel's {kernel.shape[-2]} "
                         f"input channels (kernel shape "
                         f"{tuple(kernel.shape)}).")
    groups = channels // kernel.shape[-2]
    return _convolve(x, _torch_kernel(kernel, nd), strides, padding,
                     data_format, dilation_rate, groups,
                     None if bias is None else _t(bias))


def depthwise_conv(inputs, kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    data_format = data_format_of(data_format)
    x, kernel = _t(inputs), _t(kernel)
    nd = x.dim() - 2
    spatial, channels = tuple(kernel.shape[:-2]), kernel.shape[-2]
    # (*k, C, M) -> (C * M, 1, *k): output channel c * M + m is channel c
    # convolved with kernel[..., c, m], one group per input channel.
    kernel = _torch_kernel(kernel.reshape(spatial + (1, -1)), nd)
    return _convolve(x, kernel, strides, padding, data_format,
                     dilation_rate, channels)


def conv_transpose(inputs, kernel, strides, padding="valid",
                   output_padding=None, data_format=None, dilation_rate=1):
    data_format = data_format_of(data_format)
    x, kernel = _t(inputs), _t(kernel)
    nd = x.dim() - 2
    strides = normalize_tuple(strides, nd, "strides")
    dilation = normalize_tuple(dilation_rate, nd, "dilation_rate")
    spatial = tuple(kernel.shape[:-2])
    pairs = transpose_pairs(spatial, strides, dilation, padding,
                            output_padding)
    # torch pads the spread input by extent - 1 - p at both ends and adds
    # `output_padding` (< max(stride, dilation)) more at the end; any
    # other end difference is sliced off or zero-filled afterwards.
    crops, extras, trims = [], [], []
    for (before, after), k, s, d in zip(pairs, spatial, strides, dilation):
        extent = (k - 1) * d + 1
        crops.append(extent - 1 - before)
        extra = after - before
        fits = 0 <= extra < max(s, d)
        extras.append(extra if fits else 0)
        trims.append(0 if fits else extra)
    out = _CONV_T[nd](_first(x, data_format), _torch_kernel(kernel, nd),
                      None, strides, tuple(crops), tuple(extras), 1,
                      dilation)
    if any(trims):
        out = _fit_ends(out, trims)
    return _last(out, data_format)


def _fit_ends(x, trims):
    """Drops (negative) or appends zeros (positive) at each axis' end."""
    pad = []
    for t in reversed(trims):
        pad += [0, t]
    return F.pad(x, pad)


def _pool_args(x, pool_size, strides, padding, data_format):
    nd = x.dim() - 2
    pool_size = normalize_tuple(pool_size, nd, "pool_size")
    strides = pool_size if strides is None else normalize_tuple(
        strides, nd, "strides")
    x = _first(x, data_format)
    pairs = padding_pairs(x.shape[2:], pool_size, strides, padding,
                          (1,) * nd)
    return x, nd, pool_size, strides, pairs


def max_pool(inputs, pool_size, strides=None, padding="valid",
             data_format=None):
    data_format = data_format_of(data_format)
    x, nd, pool_size, strides, pairs = _pool_args(
        _t(inputs), pool_size, strides, padding, data_format)
    symmetric, pad = _split_pads(pairs)
    if pad is not None:
        x = F.pad(x, pad, value=-math.inf)
    out = _MAX[nd](x, pool_size, strides, symmetric)
    return _last(out, data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid",
                 data_format=None):
    data_format = data_format_of(data_format)
    x, nd, pool_size, strides, pairs = _pool_args(
        _t(inputs), pool_size, strides, padding, data_format)
    symmetric, pad = _split_pads(pairs)
    if pad is None:
        out = _AVG[nd](x, pool_size, strides, symmetric,
                       count_include_pad=False)
        return _last(out, data_format)
    # Uneven padding: average the zero-padded input, then rescale each
    # window by (window size / number of real inputs in it).
    out = _AVG[nd](F.pad(x, pad), pool_size, strides)
    ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype,
                      device=x.device)
    share = _AVG[nd](F.pad(ones, pad), pool_size, strides)
    return _last(out / share, data_format)
