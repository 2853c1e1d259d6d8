"""NumPy backend: the conv primitives of `lamina.backend.interface`.

The reference definitions of convolution and pooling: pad explicitly, then
sum (or max) over the kernel offsets, one strided slice of the input per
offset. Arrays are worked on channels-last; channels-first inputs are
transposed in and out.

The padding arithmetic (`same_padding`, `conv_transpose_padding`) is pure
Python on static sizes and is shared with the torch and JAX backends, so
that the three agree on what 'same' means:

- 'same' follows TensorFlow/Keras: the output has `ceil(size / stride)`
  positions and the total padding is split with the extra element at the
  end (`pad_after = pad_before + 1` for odd totals, e.g. even kernels).
- A transposed convolution is the gradient of a convolution with respect
  to its input; its output length is Keras's `deconv_output_length`.
"""

import itertools

import numpy as np

from lamina import backend as _settings
from lamina.backend.numpy.core import _t

__all__ = ["average_pool", "conv", "conv_transpose", "depthwise_conv",
           "max_pool"]


# -- shared argument and padding arithmetic ---------------------------------

def normalize_tuple(value, n, name):
    """`value` (an int or a sequence of `n` ints) as a tuple of `n` ints."""
    if isinstance(value, int):
        return (value,) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"`{name}` must be an int or a tuple of {n} ints, "
                         f"got {value!r}.")
    return value


def normalize_padding(padding):
    """'valid' or 'same' (any case); anything else is an error."""
    value = str(padding).lower()
    if value not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same', got "
                         f"{padding!r}.")
    return value


def data_format_of(data_format):
    return _settings.standardize_data_format(data_format)


def same_padding(size, kernel, stride, dilation=1):
    """(before, after) zeros for 'same' padding of one spatial axis.

    The output has `ceil(size / stride)` positions; an odd total puts the
    extra zero at the end, as TensorFlow and Keras do.
    """
    extent = (kernel - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + extent - size, 0)
    return total // 2, total - total // 2


def padding_pairs(spatial, kernel, strides, padding, dilation):
    """Explicit (before, after) pairs for each spatial axis."""
    if normalize_padding(padding) == "valid":
        return [(0, 0)] * len(spatial)
    return [same_padding(n, k, s, d) for n, k, s, d in
            zip(spatial, kernel, strides, dilation)]


