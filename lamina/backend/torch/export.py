"""Torch backend: ONNX export of a model through `torch.onnx.export`.

Called by `lamina.saving.export` (which checks the format, works out the
input signature and writes atomically); imported only when exporting.
"""

import warnings

import torch


def export_onnx(model, path, examples, names, shapes, opset_version=None):
    """Writes `model`'s inference computation to `path` as ONNX.

    Args:
        model: a built lamina model.
        path: the file to write.
        examples: one NumPy example array per input.
        names: the ONNX input names.
        shapes: per input, its shape with None for free axes (a free first
            axis stays a dynamic batch axis in the file).
        opset_version: the ONNX opset; the exporter's default if None.
    """
    examples = tuple(torch.as_tensor(x) for x in examples)
    batch = torch.export.Dim("batch")
    dynamic = tuple({0: batch} if shape and shape[0] is None else None
                    for shape in shapes)

    class _Serving(torch.nn.Module):
        def forward(self, *inputs):
            data = list(inputs) if len(inputs) > 1 else inputs[0]
            outputs = model(data, training=False)
            if isinstance(outputs, dict):
                outputs = [outputs[k] for k in sorted(outputs)]
            return tuple(outputs) if isinstance(outputs, (list, tuple)) \
                else outputs

    # The weights are constants of the exported graph: export them without
    # autograd tracking (torch.export warns about each one otherwise).
    tensors = [v.value for v in model.weights if torch.is_tensor(v.value)
               and v.value.requires_grad]
    kwargs = {} if opset_version is None else {
        "opset_version": opset_version}
    try:
        for tensor in tensors:
            tensor.requires_grad_(False)
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            program = torch.onnx.export(
                _Serving().eval(), examples, dynamo=True,
                input_names=list(names), dynamic_shapes=(dynamic,),
                verbose=False, **kwargs)
            program.save(path)
    finally:
        for tensor in tensors:
            tensor.requires_grad_(True)
