"""Keras 1's positional convolution signatures, e.g.
`Convolution2D(32, 3, 3, border_mode='valid')`.

Keras 1 gave each kernel axis its own positional argument
(`Convolution2D(nb_filter, nb_row, nb_col, init, activation, ...)`);
today's layers take one `kernel_size` (`Conv2D(filters, kernel_size,
strides, ...)`). `keras1_class` makes the Keras 1/2 class names
(`Convolution2D`, `AtrousConvolution2D`, ...) as factories: they read
either signature and return the modern layer, so saved configs name the
modern class. The classes are made in `lamina.legacy.layers`.
"""

from lamina.legacy.arguments import warn_once

_WEIGHTS = ("W_regularizer", "b_regularizer", "activity_regularizer",
            "W_constraint", "b_constraint", "bias")
_HEAD = ("init", "activation", "weights", "border_mode")

# Keras 1's positional arguments after `nb_filter` and the kernel sizes.
CONV1D_ORDER = _HEAD + ("subsample_length",) + _WEIGHTS
CONV2D_ORDER = _HEAD + ("subsample", "dim_ordering") + _WEIGHTS
ATROUS1D_ORDER = _HEAD + ("subsample_length", "atrous_rate") + _WEIGHTS
ATROUS2D_ORDER = _HEAD + ("subsample", "atrous_rate", "dim_ordering") + \
    _WEIGHTS
DECONV2D_ORDER = ("output_shape",) + CONV2D_ORDER
SEPARABLE2D_ORDER = _HEAD + (
    "subsample", "depth_multiplier", "dim_ordering", "depthwise_regularizer",
    "pointwise_regularizer", "b_regularizer", "activity_regularizer",
    "depthwise_constraint", "pointwise_constraint", "b_constraint", "bias")


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_keras1_call(args, rank):
    """Whether positional `args` follow Keras 1's signature: one int per
    kernel axis after `nb_filter` (rank 2, 3), or, for rank 1 where the
    two agree up to the kernel size, a third argument that is not a
    Keras 2 `strides` (Keras 1 had `init` there)."""
    if rank == 1:
        return len(args) > 2 and not _is_int(args[2]) and \
            not isinstance(args[2], (tuple, list))
    return len(args) >= 1 + rank and all(_is_int(a)
                                         for a in args[1:1 + rank])


def from_keras1_positional(name, modern, rank, order, args, kwargs):
    """Modern `(args, kwargs)` for a call `name(*args, **kwargs)`.

    A Keras 1 positional call becomes `(filters, kernel_size)` plus the
    Keras 1 keywords its other positional arguments stand for (renamed
    later by the modern layer, each with its own warning).
    """
    if not _is_keras1_call(args, rank):
        return args, kwargs
    sizes, rest = args[1:1 + rank], args[1 + rank:]
    if len(rest) > len(order):
        raise TypeError(f"{name} takes at most {2 + rank + len(order) - 1} "
                        f"positional arguments (Keras 1 signature), got "
                        f"{len(args)}.")
    kwargs = dict(kwargs)
    for key, value in zip(order, rest):
        if key in kwargs:
            raise TypeError(f"{name}: got '{key}' both by position and by "
                            "keyword.")
        kwargs[key] = value
    kernel = sizes[0] if rank == 1 else tuple(sizes)
    shown = ", ".join(repr(a) for a in args[:1 + rank])
    warn_once((name, "positional"),
              f"{name}({shown}, ...) is the Keras 1 spelling; write "
              f"{modern.__name__}({args[0]!r}, {kernel!r}, ...).")
    return (args[0], kernel), kwargs


def keras1_class(modern, name, rank, order, prepare=None, note=None):
    """A class called `name` whose calls build a `modern` layer.

    Args:
        modern: the layer class to build (e.g. `Conv2D`).
        name: the old class name (e.g. 'Convolution2D').
        rank: the number of kernel axes.
        order: the Keras 1 names of the positional arguments after the
            kernel sizes.
        prepare: optional `fn(args, kwargs) -> (args, kwargs)` for
            arguments that need more than a rename (e.g. Deconvolution2D's
            `output_shape`).
        note: if given, a warning (once) that `name` itself is old.
    """
    def __new__(cls, *args, **kwargs):
        if note:
            warn_once((name, "class"), note)
        args, kwargs = from_keras1_positional(name, modern, rank, order,
                                              args, kwargs)
        if prepare is not None:
            args, kwargs = prepare(args, kwargs)
        return modern(*args, **kwargs)

    doc = (f"The Keras 1/2 name of `{modern.__name__}`: accepts Keras 1's "
           f"positional signature `{name}(nb_filter, <kernel sizes>, "
           f"{', '.join(order[:3])}, ...)` and Keras 1 keywords, and "
           f"returns a `{modern.__name__}`.")
    return type(name, (modern,), {"__new__": __new__, "__doc__": doc,
                                  "__module__": "lamina.legacy.layers"})
