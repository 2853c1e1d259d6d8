"""`keras.backend` (part 3): activations, losses, random, conv, `rnn`.

Written on `lamina.ops` with Keras 2's semantics where they differ from
Keras 3's (`hard_sigmoid` is `0.2 * x + 0.5`, clipped). Import through
`lamina.legacy.keras_backend`, which re-exports all of this.
"""

from lamina import backend as _config
from lamina import ops
from lamina import random as _random
from lamina.backend.common.seed import SeedGenerator
from lamina.legacy.arguments import warn_once
from lamina.ops._bind import B
from lamina.ops.symbolic import symbolic_aware

__all__ = [
    "batch_normalization", "bias_add", "binary_crossentropy",
    "categorical_crossentropy", "conv1d", "conv2d", "conv3d", "dropout",
    "elu", "foldl", "foldr", "hard_sigmoid", "in_top_k", "l2_normalize",
    "map_fn", "pool2d", "pool3d", "print_tensor", "random_binomial",
    "random_normal", "random_uniform", "relu", "resize_images", "rnn",
    "sigmoid", "softmax", "softplus", "softsign",
    "sparse_categorical_crossentropy", "stop_gradient", "tanh",
    "truncated_normal"]


# -- activations ------------------------------------------------------------

def sigmoid(x):
    return B.sigmoid(x)


def hard_sigmoid(x):
    """Keras 1/2's piecewise-linear sigmoid: clip(0.2 * x + 0.5, 0, 1)
    (Keras 3's is x / 6 + 0.5)."""
    return B.clip(B.add(B.multiply(x, 0.2), 0.5), 0.0, 1.0)


def tanh(x):
    return B.tanh(x)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """`x` above `threshold` (capped at `max_value`), else
    `alpha * (x - threshold)`."""
    x = B.convert_to_tensor(x)
    if alpha == 0.0 and threshold == 0.0:
        out = B.relu(x)
    else:
        out = B.where(B.greater_equal(x, threshold), x,
                      B.multiply(B.subtract(x, threshold), alpha))
    if max_value is not None:
        out = B.minimum(out, max_value)
    return out


def elu(x, alpha=1.0):
    return B.elu(x, alpha)


def softmax(x, axis=-1):
    return B.softmax(x, axis=axis)


def softplus(x):
    return B.softplus(x)


def softsign(x):
    return ops.softsign(x)


def l2_normalize(x, axis=None):
    """`x / sqrt(max(sum(x ** 2), 1e-12))` over `axis` (all when None)."""
    axis = tuple(axis) if isinstance(axis, list) else axis
    sq = B.sum(B.square(x), axis=axis, keepdims=True)
    return B.multiply(x, B.rsqrt(B.maximum(sq, 1e-12)))


def stop_gradient(variables):
    """No gradient flows back through `variables` (a tensor or a list)."""
    if isinstance(variables, (list, tuple)):
        return [B.stop_gradient(v) for v in variables]
    return B.stop_gradient(variables)


def in_top_k(predictions, targets, k):
    """Whether each target class is among the `k` highest predictions."""
    _, top = B.top_k(predictions, k)
    targets = B.cast(B.expand_dims(targets, -1), B.dtype(top))
    return B.any(B.equal(top, targets), axis=-1)


def print_tensor(x, message=""):
    """Prints `message` and the value of `x`; returns `x`."""
    print(message, x)
    return x


# -- losses (Keras 2's (target, output) order) ------------------------------

def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary crossentropy."""
    return ops.binary_crossentropy(target, output, from_logits=from_logits)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy of one-hot `target` against `output` along `axis`.
    (Keras 1's positional order was `(output, target)`.)"""
    return ops.categorical_crossentropy(target, output,
                                        from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False,
                                    axis=-1):
    """Crossentropy of integer labels `target` against `output`."""
    return ops.sparse_categorical_crossentropy(
        target, output, from_logits=from_logits, axis=axis)


# -- random -----------------------------------------------------------------

_generators = {}


def _seed(seed):
    """A `SeedGenerator` per seed (a stream: new numbers on each call, as a
    seeded TensorFlow op gave, also inside a jitted step)."""
    key = "default" if seed is None else int(seed)
    gen = _generators.get(key)
    if gen is None:
        gen = _generators[key] = SeedGenerator(None if seed is None
                                               else int(seed))
    return gen


def _legacy(fn_name, kwargs, table):
    """Renames Keras 1 keywords (`std`, `low`, `high`) with a warning."""
    for old, new in table.items():
        if old in kwargs:
            warn_once(f"K.{fn_name}.{old}",
                      f"K.{fn_name}({old}=...) is the Keras 1 spelling; "
                      f"write K.{fn_name}({new}=...).")
            kwargs[new] = kwargs.pop(old)
    return kwargs


