"""`RandomZoom`: zooms images in or out by a random amount in training."""

from lamina.layers.preprocessing import affine
from lamina.layers.preprocessing._augmentation import (
    RandomImageLayer,
    as_written,
    parse_factor,
)


class RandomZoom(RandomImageLayer):
    """Randomly zooms images about their center during training.

    A factor `z` drawn from `[lower, upper]` makes each output axis span
    `1 + z` times the input: positive values zoom out (the image shrinks, the
    border is filled according to `fill_mode`), negative values zoom in.
    Each image draws its own factors. At inference (`training=False`:
    `predict`, `evaluate`; a direct call augments, as in Keras) images pass
    unchanged (cast to the layer's float dtype).

    Args:
        height_factor: a number `f` for the range `[-f, f]`, or a pair
            `(lower, upper)`; values in (-1, 1]. For example (-0.3, -0.2)
            zooms in by 20 to 30 percent.
        width_factor: the same for the width, or None (default) to zoom
            both axes by the height's factor (keeping the aspect ratio).
        fill_mode: 'reflect' (default), 'wrap', 'constant' or 'nearest'.
        interpolation: 'bilinear' (default) or 'nearest'.
        seed: an int for a repeatable sequence of zooms.
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
    >>> layer = lamina.layers.RandomZoom(0.2, seed=1)
    >>> tuple(layer(np.ones((2, 5, 5, 3)), training=True).shape)
    (2, 5, 5, 3)
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height_lower, self.height_upper = parse_factor(
            "RandomZoom", "height_factor", height_factor, -1.0, 1.0,
            open_low=True)
        if width_factor is not None:
            self.width_lower, self.width_upper = parse_factor(
                "RandomZoom", "width_factor", width_factor, -1.0, 1.0,
                open_low=True)
        affine.check_resampling("RandomZoom", interpolation, fill_mode,
                                fill_value)
        self.height_factor = as_written(height_factor)
        self.width_factor = as_written(width_factor)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = float(fill_value)

    def get_random_transformation(self, images, training=True):
        """`{'height_zoom', 'width_zoom'}`: `(batch,)` scales `1 + z`;
        None when not training."""
        if not training:
            return None
        batch, _, _ = self._sizes(images)
        height_zoom = 1.0 + self._uniform(batch, self.height_lower,
                                          self.height_upper)
        width_zoom = height_zoom
        if self.width_factor is not None:
            width_zoom = 1.0 + self._uniform(batch, self.width_lower,
                                             self.width_upper)
        return {"height_zoom": height_zoom, "width_zoom": width_zoom}

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        _, height, width = self._sizes(images)
        transform = affine.zoom_transform(transformation["width_zoom"],
                                          transformation["height_zoom"],
                                          height, width)
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
