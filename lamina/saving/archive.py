"""Whole-model files: the `.keras` zip archive, JSON configs, weights files.

A `.keras` file is a zip holding `metadata.json` (`keras_version`,
`date_saved`), `config.json` (the model's serialized config, with
`compile_config` when it was compiled), `model.weights.h5` (see
`lamina.saving.weights`) and, for objects that keep files, `assets/` (see
`lamina.saving.assets`): the layout Keras 3 writes and reads.

Every save writes a temporary file in the target's directory and renames
it over the target only once it is complete, so a failure mid-save never
leaves a broken file (the previous one survives).
"""

import contextlib
import datetime
import io
import json
import os
import uuid
import warnings
import zipfile

import numpy as np

from lamina.saving import assets as assets_lib
from lamina.saving import config as config_lib
from lamina.saving import keras_format, legacy_h5
from lamina.saving import weights as weights_lib

# The Keras 3 release whose files this format was checked against.
KERAS_VERSION = "3.15.1"
_CONFIG, _METADATA, _WEIGHTS = "config.json", "metadata.json", \
    "model.weights.h5"


# -- files --------------------------------------------------------------------

@contextlib.contextmanager
def atomic_write(filepath):
    """Yields a temporary path next to `filepath`; renames it to `filepath`
    when the block succeeds and deletes it when the block fails."""
    filepath = os.path.abspath(filepath)
    directory = os.path.dirname(filepath)
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"Can't save to '{filepath}': the directory "
                                f"'{directory}' does not exist.")
    temp = os.path.join(directory, f".{os.path.basename(filepath)}."
                        f"{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield temp
        with open(temp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(temp, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temp)
        raise


def _check_target(filepath, overwrite, suffixes, what):
    filepath = os.fspath(filepath)
    if not filepath.endswith(suffixes):
        raise ValueError(f"{what}: the file name must end in "
                         f"{' or '.join(suffixes)}; got '{filepath}'.")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{what}: '{filepath}' already exists; pass "
                              "overwrite=True to replace it.")
    return filepath


def _check_source(filepath, what):
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"{what}: no file at '{filepath}'.")
    if os.path.isdir(filepath):
        raise ValueError(f"{what}: '{filepath}' is a directory (a "
                         "TensorFlow SavedModel?); lamina loads `.keras`, "
                         "`.weights.h5` and Keras 2 `.h5` files.")
    return filepath


def _json_default(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"Can't write {obj!r} ({type(obj).__name__}) into a "
                    "model config: a get_config returned a value that is "
                    "not JSON (numbers, strings, lists, dicts).")


def _weights_bytes(model):
    import h5py
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        weights_lib.write_weights(model, f)
    return buffer.getvalue()


# -- configs ------------------------------------------------------------------

def model_config(model):
    """The model's config as Keras 3 writes it into `config.json`."""
    config = config_lib.serialize(model)
    from lamina.models.functional import Functional
    from lamina.models.sequential import Sequential
    if isinstance(model, Sequential) and model.inputs:
        config["build_config"] = {"input_shape": list(model.input_shape)}
    elif not isinstance(model, (Sequential, Functional)) and \
            hasattr(model, "get_build_config"):
        build = model.get_build_config()  # a subclassed model
        if build:
            config["build_config"] = build
    compiled = keras_format.compile_config(model)
    if compiled:
        config["compile_config"] = compiled
    return keras_format.to_keras(config)


def _model_from_config(config, custom_objects, compile, safe_mode):
    from lamina.layers.layer import Layer
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("The model config is not a serialized model (a "
                         "dict with 'class_name' and 'config'); got "
                         f"{str(config)[:100]!r}.")
    config = dict(config)
    compiled = config.pop("compile_config", None)
    build = config.pop("build_config", None)
    with config_lib.custom_object_scope(custom_objects), \
            config_lib.SafeModeScope(safe_mode):
        model = config_lib.deserialize(config, "layers", custom_objects)
        if not isinstance(model, Layer):
            raise TypeError(f"The config describes a "
                             f"{type(model).__name__}, not a model.")
        shape = (build or {}).get("input_shape")
        if not model.built and shape:
            if hasattr(model, "build_from_config"):
                model.build_from_config(build)
            else:
                model.build(tuple(shape))
        if compile and compiled:
            try:
                keras_format.compile_from_config(model, compiled)
            except (ValueError, TypeError) as error:
                # As Keras 3 does: the model still loads, uncompiled.
                warnings.warn(
                    f"The model was loaded but not compiled: its compile "
                    f"config could not be restored ({error}). Call "
                    "`compile()` yourself, or pass the missing objects in "
                    "`custom_objects`.", stacklevel=3)
    return model


