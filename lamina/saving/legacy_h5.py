"""Legacy HDF5 files: Keras 1/2 full models and weights (`.h5`).

Keras 1 and 2 saved a whole model as one HDF5 file (Keras 3 still reads
and writes it, recommending `.keras`):

    attrs: model_config (JSON {"class_name", "config"}), keras_version,
           backend, training_config (JSON: loss, metrics,
           optimizer_config, ...)
    model_weights/    attrs layer_names; one group per layer, with attrs
                      weight_names and one dataset per name
    optimizer_weights/  attrs weight_names (optional)

A weights-only `.h5` file is `model_weights` at the root. Weights are
matched to layers in order (layers with weights, `model.layers` order) or,
with `by_name=True`, by layer name; inside a layer, in Keras's order
(trainable weights, then non-trainable). Keras 1 weights are converted as
Keras 2 did: Theano-layout (`dim_ordering='th'`) kernels are transposed,
Theano kernels flipped, and the per-gate LSTM/GRU matrices concatenated.
"""

import json
import warnings

import numpy as np

from lamina.saving import config as config_lib
from lamina.saving import keras_format, legacy_config
from lamina.saving import weights as weights_lib

HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"


def is_hdf5(filepath):
    """Whether the file starts with the HDF5 signature."""
    with open(filepath, "rb") as f:
        return f.read(8) == HDF5_MAGIC


def _text(value):
    return value.decode("utf8") if isinstance(value, bytes) else str(value)


def _names(values):
    return [_text(v) for v in values]


def _version(h5file):
    for source in (h5file.attrs, h5file.get("model_weights", h5file).attrs):
        if "keras_version" in source:
            return _text(source["keras_version"])
    return "1"  # Keras 1 files before 1.2 didn't record it


def _backend(h5file):
    for source in (h5file.attrs, h5file.get("model_weights", h5file).attrs):
        if "backend" in source:
            return _text(source["backend"])
    return None


def legacy_weights(layer):
    """A layer's weights in Keras's legacy order: trainable, then
    non-trainable, each in Keras 3's visiting order."""
    found = weights_lib.keras_variables(layer)
    trainable = {id(v) for v in layer.trainable_weights}
    return [v for v in found if id(v) in trainable] + \
        [v for v in found if id(v) not in trainable]


def _model_layers(model):
    from lamina.layers.core.input_layer import InputLayer
    from lamina.models.functional import Functional
    from lamina.models.functional_config import ordered_layers
    if isinstance(model, Functional):
        return ordered_layers(model)
    return [layer for layer in model.layers
            if not isinstance(layer, InputLayer)]


# -- Keras 1 weights ------------------------------------------------------------

def _gates(arrays, order, count):
    """Keras 1's per-gate `[W_x, U_x, b_x, ...]` as (kernel, recurrent,
    bias) in Keras 2's gate order."""
    by_gate = {g: arrays[3 * i:3 * i + 3] for i, g in enumerate(order)}
    return [np.concatenate([by_gate[g][j] for g in count], axis=-1)
            for j in range(3)]


def _keras1_arrays(layer, arrays, backend):
    """Keras 1 weights of `layer` in today's layout."""
    name = type(layer).__name__
    if name == "LSTM" and len(arrays) == 12:  # i, c, f, o in Keras 1
        return _gates(arrays, "icfo", "ifco")
    if name == "GRU" and len(arrays) == 9:  # z, r, h
        return _gates(arrays, "zrh", "zrh")
    if "Conv" in name and "LSTM" not in name and arrays:
        kernel = arrays[0]
        rank = getattr(layer, "rank", kernel.ndim - 2)
        if rank == 1 and kernel.ndim == 4:  # Keras 1 ran Conv1D as 2D
            if kernel.shape[1] != 1:  # 'th': (out, in, length, 1)
                kernel = np.transpose(kernel, (2, 3, 1, 0))
            kernel = kernel[:, 0]
        elif getattr(layer, "data_format", None) == "channels_first" and \
                kernel.ndim == rank + 2 and "Transpose" not in name:
            kernel = np.transpose(kernel, tuple(range(2, rank + 2)) + (1, 0))
        if backend == "theano":  # Theano convolved with flipped kernels
            kernel = kernel[(slice(None, None, -1),) * rank]
        arrays = [kernel] + list(arrays[1:])
    return arrays


