"""Keras 1/2 keyword spellings, renamed to today's with one warning each.

Each layer that had other argument names in Keras 1 or 2 declares a table
`{old_name: new_name}` through `legacy_arguments`. An old name is renamed
before `__init__` runs and warns once, giving the exact modern spelling.
A value whose meaning changed gets a converter instead of a plain rename.
"""

import functools
import os
import sys
import warnings

_warned = set()
_LAMINA_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_stacklevel():
    """The stacklevel of the first caller outside the lamina package, so
    the warning points at the user's line."""
    frame, level = sys._getframe(2), 2
    while frame is not None and frame.f_code.co_filename.startswith(
            _LAMINA_DIR):
        frame, level = frame.f_back, level + 1
    return level


def warn_once(key, message):
    """Emits `message` as a DeprecationWarning the first time `key` is seen,
    pointing at the user's line."""
    if key in _warned:
        return
    _warned.add(key)
    warnings.warn(message, DeprecationWarning, stacklevel=_user_stacklevel())


def _bias(value):
    return "use_bias", bool(value)


# Values that are not a plain rename: old name -> fn(value) -> (new, value).
CONVERTERS = {"bias": _bias}


def legacy_arguments(table):
    """Decorator for `__init__`: accepts the old names in `table`."""
    def decorate(init):
        @functools.wraps(init)
        def wrapper(self, *args, **kwargs):
            for old in [k for k in kwargs if k in table]:
                new = table[old]
                value = kwargs.pop(old)
                if old in CONVERTERS:
                    new, value = CONVERTERS[old](value)
                if new in kwargs:
                    raise TypeError(
                        f"{type(self).__name__}: got both '{old}' (Keras 1 "
                        f"spelling) and '{new}'; pass only '{new}'.")
                cls = type(self).__name__
                warn_once((cls, old),
                          f"{cls}({old}=...) is the Keras 1/2 spelling; "
                          f"write {cls}({new}={value!r}).")
                kwargs[new] = value
            return init(self, *args, **kwargs)
        return wrapper
    return decorate


# The Keras 1 argument names shared by layers with a kernel and a bias.
KERNEL_ARGUMENTS = {
    "output_dim": "units",
    "init": "kernel_initializer",
    "W_regularizer": "kernel_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "b_constraint": "bias_constraint",
    "bias": "use_bias",
}
