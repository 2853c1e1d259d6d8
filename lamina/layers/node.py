"""`Node`: one call of a layer on symbolic tensors, an edge of the graph."""

from lamina.backend.common.symbolic import SymbolicTensor


def sorted_keys(mapping):
    """A dict's keys in Keras's flattening order: sorted (insertion order
    where the keys can't be compared)."""
    try:
        return sorted(mapping)
    except TypeError:
        return list(mapping)


def flatten(structure):
    """The leaves of nested lists, tuples and dicts, in order; a dict's in
    the order of its sorted keys, as Keras (`keras.tree.flatten`) has it."""
    if isinstance(structure, (list, tuple)):
        out = []
        for v in structure:
            out.extend(flatten(v))
        return out
    if isinstance(structure, dict):
        out = []
        for k in sorted_keys(structure):
            out.extend(flatten(structure[k]))
        return out
    return [structure]


def map_structure(fn, structure):
    """`structure` (nested lists, tuples, dicts) with each leaf `v`
    replaced by `fn(v)`."""
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, v) for v in structure)
    if isinstance(structure, dict):
        return {k: map_structure(fn, v) for k, v in structure.items()}
    return fn(structure)


class Node:
    """Records `layer(*args, **kwargs) -> outputs` for symbolic tensors.

    The output tensors get `_history = (layer, node_index, tensor_index)`,
    which is what `Model(inputs, outputs)` follows back to the inputs.
    """

    def __init__(self, layer, args=(), kwargs=None, outputs=None):
        self.layer = layer
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        self.input_tensors = [t for t in flatten((self.args, self.kwargs))
                              if isinstance(t, SymbolicTensor)]
        self.outputs = flatten(outputs)
        self.index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, tensor in enumerate(self.outputs):
            tensor._history = (layer, self.index, i)

    @property
    def parent_nodes(self):
        out = []
        for t in self.input_tensors:
            layer, node_index, _ = t._history
            out.append(layer._inbound_nodes[node_index])
        return out
