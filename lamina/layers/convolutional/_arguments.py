"""Argument checks and shape arithmetic shared by the convolution, pooling
and reshaping layers."""


def standardize_tuple(value, n, name, allow_zero=False):
    """`value` (an int or `n` ints) as a tuple of `n` ints.

    Raises:
        ValueError: naming `name`, if the value is not an int, has the
            wrong length, or has an entry < 1 (< 0 with `allow_zero`).
    """
    lowest = 0 if allow_zero else 1
    if isinstance(value, int) and not isinstance(value, bool):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            values = None
        if values is None or len(values) != n or not all(
                isinstance(v, int) and not isinstance(v, bool)
                for v in values):
            raise ValueError(f"`{name}` must be an int or a tuple of {n} "
                             f"ints, got {value!r}.")
    if any(v < lowest for v in values):
        raise ValueError(f"`{name}` entries must be >= {lowest}, got "
                         f"{value!r}.")
    return values


def standardize_padding(value, allow_causal=False):
    """'valid', 'same' (or 'causal' where allowed), lowercased."""
    allowed = ("valid", "same", "causal") if allow_causal else \
        ("valid", "same")
    padding = str(value).lower()
    if padding not in allowed:
        raise ValueError(f"`padding` must be one of {allowed}, got "
                         f"{value!r}.")
    return padding


def standardize_pairs(value, n, name):
    """Per-axis (before, after) amounts: an int (all sides), `n` ints (both
    ends of each axis) or `n` pairs, as a tuple of `n` pairs."""
    if isinstance(value, int) and not isinstance(value, bool):
        pairs = ((value, value),) * n
    else:
        try:
            items = tuple(value)
        except TypeError:
            items = ()
        if len(items) != n:
            raise ValueError(f"`{name}` must be an int, a tuple of {n} "
                             f"ints or a tuple of {n} pairs of ints, got "
                             f"{value!r}.")
        pairs = tuple(standardize_tuple(v, 2, name, allow_zero=True)
                      for v in items)
    for pair in pairs:
        standardize_tuple(pair, 2, name, allow_zero=True)
    return pairs


def conv_output_length(length, kernel, padding, stride, dilation=1):
    """Output size of one axis of a convolution or pooling (None stays
    None)."""
    if length is None:
        return None
    if padding == "valid":
        extent = (kernel - 1) * dilation + 1
        return max((length - extent) // stride + 1, 0)
    return (length - 1) // stride + 1  # 'same' and 'causal'


def deconv_output_length(length, kernel, padding, output_padding, stride,
                         dilation=1):
    """Output size of one axis of a transposed convolution."""
    if length is None:
        return None
    extent = (kernel - 1) * dilation + 1
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(extent - stride, 0)
        return length * stride
    pad = extent // 2 if padding == "same" else 0
    return (length - 1) * stride + extent - 2 * pad + output_padding


def channel_axis(data_format):
    return -1 if data_format == "channels_last" else 1


def spatial_axes(rank, data_format):
    """The positions of the spatial axes in a (batch, ...) shape."""
    start = 1 if data_format == "channels_last" else 2
    return tuple(range(start, start + rank))
