"""`RandomRotation`: rotates images by a random angle in training."""

from lamina.layers.preprocessing import affine
from lamina.layers.preprocessing._augmentation import (
    RandomImageLayer,
    parse_factor,
)


class RandomRotation(RandomImageLayer):
    """Randomly rotates images about their center during training.

    Each image turns by its own angle, drawn uniformly from `[lower * 2 pi,
    upper * 2 pi]`; positive angles turn it counter-clockwise. Points that
    come from outside the image are filled according to `fill_mode` (see
    `affine.affine_transform`). At inference (`training=False`: `predict`,
    `evaluate`; a direct call augments, as in Keras) images pass unchanged
    (cast to the layer's float dtype).

    Args:
        factor: a fraction of a full turn: a number `f` for the range
            `[-f, f]`, or a pair `(lower, upper)`; values in [-1, 1]. For
            example 0.2 rotates by up to 72 degrees either way.
        fill_mode: 'reflect' (default), 'wrap', 'constant' or 'nearest'.
        interpolation: 'bilinear' (default) or 'nearest'.
        seed: an int for a repeatable sequence of rotations.
        fill_value: the value outside the image with 'constant'.
        data_format: 'channels_last' (default) or 'channels_first'.

    Input shape:
        `(batch, height, width, channels)` or unbatched
        `(height, width, channels)` (channels first: channels before the
        spatial axes).

    Output shape:
        The input shape.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.RandomRotation(0.1, seed=1)
    >>> tuple(layer(np.ones((2, 5, 5, 3)), training=True).shape)
    (2, 5, 5, 3)
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear",
                 seed=None, fill_value=0.0, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = parse_factor("RandomRotation", "factor", factor,
                                   -1.0, 1.0)
        affine.check_resampling("RandomRotation", interpolation, fill_mode,
                                fill_value)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = float(fill_value)

    def get_random_transformation(self, images, training=True):
        """`{'angle': (batch,) radians}`; None when not training."""
        if not training:
            return None
        batch, _, _ = self._sizes(images)
        lower, upper = self.factor
        return {"angle": self._uniform(batch, lower * affine.TWO_PI,
                                       upper * affine.TWO_PI)}

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        _, height, width = self._sizes(images)
        transform = affine.rotation_transform(transformation["angle"],
                                              height, width)
        return affine.affine_transform(
            images, transform, interpolation=self.interpolation,
            fill_mode=self.fill_mode, fill_value=self.fill_value,
            data_format=self.data_format)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "fill_mode": self.fill_mode,
                "interpolation": self.interpolation,
                "fill_value": self.fill_value}
