"""`lamina.constraints`: projections applied to weights after updates.

`get` turns what a user passes as `kernel_constraint=` / `W_constraint=`
(None, a name, a config dict, a class, an instance or a callable) into a
constraint.
"""

from lamina.constraints.constraints import (
    Constraint,
    MaxNorm,
    MinMaxNorm,
    NonNeg,
    UnitNorm,
    max_norm,
    maxnorm,
    min_max_norm,
    non_neg,
    nonneg,
    unit_norm,
    unitnorm,
)
from lamina.saving import config as _saving

# Classes by their Keras names, snake_case names and Keras 1 names.
ALL_OBJECTS = {
    "Constraint": Constraint,
    "MaxNorm": MaxNorm, "max_norm": MaxNorm, "maxnorm": MaxNorm,
    "NonNeg": NonNeg, "non_neg": NonNeg, "nonneg": NonNeg,
    "UnitNorm": UnitNorm, "unit_norm": UnitNorm, "unitnorm": UnitNorm,
    "MinMaxNorm": MinMaxNorm, "min_max_norm": MinMaxNorm,
}

__all__ = ["ALL_OBJECTS", "Constraint", "MaxNorm", "MinMaxNorm", "NonNeg",
           "UnitNorm", "deserialize", "get", "max_norm", "maxnorm",
           "min_max_norm", "non_neg", "nonneg", "serialize", "unit_norm",
           "unitnorm"]


def serialize(constraint):
    """The Keras 3 config dict of `constraint` (None stays None)."""
    return _saving.serialize(constraint)


def deserialize(config, custom_objects=None):
    """A constraint from `serialize`'s output or a name ('max_norm').

    Args:
        config: a config dict or a name.
        custom_objects: optional dict of extra names to classes.
    """
    if isinstance(config, str):
        found = _saving.find_named(config, "constraints",
                                   custom_objects)
        return found() if isinstance(found, type) else found
    return _saving.deserialize(config, "constraints", custom_objects)


def get(identifier):
    """A constraint from what a user passed as `kernel_constraint=`.

    Args:
        identifier: None (returned as None), a name ('max_norm',
            'non_neg', ...), a config dict, a `Constraint` class or
            instance, or a callable `(w) -> w`.

    Returns:
        A callable returning the projected weight, or None.

    Raises:
        ValueError: for an unknown name or an uninterpretable value.

    Example:

    >>> get("max_norm").get_config()
    {'max_value': 2, 'axis': 0}
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
        f"Could not interpret constraint identifier {identifier!r}: "
        "expected None, a name (one of "
        f"{', '.join(sorted(ALL_OBJECTS))}), a config dict, a Constraint "
        "or a callable.")
