"""`RandomFlip`: flips images left-right and/or up-down in training."""

from lamina import ops, random
from lamina.layers.preprocessing._augmentation import RandomImageLayer

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"
MODES = (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL)


class RandomFlip(RandomImageLayer):
    """Randomly flips images during training.

    Each image is flipped left-right ('horizontal') and/or up-down
    ('vertical') with probability 1/2. With 'horizontal_and_vertical' the
    two flips are drawn independently, so each of the four orientations has
    probability 1/4. At inference (`training=False`: `predict`, `evaluate`;
    a direct call augments, as in Keras) images pass unchanged (cast to the
    layer's float dtype).

    Args:
        mode: 'horizontal', 'vertical' or 'horizontal_and_vertical'.
        seed: an int for a repeatable sequence of flips.
        data_format: 'channels_last' (default) or 'channels_first'.

    Input shape:
        `(batch, height, width, channels)` or unbatched
        `(height, width, channels)` (channels first: channels before the
        spatial axes).

    Output shape:
        The input shape.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.RandomFlip("horizontal", seed=1)
    >>> tuple(layer(np.ones((2, 4, 4, 3)), training=True).shape)
    (2, 4, 4, 3)
    """

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None,
                 data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in MODES:
            raise ValueError(f"RandomFlip: `mode` must be one of {MODES}, "
                             f"got {mode!r}.")
        self.mode = mode

    def get_random_transformation(self, images, training=True):
        """`{'horizontal': bools (batch,), 'vertical': bools (batch,)}`,
        whether each image is flipped; None when not training."""
        if not training:
            return None
        batch, _, _ = self._sizes(images)
        draws = random.uniform((batch, 2), dtype="float32",
                               seed=self.seed_generator)
        flips = ops.less(draws, 0.5)
        horizontal, vertical = ops.split(flips, 2, axis=1)
        return {"horizontal": ops.reshape(horizontal, (batch,)),
                "vertical": ops.reshape(vertical, (batch,))}

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        height_axis, width_axis = self._spatial_axes(images)
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            flip = self._per_image(transformation["horizontal"], images)
            images = ops.where(flip, ops.flip(images, axis=width_axis),
                               images)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            flip = self._per_image(transformation["vertical"], images)
            images = ops.where(flip, ops.flip(images, axis=height_axis),
                               images)
        return images

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}
