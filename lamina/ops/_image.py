"""`lamina.ops.affine_transform` (Keras 3's `keras.ops.image.affine_transform`):
resamples images through a projective transform.

Written once over `lamina.ops` (floor, clip, mod, where, take), so it runs
eagerly and inside `torch.compile` / `jax.jit` on every backend. The
random geometric layers (`RandomRotation`, `RandomZoom`,
`RandomTranslation`) build their transforms in
`lamina.layers.preprocessing.affine`.

The transform follows Keras's `keras.ops.image.affine_transform` (and
TensorFlow's `ImageProjectiveTransformV3`): eight numbers
`[a0, a1, a2, b0, b1, b2, c0, c1]` map each OUTPUT pixel `(x, y)` (column,
row) to the INPUT point `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`
with `k = c0 x + c1 y + 1`. Pixel centers sit at integer coordinates.

Points outside the input read the input as if extended by `fill_mode`,
before interpolation (so a bilinear sample next to the border blends with
the extension):

- 'constant': `fill_value` everywhere outside (`k k k k | a b c d | k k`);
- 'reflect': mirrored about the edge, edge pixel repeated
  (`d c b a | a b c d | d c b a`);
- 'wrap': the image tiled (`a b c d | a b c d | a b c d`);
- 'nearest': the edge pixel repeated (`a a a a | a b c d | d d d d`).

These are SciPy's `ndimage` modes 'grid-constant', 'reflect', 'grid-wrap'
and 'nearest'.
"""

import numbers

import numpy as np

from lamina import backend, ops

INTERPOLATIONS = ("nearest", "bilinear")
FILL_MODES = ("constant", "reflect", "wrap", "nearest")


def check_resampling(owner, interpolation, fill_mode, fill_value=0.0):
    """Raises a ValueError naming `owner` for a bad resampling argument."""
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"{owner}: `interpolation` must be one of "
                         f"{INTERPOLATIONS}, got {interpolation!r}.")
    if fill_mode not in FILL_MODES:
        raise ValueError(f"{owner}: `fill_mode` must be one of "
                         f"{FILL_MODES}, got {fill_mode!r}.")
    if not is_real(fill_value):
        raise ValueError(f"{owner}: `fill_value` must be a number, got "
                         f"{fill_value!r}.")


