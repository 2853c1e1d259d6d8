"""`lamina.regularizers`: penalties on weights and activations.

`get` turns what a user passes as `kernel_regularizer=` / `W_regularizer=`
(None, a name, a config dict, a class, an instance or a callable) into a
regularizer.
"""

from lamina.regularizers.regularizers import (
    L1,
    L1L2,
    L2,
    OrthogonalRegularizer,
    Regularizer,
    activity_l1,
    activity_l1l2,
    activity_l2,
    l1,
    l1_l2,
    l1l2,
    l2,
)
from lamina.saving import config as _saving

# Classes by their Keras names; the snake_case names resolve to classes too
# (as in Keras 3), so a string gives e.g. `L1L2()` with its defaults.
ALL_OBJECTS = {
    "Regularizer": Regularizer,
    "L1": L1, "l1": L1,
    "L2": L2, "l2": L2,
    "L1L2": L1L2, "l1_l2": L1L2,
    "OrthogonalRegularizer": OrthogonalRegularizer,
    "orthogonal_regularizer": OrthogonalRegularizer,
}

__all__ = ["ALL_OBJECTS", "L1", "L1L2", "L2", "OrthogonalRegularizer",
           "Regularizer", "activity_l1", "activity_l1l2", "activity_l2",
           "deserialize", "get", "l1", "l1_l2", "l1l2", "l2", "serialize"]


def serialize(regularizer):
    """The Keras 3 config dict of `regularizer` (None stays None)."""
    return _saving.serialize(regularizer)


def deserialize(config, custom_objects=None):
    """A regularizer from `serialize`'s output or a name ('l2').

    Args:
        config: a config dict or a name.
        custom_objects: optional dict of extra names to classes.
    """
    if isinstance(config, str):
        found = _saving.find_named(config, "regularizers",
                                   custom_objects)
        return found() if isinstance(found, type) else found
    return _saving.deserialize(config, "regularizers", custom_objects)


def get(identifier):
    """A regularizer from what a user passed as `kernel_regularizer=`.

    Args:
        identifier: None (returned as None), a name ('l1', 'l2', 'l1_l2'),
            a config dict, a `Regularizer` class or instance, or a callable
            `(x) -> scalar`.

    Returns:
        A callable returning a scalar penalty, or None.

    Raises:
        ValueError: for an unknown name or an uninterpretable value.

    Example:

    >>> get("l2").get_config()
    {'l2': 0.01}
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        obj = deserialize(identifier)
    else:
        obj = identifier
    if isinstance(obj, type):
        return obj()
    if callable(obj):
        return obj
    raise ValueError(
        f"Could not interpret regularizer identifier {identifier!r}: "
        "expected None, a name (one of "
        f"{', '.join(sorted(ALL_OBJECTS))}), a config dict, a Regularizer "
        "or a callable.")
