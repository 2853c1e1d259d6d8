"""`AlphaDropout`: dropout that keeps SELU's self-normalizing statistics."""

from lamina import ops, random
from lamina.layers.layer import Layer

# SELU's constants (Klambauer et al., 2017): dropped units are set to
# SELU's negative saturation value -scale * alpha.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    """Dropout for SELU networks: keeps the input's mean and variance.

    In training each unit is replaced, with probability `rate`, by
    `alpha' = -scale * alpha` (SELU's saturation value); then
    `a * x + b` restores zero mean and unit variance for standardized
    inputs, with `a = ((1 - rate) * (1 + rate * alpha' ** 2)) ** -0.5` and
    `b = -a * alpha' * rate` (Klambauer et al., 2017,
    https://arxiv.org/abs/1706.02515). At inference it is the identity.

    Args:
        rate: fraction of the units to drop, in [0, 1).
        noise_shape: shape of the keep/drop mask, broadcast to the input
            (None entries take the input's size).
        seed: an int for a repeatable mask sequence.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) \
                or not 0 <= rate < 1:
            raise ValueError(f"AlphaDropout: `rate` must be in [0, 1), got "
                             f"{rate!r}.")
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        shape = ops.shape(inputs)
        noise_shape = shape if self.noise_shape is None else tuple(
            shape[i] if d is None else d
            for i, d in enumerate(self.noise_shape))
        dtype = ops.dtype(inputs)
        keep = ops.cast(ops.greater_equal(
            random.uniform(noise_shape, dtype=dtype,
                           seed=self.seed_generator), self.rate), dtype)
        saturation = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * saturation ** 2)) ** -0.5
        b = -a * saturation * self.rate
        x = ops.add(ops.multiply(inputs, keep),
                    ops.multiply(ops.subtract(1.0, keep), saturation))
        return ops.add(ops.multiply(x, a), b)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate,
                "noise_shape": self.noise_shape, "seed": self.seed}
