"""`ReLU`: rectified linear unit with optional cap, slope and threshold."""

from lamina import activations
from lamina.layers.layer import Layer


def _check(value, name, allow_none=False):
    if value is None and allow_none:
        return None
    if value is None or isinstance(value, bool) or \
            not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"ReLU: `{name}` must be a non-negative number"
                         f"{' or None' if allow_none else ''}, got "
                         f"{value!r}.")
    return float(value)


class ReLU(Layer):
    """Rectified linear unit.

    `f(x) = max_value` for `x >= max_value`, `x` for
    `threshold <= x < max_value`, `negative_slope * (x - threshold)`
    otherwise.

    Args:
        max_value: the largest output (None: no cap).
        negative_slope: slope below `threshold`.
        threshold: where the unit starts passing its input.

    Example:

    >>> import numpy as np, lamina
    >>> y = lamina.layers.activations.ReLU(max_value=2.0)(
    ...     np.array([-1.0, 1.0, 3.0]))
    >>> lamina.ops.convert_to_numpy(y).tolist()
    [0.0, 1.0, 2.0]
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0,
                 **kwargs):
        super().__init__(**kwargs)
        self.max_value = _check(max_value, "max_value", allow_none=True)
        self.negative_slope = _check(negative_slope, "negative_slope")
        self.threshold = _check(threshold, "threshold")
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value,
                                threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope,
                "threshold": self.threshold}
