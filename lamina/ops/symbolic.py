"""Tensor functions called on symbolic tensors.

Keras 3 lets every `keras.ops` function take the symbolic tensors a model
is drawn with (`ops.exp(z_log_var)` between layers) and records the call
as a node of the graph; Keras 2 allowed the same of backend and loss
functions. `symbolic_aware(fn)` gives a function that does this: called
on concrete tensors it runs `fn` (one type check per argument is all it
adds); called with a symbolic tensor among its arguments it records a
node — a Keras op node for `lamina.ops` (saved as Keras 3 saves them), a
`FunctionCall` node for other functions — or, inside a step that
captures graph values (`lamina.models.graph_values`), computes on the
tensors' values of that step.
"""

import functools
import inspect

from lamina.backend.common.symbolic import SymbolicTensor, any_symbolic


def _camel(name):
    return "".join(part.capitalize() for part in name.split("_"))


# The parameters of `keras.ops` functions that take tensors. Keras 3 keeps
# these as the op node's call arguments and the others (axis, keepdims,
# dtype, ...) as the op's constructor arguments, its config.
_TENSOR_PARAMETERS = frozenset((
    "x", "x1", "x2", "xs", "y", "a", "b", "condition", "indices", "values",
    "target", "output", "inputs", "kernel", "bias", "operands", "logits",
    "labels", "weights", "mask", "arrays", "tensors", "updates"))


def _split(fn, args, kwargs):
    """`(call_args, config)`: the tensor arguments, in order, and the
    others by name (as Keras 3 splits an op's arguments)."""
    try:
        bound = inspect.signature(fn).bind(*args, **kwargs)
    except (TypeError, ValueError):  # no signature: all call arguments
        return list(args), dict(kwargs)
    call_args, config = [], {}
    for name, value in bound.arguments.items():
        kind = bound.signature.parameters[name].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            call_args.extend(value)
        elif kind is inspect.Parameter.VAR_KEYWORD:
            config.update(value)
        elif name in _TENSOR_PARAMETERS or any_symbolic([value]):
            if config:  # a tensor after a setting: keep its place by name
                return list(args), dict(kwargs)
            call_args.append(value)
        else:
            config[name] = value
    return call_args, config


def op_recorder(name, module="keras.src.ops.numpy"):
    """A recorder that draws a call of `lamina.ops.<name>` as Keras 3's op
    node (class name `Exp` for `exp`, in Keras's op `module`), the
    non-tensor arguments in the op's config."""
    def record(fn, args, kwargs):
        from lamina.saving.keras_ops import op_layer
        call_args, config = _split(fn, args, kwargs)
        return op_layer(_camel(name), module)(**config)(*call_args)
    return record


def _record_call(fn, args, kwargs):
    from lamina.layers.core.function_call import record
    return record(fn, args, kwargs)


def dispatch(fn, record, args, kwargs):
    """Runs `fn` on symbolic arguments: on their values when a capture is
    open, else by recording a node with `record(fn, args, kwargs)`."""
    from lamina.models import graph_values
    if graph_values.capturing():
        args, kwargs = graph_values.resolve((args, kwargs))
        return fn(*args, **kwargs)
    return (record or _record_call)(fn, args, kwargs)


def symbolic_aware(fn, record=None):
    """`fn`, also callable on symbolic tensors (see the module docstring).

    Args:
        fn: a function of tensors.
        record: `record(fn, args, kwargs) -> symbolic outputs`, how a call
            on symbolic tensors is drawn; default a `FunctionCall` node.
    """
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        for a in args:
            if isinstance(a, SymbolicTensor) or (
                    isinstance(a, (list, tuple)) and any_symbolic(a)):
                return dispatch(fn, record, args, kwargs)
        if kwargs and any_symbolic(kwargs.values()):
            return dispatch(fn, record, args, kwargs)
        return fn(*args, **kwargs)
    wrapper.__wrapped__ = fn
    return wrapper
