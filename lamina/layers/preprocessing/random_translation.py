"""`RandomTranslation`: shifts images by a random offset in training."""

from lamina.layers.preprocessing import affine
from lamina.layers.preprocessing._augmentation import (
    RandomImageLayer,
    as_written,
    parse_factor,
)


class RandomTranslation(RandomImageLayer):
    """Randomly shifts images during training.

    Each image moves down by `h * height` and right by `w * width` pixels,
    with `h` and `w` drawn uniformly from the factors' ranges (negative
    values move it up / left); the uncovered border is filled according to
    `fill_mode`. At inference (`training=False`: `predict`, `evaluate`; a
    direct call augments, as in Keras) images pass unchanged (cast to the
    layer's float dtype).

    Args:
        height_factor: a fraction of the height: a number `f` for the
            range `[-f, f]`, or a pair `(lower, upper)`; values in [-1, 1].
        width_factor: the same for the width.
        fill_mode: 'reflect' (default), 'wrap', 'constant' or 'nearest'.
        interpolation: 'bilinear' (default) or 'nearest'.
        seed: an int for a repeatable sequence of shifts.
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
    >>> layer = lamina.layers.RandomTranslation(0.1, 0.2, seed=1)
    >>> tuple(layer(np.ones((2, 5, 5, 3)), training=True).shape)
    (2, 5, 5, 3)
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height_lower, self.height_upper = parse_factor(
            "RandomTranslation", "height_factor", height_factor, -1.0, 1.0)
        self.width_lower, self.width_upper = parse_factor(
            "RandomTranslation", "width_factor", width_factor, -1.0, 1.0)
        affine.check_resampling("RandomTranslation", interpolation,
                                fill_mode, fill_value)
        self.height_factor = as_written(height_factor)
        self.width_factor = as_written(width_factor)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = float(fill_value)

    def get_random_transformation(self, images, training=True):
        """`{'dy', 'dx'}`: `(batch,)` shifts in pixels (down, right); None
        when not training."""
        if not training:
            return None
        batch, height, width = self._sizes(images)
        dy = self._uniform(batch, self.height_lower, self.height_upper)
        dx = self._uniform(batch, self.width_lower, self.width_upper)
        return {"dy": dy * float(height), "dx": dx * float(width)}

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        transform = affine.translation_transform(transformation["dx"],
                                                 transformation["dy"])
        return affine.affine_transform(
            images, transform, interpolation=self.interpolation,
            fill_mode=self.fill_mode, fill_value=self.fill_value,
            data_format=self.data_format)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor,
                "fill_mode": self.fill_mode,
                "interpolation": self.interpolation,
                "fill_value": self.fill_value}
