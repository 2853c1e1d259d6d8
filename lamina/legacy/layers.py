"""Keras 1 layer classes that today's Keras spells differently or dropped.

- `Convolution1D/2D/3D`, `SeparableConvolution2D`, `Deconvolution2D`,
  `AtrousConvolution1D/2D` and `TimeDistributedDense` read their Keras 1
  signatures and return today's layer (`Conv2D`, `Conv2DTranspose`,
  `Conv2D` with `dilation_rate`, `TimeDistributed(Dense)`, ...), warning
  once with the rewrite.
- `MaxoutDense` and `Highway` were removed in Keras 2 without a
  replacement layer; they are kept here, with Keras 1's weight layout.
- The Keras 1 `Merge` layer is in `lamina.legacy.merge`.
"""

import inspect

from lamina import (
    activations,
    backend,
    constraints,
    initializers,
    ops,
    regularizers,
)
from lamina.layers.convolutional import _arguments as conv_args
from lamina.layers.convolutional.conv import Conv1D, Conv2D, Conv3D
from lamina.layers.convolutional.conv_transpose import Conv2DTranspose
from lamina.layers.convolutional.separable_conv import SeparableConv2D
from lamina.layers.core.dense import Dense
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.recurrent.time_distributed import TimeDistributed
from lamina.legacy import arguments as legacy
from lamina.legacy import conv_signatures as keras1
from lamina.legacy.merge import Merge
from lamina.saving.config import serialize

# -- Convolution1D/2D/3D, SeparableConvolution2D ----------------------------

# Keras 3 exports these names as aliases of Conv1D, ... (so
# `lamina.layers.convolutional` keeps them so); `lamina.layers` gives
# these, which also read Keras 1's positional kernel sizes, as Keras 1 and
# 2 did: `Convolution2D(32, 3, 3)` is `Conv2D(32, (3, 3))`.
Convolution1D = keras1.keras1_class(Conv1D, "Convolution1D", 1,
                                    keras1.CONV1D_ORDER)
Convolution2D = keras1.keras1_class(Conv2D, "Convolution2D", 2,
                                    keras1.CONV2D_ORDER)
Convolution3D = keras1.keras1_class(Conv3D, "Convolution3D", 3,
                                    keras1.CONV2D_ORDER)
SeparableConvolution2D = keras1.keras1_class(
    SeparableConv2D, "SeparableConvolution2D", 2, keras1.SEPARABLE2D_ORDER)


# -- Deconvolution2D -------------------------------------------------------


def _deconvolution_output_shape(args, kwargs):
    """Keras 1's `output_shape` as the `output_padding` giving that size.

    A transposed convolution's output length is
    `(n - 1) * stride + extent - 2 * pad + output_padding` with
    `0 <= output_padding < stride`, so the requested length alone fixes
    `output_padding`.
    """
    output_shape = kwargs.pop("output_shape", None)
    if output_shape is None:
        return args, kwargs
    legacy.rename_arguments("Conv2DTranspose", legacy.CONV_ARGUMENTS, kwargs)
    bound = inspect.signature(Conv2DTranspose).bind_partial(*args, **kwargs)
    given = dict(bound.arguments)
    given.update(given.pop("kwargs", {}))
    if given.get("output_padding") is not None:
        raise TypeError("Deconvolution2D: got both `output_shape` (Keras 1) "
                        "and `output_padding`; pass only output_padding.")
    shape = tuple(output_shape)
    if len(shape) != 4:
        raise ValueError(f"Deconvolution2D: `output_shape` must be (batch, "
                         f"rows, cols, filters) or (batch, filters, rows, "
                         f"cols), got {output_shape!r}.")
    data_format = backend.standardize_data_format(given.get("data_format"))
    first = data_format == "channels_first"
    channels, spatial = (shape[1], shape[2:]) if first else \
        (shape[3], shape[1:3])
    if channels != given["filters"]:
        raise ValueError(f"Deconvolution2D: `output_shape` {shape} has "
                         f"{channels} channels but nb_filter is "
                         f"{given['filters']}.")
    kernel = conv_args.standardize_tuple(given["kernel_size"], 2,
                                         "kernel_size")
    strides = conv_args.standardize_tuple(given.get("strides", 1), 2,
                                          "strides")
    dilation = conv_args.standardize_tuple(given.get("dilation_rate", 1),
                                           2, "dilation_rate")
    padding = conv_args.standardize_padding(given.get("padding", "valid"))
    output_padding = []
    for size, k, s, d in zip(spatial, kernel, strides, dilation):
        extent = (k - 1) * d + 1
        pad = extent // 2 if padding == "same" else 0
        if size is None or size - extent + 2 * pad < 0:
            raise ValueError(f"Deconvolution2D: `output_shape` {shape} is "
                             f"too small for kernel_size={kernel} with "
                             f"padding='{padding}'.")
        output_padding.append((size - extent + 2 * pad) % s)
    kwargs = {k: v for k, v in given.items() if k not in ("filters",
                                                          "kernel_size")}
    kwargs["output_padding"] = tuple(output_padding)
    legacy.warn_once(
        ("Deconvolution2D", "output_shape"),
        f"Deconvolution2D(..., output_shape={output_shape!r}) is the Keras "
        f"1 spelling; write Conv2DTranspose({given['filters']!r}, "
        f"{kernel!r}, ..., output_padding={tuple(output_padding)!r}) (the "
        "output size then follows from the input size).")
    return (given["filters"], given["kernel_size"]), kwargs


