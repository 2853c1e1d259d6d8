"""Checks of layer constructor arguments shared by the layer families."""

import operator


def positive_int(value, argument, owner):
    """`value` as a Python int if it is a positive integer of any integer
    type (NumPy's too: `np.max(y) + 1` is a common `units`); else a
    ValueError naming `owner`'s `argument`."""
    if not isinstance(value, bool):
        try:
            number = operator.index(value)
        except TypeError:
            number = None
        if number is not None and number > 0:
            return number
    raise ValueError(f"{owner}: `{argument}` must be a positive integer, "
                     f"got {value!r}.")
