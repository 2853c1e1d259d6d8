"""`BatchNormalization`: normalizes by batch statistics while training and
by their moving averages at inference (Ioffe & Szegedy, 2015,
https://arxiv.org/abs/1502.03167)."""

from lamina import backend, constraints, initializers, ops, regularizers
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.legacy.arguments import legacy_arguments, warn_once
from lamina.saving.config import serialize


class BatchNormalization(Layer):
    """Normalizes its input along `axis` to zero mean and unit variance.

    In training (`training=True`, as inside `fit`) the layer uses the mean
    and (population) variance of the current batch over every axis but
    `axis`, and updates the moving statistics:
    `moving = moving * momentum + batch_stat * (1 - momentum)`.
    At inference it uses the moving statistics. Either way the output is
    `gamma * (x - mean) / sqrt(variance + epsilon) + beta`. A frozen layer
    (`trainable=False`) always runs in inference mode, as in Keras 3.

    Args:
        axis: the features axis (one statistic per index along it).
        momentum: weight of the old value in the moving averages.
        epsilon: added to the variance before the square root.
        center: learn an offset `beta`.
        scale: learn a scale `gamma`.
        beta_initializer, gamma_initializer, moving_mean_initializer,
            moving_variance_initializer: initializers.
        beta_regularizer, gamma_regularizer: weight penalties.
        beta_constraint, gamma_constraint: projections after each update.
        synchronized: accepted for Keras compatibility; one device means
            there is nothing to synchronize.

    Call arguments:
        inputs: a tensor of any rank.
        training: whether to use (and update) batch statistics.
        mask: an optional boolean mask of shape `inputs.shape[:-1]`;
            masked positions are left out of the batch statistics.

    Weights:
        `gamma`, `beta` (trainable), `moving_mean`, `moving_variance`
        (non-trainable), each of shape `(inputs.shape[axis],)`.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.normalization.BatchNormalization()
    >>> y = layer(np.array([[1.0, 2.0], [3.0, 6.0]]), training=True)
    >>> np.round(lamina.ops.convert_to_numpy(y), 2).tolist()
    [[-1.0, -1.0], [1.0, 1.0]]
    """

    @legacy_arguments({"beta_init": "beta_initializer",
                       "gamma_init": "gamma_initializer"})
    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True,
                 scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros",
                 moving_variance_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, **kwargs):
        if "mode" in kwargs:  # Keras 1
            mode = kwargs.pop("mode")
            if mode != 0:
                raise ValueError(
                    f"BatchNormalization: Keras 1's mode={mode!r} (per-"
                    "sample / per-feature normalization) was removed in "
                    "Keras 2; only mode=0, the default, exists.")
            warn_once(("BatchNormalization", "mode"),
                      "BatchNormalization(mode=0) is the Keras 1 spelling; "
                      "leave `mode` out.")
        # tf.keras 2 configs carry these; lamina implements their defaults
        # (`fused` only chose a kernel).
        for name in ("fused", "renorm_clipping", "renorm_momentum"):
            kwargs.pop(name, None)
        for name in ("renorm", "virtual_batch_size", "adjustment"):
            if kwargs.pop(name, None):
                raise ValueError(f"BatchNormalization: tf.keras's `{name}` "
                                 "is not supported (Keras 3 removed it).")
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"BatchNormalization: `axis` must be an int, "
                             f"got {axis!r}.")
        if not 0 <= momentum <= 1:
            raise ValueError(f"BatchNormalization: `momentum` must be in "
                             f"[0, 1], got {momentum!r}.")
        if epsilon <= 0:
            raise ValueError(f"BatchNormalization: `epsilon` must be "
                             f"positive, got {epsilon!r}.")
        self.axis = axis
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(
            moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(
            moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = bool(synchronized)
        self.supports_masking = True
        self.gamma = self.beta = None

    def build(self, input_shape):
        ndim = len(input_shape)
        if not -ndim <= self.axis < ndim:
            raise ValueError(f"Layer '{self.name}': `axis`={self.axis} is "
                             f"out of range for an input of shape "
                             f"{tuple(input_shape)}.")
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(f"Layer '{self.name}': axis {self.axis} of the "
                             f"input must be known, got shape "
                             f"{tuple(input_shape)}.")
        shape = (dim,)
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma", shape=shape, initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight(
                name="beta", shape=shape, initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint)
        self.moving_mean = self.add_weight(
            name="moving_mean", shape=shape,
            initializer=self.moving_mean_initializer, trainable=False)
        self.moving_variance = self.add_weight(
            name="moving_variance", shape=shape,
            initializer=self.moving_variance_initializer, trainable=False)
        self.input_spec = InputSpec(ndim=ndim, axes={self.axis: dim})
        self._channel_axis = self.axis % ndim
        self._reduction_axes = tuple(a for a in range(ndim)
                                     if a != self._channel_axis)
        self._broadcast_shape = tuple(dim if a == self._channel_axis else 1
                                      for a in range(ndim))
        self.built = True

    def _moments(self, x, mask):
        if mask is None:
            return ops.moments(x, axes=self._reduction_axes)
        weights = ops.expand_dims(ops.cast(mask, ops.dtype(x)),
                                  self._channel_axis)
        axes = self._reduction_axes
        # Keras 3's masked moments, epsilon included, so results match.
        count = ops.add(ops.sum(weights, axis=axes, keepdims=True),
                        backend.epsilon())
        weighted = ops.multiply(weights, x)
        mean = ops.divide(ops.sum(weighted, axis=axes, keepdims=True), count)
        deviation = ops.square(ops.subtract(weighted, mean))
        variance = ops.divide(ops.sum(ops.multiply(weights, deviation),
                                      axis=axes, keepdims=True), count)
        return ops.reshape(mean, (-1,)), ops.reshape(variance, (-1,))

    def call(self, inputs, training=None, mask=None):
        if mask is not None and len(ops.shape(mask)) != \
                len(ops.shape(inputs)) - 1:
            raise ValueError(f"Layer '{self.name}': the mask must have one "
                             f"axis less than the input; got mask shape "
                             f"{ops.shape(mask)} for input shape "
                             f"{ops.shape(inputs)}.")
        dtype = ops.dtype(inputs)
        # Low-precision statistics overflow easily: compute in float32.
        compute = "float32" if dtype in ("float16", "bfloat16") else dtype
        x = ops.cast(inputs, compute)
        if training and self.trainable:
            mean, variance = self._moments(x, mask)
            self._update(self.moving_mean, mean)
            self._update(self.moving_variance, variance)
        else:
            mean = ops.cast(self.moving_mean.value, compute)
            variance = ops.cast(self.moving_variance.value, compute)
        inv = ops.rsqrt(ops.add(variance, self.epsilon))
        if self.gamma is not None:
            inv = ops.multiply(inv, ops.cast(self.gamma.value, compute))
        shift = ops.negative(ops.multiply(mean, inv))
        if self.beta is not None:
            shift = ops.add(shift, ops.cast(self.beta.value, compute))
        out = ops.add(ops.multiply(x, ops.reshape(inv, self._broadcast_shape)),
                      ops.reshape(shift, self._broadcast_shape))
        return ops.cast(out, dtype)

    def _update(self, variable, batch_value):
        batch_value = ops.cast(ops.stop_gradient(batch_value), variable.dtype)
        variable.assign(ops.add(
            ops.multiply(variable.value, self.momentum),
            ops.multiply(batch_value, 1.0 - self.momentum)))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": serialize(self.beta_initializer),
            "gamma_initializer": serialize(self.gamma_initializer),
            "moving_mean_initializer": serialize(
                self.moving_mean_initializer),
            "moving_variance_initializer": serialize(
                self.moving_variance_initializer),
            "beta_regularizer": serialize(self.beta_regularizer),
            "gamma_regularizer": serialize(self.gamma_regularizer),
            "beta_constraint": serialize(self.beta_constraint),
            "gamma_constraint": serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
        }
