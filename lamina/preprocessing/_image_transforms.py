"""Image transforms on single NumPy images (Keras 2's `keras.preprocessing
.image` functions): affine transforms, flips, channel and brightness
shifts, and their `random_*` versions.

An image is a 3D array; the caller names its row, column and channel
axes. The `random_*` functions default to channels-first axes, as in
Keras.
"""

import numpy as np

FILL_MODES = ("constant", "nearest", "reflect", "wrap")

# Keras passes `fill_mode` to scipy.ndimage. Keras documents 'wrap' as
# abcdabcd|abcd|abcdabcd, which is scipy's 'grid-wrap' (scipy's own
# 'wrap' makes the first and last samples overlap, scipy#2640).
_SCIPY_MODES = {"constant": "constant", "nearest": "nearest",
                "reflect": "reflect", "wrap": "grid-wrap"}


def flip_axis(x, axis):
    """`x` reversed along `axis` (a copy)."""
    return np.flip(np.asarray(x), axis).copy()


def transform_matrix_offset_center(matrix, x, y):
    """`matrix` (3x3, homogeneous) re-centred on an `x` by `y` image, so
    rotations and zooms turn around the image's centre."""
    o_x, o_y = float(x) / 2 - 0.5, float(y) / 2 - 0.5
    offset = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return offset @ matrix @ reset


def _fold(index, size, mode):
    """Indices outside `[0, size)` mapped inside, as `mode` extends the
    image (for 'constant' they are clipped; the caller masks them)."""
    if mode == "reflect":  # d c b a | a b c d | d c b a
        index = np.mod(index, 2 * size)
        return np.where(index >= size, 2 * size - 1 - index, index)
    if mode == "wrap":
        return np.mod(index, size)
    return np.clip(index, 0, size - 1)


def _affine_numpy(image, matrix, offset, order, mode, cval):
    """One 2D channel resampled at `matrix @ (row, col) + offset`: what
    `scipy.ndimage.affine_transform` computes, for orders 0 and 1."""
    rows, cols = image.shape
    grid = np.indices((rows, cols)).reshape(2, -1).astype("float64")
    r, c = matrix @ grid + np.asarray(offset, "float64")[:, None]
    if order == 0:
        r0, c0 = np.floor(r + 0.5), np.floor(c + 0.5)
        out = image[_fold(r0.astype(int), rows, mode),
                    _fold(c0.astype(int), cols, mode)].astype("float64")
    else:
        r0, c0 = np.floor(r), np.floor(c)
        fr, fc = r - r0, c - c0
        r0, c0 = r0.astype(int), c0.astype(int)
        out = 0.0
        for dr, wr in ((0, 1 - fr), (1, fr)):
            for dc, wc in ((0, 1 - fc), (1, fc)):
                out = out + wr * wc * image[
                    _fold(r0 + dr, rows, mode), _fold(c0 + dc, cols, mode)]
    if mode == "constant":
        tolerance = 1e-9  # coordinates on the border count as inside
        outside = (r < -tolerance) | (r > rows - 1 + tolerance) | \
            (c < -tolerance) | (c > cols - 1 + tolerance)
        out = np.where(outside, cval, out)
    out = out.reshape(rows, cols)
    if np.issubdtype(image.dtype, np.integer):
        out = np.round(out)
    return out.astype(image.dtype)


