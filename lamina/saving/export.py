"""`Model.export`: an inference-only model file for serving (ONNX).

The model runs once on example inputs under the engine's own exporter,
`torch.onnx.export`, so the file holds the same computation `predict`
does (inference mode: dropout off, batch normalization on its moving
statistics). The batch axis stays free. The torch side is
`lamina.backend.torch.export`, loaded only when exporting.
"""

import importlib.util
import os

import numpy as np

from lamina.ops._bind import B
from lamina.saving.archive import atomic_write

FORMATS = ("onnx",)


def _signature(model, input_signature):
    """Per-input `(shape, dtype)` with None for free axes."""
    if input_signature is not None:
        specs = input_signature if isinstance(input_signature,
                                              (list, tuple)) and \
            input_signature and isinstance(input_signature[0],
                                           (list, tuple)) else \
            [input_signature]
        return [(tuple(s), "float32") for s in specs]
    inputs = getattr(model, "inputs", None)
    if inputs:
        return [(tuple(t.shape), str(t.dtype)) for t in inputs]
    build = getattr(model, "get_build_config", lambda: None)()
    if build and build.get("input_shape"):
        shape = build["input_shape"]
        shapes = shape if isinstance(shape[0], (list, tuple)) else [shape]
        return [(tuple(s), "float32") for s in shapes]
    raise ValueError(
        f"export: model '{model.name}' has no known input shape (it was "
        "never called). Call it on data first, or pass "
        "`input_signature=[(None, features), ...]`.")


def _example(shape, dtype):
    concrete = [2 if d is None else d for d in shape]
    if "int" in dtype:
        return np.zeros(concrete, dtype)
    return np.random.default_rng(0).random(concrete).astype(dtype)


def _check_format(format):
    if format not in FORMATS:
        raise ValueError(
            f"export: format {format!r} is not supported. Supported "
            f"formats: {', '.join(repr(f) for f in FORMATS)}. To share "
            "the model with Keras, save it instead: `model.save('m.keras')`"
            ".")


def export_model(model, filepath, format="onnx", verbose=True,
                 input_signature=None, opset_version=None):
    """Writes `model` as an ONNX file for inference (see `Model.export`).

    Args:
        model: a built model.
        filepath: the file to write; it is replaced only once the export
            succeeded.
        format: 'onnx'.
        verbose: print where the file was written.
        input_signature: the input shapes (None for free axes), when the
            model doesn't know them (a subclassed model never called).
        opset_version: the ONNX opset; the exporter's default if None.

    Raises:
        ValueError: an unsupported format, or no known input shape.
        RuntimeError: the backend isn't torch.
        ImportError: `onnx` (or `onnxscript`) is not installed.
    """
    _check_format(format)
    if B.name != "torch":
        raise RuntimeError(
            f"export: ONNX export runs through PyTorch's exporter, so it "
            f"needs the torch backend; this process uses '{B.name}'. Save "
            "the model (`model.save('m.keras')`), then load and export it "
            "in a process started with LAMINA_BACKEND=torch.")
    for package in ("onnx", "onnxscript"):
        if importlib.util.find_spec(package) is None:
            raise ImportError(f"export: ONNX export needs the '{package}' "
                              f"package: pip install {package}")
    from lamina.backend.torch import export as torch_export
    signature = _signature(model, input_signature)
    examples = [_example(s, d) for s, d in signature]
    names = [f"input_{i}" for i in range(len(examples))]
    filepath = os.fspath(filepath)
    with atomic_write(filepath) as temp:
        torch_export.export_onnx(model, temp, examples, names,
                                 [s for s, _ in signature], opset_version)
    if verbose:
        print(f"Saved an ONNX model to '{filepath}' (inputs {names}).")
