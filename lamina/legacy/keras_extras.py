"""Keras names that lamina has no module of its own for.

These fill out the `keras.*` module aliases (see `keras_paths.py`): the
version Keras programs read, Keras 2's engine class names, the custom-object
registry, `model_from_config`, the removed `model_from_yaml`, and
`plot_model` / `model_to_dot`.
"""

import os
import shutil
import subprocess

from lamina.backend.common.symbolic import SymbolicTensor
from lamina.models.functional import Functional
from lamina.saving import archive as _archive
from lamina.saving import config as _config

# The Keras version whose API and file formats lamina follows.
__version__ = _archive.KERAS_VERSION

# Keras 3 calls symbolic tensors KerasTensor; Keras 2 called a functional
# model a Network (2.2 - 2.3) and Keras 1 a Container.
KerasTensor = SymbolicTensor
Network = Functional
Container = Functional


def version():
    """The Keras version lamina follows (Keras 3's `keras.version()`)."""
    return __version__


def get_custom_objects():
    """The global dict of custom objects, by name (Keras 2's registry).

    Adding to it makes a name loadable, as `register_keras_serializable`
    does: `get_custom_objects()["swish"] = swish`.
    """
    return _config._CUSTOM


def model_from_config(config, custom_objects=None):
    """A model (or layer) from its `{"class_name", "config"}` dict."""
    if not isinstance(config, dict):
        raise TypeError(f"model_from_config: `config` must be a dict with "
                        f"'class_name' and 'config'; got "
                        f"{type(config).__name__}. For a JSON string use "
                        f"`model_from_json`.")
    return _config.deserialize(config, "layers", custom_objects)


def model_from_yaml(yaml_string, custom_objects=None):
    """Removed: Keras 2.6 dropped YAML model files (they could run code).

    Raises:
        RuntimeError: always, naming the JSON replacement.
    """
    raise RuntimeError(
        "model_from_yaml was removed in Keras 2.6 (loading YAML could run "
        "arbitrary code) and lamina does not have it. Save the "
        "architecture with `model.to_json()` and load it with "
        "`keras.models.model_from_json(json_string)`, or save the whole "
        "model with `model.save('model.keras')` and `load_model`.")


def _parents(tensor):
    layer, node_index, _ = tensor._history
    return layer._inbound_nodes[node_index].input_tensors


def get_source_inputs(tensor):
    """The input tensors (from `Input`) that `tensor` was computed from."""
    if not isinstance(tensor, SymbolicTensor) or tensor._history is None:
        raise ValueError(f"get_source_inputs: expected a symbolic tensor "
                         f"from `Input` or a layer called on one; got "
                         f"{tensor!r}.")
    found, seen, todo = [], set(), [tensor]
    while todo:
        t = todo.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        parents = _parents(t)
        if parents:
            todo.extend(reversed(parents))
        else:
            found.append(t)
    return found


def _graph(model):
    """`(layers, edges, shapes)` of a model: edges are layer-index pairs,
    shapes `{index: (input shapes, output shapes)}` where known."""
    graph = getattr(model, "_functional", None) or model
    nodes = getattr(graph, "_nodes", None)
    if nodes is None or graph.inputs is None:
        layers = list(model.layers)
        edges = [(i, i + 1) for i in range(len(layers) - 1)]
        return layers, edges, {}
    index, layers, shapes, edges = {}, [], {}, []

    def add(layer, inputs, outputs):
        if id(layer) not in index:
            index[id(layer)] = len(layers)
            layers.append(layer)
            shapes[index[id(layer)]] = ([t.shape for t in inputs],
                                        [t.shape for t in outputs])
        return index[id(layer)]

    for t in graph.inputs:
        add(t._history[0], [], [t])
    for node in nodes:
        child = add(node.layer, node.input_tensors, node.outputs)
        for t in node.input_tensors:
            edge = (index[id(t._history[0])], child)
            if edge not in edges:
                edges.append(edge)
    return layers, edges, shapes


