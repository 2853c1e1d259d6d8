"""`CategoryEncoding`: integer category ids to one-hot, multi-hot or count
vectors; `encode_categorical` is the encoding the lookup and
discretization layers share."""

import numpy as np

from lamina import ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer
from lamina.legacy.arguments import warn_once

_MODES = ("one_hot", "multi_hot", "count")


def standardize_output_mode(layer_name, output_mode, allowed):
    """`output_mode` checked against `allowed`; Keras 2's 'binary' and
    'tf-idf' are accepted with a warning."""
    old = {"binary": "multi_hot", "tf-idf": "tf_idf"}
    if isinstance(output_mode, str) and output_mode in old and \
            old[output_mode] in allowed:
        new = old[output_mode]
        warn_once((layer_name, output_mode),
                  f"{layer_name}(output_mode='{output_mode}') is the Keras "
                  f"2 spelling; write output_mode='{new}'.")
        output_mode = new
    if output_mode not in allowed:
        raise ValueError(f"{layer_name}: `output_mode` must be one of "
                         f"{', '.join(repr(m) for m in allowed)}; got "
                         f"{output_mode!r}.")
    return output_mode


def check_not_sparse(layer_name, sparse):
    if sparse:
        raise ValueError(f"{layer_name}: sparse=True needs sparse tensors, "
                         "which lamina's backends don't have; leave "
                         "`sparse` False (dense output).")


def is_host_data(x):
    """Whether `x` is data on the host (NumPy, lists, Python scalars)
    rather than a backend tensor or a symbolic one (on the NumPy backend a
    NumPy array is both: host data wins)."""
    return isinstance(x, (np.ndarray, np.generic, list, tuple, str, bytes,
                          int, float))


def encode_categorical(indices, output_mode, depth, dtype,
                       count_weights=None):
    """Encodes integer `indices` (a tensor) as Keras 3 does.

    'int' returns the indices as int64. 'one_hot' adds an axis of size
    `depth` (replacing a last axis of size 1); 'multi_hot' and 'count'
    treat the last axis as the sample and replace it by `depth` (a rank-1
    input is one sample). Indices outside `[0, depth)` (such as a dropped
    mask token, marked -1) add nothing. `count_weights` (same shape as
    `indices`) weights each occurrence in 'count' mode.
    """
    if output_mode == "int":
        return ops.cast(indices, "int64")
    indices = ops.cast(indices, "int64")
    shape = tuple(ops.shape(indices))
    if not shape:
        indices = ops.reshape(indices, (1,))
        shape = (1,)
        if count_weights is not None:
            count_weights = ops.reshape(count_weights, (1,))
    if output_mode == "one_hot" and len(shape) > 1 and shape[-1] == 1:
        indices = ops.squeeze(indices, axis=-1)
    # Built by comparison rather than `one_hot`, which some engines reject
    # for ids outside [0, depth).
    hits = ops.equal(ops.expand_dims(indices, -1),
                     ops.arange(depth, dtype="int64"))
    if output_mode == "one_hot":
        return ops.cast(hits, dtype)
    if output_mode == "multi_hot":
        return ops.cast(ops.any(hits, axis=-2), dtype)
    counts = ops.cast(hits, dtype)
    if count_weights is not None:
        counts = ops.multiply(counts, ops.expand_dims(
            ops.cast(count_weights, dtype), -1))
    return ops.sum(counts, axis=-2)


def encoded_shape(input_shape, output_mode, depth):
    """The output shape `encode_categorical` gives for `input_shape`."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    return input_shape[:-1] + (depth,)


class CategoryEncoding(Layer):
    """Encodes integer category ids as one-hot, multi-hot or count vectors.

    Written with `lamina.ops`, so it runs inside models and compiled
    training steps on every backend.

    Args:
        num_tokens: the number of categories; inputs are ids in
            `[0, num_tokens)`.
        output_mode: 'one_hot' (each id becomes a vector; a last axis of
            size 1 is replaced, otherwise a new axis is added),
            'multi_hot' (1 for each id present in a sample, the last axis
            being the sample) or 'count' (how often each id occurs).
        sparse: must be False (lamina has no sparse tensors).

    Call arguments:
        inputs: integer ids. Ids given as NumPy arrays or lists are
            checked on the host (an id out of range is a ValueError);
            inside a model, an id out of range encodes as zeros.
        count_weights: ('count' mode) a weight per input id, same shape.

    Input shape: `(..., length)`. Output shape: see `output_mode`.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.CategoryEncoding(4, output_mode="multi_hot")
    >>> lamina.ops.convert_to_numpy(layer([[0, 1], [3, 3]])).tolist()
    [[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot",
                 sparse=False, **kwargs):
        super().__init__(**kwargs)
        output_mode = standardize_output_mode("CategoryEncoding",
                                              output_mode, _MODES)
        if num_tokens is None:
            raise ValueError("CategoryEncoding: `num_tokens` must be set "
                             "(the number of categories); when it is not "
                             "known in advance, use IntegerLookup.")
        if isinstance(num_tokens, bool) or not isinstance(
                num_tokens, (int, np.integer)) or num_tokens < 1:
            raise ValueError(f"CategoryEncoding: `num_tokens` must be an "
                             f"int >= 1; got num_tokens={num_tokens!r}.")
        check_not_sparse("CategoryEncoding", sparse)
        self.num_tokens = int(num_tokens)
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        if is_host_data(inputs):
            ids = np.asarray(inputs)
            if ids.dtype.kind not in "iuf" or np.any(
                    (ids < 0) | (ids >= self.num_tokens)) or \
                    np.any(ids != np.round(ids)):
                raise ValueError(
                    f"Layer '{self.name}': inputs must be integer ids in "
                    f"[0, {self.num_tokens}) (num_tokens={self.num_tokens});"
                    f" got values from {_describe(ids)}.")
            inputs = ops.convert_to_tensor(ids.astype("int64"))
        return super().__call__(inputs, *args, **kwargs)

    def call(self, inputs, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise ValueError(f"Layer '{self.name}': `count_weights` is used "
                             f"only with output_mode='count'; this layer "
                             f"has output_mode='{self.output_mode}'.")
        return encode_categorical(inputs, self.output_mode, self.num_tokens,
                                  self.compute_dtype, count_weights)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def compute_output_spec(self, inputs, count_weights=None):
        return SymbolicTensor(self.compute_output_shape(inputs.shape),
                              self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens,
                "output_mode": self.output_mode}


def _describe(values):
    if values.size == 0:
        return "an empty array"
    if values.dtype.kind not in "iuf":
        return f"an array of dtype {values.dtype}"
    return f"{values.min()} to {values.max()}"
