"""`Sum`, `Mean`, and `MeanMetricWrapper` (the mean of a function's values).

Sample weights give a weighted mean: `sum(w * v) / sum(w)` over all values
seen since the last reset.
"""

from lamina.losses.loss import (
    align_weight, divide_no_nan, squeeze_or_expand_to_same_rank)
from lamina.metrics.metric import Metric
from lamina.ops._bind import B


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weights `values` and reduces both to one value per sample.

    Args:
        values: a tensor with the batch on axis 0 (or a scalar).
        sample_weight: None, a scalar, or weights broadcastable against
            `values` from the left (`(batch,)`, `(batch, 1)`, ...).
        reduce_fn: `B.mean` or `B.sum`, applied over the non-batch axes.
        dtype: the dtype of the result.

    Returns:
        `(values, sample_weight)`: the weighted values and the weights,
        each of shape `(batch,)` (or scalars for scalar `values`).
    """
    values = B.convert_to_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = B.convert_to_tensor(sample_weight, dtype=dtype)
        values, sample_weight = align_weight(values, sample_weight)
        sample_weight = B.broadcast_to(sample_weight, B.shape(values))
        values = B.multiply(values, sample_weight)
    ndim = len(B.shape(values))
    if ndim > 1:
        axes = tuple(range(1, ndim))
        values = reduce_fn(values, axis=axes)
        if sample_weight is not None:
            sample_weight = reduce_fn(sample_weight, axis=axes)
    return values, sample_weight


def _snapshot(x):
    # On torch a variable's tensor is updated in place; a result handed to
    # the logs must not change under the next `update_state`.
    return B.multiply(x, 1)


class Sum(Metric):
    """The (weighted) sum of all values seen.

    Args:
        name: default 'sum'.
        dtype: the dtype of the state.

    Example:

    >>> m = Sum()
    >>> m.update_state([1.0, 3.0, 5.0, 7.0])
    >>> float(m.result())
    16.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight,
                                                B.sum, self.dtype)
        self.total.assign_add(B.sum(values))

    def result(self):
        return _snapshot(self.total.value)


class Mean(Metric):
    """The (weighted) mean of all values seen.

    Each sample counts once (values of shape `(batch, ...)` are first
    averaged over the non-batch axes); with `sample_weight` the result is
    `sum(w * v) / sum(w)`.

    Args:
        name: default 'mean'.
        dtype: the dtype of the state.

    Example:

    >>> m = Mean()
    >>> m.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
    >>> float(m.result())
    2.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", name="total")
        self.count = self.add_variable((), "zeros", name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, B.mean, self.dtype)
        self.total.assign_add(B.sum(values))
        if sample_weight is not None:
            self.count.assign_add(B.sum(sample_weight))
        else:
            shape = B.shape(values)
            self.count.assign_add(shape[0] if shape else 1)

    def result(self):
        return divide_no_nan(self.total.value, self.count.value)


class MeanMetricWrapper(Mean):
    """The mean of `fn(y_true, y_pred, **kwargs)` over all samples seen.

    Args:
        fn: a function `(y_true, y_pred, **kwargs)` returning one value per
            sample (or per element; non-batch axes are averaged).
        name: default `fn`'s name.
        dtype: the dtype of the state.
        **kwargs: keyword arguments passed to `fn` (and saved in the
            config).

    Example:

    >>> from lamina import losses
    >>> m = MeanMetricWrapper(losses.mean_absolute_error)
    >>> m.update_state([[0.0], [1.0]], [[1.0], [3.0]])
    >>> m.name, float(m.result())
    ('mean_absolute_error', 1.5)
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        if isinstance(fn, (str, dict)):
            fn = _function_from_config(fn)
        if not callable(fn):
            raise TypeError("MeanMetricWrapper: `fn` must be a callable "
                            f"(y_true, y_pred) -> values; got {fn!r}.")
        super().__init__(name=name or getattr(fn, "__name__", None),
                         dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds `fn(y_true, y_pred)` of one batch to the mean.

        A `_mask` on `y_pred` (set by masking layers) leaves masked steps
        out, as a zero weight.
        """
        mask = getattr(y_pred, "_mask", None)
        y_true, y_pred = squeeze_or_expand_to_same_rank(
            B.convert_to_tensor(y_true), B.convert_to_tensor(y_pred))
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if mask is not None:
            mask = B.cast(mask, self.dtype)
            if sample_weight is not None:
                mask, weight = align_weight(
                    mask, B.convert_to_tensor(sample_weight, self.dtype))
                mask = B.multiply(mask, weight)
            sample_weight = mask
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = super().get_config()
        config.update(self._fn_kwargs)
        # The catalogue subclasses fix `fn`; only the bare wrapper saves it.
        if type(self) is MeanMetricWrapper:
            from lamina.saving import config as saving
            config["fn"] = saving.serialize(self._fn)
        return config


def _function_from_config(fn):
    """A metric function from its saved name (or Keras 3 function dict)."""
    from lamina.metrics import FUNCTIONS
    from lamina.saving import config as saving
    name = fn
    if isinstance(fn, dict):
        name = fn.get("config") if fn.get("class_name") == "function" \
            else fn.get("class_name")
    found = None
    if isinstance(name, str):
        found = FUNCTIONS.get(name)
        if found is None:
            found = saving.find_class(name, "metrics")
    if found is None or isinstance(found, type):
        raise ValueError(f"MeanMetricWrapper: unknown metric function "
                         f"{fn!r}; pass a callable or a function name "
                         "(custom ones via `custom_objects`).")
    return found
