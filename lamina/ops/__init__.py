"""`lamina.ops`: the array API that layers, losses and metrics are written in.

Names follow Keras 3's `keras.ops` (which follow NumPy). The primitives are
the chosen backend's functions, bound at import; composite ops
(`lamina.ops.nn`, `lamina.ops.math`) are written once on top of them. Each
is wrapped once so that it also takes the symbolic tensors a model is
drawn with, recording a Keras op node (`lamina.ops.symbolic`); on concrete
tensors the wrapper adds one type check per argument.
"""

from lamina.backend import interface as _interface
from lamina.backend.common.symbolic import SymbolicTensor as _SymbolicTensor
from lamina.ops import math as _math
from lamina.ops import nn as _nn
from lamina.ops._bind import B as _B
from lamina.ops.symbolic import op_recorder as _op_recorder
from lamina.ops.symbolic import symbolic_aware as _symbolic_aware

# Not tensor functions of tensors (or, like `shape`, defined on symbolic
# tensors as they are): bound as they are.
_PLAIN = {"arange", "compute_output_spec", "convert_to_numpy", "dtype",
          "eye", "full", "get_device", "is_tensor", "linspace", "make_step",
          "ndim", "no_grad", "ones", "scan", "shape", "size",
          "value_and_grad", "zeros"}
# Where Keras 3 keeps each op (the `module` of its saved op node).
_NN = {"average_pool", "conv", "conv_transpose", "depthwise_conv", "elu",
       "gelu", "leaky_relu", "log_sigmoid", "log_softmax", "max_pool",
       "one_hot", "relu", "selu", "sigmoid", "silu", "softmax", "softplus",
       *_nn.__all__}
_CORE = {"cast", "convert_to_tensor", "slice", "stop_gradient"}
_IMAGE = {"affine_transform", "resize"}


def _wrap(name, fn):
    """`fn` as `lamina.ops.<name>`: also callable on symbolic tensors (a
    Keras op node is recorded; see `lamina.ops.symbolic`)."""
    if name in _PLAIN:
        return fn
    module = "nn" if name in _NN else "core" if name in _CORE else \
        "image" if name in _IMAGE else "numpy"
    op = _symbolic_aware(fn, _op_recorder(name, "keras.src.ops." + module))
    op.__module__ = __name__  # saved (a Lambda's function) by this name
    op.__name__ = op.__qualname__ = name
    return op


for _name in _interface.PRIMITIVES:
    # tests/backend/test_interface.py checks that every backend has every
    # primitive; binding what exists keeps a partial backend importable.
    if hasattr(_B, _name):
        globals()[_name] = _wrap(_name, getattr(_B, _name))
for _module in (_math, _nn):
    for _name in _module.__all__:
        globals()[_name] = _wrap(_name, getattr(_module, _name))
del _name, _module


def shape(x):
    """The shape of `x` as a tuple (`None` for a symbolic tensor's unknown
    dimensions, as Keras 3's `ops.shape` of a `KerasTensor`)."""
    if isinstance(x, _SymbolicTensor):
        return x.shape
    return _B.shape(x)


# Written over the ops above (it imports this module), so bound last.
from lamina.ops import _image

affine_transform = _wrap("affine_transform", _image.affine_transform)
