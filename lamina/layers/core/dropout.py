"""`Dropout`: zeroes a random fraction of inputs during training."""

from lamina import random
from lamina.layers.layer import Layer
from lamina.legacy.arguments import legacy_arguments


class Dropout(Layer):
    """Randomly sets input units to 0 with frequency `rate` in training.

    Kept units are scaled by `1 / (1 - rate)` so the expected sum is
    unchanged (inverted dropout; Srivastava et al., 2014). At inference
    (`training=False`, the default outside `fit`) it is the identity.

    Args:
        rate: fraction of the input units to drop, in [0, 1). The Keras 1
            spelling `p` is accepted.
        noise_shape: shape of the binary mask, broadcast to the input
            (None entries take the input's size).
        seed: an int for a repeatable mask sequence.
    """

    @legacy_arguments({"p": "rate"})
    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout: `rate` must be in [0, 1), got "
                             f"{rate!r}.")
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return random.dropout(inputs, self.rate,
                                  noise_shape=self.noise_shape,
                                  seed=self.seed_generator)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate,
                "noise_shape": self.noise_shape, "seed": self.seed}