def _shape(shape):
    return tuple(int(d) for d in shape)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None,
                  **kwargs):
    """Samples of N(mean, stddev ** 2)."""
    stddev = _legacy("random_normal", kwargs, {"std": "stddev"}).pop(
        "stddev", stddev)
    return _random.normal(_shape(shape), mean, stddev,
                          dtype=dtype or _config.floatx(), seed=_seed(seed))


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None,
                   **kwargs):
    """Samples of U(minval, maxval)."""
    kwargs = _legacy("random_uniform", kwargs,
                     {"low": "minval", "high": "maxval"})
    return _random.uniform(_shape(shape), kwargs.get("minval", minval),
                           kwargs.get("maxval", maxval),
                           dtype=dtype or _config.floatx(), seed=_seed(seed))


def random_binomial(shape, p=0.0, dtype=None, seed=None):
    """1 with probability `p`, else 0."""
    draws = _random.uniform(_shape(shape), seed=_seed(seed))
    return B.cast(B.less(draws, p), dtype or _config.floatx())


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples redrawn beyond two standard deviations."""
    return _random.truncated_normal(_shape(shape), mean, stddev,
                                    dtype=dtype or _config.floatx(),
                                    seed=_seed(seed))


def dropout(x, level, noise_shape=None, seed=None):
    """Zeros a `level` fraction of `x` and scales the rest by
    1 / (1 - level)."""
    return _random.dropout(x, level, noise_shape=noise_shape,
                           seed=_seed(seed))


# -- convolution and pooling ----------------------------------------------

def _conv_args(kwargs, data_format, padding):
    """Keras 1's `border_mode` and `dim_ordering` ('th'/'tf')."""
    if "border_mode" in kwargs:
        warn_once("K.conv.border_mode", "K.conv*(border_mode=...) is the "
                  "Keras 1 spelling; write padding=...")
        padding = kwargs.pop("border_mode")
    legacy_th = False
    if "dim_ordering" in kwargs:
        ordering = kwargs.pop("dim_ordering")
        warn_once("K.conv.dim_ordering", "K.conv*(dim_ordering=...) is the "
                  "Keras 1 spelling; write data_format='channels_first' "
                  "('th') or 'channels_last' ('tf').")
        if ordering in ("th", "tf"):
            data_format = "channels_first" if ordering == "th" \
                else "channels_last"
            legacy_th = ordering == "th"
    for ignored in ("image_shape", "filter_shape", "volume_shape"):
        kwargs.pop(ignored, None)
    if kwargs:
        raise TypeError(f"unexpected arguments {sorted(kwargs)}")
    return _config.standardize_data_format(data_format), padding, legacy_th


def _conv(x, kernel, strides, padding, data_format, dilation_rate, kwargs):
    if "filter_dilation" in kwargs:
        dilation_rate = kwargs.pop("filter_dilation")
    data_format, padding, legacy_th = _conv_args(kwargs, data_format,
                                                 padding)
    if legacy_th:
        # Keras 1 'th' kernels were (out, in, *spatial).
        rank = len(B.shape(kernel))
        kernel = B.transpose(kernel, tuple(range(2, rank)) + (1, 0))
    return B.conv(x, kernel, strides=strides, padding=padding,
                  data_format=data_format, dilation_rate=dilation_rate)


def conv1d(x, kernel, strides=1, padding="valid", data_format=None,
           dilation_rate=1, **kwargs):
    """1-D convolution; `kernel` is (width, in, out)."""
    return _conv(x, kernel, strides, padding, data_format, dilation_rate,
                 kwargs)


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None,
           dilation_rate=(1, 1), **kwargs):
    """2-D convolution; `kernel` is (rows, cols, in, out)."""
    return _conv(x, kernel, strides, padding, data_format, dilation_rate,
                 kwargs)


def conv3d(x, kernel, strides=(1, 1, 1), padding="valid", data_format=None,
           dilation_rate=(1, 1, 1), **kwargs):
    """3-D convolution; `kernel` is (d1, d2, d3, in, out)."""
    return _conv(x, kernel, strides, padding, data_format, dilation_rate,
                 kwargs)


def _pool(x, pool_size, strides, padding, data_format, pool_mode, kwargs):
    data_format, padding, _ = _conv_args(kwargs, data_format, padding)
    if pool_mode not in ("max", "avg"):
        raise ValueError(f"K.pool: `pool_mode` must be 'max' or 'avg', got "
                         f"{pool_mode!r}.")
    fn = B.max_pool if pool_mode == "max" else B.average_pool
    return fn(x, pool_size, strides=strides, padding=padding,
              data_format=data_format)


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None,
           pool_mode="max", **kwargs):
    """2-D max or average ('avg') pooling."""
    return _pool(x, pool_size, strides, padding, data_format, pool_mode,
                 kwargs)