# -- reading weights ------------------------------------------------------------

def _saved_layers(root):
    saved = []
    for name in _names(root.attrs["layer_names"]):
        group = root[name]
        arrays = [np.asarray(group[w]) for w in _names(
            group.attrs.get("weight_names", []))]
        saved.append((name, arrays))
    return saved


def _shape_problem(layer, variables, arrays):
    if len(variables) != len(arrays):
        return (f"layer '{layer.name}' has {len(variables)} weights, but "
                f"the file has {len(arrays)} for it")
    for variable, array in zip(variables, arrays):
        if tuple(variable.shape) != tuple(array.shape):
            return (f"layer '{layer.name}': weight '{variable.name}' has "
                    f"shape {tuple(variable.shape)} in the model, but "
                    f"{tuple(array.shape)} in the file")
    return None


def read_legacy_weights(model, h5file, skip_mismatch=False, by_name=False):
    """Loads Keras 1/2 (or Keras 3 legacy) `.h5` weights into `model`.

    Every layer is checked before anything is assigned: a file that
    doesn't match raises ValueError and leaves the model unchanged.
    """
    root = h5file.get("model_weights", h5file)
    if "layer_names" not in root.attrs:
        raise ValueError("The HDF5 file has no `layer_names`: it is not a "
                         "Keras weights file.")
    keras1 = _version(h5file).startswith("1")
    backend = _backend(h5file)
    saved = [(n, a) for n, a in _saved_layers(root) if a]
    layers = [layer for layer in _model_layers(model) if layer.weights]
    if by_name:
        by_layer = dict(saved)
        pairs = [(layer, by_layer[layer.name]) for layer in layers
                 if layer.name in by_layer]
    else:
        if len(layers) != len(saved):
            raise ValueError(
                f"The weights file has weights for {len(saved)} layers "
                f"({[n for n, _ in saved]}), but the model has "
                f"{len(layers)} layers with weights "
                f"({[layer.name for layer in layers]}). Pass by_name=True "
                "to load the layers whose names match.")
        pairs = [(layer, arrays) for layer, (_, arrays) in zip(layers,
                                                               saved)]
    plan, problems = [], []
    for layer, arrays in pairs:
        if keras1:
            arrays = _keras1_arrays(layer, arrays, backend)
        variables = legacy_weights(layer)
        problem = _shape_problem(layer, variables, arrays)
        if problem is None:
            plan.extend(zip(variables, arrays))
        elif skip_mismatch:
            warnings.warn(f"Skipping {problem}.", stacklevel=3)
        else:
            problems.append(problem)
    if problems:
        raise ValueError("The weights file doesn't match the model: " +
                         "; ".join(problems) + ". Pass skip_mismatch=True "
                         "to load the rest.")
    for variable, array in plan:
        variable.assign(np.array(array, dtype=variable.dtype, order="C"))


def _read_optimizer(model, h5file):
    group = h5file.get("optimizer_weights")
    optimizer = getattr(model, "optimizer", None)
    if group is None or optimizer is None:
        return
    names = _names(group.attrs.get("weight_names", []))
    if len(names) <= len(optimizer.variables):
        return  # saved before training: nothing but the step count
    if not _version(h5file).startswith("3"):
        warnings.warn("The optimizer state in this Keras "
                      f"{_version(h5file)} file is not restored (its layout "
                      "differs); the optimizer starts fresh.", stacklevel=3)
        return
    weights_lib.build_optimizer(model)
    variables = list(optimizer.variables)
    order = weights_lib._slot_order(model, optimizer)
    if order is not None:
        variables = [variables[i] for i in order]
    arrays = [np.asarray(group[n]) for n in names]
    if [tuple(v.shape) for v in variables] != [a.shape for a in arrays]:
        warnings.warn("The optimizer state in the file does not fit the "
                      "model's optimizer; it starts fresh.", stacklevel=3)
        return
    for variable, array in zip(variables, arrays):
        variable.assign(np.asarray(array, dtype=variable.dtype))


# -- loading a model ------------------------------------------------------------

def _compile(model, training_config):
    config = dict(training_config)
    optimizer = config.pop("optimizer_config", None)
    config["optimizer"] = optimizer
    try:
        keras_format.compile_from_config(model, config)
    except (ValueError, TypeError, KeyError) as error:
        warnings.warn(
            f"The model was loaded but not compiled: its training config "
            f"could not be restored ({error}). Call `compile()` yourself, "
            "or pass the missing objects in `custom_objects`.",
            stacklevel=4)