def conv_transpose_padding(kernel, stride, dilation, padding, output_padding):
    """(before, after) padding of the stride-dilated input for one axis.

    A transposed convolution is a stride-1 convolution, with the flipped
    kernel, over the input with `stride - 1` zeros between its elements and
    these pads at its ends. The output length is then
    `size * stride + max(extent - stride, 0)` ('valid'), `size * stride`
    ('same'), or `(size - 1) * stride + extent - 2 * pad + output_padding`
    with `pad = extent // 2` ('same') or 0 ('valid') when `output_padding`
    is given, where `extent = (kernel - 1) * dilation + 1`.
    """
    extent = (kernel - 1) * dilation + 1
    if normalize_padding(padding) == "valid":
        if output_padding is None:
            output_padding = max(extent, stride) - extent
        return extent - 1, extent - 1 + output_padding
    if output_padding is None:
        total = stride + extent - 2
    else:
        total = extent + extent % 2 - 2 + output_padding
    before = min(total // 2 + total % 2, extent - 1)
    return before, total - before


def transpose_pairs(kernel, strides, dilation, padding, output_padding):
    if output_padding is None:
        output_padding = (None,) * len(kernel)
    else:
        output_padding = normalize_tuple(output_padding, len(kernel),
                                         "output_padding")
        for p, s, d in zip(output_padding, strides, dilation):
            if p >= max(s, d):
                raise ValueError(
                    f"`output_padding` must be smaller than the stride (or "
                    f"the dilation), got output_padding={output_padding} "
                    f"with strides={strides}.")
    return [conv_transpose_padding(k, s, d, padding, p) for k, s, d, p in
            zip(kernel, strides, dilation, output_padding)]


# -- reference implementations ----------------------------------------------

def _to_last(x, data_format):
    if data_format == "channels_first":
        return np.moveaxis(x, 1, -1)
    return x


def _from_last(x, data_format):
    if data_format == "channels_first":
        return np.moveaxis(x, -1, 1)
    return np.ascontiguousarray(x)


def _windows(x, kernel, strides, dilation):
    """Yields (offset, window) for each kernel offset: the input values
    (channels-last, already padded) that meet that kernel element."""
    spatial = x.shape[1:-1]
    out = [(n - (k - 1) * d - 1) // s + 1 for n, k, s, d in
           zip(spatial, kernel, strides, dilation)]
    for offset in itertools.product(*[range(k) for k in kernel]):
        index = tuple(np.s_[o * d:o * d + (m - 1) * s + 1:s] for o, d, m, s
                      in zip(offset, dilation, out, strides))
        yield offset, x[(slice(None),) + index]


def _pad(x, pairs, value=0):
    return np.pad(x, [(0, 0)] + list(pairs) + [(0, 0)], mode="constant",
                  constant_values=value)


def _conv_last(x, kernel, strides, pairs, dilation):
    """Channels-last grouped convolution of an explicitly padded input."""
    x = _pad(x, pairs)
    groups = x.shape[-1] // kernel.shape[-2]
    cin, cout = kernel.shape[-2], kernel.shape[-1]
    if cout % groups:
        raise ValueError(f"conv: the kernel's {cout} output channels do not "
                         f"divide into the {groups} groups that the "
                         f"input's {x.shape[-1]} channels make.")
    # Channels split into (group, channel within group); the kernel's
    # outputs likewise, so each group sees only its own inputs.
    k = kernel.reshape(kernel.shape[:-2] + (cin, groups, cout // groups))
    out = None
    for offset, window in _windows(x, kernel.shape[:-2], strides, dilation):
        window = window.reshape(window.shape[:-1] + (groups, cin))
        term = np.einsum("...gc,cgo->...go", window, k[offset])
        out = term if out is None else out + term
    return out.reshape(out.shape[:-2] + (cout,)).astype(x.dtype)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None,
         dilation_rate=1, bias=None):
    data_format = data_format_of(data_format)
    x, kernel = _t(inputs), _t(kernel)
    nd = x.ndim - 2
    x = _to_last(x, data_format)
    if x.shape[-1] % kernel.shape[-2]:
        raise ValueError(f"conv: the input has {x.shape[-1]} channels, not "
                         f"a multiple of the kernel's {kernel.shape[-2]} "
                         "input channels (kernel shape "
                         f"{kernel.shape}).")
    strides = normalize_tuple(strides, nd, "strides")
    dilation = normalize_tuple(dilation_rate, nd, "dilation_rate")
    pairs = padding_pairs(x.shape[1:-1], kernel.shape[:-2], strides,
                          padding, dilation)
    out = _conv_last(x, kernel, strides, pairs, dilation)
    if bias is not None:
        out = out + _t(bias).astype(out.dtype)
    return _from_last(out, data_format)


def depthwise_conv(inputs, kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    # Output channel c * multiplier + m is input channel c convolved with
    # kernel[..., c, m]: a grouped convolution with one group per channel.
    kernel = _t(kernel)
    spatial, (channels, multiplier) = kernel.shape[:-2], kernel.shape[-2:]
    kernel = kernel.reshape(spatial + (1, channels * multiplier))
    return conv(inputs, kernel, strides, padding, data_format, dilation_rate)


def conv_transpose(inputs, kernel, strides, padding="valid",
                   output_padding=None, data_format=None, dilation_rate=1):
    data_format = data_format_of(data_format)
    x, kernel = _t(inputs), _t(kernel)
    nd = x.ndim - 2
    x = _to_last(x, data_format)
    strides = normalize_tuple(strides, nd, "strides")
    dilation = normalize_tuple(dilation_rate, nd, "dilation_rate")
    pairs = transpose_pairs(kernel.shape[:-2], strides, dilation, padding,
                            output_padding)
    # Insert stride - 1 zeros between input elements.
    shape = [x.shape[0]] + [(n - 1) * s + 1 for n, s in
                            zip(x.shape[1:-1], strides)] + [x.shape[-1]]
    spread = np.zeros(shape, x.dtype)
    spread[(slice(None),) + tuple(np.s_[::s] for s in strides)] = x
    # The kernel maps outputs to inputs (*k, out, in): flipped and with
    # its channel axes exchanged it maps inputs to outputs.
    flipped = np.flip(kernel, axis=tuple(range(nd))).swapaxes(-1, -2)
    out = _conv_last(spread, np.ascontiguousarray(flipped), (1,) * nd,
                     pairs, dilation)
    return _from_last(out, data_format)


def _pool(inputs, pool_size, strides, padding, data_format, reduce):
    data_format = data_format_of(data_format)
    x = _t(inputs)
    nd = x.ndim - 2
    pool_size = normalize_tuple(pool_size, nd, "pool_size")
    strides = pool_size if strides is None else normalize_tuple(
        strides, nd, "strides")
    x = _to_last(x, data_format)
    pairs = padding_pairs(x.shape[1:-1], pool_size, strides, padding,
                          (1,) * nd)
    return _from_last(reduce(x, pool_size, strides, pairs), data_format)


def _max(x, pool_size, strides, pairs):
    low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    x = _pad(x, pairs, low)
    out = None
    for _, window in _windows(x, pool_size, strides, (1,) * len(pool_size)):
        out = window if out is None else np.maximum(out, window)
    return out


def _average(x, pool_size, strides, pairs):
    # Padded positions are left out of each average (Keras, TensorFlow).
    ones = np.ones((1,) + x.shape[1:-1] + (1,), x.dtype)
    total = count = None
    unit = (1,) * len(pool_size)
    for (_, w), (_, c) in zip(_windows(_pad(x, pairs), pool_size, strides,
                                       unit),
                              _windows(_pad(ones, pairs), pool_size, strides,
                                       unit)):
        total = w if total is None else total + w
        count = c if count is None else count + c
    return (total / count).astype(x.dtype)


def max_pool(inputs, pool_size, strides=None, padding="valid",
             data_format=None):
    return _pool(inputs, pool_size, strides, padding, data_format, _max)


def average_pool(inputs, pool_size, strides=None, padding="valid",
                 data_format=None):
    return _pool(inputs, pool_size, strides, padding, data_format, _average)