def _zeros(shape):
    if isinstance(shape, dict):
        return {k: _zeros(v) for k, v in shape.items()}
    if shape and isinstance(shape[0], (list, tuple, dict)):
        return [_zeros(s) for s in shape]
    return np.zeros([1 if d is None else d for d in shape], "float32")


def build_from_shape(model, input_shape):
    """Builds a subclassed model by calling it once (inference mode) on
    zeros of `input_shape`, as Keras 3's `build_from_config` does."""
    from lamina.models.functional import Functional
    from lamina.models.sequential import Sequential
    if model.built or input_shape is None:
        return
    if isinstance(model, (Functional, Sequential)) or \
            type(model).build is not _layer_build():
        model.build(tuple(input_shape) if not isinstance(
            input_shape, dict) else input_shape)
        if model.built and all(layer.built for layer in model._layers):
            return
    model(_zeros(input_shape), training=False)


def _layer_build():
    from lamina.layers.layer import Layer
    return Layer.build


def model_to_json(model, **kwargs):
    """The model's config (and compile config) as a JSON string."""
    return json.dumps(model_config(model), default=_json_default, **kwargs)


def model_from_json(json_string, custom_objects=None):
    """A model (compiled if it was) from `Model.to_json()`'s output or a
    Keras 3 model JSON; its weights are freshly initialized.

    Example:

    >>> import lamina
    >>> a = lamina.Input(shape=(3,))
    >>> model = lamina.Model(a, lamina.layers.Dense(2)(a))
    >>> twin = lamina.models.model_from_json(model.to_json())
    >>> twin.output_shape
    (None, 2)
    """
    try:
        config = json.loads(json_string)
    except (TypeError, ValueError) as error:
        raise ValueError(f"model_from_json: the text is not valid JSON "
                         f"({error}).") from None
    return _model_from_config(config, custom_objects, True, True)


# -- .keras archives ----------------------------------------------------------

def save_model(model, filepath, overwrite=True, include_optimizer=True,
               save_format=None):
    """Saves `model` (config, weights, optimizer state) to a file.

    A `.keras` file is Keras 3's zip archive; a `.h5` file is the legacy
    Keras 1/2 HDF5 format (as Keras 3 writes it, with a warning that
    recommends `.keras`).

    Args:
        model: the model to save.
        filepath: where; the name must end in `.keras` or `.h5`.
        overwrite: replace an existing file (else raise FileExistsError).
        include_optimizer: for `.h5`, also save the compile settings and
            the optimizer's state (a `.keras` file always holds them).
        save_format: Keras 2's 'h5' or 'keras'; the file name decides when
            left out.
    """
    filepath = os.fspath(filepath)
    if save_format not in (None, "h5", "keras", "tf"):
        raise ValueError(f"save_model: `save_format` must be 'keras' or "
                         f"'h5'; got {save_format!r}.")
    if save_format == "tf":
        raise ValueError("save_model: save_format='tf' (TensorFlow "
                         "SavedModel) is not supported; save a `.keras` "
                         "file, or use `model.export(path, format='onnx')` "
                         "for serving.")
    if save_format == "h5" or filepath.endswith((".h5", ".hdf5")):
        return _save_h5(model, filepath, overwrite, include_optimizer)
    filepath = _check_target(filepath, overwrite, (".keras",),
                             "save_model (or '.h5' for the legacy format)")
    config = json.dumps(model_config(model), default=_json_default)
    metadata = json.dumps({
        "keras_version": KERAS_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    })
    weights = _weights_bytes(model)
    assets = assets_lib.collect(model)
    with atomic_write(filepath) as temp, \
            zipfile.ZipFile(temp, "w") as archive:
        archive.writestr(_METADATA, metadata)
        archive.writestr(_CONFIG, config)
        archive.writestr(_WEIGHTS, weights)
        for name, data in assets.items():
            archive.writestr(name, data)


def _save_h5(model, filepath, overwrite, include_optimizer):
    import h5py

    from lamina.ops._bind import B
    filepath = _check_target(filepath, overwrite, (".h5", ".hdf5"),
                             "save_model")
    warnings.warn(
        f"Saving '{filepath}' in the legacy HDF5 (`.h5`) format. The "
        "`.keras` format is recommended: `model.save('model.keras')`.",
        UserWarning, stacklevel=3)
    config = model_config(model)
    if not include_optimizer:
        config.pop("compile_config", None)
    with atomic_write(filepath) as temp, h5py.File(temp, "w") as f:
        legacy_h5.write_model(model, f, config, KERAS_VERSION, B.name,
                              include_optimizer)


