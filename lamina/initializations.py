"""Keras 1's initialization functions (`from keras.initializations import
uniform`), for code written in 2016.

Each is a callable `(shape, dtype=None)` returning the array, usable as
`Dense(64, init=uniform)`. `lamina.initializers.get(fn)` turns one into the
equivalent Keras 3 initializer object, which is what a saved config holds.
Keras 1's own keyword arguments (`scale`, `name`, `dim_ordering`) are
accepted; `dim_ordering` is ignored because lamina's kernels always have
the Keras 3 layout `(*spatial, in, out)`, and fans are computed from it.
"""

from lamina import initializers

__all__ = [
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_uniform",
    "normal",
    "one",
    "orthogonal",
    "uniform",
    "zero",
]


def _equivalent(factory):
    """Marks a Keras 1 function with the factory of its Keras 3 object."""
    def mark(fn):
        fn._lamina_initializer = factory
        return fn
    return mark


def _fan_normal(scale, mode):
    # Keras 1 drew these from a plain (untruncated) normal distribution.
    return initializers.VarianceScaling(scale=scale, mode=mode,
                                        distribution="untruncated_normal")


@_equivalent(initializers.RandomUniform)
def uniform(shape, dtype=None, scale=0.05, name=None, dim_ordering=None):
    """Values from `U(-scale, scale)` (default `U(-0.05, 0.05)`).

    Example:

    >>> import numpy as np
    >>> from lamina import ops
    >>> w = ops.convert_to_numpy(uniform((100, 10)))
    >>> bool(np.abs(w).max() <= 0.05)
    True
    """
    return initializers.RandomUniform(-scale, scale)(shape, dtype=dtype)


@_equivalent(initializers.RandomNormal)
def normal(shape, dtype=None, scale=0.05, name=None, dim_ordering=None):
    """Values from `N(0, scale ** 2)` (default standard deviation 0.05)."""
    return initializers.RandomNormal(0.0, scale)(shape, dtype=dtype)


@_equivalent(initializers.Zeros)
def zero(shape, dtype=None, name=None, dim_ordering=None):
    """All zeros."""
    return initializers.Zeros()(shape, dtype=dtype)


@_equivalent(initializers.Ones)
def one(shape, dtype=None, name=None, dim_ordering=None):
    """All ones."""
    return initializers.Ones()(shape, dtype=dtype)


@_equivalent(initializers.GlorotUniform)
def glorot_uniform(shape, dtype=None, name=None, dim_ordering=None):
    """`U(-limit, limit)`, `limit = sqrt(6 / (fan_in + fan_out))`."""
    return initializers.GlorotUniform()(shape, dtype=dtype)


@_equivalent(lambda: _fan_normal(1.0, "fan_avg"))
def glorot_normal(shape, dtype=None, name=None, dim_ordering=None):
    """`N(0, 2 / (fan_in + fan_out))`, untruncated as in Keras 1."""
    return _fan_normal(1.0, "fan_avg")(shape, dtype=dtype)


@_equivalent(lambda: _fan_normal(2.0, "fan_in"))
def he_normal(shape, dtype=None, name=None, dim_ordering=None):
    """`N(0, 2 / fan_in)`, untruncated as in Keras 1."""
    return _fan_normal(2.0, "fan_in")(shape, dtype=dtype)


@_equivalent(initializers.HeUniform)
def he_uniform(shape, dtype=None, name=None, dim_ordering=None):
    """`U(-limit, limit)`, `limit = sqrt(6 / fan_in)`."""
    return initializers.HeUniform()(shape, dtype=dtype)


@_equivalent(initializers.LecunUniform)
def lecun_uniform(shape, dtype=None, name=None, dim_ordering=None):
    """`U(-limit, limit)`, `limit = sqrt(3 / fan_in)`."""
    return initializers.LecunUniform()(shape, dtype=dtype)


@_equivalent(lambda: initializers.Orthogonal(gain=1.1))
def orthogonal(shape, dtype=None, scale=1.1, name=None, dim_ordering=None):
    """A random orthogonal matrix times `scale` (Keras 1's default 1.1)."""
    return initializers.Orthogonal(gain=scale)(shape, dtype=dtype)


@_equivalent(initializers.Identity)
def identity(shape, dtype=None, scale=1, name=None, dim_ordering=None):
    """The identity matrix times `scale` (2-D shapes only)."""
    return initializers.Identity(gain=float(scale))(shape, dtype=dtype)


def get(identifier, **kwargs):
    """Keras 1's `initializations.get(name)`: the function of that name.

    A callable is returned as it is. An unknown name raises a ValueError
    listing the names this module has.

    Example:

    >>> get("glorot_uniform") is glorot_uniform
    True
    """
    if callable(identifier):
        return identifier
    fn = globals().get(identifier) if isinstance(identifier, str) else None
    if identifier in __all__ and identifier != "get":
        return fn
    raise ValueError(f"initializations.get: unknown initialization "
                     f"{identifier!r}; Keras 1 had "
                     f"{', '.join(n for n in __all__ if n != 'get')} "
                     "(Keras 2+ initializers are in lamina.initializers).")
