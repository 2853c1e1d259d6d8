"""`LayerNormalization`: normalizes each sample over its feature axes (Ba
et al., 2016, https://arxiv.org/abs/1607.06450)."""

from lamina import constraints, initializers, ops, regularizers
from lamina.layers.layer import Layer
from lamina.saving.config import serialize


def _axes(axis, where):
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    if not axes or any(isinstance(a, bool) or not isinstance(a, int)
                       for a in axes):
        raise TypeError(f"{where}: `axis` must be an int or a list of ints, "
                        f"got {axis!r}.")
    return axes


class LayerNormalization(Layer):
    """Normalizes each sample to zero mean and unit variance over `axis`.

    For each sample, `mean` and (population) `variance` are taken over the
    axes in `axis`; the output is
    `gamma * (x - mean) / sqrt(variance + epsilon) + beta`, with `gamma`
    and `beta` spanning those axes. With `rms_scaling=True` the output is
    `gamma * x / sqrt(mean(x ** 2) + epsilon)` (RMS normalization, Zhang &
    Sennrich, 2019): no mean is taken and `center` / `scale` are ignored.

    Args:
        axis: an int or a list of ints, the axes to normalize over.
        epsilon: added to the variance before the square root.
        center: learn an offset `beta`.
        scale: learn a scale `gamma`.
        rms_scaling: use RMS normalization (see above).
        beta_initializer, gamma_initializer: initializers.
        beta_regularizer, gamma_regularizer: weight penalties.
        beta_constraint, gamma_constraint: projections after each update.

    Weights:
        `gamma`, then `beta`, shaped like the input along `axis`.

    Example:

    >>> import numpy as np, lamina
    >>> layer = lamina.layers.normalization.LayerNormalization()
    >>> y = layer(np.array([[1.0, 3.0], [10.0, 30.0]]))
    >>> np.round(lamina.ops.convert_to_numpy(y), 2).tolist()
    [[-1.0, 1.0], [-1.0, 1.0]]
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 rms_scaling=False, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self._axes = _axes(axis, "LayerNormalization")
        if epsilon <= 0:
            raise ValueError(f"LayerNormalization: `epsilon` must be "
                             f"positive, got {epsilon!r}.")
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.rms_scaling = bool(rms_scaling)
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
        for a in self._axes:
            if not -ndim <= a < ndim:
                raise ValueError(f"Layer '{self.name}': `axis`={self.axis} "
                                 f"is out of range for an input of shape "
                                 f"{tuple(input_shape)}.")
        axes = sorted({a % ndim for a in self._axes})
        shape = tuple(input_shape[a] for a in self._axes)
        if None in shape:
            raise ValueError(f"Layer '{self.name}': the normalized axes "
                             f"{self.axis} must have known sizes, got input "
                             f"shape {tuple(input_shape)}.")
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                name="gamma", shape=shape, initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint)
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                name="beta", shape=shape, initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint)
        self._reduce = tuple(axes)
        self._broadcast_shape = tuple(
            input_shape[a] if a in axes else 1 for a in range(ndim))
        # Weights are stored in `axis` order; move them to input order.
        order = sorted(range(len(self._axes)),
                       key=lambda i: self._axes[i] % ndim)
        self._weight_perm = None if order == sorted(order) else order
        self.built = True

    def _broadcast(self, weight, dtype):
        value = ops.cast(weight.value, dtype)
        if self._weight_perm is not None:
            value = ops.transpose(value, self._weight_perm)
        return ops.reshape(value, self._broadcast_shape)

    def call(self, inputs):
        dtype = ops.dtype(inputs)
        compute = "float32" if dtype in ("float16", "bfloat16") else dtype
        x = ops.cast(inputs, compute)
        if self.rms_scaling:
            mean_square = ops.mean(ops.square(x), axis=self._reduce,
                                   keepdims=True)
            out = ops.multiply(x, ops.rsqrt(ops.add(mean_square,
                                                    self.epsilon)))
            out = ops.multiply(out, self._broadcast(self.gamma, compute))
            return ops.cast(out, dtype)
        mean, variance = ops.moments(x, axes=self._reduce, keepdims=True)
        inv = ops.rsqrt(ops.add(variance, self.epsilon))
        if self.gamma is not None:
            inv = ops.multiply(inv, self._broadcast(self.gamma, compute))
        shift = ops.negative(ops.multiply(mean, inv))
        if self.beta is not None:
            shift = ops.add(shift, self._broadcast(self.beta, compute))
        return ops.cast(ops.add(ops.multiply(x, inv), shift), dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": serialize(self.beta_initializer),
            "gamma_initializer": serialize(self.gamma_initializer),
            "beta_regularizer": serialize(self.beta_regularizer),
            "gamma_regularizer": serialize(self.gamma_regularizer),
            "beta_constraint": serialize(self.beta_constraint),
            "gamma_constraint": serialize(self.gamma_constraint),
        }