def _resample(image, matrix, offset, order, mode, cval):
    try:
        from scipy import ndimage
    except ImportError:
        ndimage = None
    if ndimage is not None:
        # scipy's resampling is compiled and supports every spline order;
        # it is installed with scikit-learn. The NumPy path below keeps
        # orders 0 and 1 working without it.
        return ndimage.affine_transform(image, matrix, offset, order=order,
                                        mode=_SCIPY_MODES[mode], cval=cval)
    if order not in (0, 1):
        raise ImportError(f"interpolation order {order} needs SciPy "
                          f"(`pip install scipy`); without it orders 0 "
                          f"and 1 work.")
    return _affine_numpy(image, matrix, offset, order, mode, cval)


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1,
                           row_axis=1, col_axis=2, channel_axis=0,
                           fill_mode="nearest", cval=0.0, order=1):
    """An affine transform of one image, around its centre.

    The output pixel at `(row, col)` takes the input's value at
    `M @ (row, col) + offset`, with `M` the product of the rotation,
    shift, shear and zoom below.

    Args:
        x: a 3D image.
        theta: rotation angle in degrees.
        tx, ty: shift along rows and along columns, in pixels.
        shear: shear angle in degrees.
        zx, zy: zoom along rows and along columns (< 1 enlarges).
        row_axis, col_axis, channel_axis: the axes of `x`.
        fill_mode: points outside the image: 'constant' (`cval`),
            'nearest' (aaaa|abcd|dddd), 'reflect' (dcba|abcd|dcba) or
            'wrap' (abcd|abcd|abcd).
        cval: the fill value for 'constant'.
        order: spline interpolation order (0 nearest, 1 linear).

    Returns:
        The transformed image (same shape and dtype).
    """
    if fill_mode not in FILL_MODES:
        raise ValueError(f"`fill_mode` must be one of {FILL_MODES}; got "
                         f"{fill_mode!r}.")
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(f"apply_affine_transform: expected one 3D image; "
                         f"got shape {x.shape}.")
    matrix = np.eye(3)
    if theta:
        t = np.deg2rad(theta)
        matrix = matrix @ np.array([[np.cos(t), -np.sin(t), 0],
                                    [np.sin(t), np.cos(t), 0], [0, 0, 1]])
    if tx or ty:
        matrix = matrix @ np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
    if shear:
        s = np.deg2rad(shear)
        matrix = matrix @ np.array([[1, -np.sin(s), 0],
                                    [0, np.cos(s), 0], [0, 0, 1]])
    if zx != 1 or zy != 1:
        matrix = matrix @ np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
    if not (theta or tx or ty or shear or zx != 1 or zy != 1):
        return x
    matrix = transform_matrix_offset_center(matrix, x.shape[row_axis],
                                            x.shape[col_axis])
    channels = np.moveaxis(x, channel_axis, 0)
    # After moving channels first, rows come before columns in each 2D
    # channel either way; swap the matrix if the caller's order differs.
    if row_axis > col_axis:
        matrix = matrix[[1, 0, 2]][:, [1, 0, 2]]
    out = np.stack([_resample(c, matrix[:2, :2], matrix[:2, 2], order,
                              fill_mode, cval) for c in channels])
    return np.moveaxis(out, 0, channel_axis)


def apply_channel_shift(x, intensity, channel_axis=0):
    """Adds `intensity` to every channel, clipped to the image's range."""
    x = np.asarray(x)
    low, high = np.min(x), np.max(x)
    return np.clip(x + intensity, low, high).astype(x.dtype)


def apply_brightness_shift(x, brightness, scale=True):
    """Multiplies the image's brightness by `brightness`.

    Like Keras (which goes through a Pillow image of bytes), values are
    clipped to the byte range: images in [0, 255] stay there; images with
    values outside it are mapped to [0, 255] (by min and max), brightened,
    and mapped back unless `scale` is true.
    """
    x = np.asarray(x, dtype="float64")
    low, high = float(np.min(x)), float(np.max(x))
    remap = scale or low < 0 or high > 255
    span = (high - low) or 1.0
    pixels = (x - low) / span * 255.0 if remap else x
    pixels = np.clip(pixels * brightness, 0, 255)
    if remap and not scale:
        pixels = pixels / 255.0 * span + low
    return pixels


def check_range(name, value):
    """A shift range as given: a list, an int or a float."""
    if isinstance(value, bool):
        raise TypeError(f"ImageDataGenerator: `{name}` must be a number or "
                        f"a list of numbers; got {value!r}.")
    if isinstance(value, (list, tuple, np.ndarray)):
        return value
    try:
        return float(value) if not isinstance(value, (int, np.integer)) \
            else int(value)
    except (TypeError, ValueError):
        raise ValueError(f"ImageDataGenerator: `{name}` must be a number or "
                         f"a list of numbers; got {value!r}.") from None


