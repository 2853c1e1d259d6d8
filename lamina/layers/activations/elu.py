"""`ELU`: exponential linear unit."""

from lamina import activations
from lamina.layers.layer import Layer


class ELU(Layer):
    """Exponential linear unit: `x` if `x > 0` else `alpha * (exp(x) - 1)`
    (Clevert et al., 2016, https://arxiv.org/abs/1511.07289).

    Args:
        alpha: the negative saturation value is `-alpha`.

    Example:

    >>> import numpy as np, lamina
    >>> y = lamina.layers.activations.ELU(2.0)(np.array([0.0, 3.0]))
    >>> lamina.ops.convert_to_numpy(y).tolist()
    [0.0, 3.0]
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
            raise TypeError(f"ELU: `alpha` must be a number, got "
                             f"{alpha!r}.")
        self.alpha = float(alpha)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}
