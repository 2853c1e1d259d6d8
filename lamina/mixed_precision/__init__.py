"""`lamina.mixed_precision`: dtype policies and loss scaling.

A layer's dtype policy says which dtype it stores its weights in and which
it computes in. Under 'mixed_float16' or 'mixed_bfloat16', weights stay
float32 while layers compute in 16 bits; losses and metrics stay float32.
With 'mixed_float16', `Model.compile` wraps the optimizer in a
`LossScaleOptimizer` so that small gradients survive float16.

Example:

>>> import lamina
>>> from lamina import mixed_precision
>>> mixed_precision.set_global_policy("mixed_bfloat16")
>>> layer = lamina.layers.Dense(2)
>>> layer.compute_dtype, layer.variable_dtype
('bfloat16', 'float32')
>>> mixed_precision.set_global_policy("float32")
"""

from lamina.mixed_precision.loss_scale_optimizer import LossScaleOptimizer
from lamina.mixed_precision.policy import (
    DTypePolicy,
    deserialize,
    dtype_policy,
    get,
    global_policy,
    serialize,
    set_dtype_policy,
    set_global_policy,
)

# Keras 2's `tf.keras.mixed_precision.Policy`; Keras 3.0-3.3 saved
# policies as `FloatDTypePolicy`.
Policy = DTypePolicy
FloatDTypePolicy = DTypePolicy

ALL_OBJECTS = {
    "DTypePolicy": DTypePolicy,
    "FloatDTypePolicy": DTypePolicy,
    "Policy": DTypePolicy,
    "LossScaleOptimizer": LossScaleOptimizer,
}

__all__ = ["ALL_OBJECTS", "DTypePolicy", "FloatDTypePolicy",
           "LossScaleOptimizer", "Policy", "deserialize", "dtype_policy",
           "get", "global_policy", "serialize", "set_dtype_policy",
           "set_global_policy"]
