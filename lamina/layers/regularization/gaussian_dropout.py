"""`GaussianDropout`: multiplicative Gaussian noise with mean 1."""

import math

from lamina import ops, random
from lamina.layers.layer import Layer
from lamina.legacy.arguments import legacy_arguments


class GaussianDropout(Layer):
    """Multiplies the input by `normal(1, sqrt(rate / (1 - rate)))` noise
    in training.

    The noise has the variance of inverted dropout's `rate` mask, so it
    regularizes like `Dropout(rate)` without zeroing units (Srivastava et
    al., 2014, section 10). At inference it is the identity.

    Args:
        rate: the equivalent drop probability, in [0, 1) (Keras 1: `p`).
        seed: an int for a repeatable noise sequence.
    """

    @legacy_arguments({"p": "rate"})
    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) \
                or not 0 <= rate < 1:
            raise ValueError(f"GaussianDropout: `rate` must be in [0, 1), "
                             f"got {rate!r}.")
        self.rate = float(rate)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            noise = random.normal(ops.shape(inputs), mean=1.0, stddev=stddev,
                                  dtype=ops.dtype(inputs),
                                  seed=self.seed_generator)
            return ops.multiply(inputs, noise)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
