"""Probabilistic metrics: running means of crossentropies and divergences."""

from lamina.losses import loss_functions
from lamina.metrics.reduction_metrics import MeanMetricWrapper


class BinaryCrossentropy(MeanMetricWrapper):
    """The mean binary crossentropy.

    Args:
        name: default 'binary_crossentropy'.
        dtype: the dtype of the state.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; squeezes targets towards 0.5.
    """

    def __init__(self, name="binary_crossentropy", dtype=None,
                 from_logits=False, label_smoothing=0.0):
        super().__init__(loss_functions.binary_crossentropy, name=name,
                         dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)


class CategoricalCrossentropy(MeanMetricWrapper):
    """The mean categorical crossentropy, for one-hot targets.

    Args:
        name: default 'categorical_crossentropy'.
        dtype: the dtype of the state.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1].
        axis: the class axis.
    """

    def __init__(self, name="categorical_crossentropy", dtype=None,
                 from_logits=False, label_smoothing=0.0, axis=-1):
        super().__init__(loss_functions.categorical_crossentropy, name=name,
                         dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean crossentropy for integer labels.

    Args:
        name: default 'sparse_categorical_crossentropy'.
        dtype: the dtype of the state.
        from_logits: whether `y_pred` holds logits.
        axis: the class axis.
    """

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None,
                 from_logits=False, axis=-1):
        super().__init__(loss_functions.sparse_categorical_crossentropy,
                         name=name, dtype=dtype, from_logits=from_logits,
                         axis=axis)


class KLDivergence(MeanMetricWrapper):
    """The mean Kullback-Leibler divergence."""

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(loss_functions.kl_divergence, name=name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """The mean Poisson loss, `mean(y_pred - y_true * log(y_pred))`."""

    def __init__(self, name="poisson", dtype=None):
        super().__init__(loss_functions.poisson, name=name, dtype=dtype)
