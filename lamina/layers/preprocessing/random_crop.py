"""`RandomCrop`: crops images to a fixed size at a random place."""

from lamina import ops, random
from lamina.layers.preprocessing._augmentation import RandomImageLayer
from lamina.layers.preprocessing.resizing import check_size, image_output_shape


class RandomCrop(RandomImageLayer):
    """Crops images to `(height, width)` at a random location in training.

    In training every image of a batch is cropped at the same randomly drawn
    location. At inference (`training=False`: `predict`, `evaluate`; a
    direct call augments, as in Keras), and in training when an image is
    smaller than the target on either side, the largest centered window with
    the target aspect ratio is resized (bilinear) to `(height, width)`
    instead, as Keras documents. The output is cast to the layer's float
    dtype.

    Args:
        height, width: the output size.
        seed: an int for a repeatable sequence of crops.
        data_format: 'channels_last' (default) or 'channels_first'.

    Input shape:
        `(batch, height, width, channels)` or unbatched
        `(height, width, channels)` (channels first: channels before the
        spatial axes).

    Output shape:
        The input shape with `height` and `width` replaced.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.RandomCrop(3, 4, seed=1)
    >>> tuple(layer(np.ones((2, 6, 6, 1)), training=True).shape)
    (2, 3, 4, 1)
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        check_size("RandomCrop", height, width)
        self.height = height
        self.width = width

    def get_random_transformation(self, images, training=True):
        """`{'top', 'left'}`: int32 offsets of the window, shape (1,); None
        at inference or when the images are smaller than the target."""
        _, in_height, in_width = self._sizes(images)
        if not training or in_height < self.height or in_width < self.width:
            return None
        top = random.randint((1,), 0, in_height - self.height + 1,
                             seed=self.seed_generator)
        left = random.randint((1,), 0, in_width - self.width + 1,
                              seed=self.seed_generator)
        return {"top": top, "left": left}

    def transform_images(self, images, transformation, training=True):
        _, in_height, in_width = self._sizes(images)
        if transformation is None:
            if (in_height, in_width) == (self.height, self.width):
                return images
            out = ops.resize(images, (self.height, self.width),
                             crop_to_aspect_ratio=True,
                             data_format=self.data_format)
            return ops.cast(out, ops.dtype(images))
        height_axis, width_axis = self._spatial_axes(images)
        rows = transformation["top"] + ops.arange(self.height, dtype="int32")
        cols = transformation["left"] + ops.arange(self.width, dtype="int32")
        images = ops.take(images, rows, axis=height_axis)
        return ops.take(images, cols, axis=width_axis)

    def compute_output_shape(self, input_shape):
        return image_output_shape(input_shape, self.height, self.width,
                                  self.data_format)

    def get_config(self):
        return {**super().get_config(), "height": self.height,
                "width": self.width}
