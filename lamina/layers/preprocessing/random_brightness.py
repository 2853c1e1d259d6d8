"""`RandomBrightness`: adds a random offset to images in training."""

from lamina import ops
from lamina.layers.preprocessing._augmentation import (
    RandomImageLayer,
    parse_factor,
    parse_value_range,
)


class RandomBrightness(RandomImageLayer):
    """Randomly adjusts the brightness of images during training.

    Each image draws `d` uniformly from `[lower, upper]` and becomes
    `x + d * (high - low)`, clipped to `value_range = (low, high)`: the factor
    is a fraction of the value range. At inference (`training=False`:
    `predict`, `evaluate`; a direct call augments, as in Keras) images pass
    unchanged (cast to the layer's float dtype).

    Args:
        factor: a number `f` for the range `[-f, f]`, or a pair
            `(lower, upper)`; values in [-1, 1]. For example (-0.2, 0.3)
            darkens by up to 20% or brightens by up to 30% of the range.
        value_range: the `(low, high)` range of the pixel values, such as
            (0, 255) (default) or (0, 1).
        seed: an int for a repeatable sequence of offsets.
        data_format: 'channels_last' (default) or 'channels_first'.

    Input shape:
        `(batch, height, width, channels)` or unbatched
        `(height, width, channels)` (channels first: channels before the
        spatial axes).

    Output shape:
        The input shape.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.RandomBrightness((1.0, 1.0), (0, 1))
    >>> x = np.full((1, 2, 2, 1), 0.25)  # brightened to the top of range
    >>> lamina.ops.convert_to_numpy(layer(x, training=True)).ravel().tolist()
    [1.0, 1.0, 1.0, 1.0]
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = parse_factor("RandomBrightness", "factor", factor,
                                   -1.0, 1.0)
        self.value_range = parse_value_range("RandomBrightness",
                                             value_range)

    def get_random_transformation(self, images, training=True):
        """`{'delta': (batch,)}`, offsets in pixel units; None when not
        training."""
        if not training:
            return None
        batch, _, _ = self._sizes(images)
        low, high = self.value_range
        lower, upper = self.factor
        return {"delta": self._uniform(batch, lower, upper) * float(
            high - low)}

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        delta = ops.cast(self._per_image(transformation["delta"], images),
                         ops.dtype(images))
        return ops.clip(images + delta, self.value_range[0],
                        self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range}
