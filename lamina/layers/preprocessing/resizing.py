"""`Resizing`: resizes images to a fixed height and width."""

import numpy as np

from lamina import backend, ops
from lamina.layers.layer import Layer

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")


def check_size(owner, height, width):
    for name, value in (("height", height), ("width", width)):
        if isinstance(value, bool) or not isinstance(value, int) or \
                value < 1:
            raise ValueError(f"{owner}: `{name}` must be a positive int, "
                             f"got {value!r}.")


def image_output_shape(input_shape, height, width, data_format):
    """Shape of 3-D or 4-D images after their spatial size changes."""
    shape = list(input_shape)
    if len(shape) not in (3, 4):
        raise ValueError(f"Expected images of rank 3 (height, width, "
                         f"channels) or 4 (with a batch axis), got shape "
                         f"{tuple(input_shape)}.")
    first = len(shape) - 3 + (data_format == "channels_first")
    shape[first], shape[first + 1] = height, width
    return tuple(shape)


class Resizing(Layer):
    """Resizes images to `(height, width)`.

    Interpolation follows Keras / TF2 (`lamina.ops.resize`): half-pixel
    centers. With `crop_to_aspect_ratio` the largest centered window with
    the target aspect ratio is resized (no distortion); with
    `pad_to_aspect_ratio` the image is padded with `fill_value` to that
    aspect ratio first. Integer images come back in their own dtype
    (rounded and clipped).

    Args:
        height, width: the output size.
        interpolation: 'bilinear', 'nearest', 'bicubic', 'lanczos3' or
            'lanczos5'.
        crop_to_aspect_ratio: crop instead of distorting.
        pad_to_aspect_ratio: pad instead of distorting.
        fill_mode: how to pad ('constant' only).
        fill_value: the padding value.
        antialias: low-pass filter when downsampling (a lamina extra,
            as in `keras.ops.image.resize`).
        data_format: 'channels_last' (default) or 'channels_first'.

    Input shape:
        `(batch, height, width, channels)` or unbatched
        `(height, width, channels)` (channels first: channels before the
        spatial axes).

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.preprocessing.Resizing(2, 2)
    >>> tuple(layer(np.ones((1, 4, 6, 3))).shape)
    (1, 2, 2, 3)
    """

    def __init__(self, height, width, interpolation="bilinear",
                 crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                 fill_mode="constant", fill_value=0.0, antialias=False,
                 data_format=None, **kwargs):
        super().__init__(**kwargs)
        check_size("Resizing", height, width)
        if interpolation not in INTERPOLATIONS:
            raise ValueError(f"Resizing: `interpolation` must be one of "
                             f"{INTERPOLATIONS}, got {interpolation!r}.")
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError("Resizing: only one of `crop_to_aspect_ratio` "
                             "and `pad_to_aspect_ratio` can be True.")
        if fill_mode != "constant":
            raise ValueError(f"Resizing: `fill_mode` must be 'constant', "
                             f"got {fill_mode!r}.")
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_mode = fill_mode
        self.fill_value = float(fill_value)
        self.antialias = bool(antialias)
        self.data_format = backend.standardize_data_format(data_format)
        self.built = True

    def call(self, inputs):
        dtype = ops.dtype(inputs)
        out = ops.resize(
            inputs, (self.height, self.width),
            interpolation=self.interpolation, antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_mode=self.fill_mode, fill_value=self.fill_value,
            data_format=self.data_format)
        if ops.dtype(out) != dtype and dtype.startswith(("int", "uint")):
            info = np.iinfo(dtype)
            out = ops.cast(ops.clip(ops.round(out), float(info.min),
                                    float(info.max)), dtype)
        return out

    def compute_output_shape(self, input_shape):
        return image_output_shape(input_shape, self.height, self.width,
                                  self.data_format)

    def get_config(self):
        config = {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "data_format": self.data_format,
        }
        if self.antialias:  # absent from Keras 3's Resizing: written only
            config["antialias"] = True  # when used, so configs load there
        return config
