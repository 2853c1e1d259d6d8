"""The `Loss` base class, the function wrapper, and the reduction helpers.

A loss is a stateless function `fn(y_true, y_pred) -> per-sample losses`
plus a thin class that casts the inputs, weights the per-sample values and
reduces them to one number (Keras 3 semantics).
"""

import re

from lamina import backend
from lamina.backend.common.dtypes import FLOAT_TYPES, standardize_dtype
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops._bind import B

REDUCTIONS = ("sum_over_batch_size", "sum", "mean",
              "mean_with_sample_weight", "none")
# None, and Keras 2's 'auto' (seen in old configs).
_REDUCTION_ALIASES = {None: "none", "auto": "sum_over_batch_size"}


def snake_case(name):
    """`'MeanSquaredError'` -> `'mean_squared_error'`."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def standardize_reduction(reduction):
    """A reduction name checked against `REDUCTIONS` (None -> 'none')."""
    reduction = _REDUCTION_ALIASES.get(reduction, reduction)
    if reduction not in REDUCTIONS:
        raise ValueError(f"Invalid `reduction`: {reduction!r}. Expected one "
                         f"of {', '.join(repr(r) for r in REDUCTIONS)} or "
                         "None.")
    return reduction


def standardize_dtype_arg(dtype):
    """A `dtype` argument as a dtype string; also takes a Keras 3
    `DTypePolicy` config dict or a policy name such as 'mixed_float16'."""
    if isinstance(dtype, dict):
        dtype = dtype.get("config", {}).get("name", dtype.get("name"))
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        dtype = dtype[len("mixed_"):]
    return standardize_dtype(dtype)


def float_tensor(x, dtype=None):
    """`x` as a tensor; cast to `dtype`, or to floatx if not a float."""
    if dtype is not None:
        return B.convert_to_tensor(x, dtype=dtype)
    x = B.convert_to_tensor(x)
    if B.dtype(x) not in FLOAT_TYPES:
        x = B.cast(x, backend.floatx())
    return x


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes ranks match when they differ by a trailing axis of size 1.

    A `(batch,)` tensor against a `(batch, 1)` one becomes `(batch, 1)`
    (with `expand_rank_1`), so the two never broadcast to `(batch, batch)`.
    """
    r1, r2 = len(B.shape(x1)), len(B.shape(x2))
    if r1 == r2 + 1 and B.shape(x1)[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = B.expand_dims(x2, -1)
        else:
            x1 = B.squeeze(x1, -1)
    elif r2 == r1 + 1 and B.shape(x2)[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = B.expand_dims(x1, -1)
        else:
            x2 = B.squeeze(x2, -1)
    return x1, x2


def align_weight(values, weight):
    """`weight` shaped to broadcast against `values` from the left.

    Besides the size-1 squeeze/expand, a `(batch,)` weight against
    `(batch, T)` values gets trailing axes, as Keras 2 did.
    """
    values, weight = squeeze_or_expand_to_same_rank(values, weight)
    extra = len(B.shape(values)) - len(B.shape(weight))
    if extra < 0:
        raise ValueError(
            f"`sample_weight` of shape {B.shape(weight)} has more axes than "
            f"the per-sample values {B.shape(values)}; expected a shape "
            "such as (batch,) or the values' shape.")
    if extra > 0 and len(B.shape(weight)) > 0:
        weight = B.reshape(weight, B.shape(weight) + (1,) * extra)
    return values, weight


def divide_no_nan(x, y):
    safe = B.where(B.equal(y, 0), B.ones_like(y), y)
    return B.where(B.equal(y, 0), B.zeros_like(x), B.divide(x, safe))


def _num_elements(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a boolean `mask` into `sample_weight`.

    For the mean-like reductions the mask is rescaled so that the result is
    the mean over the unmasked entries only.
    """
    mask = B.cast(mask, dtype)
    if reduction in ("sum_over_batch_size", "mean"):
        total = float(_num_elements(B.shape(mask)))
        mask = B.multiply(mask, B.divide(
            total, B.maximum(B.sum(mask), 1.0)))
    if sample_weight is None:
        return mask
    sample_weight = B.convert_to_tensor(sample_weight, dtype=dtype)
    mask, sample_weight = align_weight(mask, sample_weight)
    return B.multiply(sample_weight, mask)


def reduce_values(values, sample_weight=None,
                  reduction="sum_over_batch_size"):
    """Reduces (already weighted) `values` to a scalar per `reduction`."""
    shape = B.shape(values)
    if reduction == "none" or len(shape) == 0:
        return values
    total = B.sum(values)
    n = _num_elements(shape)
    if reduction == "sum" or n == 0:
        return total
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return divide_no_nan(
            total, B.sum(B.broadcast_to(sample_weight, shape)))
    return B.divide(total, float(n))


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Weights `values` by `sample_weight` (and `mask`), then reduces.

    Args:
        values: per-sample losses.
        sample_weight: None, or weights broadcastable against `values`
            (after aligning a trailing size-1 axis or missing axes).
        mask: None, or a boolean tensor shaped like `values`; masked-out
            entries count neither in the sum nor in the divisor.
        reduction: one of `REDUCTIONS`.
        dtype: dtype of the weights; default `values`' dtype.

    Returns:
        A scalar tensor, or `values` weighted when `reduction` is 'none'.
    """
    dtype = dtype or B.dtype(values)
    if mask is not None:
        sample_weight = apply_mask(sample_weight, mask, dtype, reduction)
    if sample_weight is not None:
        sample_weight = B.convert_to_tensor(sample_weight, dtype=dtype)
        values, sample_weight = align_weight(values, sample_weight)
        values = B.multiply(values, sample_weight)
    return reduce_values(values, sample_weight, reduction)


class Loss:
    """Base class of losses: subclasses implement `call`.

    Args:
        name: the loss's name; default the class name in snake_case.
        reduction: how per-sample losses become one number:
            'sum_over_batch_size' (default; weighted sum divided by the
            number of per-sample losses), 'mean' (the same),
            'mean_with_sample_weight' (weighted sum divided by the sum of
            the weights), 'sum', or 'none'/None (no reduction).
        dtype: the dtype the loss is computed in; default floatx.

    Example:

    >>> from lamina import ops
    >>> class Cube(Loss):
    ...     def call(self, y_true, y_pred):
    ...         return ops.mean((y_pred - y_true) ** 3, axis=-1)
    >>> float(Cube()([[0.0], [1.0]], [[2.0], [1.0]]))
    4.0
    """

    # Sparse losses keep integer labels as they are; the others compute in
    # the loss dtype.
    _integer_labels = False

    def __init__(self, name=None, reduction="sum_over_batch_size",
                 dtype=None):
        self.name = name or snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype_arg = dtype
        self._dtype = standardize_dtype_arg(dtype)

    @property
    def dtype(self):
        return self._dtype

    def call(self, y_true, y_pred):
        """The per-sample losses of a batch (shape: the batch shape)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `call(y_true, y_pred)`.")

    def _loss_mask(self, y_true, y_pred):
        """A boolean mask of the per-sample losses that count, or None."""

    def __call__(self, y_true, y_pred, sample_weight=None):
        """The weighted, reduced loss of a batch.

        Args:
            y_true: targets.
            y_pred: predictions; a `_mask` attribute (set by masking
                layers) excludes masked steps.
            sample_weight: None, a scalar, or weights shaped like the
                per-sample losses (e.g. `(batch,)` or `(batch, T)`).

        Returns:
            A scalar tensor (or per-sample losses for reduction 'none').
        """
        mask = getattr(y_pred, "_mask", None)
        y_pred = B.convert_to_tensor(y_pred, dtype=self._dtype)
        y_true = B.convert_to_tensor(
            y_true, dtype=None if self._integer_labels else self._dtype)
        losses = self.call(y_true, y_pred)
        own_mask = self._loss_mask(y_true, y_pred)
        if own_mask is not None:
            mask = own_mask if mask is None else B.logical_and(
                *squeeze_or_expand_to_same_rank(
                    B.cast(mask, "bool"), own_mask))
        return reduce_weighted_values(losses, sample_weight, mask,
                                      self.reduction, self._dtype)

    def get_config(self):
        config = {"name": self.name, "reduction": self.reduction}
        if self._dtype_arg is not None:
            config["dtype"] = self._dtype
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


class LossFunctionWrapper(Loss):
    """A `Loss` made from a function `fn(y_true, y_pred, **kwargs)`.

    Args:
        fn: the loss function, returning per-sample losses.
        reduction: see `Loss`.
        name: default `fn`'s name.
        dtype: see `Loss`.
        **kwargs: extra keyword arguments passed to `fn` (and saved in the
            config).

    Example:

    >>> from lamina import losses
    >>> loss = LossFunctionWrapper(losses.huber, delta=2.0)
    >>> float(loss([[0.0]], [[3.0]]))
    4.0
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None,
                 dtype=None, **kwargs):
        if isinstance(fn, (str, dict)):
            fn = _function_from_config(fn)
        if not callable(fn):
            raise TypeError("LossFunctionWrapper: `fn` must be a callable "
                            f"(y_true, y_pred) -> losses; got {fn!r}.")
        super().__init__(name=name or getattr(fn, "__name__", None),
                         reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        # As Keras does for any loss function: a (batch,) target against a
        # (batch, 1) output must not broadcast to (batch, batch).
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        values = self.fn(y_true, y_pred, **self._fn_kwargs)
        if isinstance(values, SymbolicTensor):
            raise TypeError(
                f"The loss function {getattr(self.fn, '__name__', self.fn)}"
                " computed a symbolic tensor: it uses the model's graph "
                "tensors (a layer's output from where the model was "
                "built) in a way lamina did not see at compile time. "
                "lamina gives them their step's values when the function "
                "reads them from its closure, defaults or module globals "
                "(Keras 1's VAE loss); else add the term with "
                "`model.add_loss(tensor)` or from a layer's "
                "`self.add_loss(term)`.")
        return values

    def get_config(self):
        config = super().get_config()
        config.update(self._fn_kwargs)
        # The catalogue subclasses fix `fn`; only the bare wrapper saves it.
        if type(self) is LossFunctionWrapper:
            from lamina.saving import config as saving
            config["fn"] = saving.serialize(self.fn)
        return config


def _function_from_config(fn):
    """A loss function from its saved name (or Keras 3 function dict)."""
    from lamina.saving import config as saving
    name = fn
    if isinstance(fn, dict):
        name = fn.get("config") if fn.get("class_name") == "function" \
            else fn.get("class_name")
    found = saving.find_class(name, "losses") if isinstance(name, str) \
        else None
    if found is None or isinstance(found, type):
        raise ValueError(f"LossFunctionWrapper: unknown loss function "
                         f"{fn!r}; pass a callable or a loss function name "
                         "(custom ones via `custom_objects`).")
    return found
