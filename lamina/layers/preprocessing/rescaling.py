"""`Rescaling`: `inputs * scale + offset`, e.g. pixels to [0, 1]."""

import numpy as np

from lamina import backend, ops
from lamina.layers.layer import Layer


def _plain(value):
    """A number, or an array-like as a (nested) list for the config."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    array = np.asarray(value)
    if array.ndim == 0:
        return array.item()
    return array.tolist()


class Rescaling(Layer):
    """Multiplies the input by `scale` and adds `offset`.

    The input is cast to the layer's float dtype first, so integer images
    work directly. `scale` and `offset` may be arrays (per channel); with
    `image_data_format() == 'channels_first'` a 1-D `scale` is laid along
    the channels axis of `(channels, height, width)` images, as in Keras.

    Args:
        scale: the factor (a number or an array).
        offset: the offset (a number or an array).

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.preprocessing.Rescaling(1 / 127.5, offset=-1)
    >>> lamina.ops.convert_to_numpy(layer(np.array([[0, 255]]))).tolist()
    [[-1.0, 1.0]]
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("scale", scale), ("offset", offset)):
            try:
                np.asarray(value, dtype="float64")
            except (TypeError, ValueError):
                raise ValueError(f"Rescaling: `{name}` must be a number or "
                                 f"an array of numbers, got {value!r}.") \
                    from None
        self.scale = _plain(scale)
        self.offset = _plain(offset)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        dtype = self.compute_dtype
        scale = ops.convert_to_tensor(np.asarray(self.scale), dtype=dtype)
        offset = ops.convert_to_tensor(np.asarray(self.offset), dtype=dtype)
        shape = tuple(ops.shape(scale))
        if shape and backend.image_data_format() == "channels_first":
            scale = ops.reshape(scale, shape + (1,) * (3 - len(shape)))
        return ops.add(ops.multiply(ops.cast(inputs, dtype), scale), offset)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "scale": self.scale,
                "offset": self.offset}
