"""`lamina.activations`: activation functions and their lookup by name.

`get` turns what a user passes as `activation=` (None, a name, a config
dict or a callable) into a function; `serialize` gives the name a layer
config stores, `deserialize` reverses it.
"""

from lamina.activations.activations import (
    celu,
    elu,
    exponential,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_swish,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    squareplus,
    swish,
    tanh,
    tanh_shrink,
    threshold,
)
from lamina.saving import config as _saving

_FUNCTIONS = (
    relu, leaky_relu, relu6, elu, selu, celu, sigmoid, hard_sigmoid,
    log_sigmoid, tanh, hard_tanh, softmax, log_softmax, softplus, softsign,
    sparse_plus, squareplus, gelu, silu, hard_silu, mish, glu, hard_shrink,
    soft_shrink, tanh_shrink, threshold, exponential, linear)

# Every public function by its name, plus the aliases Keras accepts.
ALL_OBJECTS = {fn.__name__: fn for fn in _FUNCTIONS}
ALL_OBJECTS.update({"swish": swish, "hard_swish": hard_swish})

__all__ = [
    "ALL_OBJECTS", "celu", "deserialize", "elu", "exponential", "gelu",
    "get", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
    "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax",
    "mish", "relu", "relu6", "selu", "serialize", "sigmoid", "silu",
    "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus",
    "squareplus", "swish", "tanh", "tanh_shrink", "threshold"]


def serialize(activation):
    """The name of `activation` as a layer config stores it.

    Args:
        activation: an activation function (built-in or custom) or a
            callable object with `get_config`.

    Returns:
        The function's name (aliases give the canonical name, e.g. 'swish'
        gives 'silu'), or a config dict for an object with `get_config`.

    Example:

    >>> from lamina import activations
    >>> activations.serialize(activations.swish)
    'silu'
    """
    if activation is None:
        return None
    for name, fn in ALL_OBJECTS.items():
        if fn is activation:
            return name
    if hasattr(activation, "get_config"):
        return _saving.serialize(activation)
    name = getattr(activation, "_registered_name", None) or getattr(
        activation, "__name__", None)
    if not callable(activation) or name is None or name == "<lambda>":
        raise ValueError(
            f"activations.serialize: cannot serialize {activation!r}. "
            "Expected a named activation function (lambdas cannot be saved; "
            "use a `def` function registered with "
            "`@lamina.saving.register_serializable()`).")
    return name


def deserialize(config, custom_objects=None):
    """The activation function named or described by `config`.

    Args:
        config: a name ('relu'), or a Keras 3 config dict
            (`{"class_name": "function", "config": "relu", ...}` or a
            callable class's config).
        custom_objects: optional dict of extra names to functions/classes.

    Returns:
        A callable.
    """
    if isinstance(config, dict) and config.get("class_name") == "function":
        config = config.get("registered_name") or config.get("config")
    if isinstance(config, str):
        fn = _saving.find_class(config, "activations", custom_objects)
        if fn is None:
            raise ValueError(
                f"Unknown activation: {config!r}. Valid names are: "
                f"{', '.join(sorted(ALL_OBJECTS))} (or pass a custom one in "
                "`custom_objects`).")
        return fn() if isinstance(fn, type) else fn
    return _saving.deserialize(config, "activations", custom_objects)


def get(identifier):
    """An activation function from what a user passed as `activation=`.

    Args:
        identifier: None (the linear activation), a name such as 'relu', a
            config dict, or a callable (returned as is).

    Returns:
        A callable taking and returning a tensor.

    Raises:
        ValueError: for an unknown name or an uninterpretable value.

    Example:

    >>> from lamina import activations
    >>> activations.get("relu") is activations.relu
    True
    >>> activations.get(None) is activations.linear
    True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        obj = deserialize(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj
    raise ValueError(
        f"Could not interpret activation identifier {identifier!r}: expected "
        "None, a name (one of "
        f"{', '.join(sorted(ALL_OBJECTS))}), a config dict or a callable.")
