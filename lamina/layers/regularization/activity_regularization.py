"""`ActivityRegularization`: adds an L1/L2 penalty on its input."""

from lamina import regularizers
from lamina.layers.layer import Layer


class ActivityRegularization(Layer):
    """Passes the input through and adds `l1 * sum(|x|) + l2 * sum(x ** 2)`
    to the model's losses.

    Args:
        l1: L1 factor (non-negative).
        l2: L2 factor (non-negative).

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.regularization.ActivityRegularization(l1=0.5)
    >>> _ = layer(np.array([[1.0, -2.0]]))
    >>> float(lamina.ops.convert_to_numpy(layer.losses[0]))
    1.5
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)  # rebuilt from l1, l2
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2),
                         **kwargs)
        self.l1 = self.activity_regularizer.l1
        self.l2 = self.activity_regularizer.l2
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
