"""Symbolic tensors: the placeholders that functional models are drawn with.

`Input(shape=(32,))` returns a `SymbolicTensor` of shape `(None, 32)`.
Calling a layer on symbolic tensors computes nothing: it records a node in
the layer and returns new symbolic tensors whose shapes are inferred. The
`_history` of each tensor, `(layer, node_index, tensor_index)`, is what
`Model(inputs, outputs)` walks.
"""

from lamina.backend.common.dtypes import standardize_dtype


class SymbolicTensor:
    """A shape and dtype with no values; `None` marks an unknown dimension."""

    def __init__(self, shape, dtype=None, sparse=False, name=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.name = name
        self._history = None  # (layer, node_index, tensor_index)
        self._mask = None

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        name = f", name={self.name}" if self.name else ""
        return (f"<SymbolicTensor shape={self.shape}, dtype={self.dtype}"
                f"{name}>")

    def __len__(self):
        raise TypeError("A symbolic tensor has no length; use its `.shape`.")

    def __bool__(self):
        raise TypeError("A symbolic tensor has no truth value: it is a "
                        "placeholder for values that arrive later.")

    def __array__(self, *args, **kwargs):
        raise TypeError(
            "A symbolic tensor (from `Input` or a layer called on one) "
            "holds no values and can't be converted to a NumPy array. "
            "Build a `Model` from it and call `predict` instead.")

    # NumPy arrays defer to the reflected operators below (`array + t`).
    __array_ufunc__ = None

    # Arithmetic on symbolic tensors records a `TensorOp` node, so that
    # `Dense(4)(a) + b` works in a functional model, as in Keras. Inside a
    # step that captures graph values (a Keras 1 loss reading a graph
    # tensor), it computes on the tensor's value instead.
    def _op(self, name, *others):
        return _apply(name, (self,) + others)

    def _rop(self, name, other):
        return _apply(name, (other, self))

    def __getitem__(self, key):
        # Recorded as Keras 3 records it: a `GetItem` op node.
        from lamina.models import graph_values
        if graph_values.capturing():
            return graph_values.resolve(self)[key]
        from lamina.saving.keras_ops import op_layer
        return op_layer("GetItem")()(self, key)

    def __add__(self, o): return self._op("add", o)
    def __radd__(self, o): return self._rop("add", o)
    def __sub__(self, o): return self._op("subtract", o)
    def __rsub__(self, o): return self._rop("subtract", o)
    def __mul__(self, o): return self._op("multiply", o)
    def __rmul__(self, o): return self._rop("multiply", o)
    def __truediv__(self, o): return self._op("divide", o)
    def __rtruediv__(self, o): return self._rop("divide", o)
    def __matmul__(self, o): return self._op("matmul", o)
    def __rmatmul__(self, o): return self._rop("matmul", o)
    def __pow__(self, o): return self._op("power", o)
    def __neg__(self): return self._op("negative")
    def __abs__(self): return self._op("abs")
    __hash__ = object.__hash__


def _apply(name, args):
    from lamina.models import graph_values
    if graph_values.capturing():
        from lamina import ops
        return getattr(ops, name)(*graph_values.resolve(args))
    from lamina.layers.core.tensor_op import TensorOp
    return TensorOp(name)(*args)


def is_symbolic(x):
    return isinstance(x, SymbolicTensor)


def any_symbolic(values):
    for v in values:
        if isinstance(v, SymbolicTensor):
            return True
        if isinstance(v, (list, tuple)) and any_symbolic(v):
            return True
        if isinstance(v, dict) and any_symbolic(v.values()):
            return True
    return False
