"""`Permute`: reorders the non-batch axes."""

from lamina import ops
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer


class Permute(Layer):
    """Permutes the axes of the input (the batch axis stays first).

    Args:
        dims: a permutation of `1..ndim - 1` (1-indexed; the batch axis is
            not included), e.g. `(2, 1)` swaps the two axes of
            `(batch, steps, features)`.

    Example:

    >>> import numpy as np
    >>> from lamina.layers.reshaping import Permute
    >>> tuple(Permute((2, 1))(np.zeros((4, 10, 64))).shape)
    (4, 64, 10)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        try:
            self.dims = tuple(int(d) for d in dims)
        except TypeError:
            self.dims = None
        if self.dims is None or sorted(self.dims) != list(
                range(1, len(self.dims) + 1)):
            raise ValueError(f"Permute: `dims` must be a permutation of "
                             f"1..n (the batch axis is not counted), got "
                             f"{dims!r}.")
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)
        self.built = True

    def call(self, inputs):
        return ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}
