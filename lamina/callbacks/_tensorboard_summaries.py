"""Pieces of the `TensorBoard` callback that don't depend on the loop:
importing the event writer, and turning a model or a weight into what
TensorBoard shows.

The event files are written by `tensorboardX` (an optional dependency), so
no record or protobuf encoding is done here; only the Keras model
"conceptual graph" summary is built from `tensorboardX`'s protobuf
classes, since the writer has no call for it.
"""

import importlib.util
import warnings

import numpy as np

_INSTALL = ("The TensorBoard callback writes its event files with the "
            "`tensorboardX` package, which is not installed. Install it "
            "with `pip install tensorboardX` (or `pip install "
            "lamina[tensorboard]`).")


def check_installed():
    """Raises ImportError naming the pip command if tensorboardX is
    missing (without importing it: it is imported when first written)."""
    if importlib.util.find_spec("tensorboardX") is None:
        raise ImportError(_INSTALL)


def summary_writer(logdir):
    """A `tensorboardX.SummaryWriter` writing event files in `logdir`."""
    try:
        import tensorboardX
    except ImportError as error:
        raise ImportError(f"{_INSTALL} ({error})") from None
    return tensorboardX.SummaryWriter(logdir=logdir)


def write_keras_model(writer, model, step=0):
    """Writes `model.to_json()` under the tag 'keras' with the
    'graph_keras_model' plugin: TensorBoard's Graphs tab draws it as the
    model's conceptual graph (what Keras writes with `write_graph`).

    Returns:
        True if it was written; False (with a warning) if the model has no
        JSON config (e.g. a subclassed model without `get_config`).
    """
    try:
        text = model.to_json()
    except Exception as error:  # noqa: BLE001 -- a log must not stop fit
        warnings.warn(f"TensorBoard: the model's graph was not written: "
                      f"its config could not be serialized ({error}).",
                      stacklevel=3)
        return False
    from tensorboardX.proto import summary_pb2, tensor_pb2, types_pb2
    metadata = summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(
            plugin_name="graph_keras_model", content=b"1"))
    tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING,
                                    string_val=[text.encode("utf-8")])
    summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(
        tag="keras", tensor=tensor, metadata=metadata)])
    writer.file_writer.add_summary(summary, step)
    return True


def weight_image(array):
    """A weight as a grayscale `(height, width)` image in [0, 1].

    A bias is one row; a matrix is shown wide (transposed when it has more
    rows than columns); a kernel of higher rank is flattened to a matrix
    of its output channels. Values are min-max scaled so the image shows
    the weights' relative sizes.
    """
    image = np.squeeze(np.asarray(array, dtype="float64"))
    if image.ndim == 0:
        image = image.reshape(1, 1)
    elif image.ndim == 1:
        image = image.reshape(1, -1)
    elif image.ndim > 2:
        image = image.reshape(-1, image.shape[-1])
    if image.shape[0] > image.shape[1]:
        image = image.T
    low, high = image.min(), image.max()
    span = high - low
    return (image - low) / span if span > 0 else np.zeros_like(image)


def read_metadata(path, rows):
    """Labels for an embedding's `rows` rows from a metadata file: one
    label per line, or tab-separated columns under a header line.

    Returns:
        `(labels, header)`; header is None for one column.
    """
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f]
    while lines and not lines[-1]:
        lines.pop()
    if len(lines) == rows + 1 and "\t" in lines[0]:
        header = lines[0].split("\t")
        return [line.split("\t") for line in lines[1:]], header
    if len(lines) != rows:
        raise ValueError(
            f"TensorBoard: the embeddings metadata file '{path}' has "
            f"{len(lines)} lines, but the embedding has {rows} rows; "
            "expected one label per row (or a header line and one "
            "tab-separated row per embedding row).")
    return lines, None