Deconvolution2D = keras1.keras1_class(
    Conv2DTranspose, "Deconvolution2D", 2, keras1.DECONV2D_ORDER,
    prepare=_deconvolution_output_shape,
    note="Deconvolution2D is the Keras 1 name; write Conv2DTranspose.")
AtrousConvolution1D = keras1.keras1_class(
    Conv1D, "AtrousConvolution1D", 1, keras1.ATROUS1D_ORDER,
    note="AtrousConvolution1D(..., atrous_rate=r) is the Keras 1 spelling; "
         "write Conv1D(..., dilation_rate=r).")
AtrousConvolution2D = keras1.keras1_class(
    Conv2D, "AtrousConvolution2D", 2, keras1.ATROUS2D_ORDER,
    note="AtrousConvolution2D(..., atrous_rate=r) is the Keras 1 spelling; "
         "write Conv2D(..., dilation_rate=r).")


# -- TimeDistributedDense ----------------------------------------------------

# Keywords that belong to the TimeDistributed wrapper, not to the Dense.
_WRAPPER_KEYS = ("name", "trainable", "input_shape", "batch_input_shape",
                 "batch_size", "input_dtype")


class TimeDistributedDense(TimeDistributed):
    """Keras 1's `TimeDistributedDense(output_dim, ...)`: builds
    `TimeDistributed(Dense(output_dim, ...))`, whose weights are the
    Dense's `(input_dim, output_dim)` kernel and bias, as in Keras 1.

    Keras 1's `input_dim` / `input_length` become the input shape
    `(input_length, input_dim)`.
    """

    def __new__(cls, *args, **kwargs):
        wrapper = {k: kwargs.pop(k) for k in _WRAPPER_KEYS if k in kwargs}
        if "input_dim" in kwargs:
            wrapper["input_shape"] = (kwargs.pop("input_length", None),
                                      kwargs.pop("input_dim"))
        kwargs.pop("input_length", None)
        dense = Dense(*args, **kwargs)
        legacy.warn_once(("TimeDistributedDense", "class"),
                         f"TimeDistributedDense({dense.units}, ...) is the "
                         f"Keras 1 spelling; write TimeDistributed(Dense("
                         f"{dense.units}, ...)).")
        return TimeDistributed(dense, **wrapper)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)


# -- MaxoutDense ---------------------------------------------------------


class MaxoutDense(Layer):
    """Keras 1's maxout layer: the maximum of `nb_feature` dense layers.

    `output = max_k (inputs @ kernel[k] + bias[k])` (Goodfellow et al.,
    2013, https://arxiv.org/abs/1302.4389), with `kernel` of shape
    `(nb_feature, input_dim, output_dim)` and `bias` of shape
    `(nb_feature, output_dim)`, Keras 1's layout. Keras 2 removed it; the
    same model is `Dense(nb_feature * output_dim)` (kernel
    `kernel.transpose(1, 0, 2).reshape(input_dim, -1)`), then
    `Reshape((nb_feature, output_dim))` and a max over axis 1.

    Args:
        units: the output size (Keras 1: `output_dim`).
        nb_feature: the number of linear pieces.
        kernel_initializer, bias_initializer: initializers (Keras 1:
            `init`).
        kernel_regularizer, bias_regularizer, kernel_constraint,
            bias_constraint: as in Dense (Keras 1: `W_regularizer`, ...).
        use_bias: whether to add `bias` (Keras 1: `bias`).

    Input shape: `(batch, input_dim)`. Output shape: `(batch, output_dim)`.
    """

    @legacy.legacy_arguments(legacy.KERNEL_ARGUMENTS)
    def __init__(self, units, nb_feature=4,
                 kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None,
                 use_bias=True, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        for arg, value in (("units", units), ("nb_feature", nb_feature)):
            if isinstance(value, bool) or not isinstance(value, int) or \
                    value <= 0:
                raise ValueError(f"MaxoutDense: `{arg}` must be a positive "
                                 f"integer, got {value!r}.")
        self.units, self.nb_feature = units, nb_feature
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.use_bias = bool(use_bias)
        self.input_spec = InputSpec(ndim=2)
        legacy.warn_once(
            ("MaxoutDense", "class"),
            f"MaxoutDense({units}, nb_feature={nb_feature}) was removed in "
            f"Keras 2 (lamina keeps it); the Keras 2/3 rewrite is "
            f"Dense({units * nb_feature}), Reshape(({nb_feature}, {units})),"
            " then Lambda(lambda x: ops.max(x, axis=1)).")

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"Layer '{self.name}': the last axis of the "
                             "input must be known.")
        self.kernel = self.add_weight(
            name="kernel", shape=(self.nb_feature, input_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.nb_feature, self.units),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint)
        self.input_spec = InputSpec(ndim=2, axes={-1: input_dim})
        self.built = True

    def call(self, inputs):
        # (batch, in) x (nb, in, out) -> (batch, nb, out)
        y = ops.einsum("bi,kio->bko", inputs, self.kernel)
        if self.bias is not None:
            y = ops.add(y, self.bias)
        return ops.max(y, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "nb_feature": self.nb_feature,
                **_weight_config(self), "use_bias": self.use_bias}