def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid",
           data_format=None, pool_mode="max", **kwargs):
    """3-D max or average ('avg') pooling."""
    return _pool(x, pool_size, strides, padding, data_format, pool_mode,
                 kwargs)


def bias_add(x, bias, data_format=None):
    """`x + bias`, the bias on the channels axis of `data_format`."""
    data_format = _config.standardize_data_format(data_format)
    rank, bias_rank = len(B.shape(x)), len(B.shape(bias))
    if data_format == "channels_first" and rank > 2:
        if bias_rank == 1:
            bias = B.reshape(bias, (-1,) + (1,) * (rank - 2))
        else:  # (*spatial, channels) -> (channels, *spatial)
            bias = B.moveaxis(bias, -1, 0)
    return B.add(x, bias)


def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):
    """`(x - mean) / sqrt(var + epsilon) * gamma + beta` (None: skipped)."""
    out = B.multiply(B.subtract(x, mean), B.rsqrt(B.add(var, epsilon)))
    if gamma is not None:
        out = B.multiply(out, gamma)
    return out if beta is None else B.add(out, beta)


def resize_images(x, height_factor, width_factor, data_format,
                  interpolation="nearest"):
    """Rows and columns repeated by integer factors."""
    if interpolation != "nearest":
        raise ValueError("K.resize_images: lamina supports "
                         "interpolation='nearest' here; use the Resizing "
                         "layer for 'bilinear'.")
    first = _config.standardize_data_format(data_format) == "channels_first"
    rows, cols = (2, 3) if first else (1, 2)
    return B.repeat(B.repeat(x, height_factor, axis=rows), width_factor,
                    axis=cols)


# -- loops ---------------------------------------------------------------

def map_fn(fn, elems, name=None, dtype=None):
    """`fn` applied to each slice of `elems` along axis 0, stacked."""
    elems = B.convert_to_tensor(elems)
    return B.stack([fn(elems[i]) for i in range(B.shape(elems)[0])])


def foldl(fn, elems, initializer=None, name=None):
    """Reduces `elems` along axis 0 from the left with `fn(acc, x)`."""
    elems = B.convert_to_tensor(elems)
    n = B.shape(elems)[0]
    acc, start = (elems[0], 1) if initializer is None else \
        (B.convert_to_tensor(initializer, dtype=B.dtype(elems)), 0)
    for i in range(start, n):
        acc = fn(acc, elems[i])
    return acc


def foldr(fn, elems, initializer=None, name=None):
    """Reduces `elems` along axis 0 from the right with `fn(acc, x)`."""
    return foldl(fn, B.flip(elems, 0), initializer)


def rnn(step_function, inputs, initial_states, go_backwards=False,
        mask=None, constants=None, unroll=False, input_length=None,
        time_major=False, zero_output_for_mask=False):
    """Iterates `step_function` over the time axis of `inputs`.

    Args:
        step_function: `(input_t, states) -> (output_t, new_states)`;
            `states` is a list: the current states, then `constants`.
        inputs: (batch, time, ...) ((time, batch, ...) if `time_major`).
        initial_states: list of (batch, ...) state tensors.
        go_backwards: run from the last step to the first.
        mask: (batch, time) booleans; at a masked step the states and the
            output carry over from the previous step.
        constants: tensors passed to every step after the states.
        unroll, input_length: accepted for compatibility.

    Returns:
        `(last_output, outputs, new_states)`: outputs (batch, time, ...)
        and the final states as a list.
    """
    from lamina.layers.recurrent import loop
    constants = list(constants or [])
    if time_major:
        inputs = B.swapaxes(inputs, 0, 1)

    def step(x, states):
        output, new_states = step_function(x, list(states) + constants)
        if not isinstance(new_states, (list, tuple)):
            new_states = [new_states]
        return output, list(new_states)

    last, outputs, states = loop.rnn(
        step, inputs, list(initial_states), go_backwards=go_backwards,
        mask=mask, unroll=unroll,
        zero_output_for_mask=zero_output_for_mask)
    if time_major:
        outputs = B.swapaxes(outputs, 0, 1)
    return last, outputs, list(states)


_TENSOR_FUNCTIONS = (
    "sigmoid", "hard_sigmoid", "tanh", "relu", "elu", "softmax",
    "softplus", "softsign", "l2_normalize", "stop_gradient", "in_top_k",
    "binary_crossentropy", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "dropout", "conv1d", "conv2d",
    "conv3d", "pool2d", "pool3d", "bias_add", "batch_normalization",
    "resize_images")
for _name in _TENSOR_FUNCTIONS:
    globals()[_name] = symbolic_aware(globals()[_name])
del _name
