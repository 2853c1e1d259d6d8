"""Model configs from legacy `.h5` files (Keras 1, Keras 2, Keras 3) in the
form `lamina.saving.deserialize` reads.

A legacy file's `model_config` attribute is JSON `{"class_name",
"config"}` without Keras 3's `module` keys. Keras 2 and Keras 1 configs
differ in structure, which is rewritten here:

- Keras 1 wrote a `Sequential` config as a bare list of layers;
- Keras 1's functional `merge(...)` is a `Merge` layer with a `mode`;
- Keras 1 wrote regularizers and constraints as `{"name": ..., args}`
  (`WeightRegularizer(l1, l2)`, `MaxNorm(m, axis)`);
- Keras 1 `InputLayer`s have `input_dtype` and `batch_input_shape`;
- a GRU without `reset_after` is Keras 1/2's GRU (reset gate first);
- Keras 2's mixed-precision `Policy` dict is a dtype name now;
- a Keras 1/2 `Lambda` stored `function` with a `function_type`.

Layer arguments are passed through as they are: the layer classes accept
the Keras 1/2 argument names (`output_dim`, `init`, `border_mode`, ...)
and warn once with the modern spelling.
"""

_MERGE_MODES = {"sum": "Add", "mul": "Multiply", "ave": "Average",
                "max": "Maximum", "concat": "Concatenate", "dot": "Dot",
                "cos": "Dot"}
# Keras 3 ops named like merging layers (the layers' configs have more).
_OP_NAMES = {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
             "Concatenate", "Dot"}
# Keras 1's regularizers and constraints, by the name it wrote.
_KERAS1_OBJECTS = {"WeightRegularizer": "L1L2",
                   "ActivityRegularizer": "L1L2", "MaxNorm": "MaxNorm",
                   "NonNeg": "NonNeg", "UnitNorm": "UnitNorm",
                   "MinMaxNorm": "MinMaxNorm"}


def _keras1_object(value):
    """Keras 1's `{"name": "MaxNorm", "m": 2, "axis": 0}` in the
    `{"class_name", "config"}` form."""
    config = {k: v for k, v in value.items() if k != "name"}
    name = _KERAS1_OBJECTS.get(value["name"], value["name"])
    if "m" in config:  # MaxNorm's `m` is `max_value` now
        config["max_value"] = config.pop("m")
    if name == "MinMaxNorm" and "low" in config:
        config["min_value"] = config.pop("low")
        config["max_value"] = config.pop("high")
    return {"class_name": name, "config": config}


def _merge_layer(config, name):
    """A Keras 1 `Merge` layer's config as today's merging layer."""
    mode = config.get("mode", "sum")
    if mode not in _MERGE_MODES:
        raise ValueError(
            f"Layer '{name}' is a Keras 1 `Merge` with a Python function as "
            f"its mode ({config.get('mode_type', 'lambda')}); it can't be "
            "rebuilt from the file. Rebuild the model in code.")
    if config.get("layers"):
        raise ValueError(
            f"Layer '{name}' is a Keras 1 `Merge` of whole models inside a "
            "Sequential; lamina can't rebuild that from the file. Rebuild "
            "it as a functional model and load the weights with "
            "`load_weights(path, by_name=True)`.")
    new = {"name": name}
    if mode == "concat":
        new["axis"] = config.get("concat_axis", -1)
    elif mode in ("dot", "cos"):
        axes = config.get("dot_axes", -1)
        new["axes"] = axes
        new["normalize"] = mode == "cos"
    return {"class_name": _MERGE_MODES[mode], "config": new}


def _input_layer(config):
    config = dict(config)
    if "input_dtype" in config:
        config["dtype"] = config.pop("input_dtype")
    if "batch_input_shape" in config:
        config["batch_shape"] = config.pop("batch_input_shape")
    for key in ("sparse", "ragged"):
        if not config.get(key):
            config.pop(key, None)
    return config


def _function(value, kind, module):
    """Keras 1/2's `(function, function_type)` in Keras 3's form."""
    if kind == "lambda":
        code, defaults, closure = (value if isinstance(value, list)
                                   else [value, None, None])
        return {"class_name": "__lambda__", "config": {
            "code": code, "defaults": defaults, "closure": closure}}
    if kind == "function":
        return {"module": module, "class_name": "function",
                "config": value, "registered_name": None}
    return value  # 'raw': a plain value (an output shape)


