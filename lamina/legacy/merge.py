"""The Keras 1 `merge(inputs, mode=...)` function, on today's layers."""

from lamina.layers.core.lambda_layer import Lambda
from lamina.layers.merging.concatenate import Concatenate
from lamina.layers.merging.dot import Dot
from lamina.layers.merging.elementwise import (Add, Average, Maximum,
                                               Multiply)
from lamina.legacy.arguments import warn_once

_MODES = {
    "sum": ("Add()", lambda a: Add(**a)),
    "mul": ("Multiply()", lambda a: Multiply(**a)),
    "ave": ("Average()", lambda a: Average(**a)),
    "max": ("Maximum()", lambda a: Maximum(**a)),
}


def merge(inputs, mode="sum", concat_axis=-1, dot_axes=-1,
          output_shape=None, output_mask=None, arguments=None, name=None,
          **kwargs):
    """Merges a list of tensors the Keras 1 way.

    Args:
        inputs: a list of tensors.
        mode: 'sum', 'mul', 'concat', 'ave', 'max', 'dot', 'cos', or a
            function of the list of tensors.
        concat_axis: the axis for 'concat'.
        dot_axes: the axes for 'dot' and 'cos'.
        output_shape: for a function `mode`, its output shape.
        name: the layer's name.

    Each mode warns once with its modern spelling, e.g. 'concat' is
    `Concatenate(axis=concat_axis)(inputs)`.
    """
    if kwargs.pop("node_indices", None) is not None or \
            kwargs.pop("tensor_indices", None) is not None:
        raise ValueError("merge: `node_indices` and `tensor_indices` are "
                         "not supported; call the layer on the tensors you "
                         "want to merge.")
    if kwargs:
        raise TypeError(f"merge: unrecognized arguments {sorted(kwargs)}")
    layer_args = {"name": name} if name else {}
    if callable(mode):
        warn_once("merge-lambda", "merge(mode=function) is the Keras 1 "
                  "spelling; write Lambda(function)(inputs).")
        return Lambda(mode, output_shape=output_shape, mask=output_mask,
                      arguments=arguments, **layer_args)(inputs)
    if mode == "concat":
        warn_once("merge-concat", "merge(inputs, mode='concat', concat_axis="
                  f"{concat_axis}) is the Keras 1 spelling; write "
                  f"Concatenate(axis={concat_axis})(inputs).")
        return Concatenate(axis=concat_axis, **layer_args)(inputs)
    if mode in ("dot", "cos"):
        normalize = mode == "cos"
        warn_once(f"merge-{mode}", f"merge(inputs, mode='{mode}') is the "
                  f"Keras 1 spelling; write Dot(axes={dot_axes!r}, "
                  f"normalize={normalize})(inputs).")
        return Dot(axes=dot_axes, normalize=normalize, **layer_args)(inputs)
    if mode in _MODES:
        spelling, make = _MODES[mode]
        warn_once(f"merge-{mode}", f"merge(inputs, mode='{mode}') is the "
                  f"Keras 1 spelling; write {spelling}(inputs).")
        return make(layer_args)(inputs)
    valid = ["sum", "mul", "concat", "ave", "max", "dot", "cos"]
    raise ValueError(f"merge: unknown mode {mode!r}; expected one of "
                     f"{valid} or a function.")
