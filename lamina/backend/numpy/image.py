"""NumPy backend: the image primitives of `lamina.backend.interface`.

`resize` follows Keras / TensorFlow 2 (`tf.image.resize`): pixel centers
sit at half-integer coordinates, so output pixel `i` samples the input at
`(i + 0.5) * in_size / out_size - 0.5`.

- 'nearest' takes input pixel `floor((i + 0.5) * in_size / out_size)`
  (TF's `half_pixel_centers=True`, torch's 'nearest-exact').
- 'bilinear', 'bicubic', 'lanczos3', 'lanczos5' weight the input pixels
  near the sample point with a kernel (triangle; Keys cubic with
  `a = -0.5`; Lanczos), dropping pixels outside the image and renormalizing
  the weights to sum to 1 (TF2's and `jax.image.resize`'s border rule; for
  'bilinear' this equals clamping to the edge).
- `antialias=True` widens the kernel by the downscaling factor when
  shrinking, so every input pixel contributes (a low-pass filter).

The helpers `interpolation_weights`, `check_resize_arguments` and
`aspect_ratio_box` are plain host arithmetic on static shapes; the torch
and JAX backends reuse them so the three backends share one definition.
"""

import numpy as np

from lamina import backend as _settings

__all__ = ["resize"]

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")


def _triangle(x):
    return np.maximum(0.0, 1.0 - x)


def _keys_cubic(x, a=-0.5):
    # Keys (1981), "Cubic convolution interpolation for digital image
    # processing", with a = -0.5 as TF2 and JAX use (torch uses -0.75).
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return np.where(x <= 1, near, np.where(x < 2, far, 0.0))


def _lanczos(radius):
    def kernel(x):
        safe = np.where(x == 0, 1.0, x)
        value = radius * np.sin(np.pi * safe) * np.sin(np.pi * safe / radius)
        value = value / (np.pi ** 2 * safe ** 2)
        return np.where(x == 0, 1.0, np.where(x < radius, value, 0.0))
    return kernel


_KERNELS = {"bilinear": _triangle, "bicubic": _keys_cubic,
            "lanczos3": _lanczos(3), "lanczos5": _lanczos(5)}


def nearest_indices(in_size, out_size):
    """Input index read by each output pixel for 'nearest' (integer
    arithmetic: `floor((2 i + 1) * in_size / (2 out_size))`)."""
    index = ((2 * np.arange(out_size) + 1) * in_size) // (2 * out_size)
    return np.minimum(index, in_size - 1)


def interpolation_weights(in_size, out_size, interpolation, antialias):
    """The `(out_size, in_size)` float64 matrix mapping input pixels along
    one axis to output pixels, for the kernel methods."""
    kernel = _KERNELS[interpolation]
    inv_scale = in_size / out_size
    kernel_scale = max(inv_scale, 1.0) if antialias else 1.0
    sample = (np.arange(out_size) + 0.5) * inv_scale - 0.5
    distance = np.abs(sample[:, None] - np.arange(in_size)[None, :])
    weights = kernel(distance / kernel_scale)
    total = weights.sum(axis=1, keepdims=True)
    return weights / np.where(total == 0, 1.0, total)


def check_resize_arguments(ndim, size, interpolation, crop_to_aspect_ratio,
                           pad_to_aspect_ratio, fill_mode, data_format):
    """Validates `resize`'s arguments; returns `(size, data_format)`."""
    if ndim not in (3, 4):
        raise ValueError(f"resize: `images` must be 3-D (height, width, "
                         f"channels) or 4-D (batch, height, width, "
                         f"channels), got a {ndim}-D array.")
    try:
        size = tuple(int(s) for s in size)
    except TypeError:
        size = ()
    if len(size) != 2 or min(size) < 1:
        raise ValueError(f"resize: `size` must be a tuple of 2 positive "
                         f"integers (height, width), got {size!r}.")
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"resize: `interpolation` must be one of "
                         f"{INTERPOLATIONS}, got {interpolation!r}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("resize: only one of `crop_to_aspect_ratio` and "
                         "`pad_to_aspect_ratio` can be True.")
    if fill_mode != "constant":
        raise ValueError(f"resize: `fill_mode` must be 'constant' (the "
                         f"only mode supported), got {fill_mode!r}.")
    return size, _settings.standardize_data_format(data_format)


def aspect_ratio_box(height, width, size, crop):
    """Where the image goes before resizing to keep the aspect ratio.

    With `crop`, the centered `(top, left, crop_height, crop_width)` box to
    keep. Otherwise `(pad_height, pad_width)`: rows (columns) of fill to
    add on each side, as Keras pads (one side only gets padded).
    """
    target_height, target_width = size
    if crop:
        crop_height = int(float(width * target_height) / target_width)
        crop_height = max(min(height, crop_height), 1)
        crop_width = int(float(height * target_width) / target_height)
        crop_width = max(min(width, crop_width), 1)
        top = int(float(height - crop_height) / 2)
        left = int(float(width - crop_width) / 2)
        return top, left, crop_height, crop_width
    padded_height = max(height, int(float(width * target_height)
                                    / target_width))
    padded_width = max(width, int(float(height * target_width)
                                  / target_height))
    pad_height = int(float(padded_height - height) / 2)
    pad_width = int(float(padded_width - width) / 2)
    if pad_height > 0:
        return pad_height, 0
    return 0, pad_width


def resize(images, size, interpolation="bilinear", antialias=False,
           crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
           fill_mode="constant", fill_value=0.0, data_format=None):
    images = np.asarray(images)
    size, data_format = check_resize_arguments(
        images.ndim, size, interpolation, crop_to_aspect_ratio,
        pad_to_aspect_ratio, fill_mode, data_format)
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    height, width = x.shape[1], x.shape[2]
    if crop_to_aspect_ratio:
        top, left, h, w = aspect_ratio_box(height, width, size, crop=True)
        x = x[:, top:top + h, left:left + w, :]
    elif pad_to_aspect_ratio:
        pad_h, pad_w = aspect_ratio_box(height, width, size, crop=False)
        x = np.pad(x, ((0, 0), (pad_h, pad_h), (pad_w, pad_w), (0, 0)),
                   constant_values=np.asarray(fill_value, x.dtype))
    if interpolation == "nearest":
        x = np.take(x, nearest_indices(x.shape[1], size[0]), axis=1)
        x = np.take(x, nearest_indices(x.shape[2], size[1]), axis=2)
    else:
        if x.dtype.kind != "f":
            x = x.astype("float32")
        compute = np.float64 if x.dtype == np.float64 else np.float32
        for axis, out_size in ((1, size[0]), (2, size[1])):
            in_size = x.shape[axis]
            if in_size == out_size:  # the weights are the identity
                continue
            weights = interpolation_weights(in_size, out_size,
                                            interpolation, antialias)
            moved = np.moveaxis(x, axis, -1).astype(compute)
            out = moved @ weights.T.astype(compute)
            x = np.moveaxis(out, -1, axis).astype(x.dtype)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1)
    return x[0] if unbatched else x
