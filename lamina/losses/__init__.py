"""`lamina.losses`: loss functions and classes, under their Keras names.

A loss is given to `compile(loss=...)` as a name (`'mse'`,
`'categorical_crossentropy'`), a `Loss` instance, a config dict, or any
callable `(y_true, y_pred) -> losses`; `get` turns each into something
callable.
"""

import difflib

from lamina.losses.loss import Loss, LossFunctionWrapper
from lamina.losses.loss_functions import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    cosine_similarity,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from lamina.losses.losses import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
)

# Short and Keras 1/2 spellings.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
bce = BCE = binary_crossentropy
cosine_proximity = cosine = cosine_similarity

_CLASSES = (
    Loss, LossFunctionWrapper, BinaryCrossentropy, BinaryFocalCrossentropy,
    CategoricalCrossentropy, CategoricalFocalCrossentropy, CategoricalHinge,
    CosineSimilarity, Hinge, Huber, KLDivergence, LogCosh, MeanAbsoluteError,
    MeanAbsolutePercentageError, MeanSquaredError,
    MeanSquaredLogarithmicError, Poisson, SparseCategoricalCrossentropy,
    SquaredHinge)
_FUNCTIONS = (
    binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
    categorical_focal_crossentropy, categorical_hinge, cosine_similarity,
    hinge, huber, kl_divergence, log_cosh, mean_absolute_error,
    mean_absolute_percentage_error, mean_squared_error,
    mean_squared_logarithmic_error, poisson, sparse_categorical_crossentropy,
    squared_hinge)

# Every name `get` and `deserialize` accept: classes, functions, aliases.
ALL_OBJECTS = {obj.__name__: obj for obj in _CLASSES + _FUNCTIONS}
ALL_OBJECTS.update({
    "mse": mse, "MSE": MSE, "mae": mae, "MAE": MAE, "mape": mape,
    "MAPE": MAPE, "msle": msle, "MSLE": MSLE, "kld": kld, "KLD": KLD,
    "kullback_leibler_divergence": kl_divergence, "logcosh": log_cosh,
    "bce": bce, "BCE": BCE, "cosine_proximity": cosine_similarity,
    "cosine": cosine_similarity, "huber_loss": huber,
})


def serialize(loss):
    """The config of a `Loss` (Keras 3 schema), or a function's name."""
    from lamina.saving import config as saving
    return saving.serialize(loss)


def deserialize(config, custom_objects=None):
    """A loss (instance or function) from `serialize`'s output or a name."""
    from lamina.saving import config as saving
    if isinstance(config, dict) and config.get("class_name") == "function":
        config = config.get("config")  # Keras 3 writes functions this way
    # The scope makes custom functions visible to nested lookups, e.g. the
    # `fn` of a `LossFunctionWrapper` config.
    with saving.custom_object_scope(custom_objects):
        return saving.deserialize(config, "losses", custom_objects)


def get(identifier):
    """A callable loss from a name, a config dict, a `Loss` or a callable.

    Args:
        identifier: None; a loss name (`'mse'`, `'categorical_crossentropy'`)
            or class name (`'MeanSquaredError'`, instantiated with its
            defaults); a config dict; a `Loss` instance or class; or any
            callable `(y_true, y_pred)`.

    Returns:
        A loss function or `Loss` instance (None for None).

    Raises:
        ValueError: for an unknown name (the message lists the valid ones)
            or anything else that is not callable.

    Example:

    >>> get("mse") is mean_squared_error
    True
    >>> get("CategoricalCrossentropy").name
    'categorical_crossentropy'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS.get(identifier)
        if obj is None:
            raise ValueError(_unknown_message(identifier))
    else:
        obj = identifier
    if isinstance(obj, type):
        obj = obj()
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}. "
                     "Expected a loss name, a config dict, a `Loss` "
                     "instance, or a callable (y_true, y_pred) -> loss.")


def _unknown_message(name):
    names = sorted(ALL_OBJECTS)
    close = difflib.get_close_matches(name, names, n=3)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" \
        if close else ""
    return (f"Unknown loss: {name!r}.{hint} Valid names: "
            f"{', '.join(names)}.")
