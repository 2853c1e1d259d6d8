"""A functional model's config in Keras 3's schema, and the way back.

`functional_config(model)` writes

    {"name", "trainable",
     "layers": [{"module", "class_name", "config", "registered_name",
                 "name", "inbound_nodes": [{"args": [...], "kwargs": {}}]}],
     "input_layers": ["input_layer", 0, 0],   # or a list / dict of them
     "output_layers": ["dense", 0, 0]}

Symbolic tensors inside `args`/`kwargs` are written as
`{"class_name": "__keras_tensor__", "config": {"shape", "dtype",
"keras_history": [layer_name, node_index, tensor_index]}}`. Node indices
count only the nodes that belong to this model, so a layer shared with
another model keeps the indices this model needs.

`functional_from_config` recreates the layers and calls them on the
recreated tensors, layer by layer, deferring a call until the tensors it
needs exist (a layer shared at several depths). Keras 2's node lists
(`[[name, node_index, tensor_index, kwargs], ...]`) are read too.

`ordered_layers(model)` gives the layers in Keras 3's order (deepest from
the outputs first, ties in first-visit order from the outputs): the order
of `config["layers"]` and of the weights file's `layers/...` groups, so
files move between lamina and Keras 3.
"""

import numpy as np

from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.core.input_layer import InputLayer
from lamina.layers.node import flatten
from lamina.ops._bind import B

_TENSOR = "__keras_tensor__"


# -- graph order --------------------------------------------------------------

def _node_of(tensor):
    layer, node_index, _ = tensor._history
    return layer._inbound_nodes[node_index]


def _visit_order(model):
    """Post-order nodes from the outputs and first-visit index per layer."""
    input_ids = {id(t) for t in model.inputs}
    finished, post, first_seen = set(), [], {}
    for output in flatten(model._outputs_struct):
        stack = [(output, None)]
        while stack:
            tensor, pending = stack[-1]
            node = _node_of(tensor)
            if pending is None:
                if id(node) in finished:
                    stack.pop()
                    continue
                first_seen.setdefault(id(node.layer), len(first_seen))
                leaf = id(tensor) in input_ids or isinstance(node.layer,
                                                             InputLayer)
                pending = [] if leaf else list(node.input_tensors)
                pending.reverse()
                stack[-1] = (tensor, pending)
            if pending:
                stack.append((pending.pop(), None))
                continue
            stack.pop()
            if id(node) not in finished:
                finished.add(id(node))
                post.append(node)
    return post, first_seen


def graph_info(model):
    """`(layers, node_ids)`: the layers in Keras 3's order and the ids of the
    nodes (calls) that belong to `model`."""
    post, first_seen = _visit_order(model)
    node_depth, layer_depth, layers = {}, {}, {}
    for node in reversed(post):
        depth = max(node_depth.setdefault(id(node), 0),
                    layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = depth
        layers[id(node.layer)] = node.layer
        node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            node_depth[id(parent)] = max(depth + 1,
                                         node_depth.get(id(parent), 0))
    node_ids = {id(n) for n in post}
    for tensor in model.inputs:  # inputs not connected to any output
        layer = tensor._history[0]
        if id(layer) not in layer_depth:
            layer_depth[id(layer)] = 0
            first_seen[id(layer)] = -1
            layers[id(layer)] = layer
            node_ids.add(id(_node_of(tensor)))
    ordered = sorted(layers, key=lambda i: (-layer_depth[i], first_seen[i]))
    return [layers[i] for i in ordered], node_ids


def ordered_layers(model):
    """The layers of a functional model in Keras 3's `model.layers` order."""
    return graph_info(model)[0]


# -- to config ----------------------------------------------------------------

def _reindexer(layers, node_ids):
    new_index = {}
    for layer in layers:
        own = [n for n in layer._inbound_nodes if id(n) in node_ids]
        for i, node in enumerate(own):
            new_index[id(node)] = i
    return new_index


def _history_ref(tensor, new_index, where):
    layer, node_index, tensor_index = tensor._history
    node = layer._inbound_nodes[node_index]
    if id(node) not in new_index:
        raise ValueError(f"{where}: tensor {tensor} comes from a call of "
                         f"layer '{layer.name}' that is not part of the "
                         "model, so the model can't be serialized.")
    return [layer.name, new_index[id(node)], tensor_index]


def _serialize_value(value, new_index, where):
    from lamina.saving.config import serialize
    if isinstance(value, SymbolicTensor):
        return {"class_name": _TENSOR, "config": {
            "shape": list(value.shape), "dtype": value.dtype,
            "keras_history": _history_ref(value, new_index, where)}}
    if isinstance(value, (list, tuple)):
        return [_serialize_value(v, new_index, where) for v in value]
    if isinstance(value, dict):
        return {k: _serialize_value(v, new_index, where)
                for k, v in value.items()}
    if isinstance(value, slice):  # `x[:, :2]` as Keras 3 writes it
        return {"class_name": "__slice__", "config": {
            "start": value.start, "stop": value.stop, "step": value.step}}
    if value is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray) or B.is_tensor(value):
        array = np.asarray(B.convert_to_numpy(value) if B.is_tensor(value)
                           else value)
        return {"class_name": "__numpy__", "config": {
            "value": array.tolist(), "dtype": array.dtype.name}}
    return serialize(value)


def _serialize_node(node, new_index):
    where = f"Layer '{node.layer.name}'"
    kwargs = dict(node.kwargs)
    mask = kwargs.get("mask")
    if isinstance(mask, SymbolicTensor) and mask._history is None:
        del kwargs["mask"]  # a propagated mask, recomputed when called
    return {"args": _serialize_value(list(node.args), new_index, where),
            "kwargs": _serialize_value(kwargs, new_index, where)}


