"""`RepeatVector`: repeats a vector `n` times along a new axis."""

from lamina import ops
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class RepeatVector(Layer):
    """Turns `(batch, features)` into `(batch, n, features)`.

    Args:
        n: the number of repetitions.

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> from lamina.layers.reshaping import RepeatVector
    >>> ops.convert_to_numpy(RepeatVector(2)(np.array([[1.0, 2.0]]))).tolist()
    [[[1.0, 2.0], [1.0, 2.0]]]
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"RepeatVector: `n` must be a positive "
                             f"integer, got {n!r}.")
        self.n = n
        self.input_spec = InputSpec(ndim=2)
        self.built = True

    def call(self, inputs):
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
