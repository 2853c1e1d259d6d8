"""Keras 1/2 keyword spellings, renamed to today's with one warning each.

Each layer that had other argument names in Keras 1 or 2 declares a table
`{old_name: new_name}` through `legacy_arguments`. An old name is renamed
before `__init__` runs and warns once, giving the exact modern spelling.
A value whose meaning changed gets a converter instead of a plain rename;
Keras 1's separate kernel sizes (`nb_row`, `nb_col`) are joined into one
`kernel_size`. The tables shared by many layers are defined here.
"""

import functools
import os
import sys
import warnings

_warned = set()
_LAMINA_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_stacklevel():
    """The stacklevel of the first caller outside the lamina package, so
    the warning points at the user's line."""
    frame, level = sys._getframe(2), 2
    while frame is not None and frame.f_code.co_filename.startswith(
            _LAMINA_DIR):
        frame, level = frame.f_back, level + 1
    return level


def warn_once(key, message, category=DeprecationWarning):
    """Emits `message` (a DeprecationWarning unless `category` says) the
    first time `key` is seen, pointing at the user's line."""
    if key in _warned:
        return
    _warned.add(key)
    warnings.warn(message, category, stacklevel=_user_stacklevel())


# -- value converters: fn(cls_name, value) -> [(new_name, new_value)] -----

def _bias(cls, value):
    return [("use_bias", bool(value))]


def _border_mode(cls, value):
    mode = str(value).lower()
    if mode == "full":
        raise ValueError(
            f"{cls}: border_mode='full' (Theano only in Keras 1) has no "
            "modern equivalent; pad first, e.g. ZeroPadding2D(kernel_size "
            "- 1), then use padding='valid'.")
    return [("padding", mode)]


_DIM_ORDERINGS = {"th": "channels_first", "tf": "channels_last",
                  "default": None}


def _dim_ordering(cls, value):
    if value not in _DIM_ORDERINGS:
        raise ValueError(f"{cls}: `dim_ordering` must be 'th', 'tf' or "
                         f"'default', got {value!r}.")
    return [("data_format", _DIM_ORDERINGS[value])]


def _forget_bias_init(cls, value):
    name = getattr(value, "__name__", value)
    if name in ("one", "ones"):
        return [("unit_forget_bias", True)]
    if name in ("zero", "zeros"):
        return [("unit_forget_bias", False)]
    raise ValueError(
        f"{cls}: forget_bias_init={value!r} has no modern spelling; only "
        "'one' (write unit_forget_bias=True) and 'zero' (write "
        "unit_forget_bias=False) do. For another forget-gate bias, set it "
        "after building: the bias's second quarter is the forget gate.")


def _consume_less(cls, value):
    warn_once((cls, "consume_less"),
              f"{cls}(consume_less={value!r}) has no effect in lamina and "
              "is ignored: it only chose how Keras 1 laid out the gate "
              "computations (speed and memory, not results); remove it.")
    return []


def _separable_init(cls, value):
    return [("depthwise_initializer", value),
            ("pointwise_initializer", value)]


CONVERTERS = {
    "bias": _bias,
    "border_mode": _border_mode,
    "dim_ordering": _dim_ordering,
    "forget_bias_init": _forget_bias_init,
    "consume_less": _consume_less,
}
# Converters that only apply with one table (the key is the table's value).
_TABLE_CONVERTERS = {"depthwise_and_pointwise_initializer": _separable_init}

# Keras 1's per-axis kernel sizes, joined into `kernel_size`.
GROUPS = (("nb_row", "nb_col"),
          ("kernel_dim1", "kernel_dim2", "kernel_dim3"))

# Marks `input_dim` on a sequence layer (RNNs, Conv1D): with the optional
# `input_length` it is the input shape `(input_length, input_dim)`.
SEQUENCE_INPUT = "(input_length, input_dim)"


def _call_text(cls, pairs):
    body = ", ".join(f"{k}={v!r}" for k, v in pairs)
    return f"{cls}({body})"


def _join_groups(cls, table, kwargs):
    for group in GROUPS:
        present = [k for k in group if k in kwargs and k in table]
        if not present:
            continue
        if len(present) != len(group):
            missing = [k for k in group if k not in kwargs]
            raise TypeError(f"{cls}: got {present} but not {missing}; Keras "
                            f"1 needs all of {list(group)} (write "
                            "kernel_size=(...) instead).")
        new = table[group[0]]
        if new in kwargs:
            raise TypeError(f"{cls}: got both {list(group)} (Keras 1 "
                            f"spelling) and '{new}'; pass only '{new}'.")
        value = tuple(kwargs.pop(k) for k in group)
        old = [(k, value[i]) for i, k in enumerate(group)]
        warn_once((cls, group), f"{_call_text(cls, old)} is the Keras 1 "
                  f"spelling; write {_call_text(cls, [(new, value)])}.")
        kwargs[new] = value