def _read_archive(filepath, what, need_config=True):
    """`(config, weights_bytes, assets)` from a `.keras` zip, with clear
    errors; `assets` maps the names under `assets/` to their bytes."""
    if not zipfile.is_zipfile(filepath):
        raise ValueError(
            f"{what}: '{filepath}' is not a `.keras` archive (not a zip "
            "file) nor an HDF5 file; it may be truncated or corrupt, or in "
            "another format.")
    try:
        with zipfile.ZipFile(filepath) as archive:
            names = archive.namelist()
            missing = [n for n in ((_CONFIG,) if need_config else ())
                       + (_WEIGHTS,) if n not in names]
            if missing:
                raise ValueError(f"{what}: '{filepath}' lacks {missing}; "
                                 f"it holds {names}.")
            config = json.loads(archive.read(_CONFIG)) if need_config \
                else None
            weights = archive.read(_WEIGHTS)
            assets = {name: archive.read(name) for name in names
                      if name.startswith(assets_lib.PREFIX)}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError,
            OSError) as error:
        raise ValueError(f"{what}: '{filepath}' is corrupt ({error}).") \
            from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{what}: the config.json in '{filepath}' is not "
                         f"valid JSON ({error}).") from None
    return config, weights, assets


def _open_h5(source, what, filepath):
    import h5py
    try:
        return h5py.File(source, "r")
    except OSError as error:
        raise ValueError(f"{what}: the weights in '{filepath}' are not a "
                         f"readable HDF5 file ({error}).") from None


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved by `Model.save` (lamina or Keras 3), or a legacy
    Keras 1/2 full-model `.h5` file.

    Args:
        filepath: a `.keras` file or a legacy `.h5` model file.
        custom_objects: dict of names to custom classes/functions.
        compile: compile the model as it was compiled when saved, and
            restore the optimizer's state so training resumes.
        safe_mode: refuse Python code stored in the file (a `Lambda`
            layer's lambda); pass False only for files you trust.

    Returns:
        The model.
    """
    what = "load_model"
    filepath = _check_source(filepath, what)
    if legacy_h5.is_hdf5(filepath):
        with _open_h5(filepath, what, filepath) as f:
            return legacy_h5.load_model(f, filepath, custom_objects,
                                        compile, safe_mode)
    config, weights, assets = _read_archive(filepath, what)
    model = _model_from_config(config, custom_objects, compile, safe_mode)
    with _open_h5(io.BytesIO(weights), what, filepath) as f:
        optimizer = getattr(model, "optimizer", None)
        if compile and optimizer is not None and not optimizer.built and \
                "optimizer/vars" in f and \
                len(f["optimizer/vars"]) > len(optimizer.variables):
            weights_lib.build_optimizer(model)
        weights_lib.read_weights(model, f, optimizer=compile)
    assets_lib.restore(model, assets, filepath)
    return model


# -- weights files ------------------------------------------------------------

def save_weights(model, filepath, overwrite=True):
    """Saves the weights (and a built optimizer's state) to a
    `.weights.h5` file in Keras 3's layout."""
    filepath = _check_target(filepath, overwrite, (".weights.h5",),
                             "save_weights")
    import h5py
    with atomic_write(filepath) as temp, h5py.File(temp, "w") as f:
        weights_lib.write_weights(model, f)


def load_weights(model, filepath, skip_mismatch=False, by_name=False):
    """Loads weights from a `.weights.h5` file, a `.keras` archive or a
    legacy (Keras 1/2) `.h5` file into `model`.

    A file that doesn't match raises ValueError naming the layer and the
    shapes, and leaves the model unchanged; with `skip_mismatch=True` the
    layers that don't match are skipped with a warning. `by_name=True`
    (legacy `.h5` files only) matches layers by name instead of order.
    """
    what = "load_weights"
    filepath = _check_source(filepath, what)
    if zipfile.is_zipfile(filepath):
        _, weights, _ = _read_archive(filepath, what, need_config=False)
        source = io.BytesIO(weights)
    elif legacy_h5.is_hdf5(filepath):
        source = filepath
    else:
        raise ValueError(
            f"{what}: '{filepath}' is neither an HDF5 weights file "
            "(`.weights.h5`, `.h5`) nor a `.keras` archive; it may be "
            "truncated or corrupt, or in another format.")
    with _open_h5(source, what, filepath) as f:
        legacy = "layer_names" in f.attrs or "model_weights" in f
        if legacy:
            legacy_h5.read_legacy_weights(model, f, skip_mismatch, by_name)
            return
        if by_name:
            raise ValueError(
                f"{what}: by_name=True applies to legacy `.h5` weight files "
                f"only; '{filepath}' is in the `.weights.h5` layout, which "
                "is matched by the model's structure.")
        weights_lib.read_weights(model, f, skip_mismatch=skip_mismatch)