def is_real(value):
    """Whether `value` is a real number (not a bool)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def affine_transform(images, transform, interpolation="bilinear",
                     fill_mode="constant", fill_value=0.0, data_format=None):
    """Applies a projective transform (Keras's 8-number form) to images.

    Args:
        images: a 4-D batch `(batch, height, width, channels)` or one 3-D
            image (channels first: channels before the spatial axes).
        transform: `(8,)` for every image or `(batch, 8)`, one per image:
            `[a0, a1, a2, b0, b1, b2, c0, c1]`, mapping output points to
            input points (see the module docstring).
        interpolation: 'bilinear' or 'nearest'.
        fill_mode: 'constant', 'reflect', 'wrap' or 'nearest': how points
            outside the input are read.
        fill_value: the value outside the input with 'constant'.
        data_format: 'channels_last' (default) or 'channels_first'.

    Returns:
        The transformed images, shaped and typed like `images` (integer
        images are rounded).

    Example:

    >>> import numpy as np
    >>> from lamina.ops import affine_transform
    >>> x = np.arange(4.0).reshape(1, 2, 2, 1)
    >>> shift = [1, 0, -1, 0, 1, 0, 0, 0]  # right by one pixel
    >>> y = affine_transform(x, shift, fill_mode="nearest")
    >>> np.asarray(y)[0, :, :, 0].tolist()
    [[0.0, 0.0], [2.0, 2.0]]
    """
    check_resampling("affine_transform", interpolation, fill_mode,
                     fill_value)
    data_format = backend.standardize_data_format(data_format)
    images = ops.convert_to_tensor(images)
    shape = tuple(ops.shape(images))
    if len(shape) not in (3, 4):
        raise ValueError(f"affine_transform: `images` must be of rank 3 "
                         f"(one image) or 4 (a batch), got shape {shape}.")
    dtype = ops.dtype(images)
    is_float = dtype.startswith(("float", "bfloat"))
    x = images if is_float else ops.cast(images, "float32")
    if len(shape) == 3:
        x = ops.expand_dims(x, 0)
    if data_format == "channels_first":
        x = ops.transpose(x, (0, 2, 3, 1))
    batch, height, width, channels = ops.shape(x)

    coord_dtype = "float64" if dtype == "float64" else "float32"
    transform = ops.cast(ops.convert_to_tensor(transform), coord_dtype)
    t_shape = tuple(ops.shape(transform))
    if len(t_shape) == 1:
        transform = ops.reshape(transform, (1,) + t_shape)
        t_shape = (1,) + t_shape
    if len(t_shape) != 2 or t_shape[1] != 8 or t_shape[0] not in (1, batch):
        raise ValueError(f"affine_transform: `transform` must have shape "
                         f"(8,) or ({batch}, 8) for {batch} image(s), got "
                         f"{tuple(ops.shape(transform))}.")
    # Eight (n, 1, 1) columns, broadcasting over the output grid.
    a0, a1, a2, b0, b1, b2, c0, c1 = (
        ops.reshape(col, (t_shape[0], 1, 1))
        for col in ops.split(transform, 8, axis=1))
    cols = ops.reshape(ops.arange(width, dtype=coord_dtype), (1, 1, width))
    rows = ops.reshape(ops.arange(height, dtype=coord_dtype), (1, height, 1))
    k = c0 * cols + c1 * rows + 1.0
    in_x = ops.broadcast_to((a0 * cols + a1 * rows + a2) / k,
                            (batch, height, width))
    in_y = ops.broadcast_to((b0 * cols + b1 * rows + b2) / k,
                            (batch, height, width))

    table = ops.reshape(x, (batch * height * width, channels))
    base = ops.reshape(ops.arange(batch, dtype="int32") * (height * width),
                       (batch, 1, 1))

    def read(iy, ix):
        """Pixels at integer-valued coordinates, extended by fill_mode."""
        iy, inside_y = _fix_index(iy, height, fill_mode)
        ix, inside_x = _fix_index(ix, width, fill_mode)
        # Clipping again after the cast keeps every index in range (a NaN
        # or huge coordinate must not gather out of bounds).
        iy = ops.clip(ops.cast(iy, "int32"), 0, height - 1)
        ix = ops.clip(ops.cast(ix, "int32"), 0, width - 1)
        values = ops.take(table, base + iy * width + ix, axis=0)
        if fill_mode != "constant":
            return values
        inside = ops.expand_dims(ops.logical_and(inside_y, inside_x), -1)
        return ops.where(inside, values, float(fill_value))

    if interpolation == "nearest":  # ties round up, as SciPy's order 0
        out = read(ops.floor(in_y + 0.5), ops.floor(in_x + 0.5))
    else:
        y0, x0 = ops.floor(in_y), ops.floor(in_x)
        wy = ops.expand_dims(ops.cast(in_y - y0, ops.dtype(x)), -1)
        wx = ops.expand_dims(ops.cast(in_x - x0, ops.dtype(x)), -1)
        top = read(y0, x0) * (1.0 - wx) + read(y0, x0 + 1.0) * wx
        bottom = read(y0 + 1.0, x0) * (1.0 - wx) + read(y0 + 1.0,
                                                        x0 + 1.0) * wx
        # (Cast back: NumPy promotes bfloat16 with Python floats.)
        out = ops.cast(top * (1.0 - wy) + bottom * wy, ops.dtype(x))

    if data_format == "channels_first":
        out = ops.transpose(out, (0, 3, 1, 2))
    if len(shape) == 3:
        out = ops.squeeze(out, 0)
    if not is_float:
        info = np.iinfo(dtype)
        out = ops.cast(ops.clip(ops.round(out), float(info.min),
                                float(info.max)), dtype)
    return out


def _fix_index(index, size, fill_mode):
    """`index` (integer-valued floats) moved into [0, size) by `fill_mode`;
    also whether it was inside (used by 'constant')."""
    inside = None
    if fill_mode == "constant":
        inside = ops.logical_and(ops.greater_equal(index, 0.0),
                                 ops.less_equal(index, size - 1.0))
        index = ops.clip(index, 0.0, size - 1.0)
    elif fill_mode == "nearest":
        index = ops.clip(index, 0.0, size - 1.0)
    elif fill_mode == "wrap":
        index = ops.mod(index, float(size))
    else:  # reflect: period 2 * size, the second half mirrored
        index = ops.mod(index, 2.0 * size)
        index = ops.where(ops.greater_equal(index, float(size)),
                          2.0 * size - 1.0 - index, index)
    return index, inside
