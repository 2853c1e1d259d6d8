"""`Normalization`: standardizes features by a mean and variance that are
given or learned from data with `adapt`."""

import numpy as np

from lamina import backend, ops
from lamina.layers.layer import Layer


def _batches(data, batch_size, steps):
    """`data` as a sequence of NumPy batches (only their `x` part)."""
    if hasattr(data, "shape") or isinstance(data, (list, tuple)):
        array = np.asarray(ops.convert_to_numpy(data) if ops.is_tensor(data)
                           else data)
        if batch_size is None:
            yield array
            return
        for start in range(0, len(array), batch_size):
            yield array[start:start + batch_size]
        return
    if hasattr(data, "__getitem__") and hasattr(data, "__len__"):
        dataset = data  # a PyDataset: batches by index
        data = (dataset[i] for i in range(len(dataset)))
    for i, batch in enumerate(data):
        if steps is not None and i >= steps:
            return
        if isinstance(batch, (tuple, list)):
            batch = batch[0]
        yield np.asarray(ops.convert_to_numpy(batch) if ops.is_tensor(batch)
                         else batch)


class Normalization(Layer):
    """Standardizes the input: `(x - mean) / sqrt(variance)`.

    `mean` and `variance` are either given, or computed from data by
    `adapt(data)` over every axis not in `axis` (one statistic per index
    of the kept axes). The denominator is floored at
    `lamina.backend.epsilon()`. With `invert=True` the layer undoes the
    standardization: `mean + x * sqrt(variance)`.

    Args:
        axis: the axis or axes (int, tuple, or None) that keep separate
            statistics; None means one scalar mean and variance.
        mean, variance: the statistics (numbers or arrays broadcastable to
            the kept axes); give both or neither.
        invert: apply the inverse transformation.

    Weights (when `mean` is not given):
        `mean`, `variance` (shaped like the kept axes) and `count`, all
        non-trainable, set by `adapt`.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.preprocessing.Normalization()
    >>> layer.adapt(np.array([[0.0, 10.0], [2.0, 30.0]]))
    >>> lamina.ops.convert_to_numpy(layer(np.array([[1.0, 40.0]]))).tolist()
    [[0.0, 2.0]]
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False,
                 **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int) and not isinstance(axis, bool):
            axis = (axis,)
        elif isinstance(axis, (list, tuple)) and all(
                isinstance(a, int) and not isinstance(a, bool) for a in axis):
            axis = tuple(axis)
        else:
            raise ValueError(f"Normalization: `axis` must be an int, a tuple "
                             f"of ints or None, got {axis!r}.")
        if (mean is None) != (variance is None):
            raise ValueError(f"Normalization: give both `mean` and "
                             f"`variance` or neither; got mean={mean!r}, "
                             f"variance={variance!r}.")
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = bool(invert)
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        if any(not -ndim <= a < ndim for a in self.axis):
            raise ValueError(f"Layer '{self.name}': `axis`={self.axis} is "
                             f"out of range for an input of shape "
                             f"{tuple(input_shape)}.")
        keep = tuple(sorted(a % ndim for a in self.axis))
        if any(input_shape[a] is None for a in keep):
            raise ValueError(f"Layer '{self.name}': the kept axes "
                             f"{self.axis} must have known sizes, got input "
                             f"shape {tuple(input_shape)}.")
        self._keep_axes = keep
        self._reduce_axes = tuple(a for a in range(ndim) if a not in keep)
        self._broadcast_shape = tuple(input_shape[a] if a in keep else 1
                                      for a in range(ndim))
        self._stats_shape = tuple(input_shape[a] for a in keep)
        self._input_shape = tuple(input_shape)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(
                name="mean", shape=self._stats_shape, initializer="zeros",
                trainable=False)
            self.adapt_variance = self.add_weight(
                name="variance", shape=self._stats_shape,
                initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(),
                                         dtype="int64", initializer="zeros",
                                         trainable=False)
        else:
            self._mean = np.broadcast_to(
                np.asarray(self.input_mean, "float64"), self._broadcast_shape)
            self._variance = np.broadcast_to(
                np.asarray(self.input_variance, "float64"),
                self._broadcast_shape)
        self.built = True

    def adapt(self, data, batch_size=None, steps=None):
        """Sets `mean` and `variance` from `data`.

        Args:
            data: a NumPy array or tensor (all samples), or an iterable
                of batches (arrays, or `(x, y)` tuples of which `x` is
                used), e.g. a generator or a `PyDataset`.
            batch_size: with an array, process it in slices this long.
            steps: with an iterable, stop after this many batches.
        """
        if self.input_mean is not None:
            raise ValueError(f"Layer '{self.name}' was given `mean` and "
                             f"`variance`; it cannot be adapted.")
        count, mean, m2 = 0, None, None
        for batch in _batches(data, batch_size, steps):
            batch = batch.astype("float64")
            if not self.built:
                self.build((None,) + batch.shape[1:])
            elif batch.ndim != len(self._input_shape) or any(
                    batch.shape[a] != self._input_shape[a]
                    for a in self._keep_axes):
                raise ValueError(f"Layer '{self.name}' was built for inputs "
                                 f"of shape {self._input_shape}; adapt got "
                                 f"a batch of shape {batch.shape}.")
            n = int(np.prod([batch.shape[a] for a in self._reduce_axes]))
            if n == 0:
                continue
            b_mean = batch.mean(axis=self._reduce_axes)
            b_m2 = ((batch - batch.mean(axis=self._reduce_axes,
                                        keepdims=True)) ** 2).sum(
                axis=self._reduce_axes)
            if mean is None:
                count, mean, m2 = n, b_mean, b_m2
                continue
            # Chan et al. (1979): combine two groups' means and sums of
            # squared deviations without revisiting the data.
            total = count + n
            delta = b_mean - mean
            mean = mean + delta * n / total
            m2 = m2 + b_m2 + delta ** 2 * count * n / total
            count = total
        if mean is None:
            raise ValueError(f"Layer '{self.name}': adapt got no data.")
        self.adapt_mean.assign(mean.reshape(self._stats_shape))
        self.adapt_variance.assign((m2 / count).reshape(self._stats_shape))

    def _statistics(self, dtype):
        if self.input_mean is not None:
            return (ops.convert_to_tensor(self._mean, dtype=dtype),
                    ops.convert_to_tensor(self._variance, dtype=dtype))
        return (ops.reshape(ops.cast(self.adapt_mean.value, dtype),
                            self._broadcast_shape),
                ops.reshape(ops.cast(self.adapt_variance.value, dtype),
                            self._broadcast_shape))

    def call(self, inputs):
        dtype = self.compute_dtype
        x = ops.cast(inputs, dtype)
        mean, variance = self._statistics(dtype)
        std = ops.maximum(ops.sqrt(variance), backend.epsilon())
        if self.invert:
            return ops.add(mean, ops.multiply(x, std))
        return ops.divide(ops.subtract(x, mean), std)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        def plain(value):
            return None if value is None else np.asarray(value).tolist()
        return {**super().get_config(), "axis": self.axis,
                "invert": self.invert, "mean": plain(self.input_mean),
                "variance": plain(self.input_variance)}
