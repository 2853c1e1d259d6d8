"""`CenterCrop`: crops the central `height` x `width` window of images."""

from lamina import backend, ops
from lamina.layers.layer import Layer
from lamina.layers.preprocessing.resizing import check_size, image_output_shape


class CenterCrop(Layer):
    """Crops the center of images to `(height, width)`.

    The window starts at `(input_height - height) // 2` (and likewise for
    the width). An image smaller than the target on either side is
    instead cropped to the target aspect ratio and resized to it
    (bilinear), as Keras does. The output is cast to the layer's float
    dtype.

    Args:
        height, width: the output size.
        data_format: 'channels_last' (default) or 'channels_first'.

    Input shape:
        `(batch, height, width, channels)` or unbatched
        `(height, width, channels)` (channels first: channels before the
        spatial axes).

    Example:

    >>> import numpy as np, lamina
    >>> x = np.arange(16.0).reshape(1, 4, 4, 1)
    >>> y = lamina.layers.preprocessing.CenterCrop(2, 2)(x)
    >>> lamina.ops.convert_to_numpy(y)[0, :, :, 0].tolist()
    [[5.0, 6.0], [9.0, 10.0]]
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(**kwargs)
        check_size("CenterCrop", height, width)
        self.height = height
        self.width = width
        self.data_format = backend.standardize_data_format(data_format)
        self.built = True

    def call(self, inputs):
        x = ops.cast(inputs, self.compute_dtype)
        shape = ops.shape(x)
        if len(shape) not in (3, 4):
            raise ValueError(f"Layer '{self.name}' expects images of rank 3 "
                             f"or 4, got shape {tuple(shape)}.")
        first = len(shape) - 3 + (self.data_format == "channels_first")
        in_height, in_width = shape[first], shape[first + 1]
        if in_height < self.height or in_width < self.width:
            return ops.resize(x, (self.height, self.width),
                              crop_to_aspect_ratio=True,
                              data_format=self.data_format)
        start = [0] * len(shape)
        start[first] = (in_height - self.height) // 2
        start[first + 1] = (in_width - self.width) // 2
        size = list(shape)
        size[first], size[first + 1] = self.height, self.width
        return ops.slice(x, start, size)

    def compute_output_shape(self, input_shape):
        return image_output_shape(input_shape, self.height, self.width,
                                  self.data_format)

    def get_config(self):
        return {**super().get_config(), "height": self.height,
                "width": self.width, "data_format": self.data_format}
