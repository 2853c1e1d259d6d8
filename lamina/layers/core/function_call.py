"""`FunctionCall`: the layer recorded when a plain tensor function is called
on symbolic tensors.

Keras 2 on TensorFlow let any backend or loss function take the tensors a
model is drawn with (`K.mean(z)`, `binary_crossentropy(inputs, outputs)`);
lamina records such a call as a node of the graph, holding the function
and its arguments, and replays it when the graph runs.
"""

from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers import layer as layer_lib
from lamina.layers.node import flatten, map_structure


class _Hole:
    """Marks where the i-th symbolic tensor goes in a recorded call."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


def _holes(structure, found):
    """`structure` with its symbolic tensors, appended to `found`, replaced
    by `_Hole`s."""
    def hole(value):
        if not isinstance(value, SymbolicTensor):
            return value
        found.append(value)
        return _Hole(len(found) - 1)
    return map_structure(hole, structure)


def _fill(structure, values):
    return map_structure(lambda v: values[v.index] if isinstance(v, _Hole)
                         else v, structure)


class FunctionCall(layer_lib.Layer):
    """Replays `function(*args, **kwargs)` with the symbolic tensors among
    the arguments replaced by the layer's inputs.

    Args:
        function: the tensor function.
        template: `(args, kwargs)` of the call, symbolic tensors replaced
            by placeholders filled from the layer's inputs.
    """

    def __init__(self, function, template, **kwargs):
        kwargs.setdefault("name", layer_lib.unique_name(
            getattr(function, "__name__", "function_call")))
        super().__init__(**kwargs)
        self.function = function
        self.template = template
        for value in flatten(template):
            if not isinstance(value, _Hole):
                self._track(value)  # variables used by the call are trained
        self.built = True

    def call(self, inputs):
        values = list(inputs) if isinstance(inputs, list) else [inputs]
        args, kwargs = _fill(self.template, values)
        return self.function(*args, **kwargs)

    def get_config(self):
        # Raised at save time, naming the way out (not a missing feature:
        # an arbitrary Python function has no config).
        raise TypeError(
            f"Layer '{self.name}' records a call of "
            f"{getattr(self.function, '__qualname__', self.function)} on "
            "symbolic tensors and can't be written to a config; wrap the "
            "computation in a `Lambda` layer or a custom layer to save the "
            "model.")


def record(function, args, kwargs):
    """Records `function(*args, **kwargs)` (some arguments symbolic) as a
    `FunctionCall` node; returns its symbolic output(s)."""
    found = []
    template = _holes((args, kwargs), found)
    layer = FunctionCall(function, template)
    return layer(found if len(found) > 1 else found[0])
