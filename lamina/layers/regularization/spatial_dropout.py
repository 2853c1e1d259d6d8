"""`SpatialDropout1D/2D/3D`: dropout of whole feature maps.

The three classes differ only in rank and share one implementation, so
they live in one file.
"""

from lamina import backend, ops, random
from lamina.layers.core.dropout import Dropout
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.legacy.arguments import legacy_arguments


class _SpatialDropout(Dropout):
    """Drops entire channels: one keep/drop draw per (sample, channel),
    broadcast over the spatial axes. When neighbouring pixels are strongly
    correlated (early conv layers), elementwise dropout barely regularizes;
    dropping whole feature maps does (Tompson et al., 2015,
    https://arxiv.org/abs/1411.4280)."""

    _rank = None

    @legacy_arguments({"p": "rate", "dim_ordering": "data_format"})
    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self._rank + 2)

    def _noise_shape(self, inputs):
        shape = ops.shape(inputs)
        if self.data_format == "channels_first":
            return (shape[0], shape[1]) + (1,) * self._rank
        return (shape[0],) + (1,) * self._rank + (shape[-1],)

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(inputs, self.rate,
                                  noise_shape=self._noise_shape(inputs),
                                  seed=self.seed_generator)
        return inputs

    def get_config(self):
        config = {**Layer.get_config(self), "rate": self.rate,
                  "seed": self.seed}
        if self._rank > 1:
            config["data_format"] = self.data_format
        return config


class SpatialDropout1D(_SpatialDropout):
    """Dropout of whole channels of a sequence `(batch, steps, channels)`.

    In training each channel of each sample is zeroed with probability
    `rate` along all steps at once, and kept channels are scaled by
    `1 / (1 - rate)`; at inference it is the identity.

    Args:
        rate: fraction of the channels to drop, in [0, 1).
        seed: an int for a repeatable sequence of masks.

    Input shape:
        `(batch, steps, channels)`.

    Output shape:
        Same as the input.
    """

    _rank = 1

    @legacy_arguments({"p": "rate"})
    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, data_format="channels_last", seed=seed,
                         **kwargs)


class SpatialDropout2D(_SpatialDropout):
    """Dropout of whole 2-D feature maps.

    In training each channel of each sample is zeroed with probability
    `rate` over the whole image, and kept channels are scaled by
    `1 / (1 - rate)`; at inference it is the identity.

    Args:
        rate: fraction of the channels to drop, in [0, 1).
        data_format: 'channels_last' `(batch, rows, cols, channels)` or
            'channels_first' `(batch, channels, rows, cols)`; default
            `lamina.backend.image_data_format()`.
        seed: an int for a repeatable sequence of masks.
    """

    _rank = 2


class SpatialDropout3D(_SpatialDropout):
    """Dropout of whole 3-D feature maps.

    In training each channel of each sample is zeroed with probability
    `rate` over the whole volume, and kept channels are scaled by
    `1 / (1 - rate)`; at inference it is the identity.

    Args:
        rate: fraction of the channels to drop, in [0, 1).
        data_format: 'channels_last' `(batch, d1, d2, d3, channels)` or
            'channels_first' `(batch, channels, d1, d2, d3)`; default
            `lamina.backend.image_data_format()`.
        seed: an int for a repeatable sequence of masks.
    """

    _rank = 3
