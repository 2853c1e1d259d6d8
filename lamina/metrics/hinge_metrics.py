"""Hinge metrics: running means of the hinge losses."""

from lamina.losses import loss_functions
from lamina.metrics.reduction_metrics import MeanMetricWrapper


class Hinge(MeanMetricWrapper):
    """The mean hinge loss (labels in {-1, 1}, or {0, 1})."""

    def __init__(self, name="hinge", dtype=None):
        super().__init__(loss_functions.hinge, name=name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """The mean squared hinge loss (labels in {-1, 1}, or {0, 1})."""

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(loss_functions.squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """The mean categorical hinge loss (one-hot labels)."""

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(loss_functions.categorical_hinge, name=name,
                         dtype=dtype)
