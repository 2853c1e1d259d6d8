"""Custom layers written for Keras 1 and 2, run by `lamina.Layer`.

`Layer` calls into this module where the eras differ:

- `add_weight`'s positional order: Keras 1.2 `(shape, initializer, name,
  trainable, regularizer, constraint)`, Keras 2 `(name, shape, dtype,
  initializer, regularizer, trainable, constraint)`, Keras 3 `(shape,
  initializer, dtype, ...)`. A string first is Keras 2's `name`; a string
  third that is not a dtype is Keras 1.2's `name`.
- Keras 1's `self.trainable_weights = [self.W, self.b]`: the list becomes
  the layer's weights; arrays in it (Keras 1's `self.init(shape)` gave a
  variable, lamina's gives an array) become `Variable`s, and the layer's
  attributes holding them are pointed at the new variables.
"""

import functools
import inspect

from lamina.backend.common.dtypes import standardize_dtype

_KERAS2_ORDER = ("name", "shape", "dtype", "initializer", "regularizer",
                 "trainable", "constraint")
_KERAS1_ORDER = ("shape", "initializer", "name", "trainable", "regularizer",
                 "constraint")
_KERAS3_ORDER = ("shape", "initializer", "dtype", "trainable", "autocast",
                 "regularizer", "constraint", "aggregation")


def _is_dtype(value):
    try:
        standardize_dtype(value)
    except (TypeError, ValueError):
        return False
    return True


def _order(args):
    if not args:
        return _KERAS3_ORDER
    if isinstance(args[0], str):
        return _KERAS2_ORDER
    if len(args) > 2 and isinstance(args[2], str) and not _is_dtype(args[2]):
        return _KERAS1_ORDER
    return _KERAS3_ORDER


def _plain_initializer(fn):
    """A user's Keras 1 initialization function `(shape, name=None)` made
    to take the `dtype` that lamina passes."""
    if not inspect.isfunction(fn) or hasattr(fn, "_lamina_initializer"):
        return fn
    params = inspect.signature(fn).parameters
    if "dtype" in params or any(p.kind is p.VAR_KEYWORD
                                for p in params.values()):
        return fn
    return lambda shape, dtype=None: fn(shape)


def weight_arguments(args, kwargs):
    """`add_weight`'s positional `args` as keywords, by the era they were
    written in (see the module docstring)."""
    order = _order(args)
    if len(args) > len(order):
        raise TypeError(f"add_weight: takes at most {len(order)} positional "
                        f"arguments in this form ({', '.join(order)}); got "
                        f"{len(args)}.")
    out = dict(kwargs)
    for key, value in zip(order, args):
        if key in out:
            raise TypeError(f"add_weight: got '{key}' both positionally "
                            "and as a keyword.")
        out[key] = value
    if "initializer" in out:
        out["initializer"] = _plain_initializer(out["initializer"])
    return out


def legacy_weight_order(add_weight):
    """Decorator for `Layer.add_weight`: accepts every era's positional
    order; keyword calls pass straight through."""
    @functools.wraps(add_weight)
    def wrapper(self, *args, **kwargs):
        if args:
            kwargs = weight_arguments(args, kwargs)
        return add_weight(self, **kwargs)
    return wrapper


def as_variables(layer, values, trainable):
    """`values` (Keras 1's weight list) as `Variable`s; an array in it
    becomes a new variable, and `layer`'s attributes that held the array
    hold the variable instead."""
    from lamina.backend.common.variables import Variable
    from lamina.ops._bind import B
    out = []
    for i, value in enumerate(values):
        if not isinstance(value, Variable):
            if not B.is_tensor(value) and not hasattr(value, "shape"):
                raise TypeError(
                    f"Layer '{layer.name}': weights must be variables or "
                    f"arrays; item {i} of the list is {value!r}.")
            variable = B.Variable(value, dtype=layer.variable_dtype,
                                  trainable=trainable,
                                  name=f"{layer.name}_w{i}")
            for attr, held in list(vars(layer).items()):
                if held is value:
                    object.__setattr__(layer, attr, variable)
            value = variable
        value.trainable = trainable
        out.append(value)
    return out


# Keras 1 attributes a layer filled in `build` that lamina does not read,
# with what to write instead.
_UNREAD = {
    "regularizers": "pass `regularizer=` to `self.add_weight(...)` (or "
                    "call `self.add_loss(penalty)` in `call`)",
    "constraints": "pass `constraint=` to `self.add_weight(...)`",
    "updates": "assign in `call`: `variable.assign(new_value)` (e.g. "
               "moving statistics, under `if training:`)",
}


def check_built(layer):
    """Raises if `build` filled a Keras 1 attribute lamina would ignore
    (`self.regularizers`, `self.constraints`, `self.updates`): its effect
    would silently be lost. Empty ones (common boilerplate) are fine."""
    state = vars(layer)
    for attr, instead in _UNREAD.items():
        if state.get(attr):
            raise ValueError(
                f"Layer '{layer.name}' ({type(layer).__name__}) sets "
                f"`self.{attr}` in build, a Keras 1 mechanism lamina does "
                f"not apply; {instead}.")
