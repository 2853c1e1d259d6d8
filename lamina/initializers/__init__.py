"""`lamina.initializers`: how weights get their starting values.

Classes carry Keras 3 names and defaults; `get` turns what a user passes as
`kernel_initializer=` / `init=` (None, a name, a config dict, a class, an
instance, or a callable `(shape, dtype)`) into an initializer.
"""

from lamina.initializers.constant_initializers import (
    Constant,
    Identity,
    IdentityInitializer,
    Ones,
    Zeros,
)
from lamina.initializers.initializer import Initializer, compute_fans
from lamina.initializers.random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    OrthogonalInitializer,
    RandomInitializer,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
)
from lamina.saving import config as _saving

# Every class by its Keras name and snake_case name, plus Keras's aliases
# ('uniform' and 'normal' are the 2016 defaults U(-0.05, 0.05), N(0, 0.05)).
ALL_OBJECTS = {
    "Initializer": Initializer,
    "Zeros": Zeros, "zeros": Zeros, "zero": Zeros,
    "Ones": Ones, "ones": Ones, "one": Ones,
    "Constant": Constant, "constant": Constant,
    "Identity": Identity, "IdentityInitializer": Identity,
    "identity": Identity,
    "RandomNormal": RandomNormal, "random_normal": RandomNormal,
    "normal": RandomNormal,
    "RandomUniform": RandomUniform, "random_uniform": RandomUniform,
    "uniform": RandomUniform,
    "TruncatedNormal": TruncatedNormal, "truncated_normal": TruncatedNormal,
    "VarianceScaling": VarianceScaling, "variance_scaling": VarianceScaling,
    "GlorotUniform": GlorotUniform, "glorot_uniform": GlorotUniform,
    "GlorotNormal": GlorotNormal, "glorot_normal": GlorotNormal,
    "HeNormal": HeNormal, "he_normal": HeNormal,
    "HeUniform": HeUniform, "he_uniform": HeUniform,
    "LecunNormal": LecunNormal, "lecun_normal": LecunNormal,
    "LecunUniform": LecunUniform, "lecun_uniform": LecunUniform,
    "OrthogonalInitializer": OrthogonalInitializer,
    "Orthogonal": OrthogonalInitializer,
    "orthogonal": OrthogonalInitializer,
}

__all__ = [
    "ALL_OBJECTS", "Constant", "GlorotNormal", "GlorotUniform", "HeNormal",
    "HeUniform", "Identity", "IdentityInitializer", "Initializer",
    "LecunNormal", "LecunUniform", "Ones", "Orthogonal",
    "OrthogonalInitializer", "RandomInitializer", "RandomNormal",
    "RandomUniform", "TruncatedNormal", "VarianceScaling", "Zeros",
    "compute_fans", "deserialize", "get", "serialize"]

# Attribute that `lamina.initializations` (Keras 1 functions such as
# `uniform(shape)`) sets to a factory of the equivalent initializer object.
_LEGACY_ATTR = "_lamina_initializer"


def serialize(initializer):
    """The Keras 3 config dict of `initializer` (None stays None).

    Example:

    >>> serialize(Zeros())["class_name"]
    'Zeros'
    """
    factory = getattr(initializer, _LEGACY_ATTR, None)
    if factory is not None:
        initializer = factory()
    return _saving.serialize(initializer)


def deserialize(config, custom_objects=None):
    """An initializer from `serialize`'s output or a name.

    Args:
        config: a config dict (Keras 3, or Keras 2's
            `{"class_name", "config"}`) or a name such as 'glorot_uniform'.
        custom_objects: optional dict of extra names to classes.

    Returns:
        An initializer.
    """
    if isinstance(config, str):
        found = _saving.find_named(config, "initializers",
                                   custom_objects)
        return found() if isinstance(found, type) else found
    return _saving.deserialize(config, "initializers", custom_objects)


def get(identifier):
    """An initializer from what a user passed as `kernel_initializer=`.

    Args:
        identifier: None (returned as None), a name ('glorot_uniform',
            'uniform', ...), a config dict, an `Initializer` class or
            instance, a Keras 1 function from `lamina.initializations`, or
            any callable `(shape, dtype=None)`.

    Returns:
        A callable `(shape, dtype=None)` returning an array, or None.

    Raises:
        ValueError: for an unknown name or an uninterpretable value.

    Example:

    >>> type(get("uniform")).__name__
    'RandomUniform'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, (str, dict)):
        obj = deserialize(identifier)
    else:
        obj = identifier
    factory = getattr(obj, _LEGACY_ATTR, None)
    if factory is not None:
        return factory()
    if isinstance(obj, type):
        return obj()
    if callable(obj):
        return obj
    raise ValueError(
        f"Could not interpret initializer identifier {identifier!r}: "
        "expected None, a name (e.g. 'glorot_uniform'), a config dict, an "
        "Initializer class or instance, or a callable (shape, dtype).")
