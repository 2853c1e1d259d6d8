"""The values graph tensors take in the step being run.

Keras 1 and 2 ran on graph engines, where a tensor of the model's graph
(`z_mean = Dense(2)(h)`) could be used anywhere — in a loss function's
closure, say — and meant "its value in the current run". lamina computes
eagerly; to give such code the same meaning, the trainer opens a
`capture()` around the forward pass and the loss. While it is open, each
functional model records the value of every tensor of its graph, and a
tensor function called on a graph tensor (`K.square(z_mean)`,
`1 + z_log_var`) gets that value instead (see `lamina.ops.symbolic`). A
graph tensor that was not computed in the step is computed from its
node's inputs, recursively.
"""

from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.node import flatten, map_structure

_stack = []


class capture:
    """Context in which graph tensors resolve to this step's values.

    Args:
        training: the `training` flag for layers that `resolve` has to
            call itself (tensors the forward pass did not compute).
    """

    def __init__(self, training=None):
        self.training = training
        self.values = {}

    def __enter__(self):
        _stack.append(self)
        return self

    def __exit__(self, *exc):
        _stack.remove(self)
        self.values = {}  # drop the step's tensors (and tracers)


def capturing():
    """Whether a `capture` is open."""
    return bool(_stack)


def record(tensors, values):
    """Records `values[i]` as the value of the graph tensor `tensors[i]`
    (called by a functional model's run while a capture is open)."""
    found = _stack[-1].values
    for tensor, value in zip(tensors, values):
        if value is not None:
            found[id(tensor)] = (tensor, value)


def resolve(structure):
    """`structure` with each symbolic tensor replaced by its value in the
    open capture."""
    return map_structure(
        lambda v: _value(v) if isinstance(v, SymbolicTensor) else v,
        structure)


def _value(tensor):
    current = _stack[-1]
    found = current.values.get(id(tensor))
    if found is not None:
        return found[1]
    from lamina.layers.core.input_layer import InputLayer
    layer = tensor._history[0] if tensor._history else None
    if layer is None or isinstance(layer, InputLayer):
        raise ValueError(
            f"The graph tensor {tensor} is used in this step (by a loss "
            "function or a symbolic `add_loss`), but its value is not "
            "known: it is an input that is not among the model's inputs, "
            "or not a tensor of the model being trained.")
    node = layer._inbound_nodes[tensor._history[1]]
    args, kwargs = resolve((node.args, node.kwargs))
    if current.training is not None and layer._call_has_training:
        kwargs = dict(kwargs, training=current.training)
    outputs = layer(*args, **kwargs)
    for t, value in zip(node.outputs, flatten(outputs)):
        current.values[id(t)] = (t, value)
    return current.values[id(tensor)][1]


def reads_graph_tensors(fn):
    """Whether the function `fn` (or a callable object's function) reads
    graph tensors from its closure, its defaults or the module globals it
    names — a Keras 1/2 loss such as `def vae_loss(x, y): ... z_mean ...`.
    """
    fn = getattr(fn, "fn", fn)  # a LossFunctionWrapper's function
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    seen = []
    for cell in getattr(fn, "__closure__", None) or ():
        try:
            seen.append(cell.cell_contents)
        except ValueError:  # an empty cell
            pass
    seen.extend(getattr(fn, "__defaults__", None) or ())
    names = set()
    _names(code, names)
    module_globals = getattr(fn, "__globals__", {})
    seen.extend(module_globals[n] for n in names if n in module_globals)
    return any(_holds_graph_tensor(v) for v in seen)


def _names(code, out):
    out.update(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):  # nested functions and lambdas
            _names(const, out)


def _holds_graph_tensor(value, depth=0):
    if isinstance(value, SymbolicTensor):
        return value._history is not None
    if depth < 2 and isinstance(value, (list, tuple)):
        return any(_holds_graph_tensor(v, depth + 1) for v in value)
    if depth < 2 and isinstance(value, dict):
        return any(_holds_graph_tensor(v, depth + 1)
                   for v in value.values())
    return False
