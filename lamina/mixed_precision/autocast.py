"""How a layer call applies its dtype policy (Keras 3's autocast rules).

Float inputs are cast to the layer's compute dtype; inside `call`, float
weights read as that dtype through an `AutocastScope`. Which scope a layer
opens depends on the one around it (`scope_dtype`). A functional model
calls a layer's `call` directly, skipping `__call__`, only where that gives
the same result (`runs_directly`), which it decides once per graph.
"""

from lamina.backend.common.dtypes import FLOAT_TYPES
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.ops._bind import B


def cast_floats(x, dtype):
    """`x` (tensors, symbolic tensors, nested lists, tuples and dicts of
    them) with float ones cast to `dtype`; the same object where nothing
    changes."""
    if isinstance(x, SymbolicTensor):
        if x.dtype == dtype or x.dtype not in FLOAT_TYPES:
            return x
        out = SymbolicTensor(x.shape, dtype, sparse=x.sparse, name=x.name)
        out._mask = x._mask
        return out
    if isinstance(x, (list, tuple)):
        items = [cast_floats(v, dtype) for v in x]
        if all(a is b for a, b in zip(items, x)):
            return x
        if hasattr(x, "_fields"):  # a namedtuple
            return type(x)(*items)
        return type(x)(items)
    if isinstance(x, dict):
        items = {k: cast_floats(v, dtype) for k, v in x.items()}
        if all(items[k] is v for k, v in x.items()):
            return x
        return items
    if B.is_tensor(x):
        current = B.dtype(x)
        if current != dtype and current in FLOAT_TYPES:
            return B.cast(x, dtype)
    return x


def input_cast(layer):
    """The dtype `layer` casts float inputs to, or None."""
    if layer.autocast and layer._convert_input_args:
        return layer._cast_to
    return None


def scope_dtype(layer, outer):
    """The dtype float weights read as inside `layer.call`, given the one
    around the call (`outer`, None for none).

    Keras 3's rule: a mixed layer (compute dtype != variable dtype) opens
    a scope of its compute dtype; inside a scope, a layer switches casting
    off if its `autocast` is off or it doesn't compute in floats, and
    otherwise reads weights as its own compute dtype.
    """
    if outer is None:
        return layer._dtype_policy.compute_dtype if layer._mixed else None
    if not layer.autocast or layer._cast_to is None:
        return None
    return layer._cast_to


def runs_directly(layer, outer, input_dtype):
    """Whether `layer.call(x)` computes what `layer(x)` does, inside a
    scope of `outer`, for an input of `input_dtype`: no input cast and no
    change of scope is needed."""
    if scope_dtype(layer, outer) != outer:
        return False
    cast_to = input_cast(layer)
    return cast_to is None or input_dtype not in FLOAT_TYPES or \
        input_dtype == cast_to
