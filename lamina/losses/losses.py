"""The loss classes: each a `LossFunctionWrapper` around one function.

Every class takes `reduction` (default 'sum_over_batch_size'), `name`
(default the Keras snake_case name) and `dtype`, plus the function's own
arguments, and saves all of them in `get_config`.
"""

from lamina.losses import loss_functions
from lamina.losses.loss import LossFunctionWrapper

_SUM = "sum_over_batch_size"


class MeanSquaredError(LossFunctionWrapper):
    """Mean of squares of errors: `mean(square(y_true - y_pred))`.

    Example:

    >>> float(MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]]))
    0.5
    """

    def __init__(self, reduction=_SUM, name="mean_squared_error",
                 dtype=None):
        super().__init__(loss_functions.mean_squared_error, reduction=reduction,
                         name=name, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors: `mean(abs(y_true - y_pred))`."""

    def __init__(self, reduction=_SUM, name="mean_absolute_error",
                 dtype=None):
        super().__init__(loss_functions.mean_absolute_error,
                         reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """`100 * mean(abs((y_true - y_pred) / y_true))`."""

    def __init__(self, reduction=_SUM,
                 name="mean_absolute_percentage_error", dtype=None):
        super().__init__(loss_functions.mean_absolute_percentage_error,
                         reduction=reduction, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """`mean(square(log(y_true + 1) - log(y_pred + 1)))`."""

    def __init__(self, reduction=_SUM,
                 name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(loss_functions.mean_squared_logarithmic_error,
                         reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity between targets and predictions.

    Args:
        axis: the axis along which the similarity is computed.
    """

    def __init__(self, axis=-1, reduction=_SUM, name="cosine_similarity",
                 dtype=None):
        super().__init__(loss_functions.cosine_similarity, reduction=reduction,
                         name=name, dtype=dtype, axis=axis)


class Huber(LossFunctionWrapper):
    """Huber loss: quadratic for small errors, linear for large ones.

    Args:
        delta: the error size where the loss turns from quadratic to
            linear.
    """

    def __init__(self, delta=1.0, reduction=_SUM, name="huber_loss",
                 dtype=None):
        super().__init__(loss_functions.huber, reduction=reduction, name=name,
                         dtype=dtype, delta=delta)


class LogCosh(LossFunctionWrapper):
    """Mean of the log of the hyperbolic cosine of the error."""

    def __init__(self, reduction=_SUM, name="log_cosh", dtype=None):
        super().__init__(loss_functions.log_cosh, reduction=reduction,
                         name=name, dtype=dtype)


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence: `sum(y_true * log(y_true / y_pred))`."""

    def __init__(self, reduction=_SUM, name="kl_divergence", dtype=None):
        super().__init__(loss_functions.kl_divergence, reduction=reduction,
                         name=name, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """Poisson loss: `mean(y_pred - y_true * log(y_pred))`."""

    def __init__(self, reduction=_SUM, name="poisson", dtype=None):
        super().__init__(loss_functions.poisson, reduction=reduction, name=name,
                         dtype=dtype)


class Hinge(LossFunctionWrapper):
    """Hinge loss `mean(max(1 - y_true * y_pred, 0))`; labels in {-1, 1}
    or {0, 1}."""

    def __init__(self, reduction=_SUM, name="hinge", dtype=None):
        super().__init__(loss_functions.hinge, reduction=reduction, name=name,
                         dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss `mean(square(max(1 - y_true * y_pred, 0)))`."""

    def __init__(self, reduction=_SUM, name="squared_hinge", dtype=None):
        super().__init__(loss_functions.squared_hinge, reduction=reduction,
                         name=name, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss for one-hot targets."""

    def __init__(self, reduction=_SUM, name="categorical_hinge", dtype=None):
        super().__init__(loss_functions.categorical_hinge, reduction=reduction,
                         name=name, dtype=dtype)


class BinaryCrossentropy(LossFunctionWrapper):
    """Crossentropy for binary (0 or 1) targets.

    Args:
        from_logits: whether `y_pred` holds logits rather than
            probabilities (more stable).
        label_smoothing: in [0, 1]; squeezes targets towards 0.5.
        axis: the axis averaged over.

    Example:

    >>> loss = BinaryCrossentropy(from_logits=True)
    >>> round(float(loss([[1.0], [0.0]], [[0.0], [0.0]])), 4)
    0.6931
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction=_SUM, name="binary_crossentropy", dtype=None):
        super().__init__(loss_functions.binary_crossentropy,
                         reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary crossentropy focused on hard examples (Lin et al., 2017).

    Args:
        apply_class_balancing: weight classes by `alpha` / `1 - alpha`.
        alpha: the class-balancing weight.
        gamma: the focusing exponent.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1].
        axis: the axis averaged over.
    """

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                 from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction=_SUM, name="binary_focal_crossentropy",
                 dtype=None):
        super().__init__(loss_functions.binary_focal_crossentropy,
                         reduction=reduction, name=name, dtype=dtype,
                         apply_class_balancing=apply_class_balancing,
                         alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy for one-hot targets.

    Args:
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; mixes the targets with a uniform
            distribution.
        axis: the class axis.
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction=_SUM, name="categorical_crossentropy",
                 dtype=None):
        super().__init__(loss_functions.categorical_crossentropy,
                         reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy focused on hard examples.

    Args:
        alpha: weight of every class term.
        gamma: the focusing exponent.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1].
        axis: the class axis.
    """

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction=_SUM,
                 name="categorical_focal_crossentropy", dtype=None):
        super().__init__(loss_functions.categorical_focal_crossentropy,
                         reduction=reduction, name=name, dtype=dtype,
                         alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy for integer class labels.

    Args:
        from_logits: whether `y_pred` holds logits.
        ignore_class: a label value (e.g. padding) left out of the loss and
            of the mean.
        axis: the class axis.

    Example:

    >>> loss = SparseCategoricalCrossentropy(from_logits=True)
    >>> round(float(loss([0, 1], [[0.0, 0.0], [0.0, 0.0]])), 4)
    0.6931
    """

    _integer_labels = True

    def __init__(self, from_logits=False, ignore_class=None, axis=-1,
                 reduction=_SUM, name="sparse_categorical_crossentropy",
                 dtype=None):
        super().__init__(loss_functions.sparse_categorical_crossentropy,
                         reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.ignore_class = ignore_class

    def _loss_mask(self, y_true, y_pred):
        if self.ignore_class is None:
            return None
        return loss_functions.valid_label_mask(y_true, y_pred,
                                               self.ignore_class)

