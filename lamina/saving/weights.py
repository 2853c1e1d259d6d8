"""Weights files in Keras 3's `.weights.h5` layout.

An HDF5 file holds one group per object, named by where the object sits in
the model, and inside it a `vars` group with one dataset per variable,
`"0"`, `"1"`, ... (own trainable weights, then own non-trainable ones):

    vars                              the model's own variables (usually none)
    layers/dense/vars/0, .../1        the first Dense of `model.layers`
    layers/dense_1/vars/0             the second Dense
    layers/functional/layers/...      a nested functional model
    optimizer/vars/0, 1, ...          iterations, learning rate, slots

Layers in `model.layers` are named by their class in snake case with a
counter (not by layer name, which is not reproducible); a sublayer held in
an attribute is named by the attribute. This is Keras 3's rule, so files
move both ways. Keras 2's `.h5` weights load through `legacy_h5`.
"""

import re
import warnings

import numpy as np

from lamina.ops._bind import B

# Attributes that hold a model's layers in another form than `layers`.
_SKIP = {"_layers", "_graph_layers", "_stack", "_input_layer", "_functional",
         "_plan", "layers"}


def keras_snake_case(name):
    """A class name as Keras 3 writes it in weights paths ('Conv2D' ->
    'conv2d', 'BatchNormalization' -> 'batch_normalization')."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _is_container(value):
    return isinstance(value, (list, tuple, dict))


def _holds_layers(value):
    from lamina.layers.layer import Layer
    items = value.values() if isinstance(value, dict) else value
    return any(isinstance(v, Layer) or (_is_container(v) and _holds_layers(v))
               for v in items)


def _layer_properties(obj):
    """`(name, layer)` for properties of a layer subclass that return a
    layer (not those of lamina's base classes)."""
    from lamina.layers.layer import Layer
    from lamina.models.model import Model
    base = set(dir(Model))
    for name in dir(type(obj)):
        if name in base or not isinstance(getattr(type(obj), name, None),
                                          property):
            continue
        try:
            value = getattr(obj, name)
        except Exception:  # noqa: BLE001, S112 (may need a build first)
            continue
        if isinstance(value, Layer):
            yield name, value


def _children(obj):
    """`(attribute, child)` pairs of a layer, in Keras 3's visiting order."""
    from lamina.layers.layer import Layer
    from lamina.models.functional import Functional
    from lamina.models.functional_config import ordered_layers
    from lamina.models.sequential import Sequential
    if isinstance(obj, Functional):
        yield "layers", ordered_layers(obj)
    elif isinstance(obj, Sequential):
        yield "layers", obj.layers
    attributes = dict(vars(obj))
    # Keras visits what `dir()` lists, so properties too (e.g.
    # MultiHeadAttention's `query_dense`, which names the group).
    for name, value in _layer_properties(obj):
        attributes.setdefault(name, value)
    # Keras visits public attributes first, then private ones.
    for name in sorted(attributes, key=lambda n: ("~" + n) if
                       n.startswith("_") else n):
        if name.startswith("__") or name in _SKIP:
            continue
        value = attributes[name]
        is_layers = isinstance(value, Layer) or (_is_container(value) and
                                                 _holds_layers(value))
        if is_layers or (name == "optimizer" and getattr(value, "built",
                                                         False)):
            yield name, value


def _join(path, name):
    return f"{path}/{name}" if path else name


def _walk_container(container, path, visited, out):
    from lamina.layers.layer import Layer
    used = {}
    items = container.values() if isinstance(container, dict) else container
    for item in items:
        if isinstance(item, Layer):
            base = keras_snake_case(type(item).__name__)
        elif _is_container(item):
            base = "container"
        else:
            continue
        used[base] = used.get(base, -1) + 1
        name = base if used[base] == 0 else f"{base}_{used[base]}"
        if isinstance(item, Layer):
            _walk(item, _join(path, name), visited, out)
        else:
            _walk_container(item, _join(path, name), visited, out)


def _walk(obj, path, visited, out):
    from lamina.layers.layer import Layer
    if id(obj) in visited:
        return
    visited.add(id(obj))
    out.append((path, obj))
    if not isinstance(obj, Layer):
        return  # an optimizer: no children
    for name, child in _children(obj):
        if _is_container(child):
            _walk_container(child, _join(path, name), visited, out)
        else:
            _walk(child, _join(path, name), visited, out)


def saveables(model):
    """`(path, object)` for the model, every layer in it and its optimizer,
    in Keras 3's order; each object appears once (shared layers too)."""
    out = []
    _walk(model, "", set(), out)
    return out


def keras_variables(model):
    """All variables of `model` in Keras 3's `variables` order: a layer's
    own weights, then each sublayer's, with a functional model's layers in
    Keras 3's order."""
    from lamina.models.functional import Functional
    from lamina.models.functional_config import ordered_layers
    from lamina.models.sequential import Sequential
    found, seen = [], set()

    def visit(layer):
        for v in layer._trainable_variables + layer._non_trainable_variables:
            if id(v) not in seen:
                seen.add(id(v))
                found.append(v)
        if isinstance(layer, Functional):
            children = ordered_layers(layer)
        elif isinstance(layer, Sequential):
            children = layer.layers
        else:
            children = layer._layers
        for child in children:
            visit(child)

    visit(model)
    return found


def keras_trainable_variables(model):
    """`model.trainable_variables` in the order Keras 3 lists them: the
    order an optimizer's slots are saved in."""
    trainable = {id(v) for v in model.trainable_variables}
    return [v for v in keras_variables(model) if id(v) in trainable]


def build_optimizer(model):
    """Builds `model.optimizer` on its trainable variables in Keras 3's
    order, so that a saved optimizer state lines up."""
    model.optimizer.build(keras_trainable_variables(model))


def _slot_order(model, optimizer):
    """For an optimizer built on the variables in another order than
    Keras 3's: `order[j]` is the index in `optimizer.variables` of the
    variable a Keras-ordered build puts at `j`. None when the orders agree.

    Files hold the state in Keras 3's order. The map comes from a scratch
    twin built in that order, matching variables by name (slot names are
    made from the weight's path, so they are unique per model).
    """
    built = getattr(optimizer, "_trainable_variables", None)
    wanted = keras_trainable_variables(model) if model is not None else None
    if not built or wanted is None or \
            [id(v) for v in built] == [id(v) for v in wanted] or \
            {id(v) for v in built} != {id(v) for v in wanted}:
        return None  # same order, or built for other variables: as is
    position = {v.name: i for i, v in enumerate(optimizer.variables)}
    twin = type(optimizer).from_config(optimizer.get_config())
    twin.build(wanted)
    names = [v.name for v in twin.variables]
    if len(position) != len(optimizer.variables) or \
            sorted(names) != sorted(position):
        warnings.warn(
            f"Optimizer '{optimizer.name}' was built on the weights in "
            "another order than Keras 3 uses, and its slot names are not "
            "unique, so its state is stored in lamina's order; Keras 3 "
            "may not restore it.", stacklevel=4)
        return None
    return [position[n] for n in names]


def _own_variables(obj):
    from lamina.layers.layer import Layer
    if isinstance(obj, Layer):
        return obj._trainable_variables + obj._non_trainable_variables
    return list(obj.variables)  # an optimizer


def _vars_group(path):
    return _join(path, "vars")


# -- writing ------------------------------------------------------------------

def write_weights(model, h5file):
    """Writes the weights of `model` (and its built optimizer) into an open
    `h5py.File`."""
    from lamina.layers.layer import Layer
    for path, obj in saveables(model):
        group = h5file.create_group(_vars_group(path))
        name = getattr(obj, "name", None)
        if isinstance(name, str):
            group.attrs["name"] = name
        hook = getattr(obj, "save_own_variables", None)
        if not isinstance(obj, Layer):
            hook = None  # the optimizer: written here, in Keras 3's order
        if hook is not None:
            store = {}
            hook(store)
            items = store.items()
        else:
            variables = _own_variables(obj)
            order = None if isinstance(obj, Layer) else _slot_order(model,
                                                                     obj)
            if order is not None:
                variables = [variables[i] for i in order]
            items = ((str(i), v) for i, v in enumerate(variables))
        for key, value in items:
            array = B.convert_to_numpy(value.value) if hasattr(
                value, "assign") else np.asarray(value)
            group.create_dataset(key, data=array)


# -- reading ------------------------------------------------------------------

def _read_group(h5file, path):
    """The arrays stored for `path` by key, in key order; None if the file
    has no group for `path`."""
    key = _vars_group(path)
    if key not in h5file:
        return None
    group = h5file[key]
    names = sorted(group.keys(), key=lambda k: (not k.isdigit(), int(k)
                                                if k.isdigit() else 0, k))
    return {k: group[k][()] for k in names}


def _describe(obj, path):
    from lamina.layers.layer import Layer
    kind = "layer" if isinstance(obj, Layer) else "optimizer"
    return f"{kind} '{getattr(obj, 'name', '?')}' (file path '{path}')"


def _shape_text(variables):
    return "[" + ", ".join(f"{v.name} {tuple(v.shape)}" for v in variables) \
        + "]"


def _check(obj, path, variables, arrays):
    """An error message if `arrays` can't be loaded into `variables`."""
    found = [np.shape(a) for a in arrays]
    if len(variables) != len(arrays):
        if not variables and not getattr(obj, "built", True):
            return (f"{_describe(obj, path)} is not built, so it has no "
                    f"weights yet, but the file has {len(arrays)} for it. "
                    "Build the model first: call it on data, or give it an "
                    "input shape.")
        return (f"{_describe(obj, path)} has {len(variables)} weights "
                f"{_shape_text(variables)}, but the file has "
                f"{len(arrays)} with shapes {found}.")
    for variable, shape in zip(variables, found):
        if tuple(variable.shape) != tuple(shape):
            return (f"{_describe(obj, path)}: weight '{variable.name}' has "
                    f"shape {tuple(variable.shape)} in the model, but "
                    f"{tuple(shape)} in the file.")
    return None


def read_weights(model, h5file, skip_mismatch=False, optimizer=True):
    """Loads weights from an open `h5py.File` in `.weights.h5` layout.

    Every layer is checked before any weight is changed, so a file that
    doesn't match leaves the model as it was. With `skip_mismatch`, layers
    that don't match are skipped with a warning instead.
    """
    if "layer_names" in h5file.attrs or "model_weights" in h5file:
        from lamina.saving import legacy_h5
        return legacy_h5.read_legacy_weights(model, h5file, skip_mismatch)
    from lamina.layers.layer import Layer
    plan, hooks, problems = [], [], []
    for path, obj in saveables(model):
        is_optimizer = not isinstance(obj, Layer)
        stored = _read_group(h5file, path)
        if is_optimizer and (not optimizer or not stored):
            continue
        hook = getattr(obj, "load_own_variables", None)
        if hook is not None and not is_optimizer:
            hooks.append((hook, stored or {}))
            continue
        variables = _own_variables(obj)
        if is_optimizer:
            order = _slot_order(model, obj)
            if order is not None:
                variables = [variables[i] for i in order]
        arrays = list((stored or {}).values())
        problem = _check(obj, path, variables, arrays)
        if problem is None:
            plan.extend(zip(variables, arrays))
        elif is_optimizer:  # as Keras 3: warn, keep the model's weights
            warnings.warn(f"The optimizer state in the file does not fit: "
                          f"{problem} The optimizer starts fresh.",
                          stacklevel=3)
        elif skip_mismatch:
            warnings.warn(f"Skipping {problem}", stacklevel=3)
        else:
            problems.append(problem)
    if problems:
        raise ValueError("The weights file doesn't match the model:\n  " +
                         "\n  ".join(problems))
    for variable, array in plan:
        variable.assign(np.asarray(array, dtype=variable.dtype)
                        if variable.dtype != "bfloat16" else array)
    for hook, stored in hooks:
        hook(stored)
