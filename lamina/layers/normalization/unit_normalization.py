"""`UnitNormalization`: scales each sample to unit L2 norm along `axis`."""

from lamina import ops
from lamina.layers.layer import Layer


class UnitNormalization(Layer):
    """Divides the input by its L2 norm along `axis`.

    Computes `x / sqrt(max(sum(x ** 2, axis), 1e-12))`, so an all-zero
    slice stays zero instead of dividing by zero.

    Args:
        axis: an int or a list of ints, the axes the norm is taken over.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.normalization.UnitNormalization()
    >>> y = layer(np.array([[3.0, 4.0]]))
    >>> [round(float(v), 3) for v in lamina.ops.convert_to_numpy(y)[0]]
    [0.6, 0.8]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            axis = list(axis)
            bad = not axis or any(isinstance(a, bool) or
                                  not isinstance(a, int) for a in axis)
        else:
            bad = isinstance(axis, bool) or not isinstance(axis, int)
        if bad:
            raise TypeError(f"UnitNormalization: `axis` must be an int or a "
                            f"list of ints, got {axis!r}.")
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        axis = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        square_sum = ops.sum(ops.square(inputs), axis=axis, keepdims=True)
        return ops.multiply(inputs, ops.rsqrt(ops.maximum(square_sum,
                                                          1e-12)))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