def load_model(h5file, filepath, custom_objects=None, compile=True,
               safe_mode=True):
    """A model from an open legacy full-model `.h5` file."""
    from lamina.layers.layer import Layer
    if "model_config" not in h5file.attrs:
        kind = ("a Keras 2 weights file" if "layer_names" in h5file.attrs
                else "a `.weights.h5` weights file" if "vars" in h5file or
                "layers" in h5file else "an HDF5 file without a model")
        raise ValueError(
            f"load_model: '{filepath}' is {kind}, not a saved model (it has "
            "no `model_config`). Build the model in code and call "
            f"`model.load_weights('{filepath}')`.")
    try:
        config = json.loads(_text(h5file.attrs["model_config"]))
    except ValueError as error:
        raise ValueError(f"load_model: the model_config in '{filepath}' is "
                         f"not valid JSON ({error}).") from None
    version = _version(h5file)
    config = legacy_config.convert(config, version.startswith("3"),
                                   version.startswith("1"))
    with config_lib.custom_object_scope(custom_objects), \
            config_lib.SafeModeScope(safe_mode):
        model = config_lib.deserialize(config, "layers", custom_objects)
        if not isinstance(model, Layer):
            raise TypeError(f"load_model: '{filepath}' describes a "
                            f"{type(model).__name__}, not a model.")
        read_legacy_weights(model, h5file)
        training = h5file.attrs.get("training_config")
        if compile and training is not None:
            _compile(model, json.loads(_text(training)))
            if getattr(model, "compiled", False):
                _read_optimizer(model, h5file)
    return model


# -- saving a model -------------------------------------------------------------

def _write_layer(group, layer):
    variables = legacy_weights(layer)
    names, used = [], set()
    for variable in variables:
        base = f"{layer.name}/{getattr(variable, 'path', variable.name)}"
        name, n = base, 0
        while name in used:
            n += 1
            name = f"{base}_{n}"
        used.add(name)
        names.append(name)
    sub = group.create_group(layer.name)
    sub.attrs["weight_names"] = np.array([n.encode() for n in names],
                                         dtype=None if names else "S1")
    for name, variable in zip(names, variables):
        sub.create_dataset(name, data=variable.numpy())


def write_legacy_weights(model, group, version, backend):
    """Writes the model's weights in the legacy layout into `group`."""
    layers = _model_layers(model)
    group.attrs["layer_names"] = np.array(
        [layer.name.encode() for layer in layers])
    group.attrs["backend"] = backend
    group.attrs["keras_version"] = version
    for layer in layers:
        _write_layer(group, layer)


def _training_config(model):
    config = keras_format.compile_config(model)
    if not config:
        return None
    optimizer = config.pop("optimizer")
    if isinstance(optimizer, dict):
        optimizer = {"class_name": optimizer["class_name"],
                     "config": optimizer["config"]}
    config["optimizer_config"] = optimizer
    return config


def write_model(model, h5file, model_config, version, backend,
                include_optimizer=True):
    """Writes a full legacy model file (config, weights, optimizer)."""
    config = {k: v for k, v in model_config.items()
              if k not in ("compile_config", "build_config")}
    h5file.attrs["keras_version"] = version
    h5file.attrs["backend"] = backend
    h5file.attrs["model_config"] = json.dumps(
        config, default=_json_default)
    write_legacy_weights(model, h5file.create_group("model_weights"),
                         version, backend)
    training = _training_config(model) if include_optimizer else None
    if training is None:
        return
    h5file.attrs["training_config"] = json.dumps(training,
                                                 default=_json_default)
    optimizer = model.optimizer
    if not getattr(optimizer, "built", False):
        return
    variables = list(optimizer.variables)
    order = weights_lib._slot_order(model, optimizer)
    if order is not None:
        variables = [variables[i] for i in order]
    group = h5file.create_group("optimizer_weights")
    names = [f"{optimizer.name}/{v.name}_{i}" for i, v in
             enumerate(variables)]
    group.attrs["weight_names"] = np.array([n.encode() for n in names])
    for name, variable in zip(names, variables):
        group.create_dataset(name, data=variable.numpy())


def _json_default(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"Can't write {obj!r} into a model config.")
