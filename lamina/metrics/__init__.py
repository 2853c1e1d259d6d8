"""`lamina.metrics`: metric classes and functions, under their Keras names.

A metric is given to `compile(metrics=[...])` as a name (`'mse'`,
`'binary_accuracy'`), a `Metric` instance, a config dict, or a function
`(y_true, y_pred) -> values` (which the trainer wraps in a
`MeanMetricWrapper`). As in Keras 3, `get` turns a name into a `Metric`
instance; 'accuracy' gives plain `Accuracy` (the trainer picks the binary,
categorical or sparse kind from the loss).
"""

import difflib

from lamina.losses.loss import snake_case
from lamina.losses.loss_functions import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
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
from lamina.metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from lamina.metrics.auc import AUC
from lamina.metrics.confusion_metrics import (
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from lamina.metrics.f_score_metrics import F1Score, FBetaScore
from lamina.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from lamina.metrics.iou_metrics import (
    BinaryIoU,
    IoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
)
from lamina.metrics.metric import Metric
from lamina.metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from lamina.metrics.r2_metric import R2Score
from lamina.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from lamina.metrics.regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    cosine_similarity,
)

_CLASSES = (
    Mean, Sum, MeanSquaredError, RootMeanSquaredError, MeanAbsoluteError,
    MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
    CosineSimilarity, LogCoshError, Hinge, SquaredHinge, CategoricalHinge,
    KLDivergence, Poisson, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy, Accuracy, BinaryAccuracy,
    CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy, TruePositives, FalsePositives,
    TrueNegatives, FalseNegatives, Precision, Recall, AUC,
    SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall,
    RecallAtPrecision, FBetaScore, F1Score, IoU, BinaryIoU, MeanIoU,
    OneHotIoU, OneHotMeanIoU, R2Score)

# Functions `MeanMetricWrapper` configs may name.
FUNCTIONS = {fn.__name__: fn for fn in (
    accuracy, binary_accuracy, categorical_accuracy,
    sparse_categorical_accuracy, top_k_categorical_accuracy,
    sparse_top_k_categorical_accuracy, cosine_similarity,
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
    mean_squared_logarithmic_error, log_cosh, huber, hinge, squared_hinge,
    categorical_hinge, kl_divergence, poisson, binary_crossentropy,
    binary_focal_crossentropy, categorical_crossentropy,
    categorical_focal_crossentropy, sparse_categorical_crossentropy)}

# Every name `get` and `deserialize` accept: class names, their snake_case
# forms (as Keras 3: 'binary_accuracy' -> BinaryAccuracy), and aliases.
ALL_OBJECTS = {"Metric": Metric, "MeanMetricWrapper": MeanMetricWrapper}
for _cls in _CLASSES:
    ALL_OBJECTS[_cls.__name__] = _cls
    ALL_OBJECTS[snake_case(_cls.__name__)] = _cls
del _cls
ALL_OBJECTS.update({
    "acc": Accuracy, "mse": MeanSquaredError, "MSE": MeanSquaredError,
    "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
    "mape": MeanAbsolutePercentageError,
    "MAPE": MeanAbsolutePercentageError,
    "msle": MeanSquaredLogarithmicError,
    "MSLE": MeanSquaredLogarithmicError, "bce": BinaryCrossentropy,
    "BCE": BinaryCrossentropy, "kld": KLDivergence, "KLD": KLDivergence,
    "kullback_leibler_divergence": KLDivergence, "logcosh": LogCoshError,
    "log_cosh": LogCoshError, "rmse": RootMeanSquaredError,
})


def serialize(metric):
    """The config of a `Metric` (Keras 3 schema), or a function's name."""
    from lamina.saving import config as saving
    return saving.serialize(metric)


def deserialize(config, custom_objects=None):
    """A metric from `serialize`'s output, or from a name."""
    from lamina.saving import config as saving
    if isinstance(config, dict) and config.get("class_name") == "function":
        name = config.get("config")  # Keras 3 writes functions this way
        return FUNCTIONS.get(name) or saving.deserialize(
            name, "metrics", custom_objects)
    # The scope makes custom functions visible to nested lookups, e.g. the
    # `fn` of a `MeanMetricWrapper` config.
    with saving.custom_object_scope(custom_objects):
        return saving.deserialize(config, "metrics", custom_objects)


def get(identifier):
    """A metric from a name, a config dict, a `Metric`, or a callable.

    Args:
        identifier: None; a metric name (`'mse'`, `'binary_accuracy'`) or
            class name, instantiated with its defaults; a config dict; a
            `Metric` instance or class; or a function
            `(y_true, y_pred) -> values`, returned as is.

    Returns:
        A `Metric` instance, a function, or None.

    Raises:
        ValueError: for an unknown name (the message lists the valid ones)
            or anything else that is not callable.

    Example:

    >>> get("mse").name
    'mean_squared_error'
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
    raise ValueError(f"Could not interpret metric identifier: "
                     f"{identifier!r}. Expected a metric name, a config "
                     "dict, a `Metric` instance, or a callable "
                     "(y_true, y_pred) -> values.")


def _unknown_message(name):
    names = sorted(n for n in ALL_OBJECTS
                   if n not in ("Metric", "MeanMetricWrapper"))
    close = difflib.get_close_matches(name, names, n=3)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" \
        if close else ""
    return (f"Unknown metric: {name!r}.{hint} Valid names: "
            f"{', '.join(names)}.")
