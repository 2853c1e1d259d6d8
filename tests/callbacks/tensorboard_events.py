"""Reading TensorBoard event files back, for the TensorBoard tests.

`read_run` uses TensorBoard's own reader (`EventAccumulator`) when the
`tensorboard` package is installed; otherwise it reads the records with
`tensorboardX`'s protobuf classes (`read_run_with_protos`), the framing
being TFRecord's: an 8-byte little-endian length, a 4-byte CRC, the data,
a 4-byte CRC.
"""

import glob
import os
import struct

try:
    from tensorboard.backend.event_processing import event_accumulator
except ImportError:  # the TensorBoard package is optional for the tests
    event_accumulator = None


def _empty():
    return {"scalars": {}, "histograms": {}, "images": {}, "tensors": {}}


def read_run(run_dir):
    """Everything logged in one run directory, by kind and tag:
    scalars `[(step, value)]`, histograms `[(step, (min, max, num, sum))]`,
    images `[(step, (width, height))]`, tensors `[(step, TensorProto)]`.
    """
    if event_accumulator is None:
        return read_run_with_protos(run_dir)
    acc = event_accumulator.EventAccumulator(
        run_dir, size_guidance={k: 0 for k in (
            "scalars", "histograms", "images", "tensors")})
    acc.Reload()
    tags = acc.Tags()
    out = _empty()
    for tag in tags["scalars"]:
        out["scalars"][tag] = [(e.step, e.value) for e in acc.Scalars(tag)]
    for tag in tags["histograms"]:
        out["histograms"][tag] = [
            (e.step, (e.histogram_value.min, e.histogram_value.max,
                      e.histogram_value.num, e.histogram_value.sum))
            for e in acc.Histograms(tag)]
    for tag in tags["images"]:
        out["images"][tag] = [(e.step, (e.width, e.height))
                              for e in acc.Images(tag)]
    for tag in tags["tensors"]:
        out["tensors"][tag] = [(e.step, e.tensor_proto)
                               for e in acc.Tensors(tag)]
    return out


def _records(path):
    with open(path, "rb") as f:
        data = f.read()
    offset = 0
    while offset < len(data):
        (length,) = struct.unpack("<Q", data[offset:offset + 8])
        start = offset + 12
        yield data[start:start + length]
        offset = start + length + 4


def read_run_with_protos(run_dir):
    """`read_run` without the `tensorboard` package."""
    from tensorboardX.proto import event_pb2
    out = _empty()
    for path in sorted(glob.glob(os.path.join(run_dir, "events.out.*"))):
        for record in _records(path):
            event = event_pb2.Event.FromString(record)
            for value in event.summary.value:
                kind = value.WhichOneof("value")
                if kind == "simple_value":
                    entry = ("scalars", value.simple_value)
                elif kind == "histo":
                    h = value.histo
                    entry = ("histograms", (h.min, h.max, h.num, h.sum))
                elif kind == "image":
                    entry = ("images", (value.image.width,
                                        value.image.height))
                elif kind == "tensor":
                    entry = ("tensors", value.tensor)
                else:
                    continue
                out[entry[0]].setdefault(value.tag, []).append(
                    (event.step, entry[1]))
    return out
