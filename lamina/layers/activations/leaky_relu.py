"""`LeakyReLU`: `x` for positive inputs, `negative_slope * x` otherwise."""

from lamina import activations
from lamina.layers.layer import Layer
from lamina.legacy.arguments import legacy_arguments


class LeakyReLU(Layer):
    """Leaky rectified linear unit: `f(x) = x` if `x >= 0` else
    `negative_slope * x`.

    Args:
        negative_slope: slope for negative inputs (Keras 2's `alpha` is
            accepted with a warning).

    Example:

    >>> import numpy as np, lamina
    >>> y = lamina.layers.activations.LeakyReLU(0.5)(np.array([-2.0, 3.0]))
    >>> lamina.ops.convert_to_numpy(y).tolist()
    [-1.0, 3.0]
    """

    @legacy_arguments({"alpha": "negative_slope"})
    def __init__(self, negative_slope=0.3, **kwargs):
        super().__init__(**kwargs)
        if negative_slope is None or isinstance(negative_slope, bool) or \
                not isinstance(negative_slope, (int, float)) or \
                negative_slope < 0:
            raise ValueError(f"LeakyReLU: `negative_slope` must be a "
                             f"non-negative number, got {negative_slope!r}.")
        self.negative_slope = float(negative_slope)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.leaky_relu(inputs,
                                      negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(),
                "negative_slope": self.negative_slope}