def _lambda(config):
    """A Keras 1/2 `Lambda` config (`function_type`, `module`, ...)."""
    config = dict(config)
    config["function"] = _function(config.pop("function"),
                                   config.pop("function_type"),
                                   config.pop("module", None))
    kind = config.pop("output_shape_type", "raw")
    module = config.pop("output_shape_module", None)
    if config.get("output_shape") is not None:
        config["output_shape"] = _function(config["output_shape"], kind,
                                           module)
    for key in ("output_mask", "output_mask_type", "mask"):
        config.pop(key, None)
    return config


def _dtype(value):
    if isinstance(value, dict) and value.get("class_name") in (
            "Policy", "DTypePolicy", "PolicyV1"):
        return value.get("config", {}).get("name", "float32")
    return value


def _layer(entry, keras3, keras1=False):
    """One `{"class_name", "config", ...}` layer entry, rewritten."""
    from lamina.saving import config as config_lib
    entry = dict(entry)
    name = entry["class_name"]
    config = entry.get("config")
    if name == "Sequential" and isinstance(config, list):
        config = {"name": "sequential", "layers": config}
    if not isinstance(config, dict):
        entry["config"] = convert(config, keras3, keras1)
        return entry
    config = {k: convert(v, keras3, keras1) for k, v in config.items()}
    if "dtype" in config:
        config["dtype"] = _dtype(config["dtype"])
    if name == "Merge":
        merged = _merge_layer(config, config.get("name"))
        name, config = merged["class_name"], merged["config"]
    elif name == "InputLayer":
        config = _input_layer(config)
    elif name == "Lambda" and "function_type" in config:
        config = _lambda(config)
    elif name == "GRU" and not keras3:
        config.setdefault("reset_after", False)
    elif "input_layers" in config and not keras3:
        config = _unwrap_single(config)
    entry["class_name"], entry["config"] = name, config
    if keras1 is False and "module" not in entry:
        # Keras 2/3 files: switched-off options lamina doesn't have, as in
        # `.keras` files (Keras 1 arguments must all reach the class,
        # whose legacy spellings rename them).
        cls = config_lib.find_class(name, "layers")
        if cls is not None:
            entry["config"] = config_lib._drop_unset_extras(cls, config)
    return entry


def _unwrap_single(config):
    """Keras 1/2 list every model input and output as `[[name, node,
    index]]`; a single one means a plain tensor (as Keras 3 reads it)."""
    config = dict(config)
    for key in ("input_layers", "output_layers"):
        refs = config[key]
        if isinstance(refs, list) and len(refs) == 1 and \
                isinstance(refs[0], list):
            config[key] = refs[0]
    return config


def _is_layer_entry(value):
    return isinstance(value.get("config"), (dict, list)) and \
        _looks_like_layer(value["class_name"])


def _looks_like_layer(name):
    from lamina.layers.layer import Layer
    from lamina.saving import config as config_lib
    cls = config_lib.find_class(name, "layers")
    return name in ("Merge", "Sequential", "Model") or (
        isinstance(cls, type) and issubclass(cls, Layer))


def convert(value, keras3=False, keras1=False):
    """A legacy config tree in the form lamina deserializes.

    Args:
        value: the parsed `model_config` (or any part of it).
        keras3: whether the file was written by Keras 3 (or lamina).
        keras1: whether it was written by Keras 1.
    """
    if isinstance(value, list):
        return [convert(v, keras3, keras1) for v in value]
    if not isinstance(value, dict):
        return value
    if "class_name" not in value:
        if isinstance(value.get("name"), str) and \
                value["name"] in _KERAS1_OBJECTS:
            return _keras1_object(value)
    elif keras3 and "inbound_nodes" in value and "module" not in value \
            and "trainable" not in (value.get("config") or {}) and (
                value["class_name"] in _OP_NAMES or
                not _looks_like_layer(value["class_name"])):
        # A `keras.ops` call in a Keras 3 graph (see `keras_ops`): every
        # Keras 3 layer's config has `trainable`, an op's has not.
        return dict(value, module="keras.src.ops.numpy")
    elif _is_layer_entry(value):
        return _layer(value, keras3, keras1)
    return {k: convert(v, keras3, keras1) for k, v in value.items()}
