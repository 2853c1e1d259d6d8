"""`Initializer`: the base class of weight initializers."""


class Initializer:
    """Makes the starting value of a weight from its shape and dtype.

    Subclasses implement `__call__(shape, dtype=None)` and, when they take
    arguments, `get_config()` returning them, so that
    `cls.from_config(obj.get_config())` rebuilds an equal object.

    Example:

    >>> import numpy as np
    >>> class Twos(Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return np.full(shape, 2.0, dtype=dtype or "float32")
    >>> Twos()((2,)).tolist()
    [2.0, 2.0]
    """

    def __call__(self, shape, dtype=None):
        """An array of `shape` and `dtype` (None: the configured float
        type)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement "
            "`__call__(self, shape, dtype=None)`.")

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """An initializer built from `get_config()`'s output."""
        # TF 1-era tf.keras configs carry a `dtype`; the call takes it now.
        config = {k: v for k, v in config.items() if k != "dtype"}
        return cls(**config)

    def clone(self):
        """A new initializer with the same configuration."""
        return type(self).from_config(self.get_config())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def compute_fans(shape):
    """The `(fan_in, fan_out)` of a weight of `shape`, as Keras computes it.

    A vector has `fan_in = fan_out = shape[0]`; a matrix `(in, out)`; a
    convolution kernel `(*spatial, in, out)` multiplies `in` and `out` by
    the receptive field size `prod(spatial)`. A scalar counts as 1 and 1.

    Args:
        shape: a tuple of ints.

    Returns:
        A pair of ints.

    Example:

    >>> compute_fans((3, 3, 16, 32))
    (144, 288)
    """
    shape = tuple(int(d) for d in shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = 1
    for d in shape[:-2]:
        receptive_field *= d
    return shape[-2] * receptive_field, shape[-1] * receptive_field
