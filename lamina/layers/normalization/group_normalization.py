"""`GroupNormalization`: normalizes each sample over groups of channels
(Wu & He, 2018, https://arxiv.org/abs/1803.08494)."""

from lamina import constraints, initializers, ops, regularizers
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.saving.config import serialize


class GroupNormalization(Layer):
    """Splits the channels into `groups` and normalizes each group.

    For each sample, the channels along `axis` are split into `groups`
    consecutive groups; each group is normalized to zero mean and unit
    (population) variance over its channels and every other non-batch axis,
    then scaled by `gamma` and shifted by `beta` per channel. `groups=1`
    is layer normalization over all axes; `groups=-1` (one channel per
    group) is instance normalization.

    Args:
        groups: number of groups, dividing the channel count (-1: one per
            channel).
        axis: the channels axis.
        epsilon: added to the variance before the square root.
        center: learn an offset `beta`.
        scale: learn a scale `gamma`.
        beta_initializer, gamma_initializer: initializers.
        beta_regularizer, gamma_regularizer: weight penalties.
        beta_constraint, gamma_constraint: projections after each update.

    Weights:
        `gamma`, then `beta`, each of shape `(channels,)`.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.normalization.GroupNormalization(groups=2)
    >>> y = layer(np.array([[1.0, 3.0, 10.0, 30.0]]))
    >>> np.round(lamina.ops.convert_to_numpy(y), 2).tolist()
    [[-1.0, 1.0, -1.0, 1.0]]
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True,
                 scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(groups, bool) or not isinstance(groups, int) or \
                not (groups > 0 or groups == -1):
            raise ValueError(f"GroupNormalization: `groups` must be a "
                             f"positive int or -1, got {groups!r}.")
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"GroupNormalization: `axis` must be an int, "
                             f"got {axis!r}.")
        self.groups = groups
        self.axis = axis
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.gamma = self.beta = None

    def build(self, input_shape):
        ndim = len(input_shape)
        if not -ndim < self.axis < ndim or self.axis % ndim == 0:
            raise ValueError(f"Layer '{self.name}': `axis`={self.axis} must "
                             f"name a non-batch axis of the input, got shape "
                             f"{tuple(input_shape)}.")
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(f"Layer '{self.name}': axis {self.axis} of the "
                             f"input must be known, got shape "
                             f"{tuple(input_shape)}.")
        groups = dim if self.groups == -1 else self.groups
        if groups > dim or dim % groups:
            raise ValueError(f"Layer '{self.name}': `groups`={self.groups} "
                             f"must divide the {dim} channels of axis "
                             f"{self.axis} (and be at most {dim}).")
        self._groups = groups
        self._channel_axis = self.axis % ndim
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma", shape=(dim,),
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight(
                name="beta", shape=(dim,), initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint)
        self.input_spec = InputSpec(ndim=ndim, axes={self.axis: dim})
        self.built = True

    def call(self, inputs):
        dtype = ops.dtype(inputs)
        compute = "float32" if dtype in ("float16", "bfloat16") else dtype
        x = ops.cast(inputs, compute)
        shape = ops.shape(x)
        c = self._channel_axis
        dim = shape[c]
        # (..., C, ...) -> (..., groups, C // groups, ...)
        grouped_shape = shape[:c] + (self._groups, dim // self._groups) + \
            shape[c + 1:]
        grouped = ops.reshape(x, grouped_shape)
        axes = tuple(a for a in range(1, len(grouped_shape)) if a != c)
        mean, variance = ops.moments(grouped, axes=axes, keepdims=True)
        normalized = ops.multiply(ops.subtract(grouped, mean), ops.rsqrt(
            ops.add(variance, self.epsilon)))
        out = ops.reshape(normalized, shape)
        broadcast = tuple(dim if a == c else 1 for a in range(len(shape)))
        if self.gamma is not None:
            out = ops.multiply(out, ops.reshape(
                ops.cast(self.gamma.value, compute), broadcast))
        if self.beta is not None:
            out = ops.add(out, ops.reshape(
                ops.cast(self.beta.value, compute), broadcast))
        return ops.cast(out, dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": serialize(self.beta_initializer),
            "gamma_initializer": serialize(self.gamma_initializer),
            "beta_regularizer": serialize(self.beta_regularizer),
            "gamma_regularizer": serialize(self.gamma_regularizer),
            "beta_constraint": serialize(self.beta_constraint),
            "gamma_constraint": serialize(self.gamma_constraint),
        }