def draw_shift(rng, shift_range, size):
    """Keras's shift rule: an int `n` draws from the integers in
    `(-n, n)`, a list draws one of its values (random sign), a float
    draws uniformly from `[-f, f]`; values below 1 are fractions of
    `size`."""
    if isinstance(shift_range, (int, np.integer)):
        shift = rng.choice(int(shift_range)) * rng.choice([-1, 1])
    elif isinstance(shift_range, (list, tuple, np.ndarray)):
        shift = rng.choice(np.asarray(shift_range)) * rng.choice([-1, 1])
    else:
        shift = rng.uniform(-shift_range, shift_range)
    if np.max(shift_range) < 1:
        shift = shift * size
    return shift


def _axes(row_axis, col_axis, channel_axis):
    return {"row_axis": row_axis, "col_axis": col_axis,
            "channel_axis": channel_axis}


def random_rotation(x, rg, row_axis=1, col_axis=2, channel_axis=0,
                    fill_mode="nearest", cval=0.0, interpolation_order=1):
    """Rotates by an angle drawn uniformly from `[-rg, rg]` degrees."""
    theta = np.random.uniform(-rg, rg)
    return apply_affine_transform(
        x, theta=theta, fill_mode=fill_mode, cval=cval,
        order=interpolation_order, **_axes(row_axis, col_axis, channel_axis))


def random_shift(x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0,
                 fill_mode="nearest", cval=0.0, interpolation_order=1):
    """Shifts by fractions drawn from `[-hrg, hrg]` of the height and
    `[-wrg, wrg]` of the width."""
    h, w = x.shape[row_axis], x.shape[col_axis]
    tx = np.random.uniform(-hrg, hrg) * h
    ty = np.random.uniform(-wrg, wrg) * w
    return apply_affine_transform(
        x, tx=tx, ty=ty, fill_mode=fill_mode, cval=cval,
        order=interpolation_order, **_axes(row_axis, col_axis, channel_axis))


def random_shear(x, intensity, row_axis=1, col_axis=2, channel_axis=0,
                 fill_mode="nearest", cval=0.0, interpolation_order=1):
    """Shears by an angle drawn from `[-intensity, intensity]` degrees."""
    shear = np.random.uniform(-intensity, intensity)
    return apply_affine_transform(
        x, shear=shear, fill_mode=fill_mode, cval=cval,
        order=interpolation_order, **_axes(row_axis, col_axis, channel_axis))


def random_zoom(x, zoom_range, row_axis=1, col_axis=2, channel_axis=0,
                fill_mode="nearest", cval=0.0, interpolation_order=1):
    """Zooms each axis by a factor drawn from `zoom_range` (two floats)."""
    if len(zoom_range) != 2:
        raise ValueError(f"random_zoom: `zoom_range` must be two floats; "
                         f"got {zoom_range!r}.")
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = np.random.uniform(zoom_range[0], zoom_range[1], 2)
    return apply_affine_transform(
        x, zx=zx, zy=zy, fill_mode=fill_mode, cval=cval,
        order=interpolation_order, **_axes(row_axis, col_axis, channel_axis))


def random_channel_shift(x, intensity_range, channel_axis=0):
    """`apply_channel_shift` by an amount drawn from
    `[-intensity_range, intensity_range]`."""
    intensity = np.random.uniform(-intensity_range, intensity_range)
    return apply_channel_shift(x, intensity, channel_axis)


def random_brightness(x, brightness_range, scale=True):
    """`apply_brightness_shift` by a factor drawn from
    `brightness_range` (two floats)."""
    if len(brightness_range) != 2:
        raise ValueError(f"random_brightness: `brightness_range` must be "
                         f"two floats; got {brightness_range!r}.")
    factor = np.random.uniform(brightness_range[0], brightness_range[1])
    return apply_brightness_shift(x, factor, scale)