# -- Highway ---------------------------------------------------------------


class Highway(Layer):
    """Keras 1's densely connected highway layer (Srivastava et al., 2015,
    https://arxiv.org/abs/1505.00387).

    `t = sigmoid(x @ carry_kernel + carry_bias)` is the transform gate and
    `output = activation(x @ kernel + bias) * t + x * (1 - t)`. Weights, in
    Keras 1's order: `kernel` (W), `carry_kernel` (W_carry), `bias` (b),
    `carry_bias` (b_carry), each `(input_dim, input_dim)` or
    `(input_dim,)`. Keras 2 removed the layer; the rewrite is
    `t = Dense(d, activation='sigmoid')(x)`, `h = Dense(d, activation)(x)`,
    `t * h + (1 - t) * x` with Multiply/Add layers.

    Args:
        kernel_initializer: for both kernels (Keras 1: `init`).
        activation: of the transform (default linear).
        transform_bias: the initial value of `carry_bias`; None starts it
            at 1 as Keras 1.2 and 2 did (Keras 1.0 documented -2).
        kernel_regularizer, bias_regularizer, kernel_constraint,
            bias_constraint: for `kernel` and `bias` only, as in Keras 1.
        use_bias: whether both affine maps have a bias (Keras 1: `bias`).

    Input shape: `(batch, input_dim)`; the output has the same shape.
    """

    @legacy.legacy_arguments(legacy.KERNEL_ARGUMENTS)
    def __init__(self, kernel_initializer="glorot_uniform", activation=None,
                 transform_bias=None, kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None,
                 use_bias=True, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.activation = activations.get(activation)
        self.transform_bias = None if transform_bias is None else \
            float(transform_bias)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.use_bias = bool(use_bias)
        self.input_spec = InputSpec(ndim=2)
        legacy.warn_once(
            ("Highway", "class"),
            "Highway was removed in Keras 2 (lamina keeps it); the Keras 2/3 "
            "rewrite is t = Dense(d, activation='sigmoid')(x), h = Dense(d, "
            "activation=...)(x), output t * h + (1 - t) * x.")

    def build(self, input_shape):
        dim = input_shape[-1]
        if dim is None:
            raise ValueError(f"Layer '{self.name}': the last axis of the "
                             "input must be known.")
        self.kernel = self.add_weight(
            name="kernel", shape=(dim, dim),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.carry_kernel = self.add_weight(
            name="carry_kernel", shape=(dim, dim),
            initializer=self.kernel_initializer)
        self.bias = self.carry_bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(dim,), initializer="zeros",
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint)
            carry = "ones" if self.transform_bias is None else \
                initializers.Constant(self.transform_bias)
            self.carry_bias = self.add_weight(
                name="carry_bias", shape=(dim,), initializer=carry)
        self.input_spec = InputSpec(ndim=2, axes={-1: dim})
        self.built = True

    def call(self, inputs):
        gate = ops.matmul(inputs, self.carry_kernel)
        y = ops.matmul(inputs, self.kernel)
        if self.use_bias:
            gate = ops.add(gate, self.carry_bias)
            y = ops.add(y, self.bias)
        gate = ops.sigmoid(gate)
        y = self.activation(y)
        return ops.add(ops.multiply(y, gate),
                       ops.multiply(inputs, ops.subtract(1.0, gate)))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = {**super().get_config(),
                  "activation": activations.serialize(self.activation),
                  "transform_bias": self.transform_bias,
                  **_weight_config(self), "use_bias": self.use_bias}
        return config


def _weight_config(layer):
    return {key: serialize(getattr(layer, key)) for key in (
        "kernel_initializer", "bias_initializer", "kernel_regularizer",
        "bias_regularizer", "kernel_constraint", "bias_constraint")
        if hasattr(layer, key)}


# Class names as written in Keras 1 configs -> classes (for deserialize).
ALL_OBJECTS = {cls.__name__: cls for cls in (
    Convolution1D, Convolution2D, Convolution3D, SeparableConvolution2D,
    Deconvolution2D, AtrousConvolution1D, AtrousConvolution2D,
    TimeDistributedDense, MaxoutDense, Highway, Merge)}
