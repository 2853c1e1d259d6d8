"""Initializers with no randomness: Zeros, Ones, Constant, Identity."""

import numpy as np

from lamina import backend, ops
from lamina.initializers.initializer import Initializer


class Zeros(Initializer):
    """Fills the weight with 0.

    Example:

    >>> from lamina import backend, ops
    >>> ops.convert_to_numpy(Zeros()((2,))).tolist()
    [0.0, 0.0]
    """

    def __call__(self, shape, dtype=None):
        return ops.zeros(tuple(shape), dtype=dtype)


class Ones(Initializer):
    """Fills the weight with 1."""

    def __call__(self, shape, dtype=None):
        return ops.ones(tuple(shape), dtype=dtype)


class Constant(Initializer):
    """Fills the weight with `value`.

    Args:
        value: a number, or an array broadcastable to the weight's shape.

    Example:

    >>> from lamina import backend, ops
    >>> ops.convert_to_numpy(Constant(3.0)((2,))).tolist()
    [3.0, 3.0]
    """

    def __init__(self, value=0.0):
        if isinstance(value, np.ndarray):
            value = value.tolist()  # a JSON-friendly config
        elif not isinstance(value, (int, float, list, tuple)):
            value = ops.convert_to_numpy(value).tolist()
        self.value = value

    def __call__(self, shape, dtype=None):
        value = np.asarray(self.value)
        try:
            value = np.broadcast_to(value, tuple(shape))
        except ValueError:
            raise ValueError(
                f"Constant: `value` of shape {value.shape} cannot be "
                f"broadcast to the weight shape {tuple(shape)}.") from None
        return ops.convert_to_tensor(np.array(value),
                                     dtype=dtype or backend.floatx())

    def get_config(self):
        return {"value": self.value}


class Identity(Initializer):
    """The identity matrix times `gain`, for 2-D weights (not necessarily
    square: ones on the main diagonal).

    Args:
        gain: the value on the diagonal.

    Example:

    >>> from lamina import backend, ops
    >>> ops.convert_to_numpy(Identity(2.0)((2, 2))).tolist()
    [[2.0, 0.0], [0.0, 2.0]]
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        if len(shape) != 2:
            raise ValueError(
                "Identity initializer: expected a 2-D weight shape, got "
                f"{shape}. Use it only for matrices.")
        eye = ops.eye(shape[0], shape[1], dtype=dtype)
        return eye if self.gain == 1.0 else ops.multiply(eye, self.gain)

    def get_config(self):
        return {"gain": self.gain}


IdentityInitializer = Identity

