"""`GaussianNoise`: adds zero-centered Gaussian noise during training."""

from lamina import ops, random
from lamina.layers.layer import Layer
from lamina.legacy.arguments import legacy_arguments


class GaussianNoise(Layer):
    """Adds `normal(0, stddev)` noise to the input in training.

    A regularizer (and a form of data augmentation for real-valued
    inputs). At inference (`training=False`, the default outside `fit`) it
    is the identity.

    Args:
        stddev: standard deviation of the noise (Keras 1: `sigma`).
        seed: an int for a repeatable noise sequence.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.regularization.GaussianNoise(0.1)
    >>> lamina.ops.convert_to_numpy(layer(np.ones((1, 2)))).tolist()
    [[1.0, 1.0]]
    """

    @legacy_arguments({"sigma": "stddev"})
    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(stddev, bool) or not isinstance(stddev, (int, float)) \
                or stddev < 0:
            raise ValueError(f"GaussianNoise: `stddev` must be a "
                             f"non-negative number, got {stddev!r}.")
        self.stddev = float(stddev)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            noise = random.normal(ops.shape(inputs), stddev=self.stddev,
                                  dtype=ops.dtype(inputs),
                                  seed=self.seed_generator)
            return ops.add(inputs, noise)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev,
                "seed": self.seed}
