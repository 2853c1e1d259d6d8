"""Keras 1's `merge(inputs, mode=...)` function and `Merge` layer, on
today's merging layers.

`merge([a, b], mode='concat')` is `Concatenate()([a, b])`. The `Merge`
layer does the same as a layer, and `Merge([left, right], mode=...)` given
models (or called layers) joins their outputs: as the first layer of a
`Sequential`, the model's inputs are then those models' inputs, so
`fit([x_left, x_right], y)` trains the whole graph, as in Keras 1.
"""

from lamina.layers.core.input_layer import InputLayer
from lamina.layers.core.lambda_layer import Lambda
from lamina.layers.layer import Layer
from lamina.layers.merging.concatenate import Concatenate
from lamina.layers.merging.dot import Dot
from lamina.layers.merging.elementwise import Add, Average, Maximum, Multiply
from lamina.legacy.arguments import warn_once

_ELEMENTWISE = {"sum": Add, "mul": Multiply, "ave": Average, "max": Maximum}
_VALID = ["sum", "mul", "concat", "ave", "max", "dot", "cos"]


def _merge_layer(caller, mode, concat_axis, dot_axes, output_shape,
                 output_mask, arguments, layer_args):
    """The modern layer for a Keras 1 merge `mode`, and its spelling."""
    if callable(mode):
        return (Lambda(mode, output_shape=output_shape, mask=output_mask,
                       arguments=arguments, **layer_args),
                "lambda", "Lambda(function)(inputs)")
    if mode == "concat":
        return (Concatenate(axis=concat_axis, **layer_args), mode,
                f"Concatenate(axis={concat_axis})(inputs)")
    if mode in ("dot", "cos"):
        normalize = mode == "cos"
        return (Dot(axes=dot_axes, normalize=normalize, **layer_args), mode,
                f"Dot(axes={dot_axes!r}, normalize={normalize})(inputs)")
    if mode in _ELEMENTWISE:
        cls = _ELEMENTWISE[mode]
        return cls(**layer_args), mode, f"{cls.__name__}()(inputs)"
    raise ValueError(f"{caller}: unknown mode {mode!r}; expected one of "
                     f"{_VALID} or a function.")


def _check_indices(caller, node_indices, tensor_indices):
    if node_indices is not None or tensor_indices is not None:
        raise ValueError(f"{caller}: `node_indices` and `tensor_indices` "
                         "are not supported; call the layer on the tensors "
                         "you want to merge.")


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
    _check_indices("merge", kwargs.pop("node_indices", None),
                   kwargs.pop("tensor_indices", None))
    if kwargs:
        raise TypeError(f"merge: unrecognized arguments {sorted(kwargs)}")
    layer, key, spelling = _merge_layer(
        "merge", mode, concat_axis, dot_axes, output_shape, output_mask,
        arguments, {"name": name} if name else {})
    shown = "function" if key == "lambda" else repr(mode)
    warn_once(f"merge-{key}", f"merge(inputs, mode={shown}) is the Keras 1 "
              f"spelling; write {spelling}.")
    return layer(inputs)


def _output_of(item):
    """The output tensor of a built model or of a called layer."""
    outputs = getattr(item, "outputs", None)
    if outputs:
        if len(outputs) != 1:
            raise ValueError(f"Merge: model '{item.name}' has "
                             f"{len(outputs)} outputs; Merge takes models "
                             "with one output.")
        return outputs[0]
    nodes = getattr(item, "_inbound_nodes", None)
    if not isinstance(item, Layer) or not nodes or not nodes[-1].outputs:
        raise ValueError(
            f"Merge: {item!r} has no output yet. Pass models whose input "
            "shape is known (give their first layer an input_shape) or "
            "layers already called on an Input.")
    return nodes[-1].outputs[0]


def _graph_inputs(tensor, found):
    """Appends to `found` the Input tensors that `tensor` depends on."""
    layer, node_index, _ = tensor._history
    if isinstance(layer, InputLayer):
        if all(tensor is not t for t in found):
            found.append(tensor)
        return
    for parent in layer._inbound_nodes[node_index].input_tensors:
        _graph_inputs(parent, found)


class Merge(Layer):
    """Keras 1's merge layer: combines a list of tensors by `mode`.

    Called on a list of tensors it is the modern layer for `mode`
    (`Concatenate`, `Add`, `Dot`, ...). Given `layers` (models or called
    layers) it joins their outputs at once; as the first layer of a
    `Sequential`, the model's inputs are then those models' inputs.

    Args:
        layers: optional list of models / called layers to merge.
        mode: 'sum', 'mul', 'concat', 'ave', 'max', 'dot', 'cos', or a
            function of the list of tensors.
        concat_axis: the axis for 'concat'.
        dot_axes: the axes for 'dot' and 'cos'.
        output_shape, output_mask, arguments: for a function `mode`.
        name: the layer's name.

    Example:

    >>> import numpy as np, lamina
    >>> left = lamina.Sequential([lamina.layers.Dense(2, input_dim=3)])
    >>> right = lamina.Sequential([lamina.layers.Dense(4, input_dim=5)])
    >>> model = lamina.Sequential([
    ...     lamina.layers.Merge([left, right], mode="concat")])
    >>> model.output_shape
    (None, 6)
    """

    def __init__(self, layers=None, mode="sum", concat_axis=-1, dot_axes=-1,
                 output_shape=None, output_mask=None, arguments=None,
                 node_indices=None, tensor_indices=None, **kwargs):
        _check_indices("Merge", node_indices, tensor_indices)
        super().__init__(**kwargs)
        self.mode = mode
        self.concat_axis = concat_axis
        self.dot_axes = dot_axes
        self._inner, key, spelling = _merge_layer(
            "Merge", mode, concat_axis, dot_axes, output_shape, output_mask,
            arguments, {})
        shown = "function" if key == "lambda" else repr(mode)
        warn_once(f"Merge-{key}", f"Merge(mode={shown}) is the Keras 1 "
                  f"spelling; write {spelling}.")
        self.supports_masking = True
        self._merged = None
        self._sequential_head = None
        if layers is not None:
            self._merged = list(layers)
            if len(self._merged) < 2:
                raise ValueError(f"Merge: `layers` must list at least 2 "
                                 f"models or layers, got {len(layers)}.")
            tensors = [_output_of(item) for item in self._merged]
            inputs = []
            for tensor in tensors:
                _graph_inputs(tensor, inputs)
            # Read by Sequential: the model's inputs and this output.
            self._sequential_head = (inputs, self(tensors))

    def build(self, input_shape):
        if not self._inner.built:
            self._inner.build(input_shape)
            self._inner.built = True
        self.built = True

    def call(self, inputs, mask=None):
        return self._inner(list(inputs))

    def compute_output_spec(self, inputs, mask=None):
        return self._inner.compute_output_spec(list(inputs))

    def compute_mask(self, inputs, mask=None):
        return self._inner.compute_mask(inputs, mask)

    def get_config(self):
        if callable(self.mode):
            raise TypeError(f"Merge '{self.name}': a function `mode` can't "
                            "be saved in a config; write Lambda(function) "
                            "on the list of tensors instead.")
        from lamina.saving.config import serialize
        config = {**super().get_config(), "mode": self.mode,
                  "concat_axis": self.concat_axis, "dot_axes": self.dot_axes}
        if self._merged is not None:
            config["layers"] = [serialize(item) for item in self._merged]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from lamina.saving.config import deserialize
        config = dict(config)
        if config.get("layers") is not None:
            config["layers"] = [deserialize(item, "layers", custom_objects)
                                for item in config["layers"]]
        return cls(**config)