def _sequence_input(cls, kwargs):
    if "input_dim" not in kwargs:
        return
    if "input_shape" in kwargs or "batch_input_shape" in kwargs:
        raise TypeError(f"{cls}: got `input_dim` and an input shape; pass "
                        "only input_shape=(timesteps, features).")
    dim = kwargs.pop("input_dim")
    length = kwargs.pop("input_length", None)
    kwargs["input_shape"] = (length, dim)
    warn_once((cls, "input_dim"),
              f"{cls}(input_dim={dim!r}, input_length={length!r}) is the "
              f"Keras 1/2 spelling; write {cls}(..., input_shape="
              f"{(length, dim)!r}) or start the model with "
              f"Input(shape={(length, dim)!r}).")


def rename_arguments(cls, table, kwargs):
    """Renames the Keras 1/2 keywords of `table` in `kwargs` in place,
    warning once per (class name `cls`, keyword)."""
    if table.get("input_dim") == SEQUENCE_INPUT:
        _sequence_input(cls, kwargs)
    _join_groups(cls, table, kwargs)
    for old in [k for k in kwargs if k in table]:
        new = table[old]
        value = kwargs.pop(old)
        convert = _TABLE_CONVERTERS.get(new) or CONVERTERS.get(old)
        pairs = convert(cls, value) if convert else [(new, value)]
        for name, _ in pairs:
            if name in kwargs:
                raise TypeError(
                    f"{cls}: got both '{old}' (Keras 1/2 spelling) and "
                    f"'{name}'; pass only '{name}'.")
        if pairs and old != "consume_less":
            warn_once((cls, old),
                      f"{_call_text(cls, [(old, value)])} is the Keras "
                      f"1/2 spelling; write {_call_text(cls, pairs)}.")
        kwargs.update(pairs)


def legacy_arguments(table):
    """Decorator for `__init__`: accepts the old names in `table`."""
    def decorate(init):
        @functools.wraps(init)
        def wrapper(self, *args, **kwargs):
            rename_arguments(type(self).__name__, table, kwargs)
            return init(self, *args, **kwargs)
        return wrapper
    return decorate


# -- tables ----------------------------------------------------------------

# Weight arguments of a layer with a kernel and a bias (Keras 1 `init=`,
# `W_regularizer=`, ...).
_WEIGHT_ARGUMENTS = {
    "init": "kernel_initializer",
    "W_regularizer": "kernel_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "b_constraint": "bias_constraint",
    "bias": "use_bias",
}

# Dense (and Keras 1's MaxoutDense): `Dense(output_dim=...)`.
KERNEL_ARGUMENTS = {"output_dim": "units", **_WEIGHT_ARGUMENTS}

# Convolutions: `Convolution2D(nb_filter, nb_row, nb_col, border_mode=,
# subsample=, dim_ordering=)`, `Convolution1D(filter_length=,
# subsample_length=)`, `Convolution3D(kernel_dim1=, ...)`,
# `AtrousConvolution2D(atrous_rate=)`.
CONV_ARGUMENTS = {
    "nb_filter": "filters",
    "filter_length": "kernel_size",
    "nb_row": "kernel_size",
    "nb_col": "kernel_size",
    "kernel_dim1": "kernel_size",
    "kernel_dim2": "kernel_size",
    "kernel_dim3": "kernel_size",
    "border_mode": "padding",
    "subsample": "strides",
    "subsample_length": "strides",
    "atrous_rate": "dilation_rate",
    "dim_ordering": "data_format",
    **_WEIGHT_ARGUMENTS,
}
# Conv1D also took `input_dim` / `input_length` in Keras 1.
CONV1D_ARGUMENTS = {**CONV_ARGUMENTS, "input_dim": SEQUENCE_INPUT}

# Keras 1 SeparableConvolution2D: one `init` for both kernels.
SEPARABLE_ARGUMENTS = {**CONV_ARGUMENTS,
                       "init": "depthwise_and_pointwise_initializer"}

# Layers whose only old argument is the image axis order.
DATA_FORMAT_ARGUMENTS = {"dim_ordering": "data_format"}

# Pooling: `MaxPooling2D(border_mode=, dim_ordering=)`,
# `MaxPooling1D(pool_length=, stride=)`.
POOLING_ARGUMENTS = {"border_mode": "padding",
                     "dim_ordering": "data_format"}
POOLING1D_ARGUMENTS = {**POOLING_ARGUMENTS, "pool_length": "pool_size",
                       "stride": "strides"}

# Keras 1 `LSTM(output_dim, init=, inner_init=, inner_activation=,
# W_regularizer=, U_regularizer=, dropout_W=, dropout_U=, consume_less=,
# input_dim=, input_length=)`.
RECURRENT_ARGUMENTS = {
    "output_dim": "units",
    "init": "kernel_initializer",
    "inner_init": "recurrent_initializer",
    "inner_activation": "recurrent_activation",
    "W_regularizer": "kernel_regularizer",
    "U_regularizer": "recurrent_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "U_constraint": "recurrent_constraint",
    "b_constraint": "bias_constraint",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
    "bias": "use_bias",
    "consume_less": None,
    "input_dim": SEQUENCE_INPUT,
}
# Keras 1 LSTM's `forget_bias_init='one'` is `unit_forget_bias=True`.
LSTM_ARGUMENTS = {**RECURRENT_ARGUMENTS,
                  "forget_bias_init": "unit_forget_bias"}