def _shapes_text(shapes):
    text = ", ".join(str(s) for s in shapes)
    return text if len(shapes) == 1 else f"[{text}]"


def _dot_text(model, show_shapes=False, show_dtype=False,
              show_layer_names=True, rankdir="TB", dpi=200,
              show_layer_activations=False):
    layers, edges, shapes = _graph(model)
    lines = [f'digraph "{model.name}" {{',
             f"  graph [rankdir={rankdir}, dpi={int(dpi)}];",
             "  node [shape=box, fontname=Helvetica];"]
    for i, layer in enumerate(layers):
        kind = type(layer).__name__
        label = f"{layer.name} ({kind})" if show_layer_names else kind
        activation = getattr(layer, "activation", None)
        if show_layer_activations and activation is not None:
            label += f"\\nactivation: {getattr(activation, '__name__', '?')}"
        if show_dtype:
            label += f"\\ndtype: {getattr(layer, 'dtype', '?')}"
        if show_shapes and i in shapes:
            ins, outs = shapes[i]
            if ins:
                label += f"\\ninput: {_shapes_text(ins)}"
            label += f"\\noutput: {_shapes_text(outs)}"
        label = label.replace('"', '\\"')
        lines.append(f'  n{i} [label="{label}"];')
    lines.extend(f"  n{a} -> n{b};" for a, b in edges)
    lines.append("}")
    return "\n".join(lines) + "\n"


def model_to_dot(model, show_shapes=False, show_dtype=False,
                 show_layer_names=True, rankdir="TB", expand_nested=False,
                 dpi=200, show_layer_activations=False, **kwargs):
    """The model's layer graph as a `pydot.Dot` (needs `pip install pydot`).

    Nested models are drawn as one box (`expand_nested` is accepted and
    has no effect).
    """
    try:
        import pydot
    except ImportError:
        raise ImportError("model_to_dot needs pydot: pip install pydot "
                          "(plot_model to a '.dot' file needs nothing).") \
            from None
    text = _dot_text(model, show_shapes, show_dtype, show_layer_names,
                     rankdir, dpi, show_layer_activations)
    return pydot.graph_from_dot_data(text)[0]


def plot_model(model, to_file="model.png", show_shapes=False,
               show_dtype=False, show_layer_names=True, rankdir="TB",
               expand_nested=False, dpi=200, show_layer_activations=False,
               **kwargs):
    """Draws the model's layer graph into `to_file`.

    A `.dot` or `.gv` file gets the Graphviz description as text; any other
    extension (`.png`, `.svg`, `.pdf`, ...) is rendered by Graphviz's
    `dot` program, which must be installed. Nested models are drawn as one
    box (`expand_nested` is accepted and has no effect).

    Args:
        model: a built model.
        to_file: the file to write.
        show_shapes: print each layer's input and output shapes.
        show_dtype: print each layer's dtype.
        show_layer_names: print layer names, not only their types.
        rankdir: 'TB' (top to bottom) or 'LR' (left to right).
        dpi: the image resolution.
        show_layer_activations: print the activation of layers having one.

    Raises:
        ImportError: for an image format when Graphviz is not installed.
    """
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"plot_model: `rankdir` must be 'TB', 'LR', 'BT' "
                         f"or 'RL'; got {rankdir!r}.")
    text = _dot_text(model, show_shapes, show_dtype, show_layer_names,
                     rankdir, dpi, show_layer_activations)
    fmt = os.path.splitext(str(to_file))[1].lstrip(".").lower() or "png"
    if fmt in ("dot", "gv"):
        with open(to_file, "w") as f:
            f.write(text)
        return
    dot = shutil.which("dot")
    if dot is None:
        raise ImportError(
            f"plot_model: writing {to_file!r} needs Graphviz's `dot` "
            f"program, which was not found. Install Graphviz "
            f"(https://graphviz.org/download/, e.g. `apt install "
            f"graphviz`), or pass a to_file ending in '.dot' to get the "
            f"graph description without it.")
    subprocess.run([dot, f"-T{fmt}", "-o", str(to_file)], input=text,
                   text=True, check=True)
