"""`RandomContrast`: scales each channel about its mean in training."""

from lamina import ops
from lamina.layers.preprocessing._augmentation import (
    RandomImageLayer,
    parse_factor,
    parse_value_range,
)


class RandomContrast(RandomImageLayer):
    """Randomly adjusts the contrast of images during training.

    Each image draws a contrast factor `c` uniformly from
    `[1 - lower, 1 + upper]`; every channel becomes `(x - mean) * c + mean`,
    `mean` being that channel's mean over the image, and the result is clipped
    to `value_range`. At inference (`training=False`: `predict`, `evaluate`; a
    direct call augments, as in Keras) images pass unchanged (cast to the
    layer's float dtype).

    Args:
        factor: a number `f` in [0, 1] for `lower = upper = f`, or a pair
            `(lower, upper)` of numbers in [0, 1].
        value_range: the `(low, high)` range of the pixel values, such as
            (0, 255) (default) or (0, 1).
        seed: an int for a repeatable sequence of factors.
        data_format: 'channels_last' (default) or 'channels_first'.

    Input shape:
        `(batch, height, width, channels)` or unbatched
        `(height, width, channels)` (channels first: channels before the
        spatial axes).

    Output shape:
        The input shape.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.RandomContrast(0.5, seed=1)
    >>> x = np.full((1, 2, 2, 1), 7.0)  # flat image: nothing to stretch
    >>> lamina.ops.convert_to_numpy(layer(x, training=True)).ravel().tolist()
    [7.0, 7.0, 7.0, 7.0]
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = parse_factor("RandomContrast", "factor", factor, 0.0,
                                   1.0, one_sided=True)
        self.value_range = parse_value_range("RandomContrast", value_range)

    def get_random_transformation(self, images, training=True):
        """`{'contrast_factor': (batch,)}`; None when not training."""
        if not training:
            return None
        batch, _, _ = self._sizes(images)
        lower, upper = self.factor
        return {"contrast_factor": self._uniform(batch, 1.0 - lower,
                                                 1.0 + upper)}

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        factor = ops.cast(self._per_image(
            transformation["contrast_factor"], images), ops.dtype(images))
        mean = ops.mean(images, axis=self._spatial_axes(images),
                        keepdims=True)
        out = (images - mean) * factor + mean
        return ops.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range}
