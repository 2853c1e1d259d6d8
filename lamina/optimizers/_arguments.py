"""Argument checks shared by the optimizers, and the Keras 1/2 spellings."""

import inspect
import os
import re
import sys
import warnings

from lamina import backend

_LAMINA_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_warned = set()

# Keys that Keras 2.11+ optimizer configs carry and that mean nothing here.
_IGNORED_KEYS = ("jit_compile", "is_legacy_optimizer")


def warn_once(key, message):
    """A DeprecationWarning pointing at the user's line, once per key."""
    if key in _warned:
        return
    _warned.add(key)
    # The first frame outside lamina: Python only shows DeprecationWarnings
    # attributed to `__main__` by default, so the level matters.
    frame, level = sys._getframe(0), 1
    while frame is not None and \
            frame.f_code.co_filename.startswith(_LAMINA_DIR):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, DeprecationWarning, stacklevel=level)


def snake_case(name):
    """'SignSGD' -> 'sign_sgd' (the default name of a custom optimizer)."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def check_number(owner, name, value, low=0.0, high=None, allow_none=True):
    """`value` if it is a number in `[low, high]` (or an allowed None)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            value < low or (high is not None and value > high):
        bounds = f"in [{low}, {high}]" if high is not None else f">= {low}"
        raise ValueError(f"{owner}: `{name}` must be a number {bounds}, "
                         f"got {value!r}.")
    return value


def check_count(owner, name, value, low):
    """`value` if it is None or an integer >= `low`."""
    if value is not None and (isinstance(value, bool) or
                              not isinstance(value, int) or value < low):
        raise ValueError(f"{owner}: `{name}` must be an integer >= {low} or "
                         f"None, got {value!r}.")
    return value


def epsilon(owner, value):
    """`value`, or the configured fuzz factor for None (Keras 2.2)."""
    if value is None:
        return backend.epsilon()
    return float(check_number(owner, "epsilon", value, allow_none=False))


def pop_legacy_arguments(optimizer, learning_rate, kwargs):
    """Takes the Keras 1/2 `lr` and `decay` out of `kwargs`.

    Returns:
        `(learning_rate, decay)`; `lr` wins over `learning_rate` as in
        Keras 2.

    Raises:
        TypeError: naming any argument left in `kwargs`, and the valid ones.
    """
    cls = type(optimizer).__name__
    if "lr" in kwargs:
        learning_rate = kwargs.pop("lr")
        warn_once((cls, "lr"), f"{cls}(lr=...) is the Keras 1/2 spelling; "
                               f"write {cls}(learning_rate={learning_rate!r}).")
    decay = float(check_number(cls, "decay", kwargs.pop("decay", None))
                  or 0.0)
    for key in _IGNORED_KEYS:
        kwargs.pop(key, None)
    if kwargs:
        valid = {"lr", "decay"}
        for klass in type(optimizer).__mro__:
            if "__init__" in vars(klass) and klass is not object:
                valid |= set(inspect.signature(klass.__init__).parameters)
        valid -= {"self", "kwargs"}
        raise TypeError(f"{cls} got unexpected argument(s) {sorted(kwargs)};"
                        f" valid arguments are: {', '.join(sorted(valid))}.")
    return learning_rate, decay


def fraction(owner, name, value):
    """`value` as a float if it is a number in [0, 1]."""
    return float(check_number(owner, name, value, high=1.0,
                              allow_none=False))