def _structure_refs(structure, new_index):
    if isinstance(structure, SymbolicTensor):
        return _history_ref(structure, new_index, "Model inputs/outputs")
    if isinstance(structure, dict):
        return {k: _structure_refs(v, new_index)
                for k, v in structure.items()}
    return [_structure_refs(v, new_index) for v in structure]


def functional_config(model):
    """The config of a functional model in Keras 3's schema (see module)."""
    from lamina.saving.config import serialize
    layers, node_ids = graph_info(model)
    new_index = _reindexer(layers, node_ids)
    entries = []
    for layer in layers:
        entry = serialize(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = [
            _serialize_node(node, new_index) for node in layer._inbound_nodes
            if id(node) in node_ids and node.input_tensors]
        entries.append(entry)
    return {"name": model.name, "trainable": model.trainable,
            "layers": entries,
            "input_layers": _structure_refs(model._inputs_struct, new_index),
            "output_layers": _structure_refs(model._outputs_struct,
                                             new_index)}


# -- from config --------------------------------------------------------------

class _NotYet(Exception):
    """A tensor a call needs is not created yet (shared layer, later)."""


def _tensor(created, ref, model_name):
    name, node_index, tensor_index = ref[0], int(ref[1]), int(ref[2])
    if name not in created:
        raise ValueError(f"Model '{model_name}' config: a tensor refers to "
                         f"layer '{name}', which is not among its layers "
                         f"{sorted(created)}.")
    nodes = created[name]._inbound_nodes
    if node_index >= len(nodes):
        raise _NotYet(name)
    return nodes[node_index].outputs[tensor_index]


def _revive(value, created, model_name):
    if isinstance(value, dict):
        kind = value.get("class_name")
        if kind == _TENSOR:
            return _tensor(created, value["config"]["keras_history"],
                           model_name)
        if kind == "__numpy__":
            cfg = value["config"]
            return np.asarray(cfg["value"], dtype=cfg.get("dtype"))
        if kind == "__slice__":  # Keras 3 writes `x[:, :2]`'s key so
            cfg = value["config"]
            return slice(cfg.get("start"), cfg.get("stop"), cfg.get("step"))
        if kind == "__ellipsis__":
            return Ellipsis
        if kind is not None and "config" in value:
            from lamina.saving.config import deserialize
            return deserialize(value, "layers")
        return {k: _revive(v, created, model_name) for k, v in value.items()}
    if isinstance(value, list):
        return [_revive(v, created, model_name) for v in value]
    return value


def _call_arguments(node_data, created, model_name):
    """`(args, kwargs)` of one saved call; raises `_NotYet` if its inputs
    don't exist yet."""
    if isinstance(node_data, list):  # Keras 2: [[name, node, tensor, kw]]
        tensors, kwargs = [], {}
        for entry in node_data:
            tensors.append(_tensor(created, entry[:3], model_name))
            if len(entry) > 3 and entry[3]:
                kwargs = dict(entry[3])
        return [tensors[0] if len(tensors) == 1 else tensors], kwargs
    args = _revive(node_data.get("args", []), created, model_name)
    kwargs = _revive(node_data.get("kwargs", {}), created, model_name)
    return args, kwargs


def _structure(refs, created, model_name):
    if isinstance(refs, dict):
        return {k: _structure(v, created, model_name)
                for k, v in refs.items()}
    if isinstance(refs, (list, tuple)) and len(refs) == 3 and \
            isinstance(refs[0], str) and not isinstance(refs[1], list):
        return _tensor(created, refs, model_name)
    return [_structure(v, created, model_name) for v in refs]


def _make_layer(data, custom_objects):
    from lamina.layers.layer import Layer
    from lamina.saving.config import deserialize
    layer = deserialize(data, "layers", custom_objects)
    if not isinstance(layer, Layer):
        raise TypeError(f"Functional config: entry '{data.get('name')}' "
                         f"made a {type(layer).__name__}, not a layer.")
    return layer


def functional_from_config(cls, config, custom_objects=None):
    """A functional model (an instance of `cls`) from `functional_config`'s
    output, or from a Keras 3 or Keras 2 functional config."""
    config = dict(config)
    for key in ("layers", "input_layers", "output_layers"):
        if key not in config:
            raise ValueError(f"Functional config is missing the key "
                             f"'{key}'; it has {sorted(config)}.")
    model_name = config.get("name")
    created, pending = {}, {}
    for data in config["layers"]:
        name = data.get("name") or data.get("config", {}).get("name")
        created[name] = _make_layer(data, custom_objects)
        pending[name] = list(data.get("inbound_nodes") or [])
    while any(pending.values()):
        progress = False
        for name, queue in pending.items():
            layer = created[name]
            while queue:
                try:
                    args, kwargs = _call_arguments(queue[0], created,
                                                   model_name)
                except _NotYet:
                    break
                if kwargs.get("mask", 0) is None and \
                        not layer._call_has_mask:
                    del kwargs["mask"]
                layer(*args, **kwargs)
                queue.pop(0)
                progress = True
        if not progress:
            stuck = {n: len(q) for n, q in pending.items() if q}
            raise ValueError(f"Model '{model_name}' config: the calls of "
                             f"layers {stuck} need tensors that no other "
                             "call makes (a loop or a missing layer).")
    inputs = _structure(config["input_layers"], created, model_name)
    outputs = _structure(config["output_layers"], created, model_name)
    return cls(inputs=inputs, outputs=outputs, name=model_name,
               trainable=config.get("trainable", True))
