"""`Discretization`: buckets numbers by boundaries that are given or
learned from data with `adapt` (approximate quantiles)."""

import numpy as np

from lamina import ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer
from lamina.layers.preprocessing import category_encoding
from lamina.layers.preprocessing.normalization import _batches


def searchsorted_right(sorted_values, x):
    """For each element of `x`, the number of `sorted_values` (a 1-D
    tensor, ascending) that are <= it: NumPy's
    `searchsorted(sorted_values, x, side='right')`, i.e. `digitize`.

    A vectorized binary search with a fixed number of steps (the bit length
    of the table size), so it runs inside compiled steps too.
    """
    size = int(ops.shape(sorted_values)[0])
    low = ops.zeros_like(x, dtype="int64")
    high = ops.full_like(x, size, dtype="int64")
    if size == 0:
        return low
    for _ in range(size.bit_length()):
        active = ops.less(low, high)
        middle = ops.floor_divide(ops.add(low, high), 2)
        value = ops.take(sorted_values, ops.minimum(middle, size - 1))
        right = ops.logical_and(active, ops.less_equal(value, x))
        left = ops.logical_and(active, ops.logical_not(right))
        low = ops.where(right, ops.add(middle, 1), low)
        high = ops.where(left, middle, high)
    return low


# -- approximate quantiles (the summary Keras 3's `adapt` keeps) ---------------
#
# A summary is a (2, k) float32 array: sorted sample values and the weight
# (number of data points) each stands for. Reproduced so that `adapt` gives
# Keras 3's boundaries, including its quirks (e.g. with fewer than
# `num_bins` summary points, the boundaries are those points but the last).

def _summarize(values, epsilon):
    """About `1 / epsilon` evenly spaced order statistics of `values`."""
    values = np.sort(np.reshape(values, [-1]))
    stride = max(values.size / (1.0 / epsilon), 1)
    # Every `stride`-th value, ending each stride (Keras 3.15's choice).
    picked = values[int(stride - 1)::int(stride)]
    return np.stack([picked, np.ones_like(picked) * stride])


def _compress(summary, epsilon):
    """`summary` re-sampled at the cumulative-weight fractions epsilon,
    2 * epsilon, ..., 1 (linear interpolation), unless already small."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    at = cumulative / cumulative[-1]
    values = np.interp(fractions, at, summary[0])
    weights = np.diff(np.interp(fractions, at, cumulative), prepend=0.0)
    return np.stack((values, weights)).astype("float32")


def _merge(first, second, epsilon):
    merged = np.concatenate((first, second), axis=1)
    merged = merged[:, np.argsort(merged[0])]
    return _compress(merged, epsilon)


class Discretization(Layer):
    """Buckets numbers: the output is the index of the range each falls in.

    `bin_boundaries=[0., 1., 2.]` makes the bins `(-inf, 0)`, `[0, 1)`,
    `[1, 2)` and `[2, inf)` (indices 0 to 3, as `np.digitize`). Written with
    `lamina.ops`, so it runs inside models on every backend.

    Args:
        bin_boundaries: the ascending boundaries; then don't call `adapt`.
        num_bins: the number of bins to learn with `adapt` (instead of
            `bin_boundaries`).
        epsilon: the quantile approximation's error tolerance used by
            `adapt` (smaller is more exact and slower).
        output_mode: 'int' (bin indices, int64), or 'one_hot',
            'multi_hot', 'count' (as `CategoryEncoding`, with
            `len(bin_boundaries) + 1` categories).
        sparse: must be False (lamina has no sparse tensors).

    Input shape: any. Output shape: the input's for 'int', else see
    `CategoryEncoding`.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    >>> x = np.array([[-1.5, 1.0, 3.4, 0.5]])
    >>> lamina.ops.convert_to_numpy(layer(x)).tolist()
    [[0, 2, 3, 1]]
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01,
                 output_mode="int", sparse=False, dtype=None, name=None,
                 **kwargs):
        super().__init__(dtype=dtype, name=name, **kwargs)
        output_mode = category_encoding.standardize_output_mode(
            "Discretization", output_mode, ("int",) + category_encoding._MODES)
        category_encoding.check_not_sparse("Discretization", sparse)
        if num_bins is not None and (isinstance(num_bins, bool) or
                                     not isinstance(num_bins, int) or
                                     num_bins < 0):
            raise ValueError(f"Discretization: `num_bins` must be an int >= "
                             f"0; got num_bins={num_bins!r}.")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(f"Discretization: give `num_bins` or "
                             f"`bin_boundaries`, not both; got num_bins="
                             f"{num_bins!r}, bin_boundaries="
                             f"{bin_boundaries!r}.")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("Discretization: give `bin_boundaries`, or "
                             "`num_bins` and then call `adapt(data)`.")
        if not isinstance(epsilon, (int, float)) or not 0 < epsilon < 1:
            raise ValueError(f"Discretization: `epsilon` must be a number "
                             f"in (0, 1); got epsilon={epsilon!r}.")
        self.bin_boundaries = None
        if bin_boundaries is not None:
            self.bin_boundaries = self._checked(bin_boundaries)
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    @staticmethod
    def _checked(boundaries):
        try:
            array = np.asarray(boundaries, dtype="float64")
        except (TypeError, ValueError):
            array = None
        if array is None or array.ndim != 1 or np.any(np.diff(array) < 0):
            raise ValueError(f"Discretization: `bin_boundaries` must be an "
                             f"ascending list of numbers; got "
                             f"{boundaries!r}.")
        return [float(b) for b in array]

    def adapt(self, data, batch_size=None, steps=None):
        """Learns `num_bins - 1` boundaries at approximate quantiles.

        The data is summarized batch by batch (Keras 3's algorithm, so the
        boundaries match Keras's): each boundary is within about `epsilon`
        (as a fraction of the data) of the exact quantile `k / num_bins`.

        Args:
            data: a NumPy array, tensor or list (one batch), or an
                iterable of batches (arrays, or `(x, y)` tuples of which
                `x` is used), e.g. a generator or a `PyDataset`.
            batch_size: with an array, summarize it in slices this long.
            steps: with an iterable, stop after this many batches.
        """
        if self.num_bins is None:
            raise ValueError(f"Layer '{self.name}' was given "
                             "`bin_boundaries`; only a layer made with "
                             "`num_bins` can be adapted.")
        summary = np.zeros((2, 0), "float32")
        for batch in _batches(data, batch_size, steps):
            batch = np.asarray(batch, dtype="float32")
            # (new, old): the order Keras merges in, so ties sort alike.
            summary = _merge(_summarize(batch, self.epsilon), summary,
                             self.epsilon)
        if summary.shape[1] == 0:
            raise ValueError(f"Layer '{self.name}': adapt got no data.")
        if self.num_bins == 0:
            raise ValueError(f"Layer '{self.name}': num_bins=0 can't be "
                             "adapted; give num_bins >= 1.")
        final = _compress(summary, 1.0 / self.num_bins)
        self.bin_boundaries = [float(b) for b in final[0, :-1]]

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(f"Layer '{self.name}' has no bin boundaries "
                             "yet: pass `bin_boundaries` or call "
                             "`adapt(data)` before using it.")
        dtype = ops.dtype(inputs)
        if dtype not in ("float16", "bfloat16", "float32", "float64"):
            dtype = "float32"
        x = ops.cast(inputs, dtype)
        boundaries = ops.convert_to_tensor(
            np.asarray(self.bin_boundaries, dtype="float64"), dtype=dtype)
        indices = searchsorted_right(boundaries, x)
        return category_encoding.encode_categorical(
            indices, self.output_mode, self._depth(), self.compute_dtype)

    def _depth(self):
        if self.bin_boundaries is not None:
            return len(self.bin_boundaries) + 1
        return self.num_bins

    def compute_output_shape(self, input_shape):
        return category_encoding.encoded_shape(input_shape, self.output_mode,
                                               self._depth())

    def compute_output_spec(self, inputs):
        dtype = "int64" if self.output_mode == "int" else self.compute_dtype
        return SymbolicTensor(self.compute_output_shape(inputs.shape), dtype)

    def get_config(self):
        # Keras 3's keys only: its Discretization takes no `trainable`.
        config = {k: v for k, v in super().get_config().items()
                  if k != "trainable"}
        return {**config, "bin_boundaries": self.bin_boundaries,
                "num_bins": self.num_bins, "epsilon": self.epsilon,
                "output_mode": self.output_mode, "sparse": self.sparse}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        boundaries = config.get("bin_boundaries")
        if boundaries is not None and config.get("num_bins") is not None:
            # An adapted layer: both are set; `__init__` takes one.
            del config["bin_boundaries"]
            layer = cls(**config)
            layer.bin_boundaries = cls._checked(boundaries)
            return layer
        return cls(**config)
