"""`TensorBoard`: writes training logs that TensorBoard displays."""

import os
import time
import warnings

import numpy as np

from lamina.callbacks import _tensorboard_summaries as summaries
from lamina.callbacks.callback import Callback
from lamina.ops._bind import B


def _scalar(value):
    """A logged value as a float; None for one that is not a single
    number (e.g. a per-class metric), which a scalar summary can't hold."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if hasattr(value, "numpy") and hasattr(value, "assign"):  # a Variable
        value = value.numpy()
    try:
        array = np.asarray(B.convert_to_numpy(value), dtype="float64")
    except (TypeError, ValueError):
        return None
    return float(array.reshape(())) if array.size == 1 else None


def _count(value, name, allow_zero=True):
    if isinstance(value, bool) or not isinstance(value, int) or \
            value < (0 if allow_zero else 1):
        expected = "a non-negative" if allow_zero else "a positive"
        raise ValueError(f"TensorBoard: `{name}` must be {expected} "
                         f"integer, got {value!r}.")
    return value


def _profile_range(profile_batch):
    """`(start, stop)` batches to profile from Keras's forms: an int, a
    pair, or a 'start,stop' string; (0, 0) means no profiling."""
    value = profile_batch
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
        try:
            value = [int(part) for part in value]
        except ValueError:
            value = profile_batch
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value, value]
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for v in value) and value[0] <= value[1]:
        return tuple(value)
    raise ValueError(f"TensorBoard: `profile_batch` must be a non-negative "
                     "integer or a pair of them (start, stop) with start "
                     f"<= stop, got {profile_batch!r}.")


class TensorBoard(Callback):
    """Writes TensorBoard event files: metrics, learning rate, weights.

    Logs go to `log_dir/train` and `log_dir/validation`, as Keras writes
    them: at each epoch end the scalars `epoch_loss`, `epoch_<metric>`
    and `epoch_learning_rate` (train), and the `val_` values without the
    prefix (validation), plus `evaluation_<metric>_vs_iterations` against
    the optimizer's step count. View them with `tensorboard --logdir
    LOG_DIR`. The files are written by the `tensorboardX` package
    (`pip install tensorboardX`).

    Args:
        log_dir: the directory to write the logs in.
        histogram_freq: every how many epochs to write a histogram of each
            layer's weights (tags `<layer>/<weight>/histogram`); 0: never.
        write_graph: write the model's config, which TensorBoard's Graphs
            tab draws as the model's conceptual graph (tag 'keras').
        write_images: with `histogram_freq`, also write each weight as a
            grayscale image (tags `<layer>/<weight>/image`).
        write_steps_per_second: also write the training speed in steps
            per second (`epoch_steps_per_second`; `batch_steps_per_second`
            with batch-level logging, averaged since the last write).
        update_freq: 'epoch'; 'batch' to also write the batch logs
            (`batch_loss`, ...) after every batch; or an integer N to write
            them every N batches. Logs are read from the device only when
            written.
        profile_batch: batches to profile (an int, or `(start, stop)`).
            lamina's backends have no profiler hook yet, so a non-zero
            value only warns.
        embeddings_freq: every how many epochs to write the weights of the
            model's `Embedding` layers for TensorBoard's Projector; 0:
            never.
        embeddings_metadata: a file of labels for the embedding rows, or a
            dict mapping `Embedding` layer names to such files.

    Example:
        >>> import tempfile
        >>> board = TensorBoard(log_dir=tempfile.mkdtemp(),
        ...                     update_freq="batch")
        >>> board.update_freq
        'batch'
    """

    # Under data parallelism only rank 0 runs it (lamina.distribute).
    _chief_only = True

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True,
                 write_images=False, write_steps_per_second=False,
                 update_freq="epoch", profile_batch=0, embeddings_freq=0,
                 embeddings_metadata=None):
        super().__init__()
        summaries.check_installed()
        try:
            self.log_dir = os.fspath(log_dir)
        except TypeError:
            raise TypeError(f"TensorBoard: `log_dir` must be a string or "
                            f"path, got {log_dir!r}.") from None
        self.histogram_freq = _count(histogram_freq, "histogram_freq")
        self.write_graph = bool(write_graph)
        self.write_images = bool(write_images)
        self.write_steps_per_second = bool(write_steps_per_second)
        if update_freq == "batch":
            every = 1
        elif update_freq == "epoch":
            every = None
        elif isinstance(update_freq, int) and \
                not isinstance(update_freq, bool) and update_freq >= 1:
            every = update_freq
        else:
            raise ValueError(f"TensorBoard: `update_freq` must be 'epoch', "
                             "'batch' or a positive integer number of "
                             f"batches, got {update_freq!r}.")
        self.update_freq = update_freq
        self._every = every
        self.profile_batch = profile_batch
        if _profile_range(profile_batch) != (0, 0):
            warnings.warn("TensorBoard: profile_batch is not supported: "
                          "lamina's backends have no profiler hook yet; "
                          "no profile is written.", stacklevel=2)
        self.embeddings_freq = _count(embeddings_freq, "embeddings_freq")
        if embeddings_metadata is not None and not isinstance(
                embeddings_metadata, (str, os.PathLike, dict)):
            raise TypeError("TensorBoard: `embeddings_metadata` must be a "
                            "file path or a dict of layer name -> file "
                            f"path, got {embeddings_metadata!r}.")
        if isinstance(embeddings_metadata, dict):
            embeddings_metadata = {k: os.fspath(v) for k, v in
                                   embeddings_metadata.items()}
        elif embeddings_metadata is not None:
            embeddings_metadata = os.fspath(embeddings_metadata)
        self.embeddings_metadata = embeddings_metadata
        self._writers = {}
        self._in_fit = False
        self._global_batch = 0
        self._last_write = self._epoch_start = (0, time.perf_counter())
        if every is not None or self.write_steps_per_second:
            # Registered on the instance so that fit only pays for a
            # per-batch hook when something is counted per batch.
            self.on_train_batch_end = self._on_train_batch_end

    # -- writers ------------------------------------------------------------
    def _writer(self, name):
        writer = self._writers.get(name)
        if writer is None:
            writer = summaries.summary_writer(
                os.path.join(self.log_dir, name))
            self._writers[name] = writer
        return writer

    def _scalars(self, name, values, step, prefix="", suffix=""):
        if not values:
            return
        writer = self._writer(name)
        for key, value in values.items():
            value = _scalar(value)
            if value is not None:
                writer.add_scalar(f"{prefix}{key}{suffix}", value, step)

    def _close(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    # -- training -----------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._in_fit = True
        self._global_batch = 0
        self._last_write = (0, time.perf_counter())
        if self.embeddings_freq:
            self._embedding_layers()  # check names before training
        if self.write_graph:
            summaries.write_keras_model(self._writer("train"), self.model)
            self._writer("train").flush()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = (self._global_batch, time.perf_counter())

    def _on_train_batch_end(self, batch, logs=None):
        self._global_batch += 1
        step = self._global_batch
        if self._every is None or step % self._every:
            return
        values = {k: v for k, v in (logs or {}).items()}
        if self.write_steps_per_second:
            batches, start = self._last_write
            now = time.perf_counter()
            values["steps_per_second"] = (step - batches) / max(
                now - start, 1e-9)
            self._last_write = (step, now)
        self._scalars("train", values, step, prefix="batch_")

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        learning_rate = self._learning_rate()
        if learning_rate is not None:
            train["learning_rate"] = learning_rate
        if self.write_steps_per_second:
            batches, start = self._epoch_start
            train["steps_per_second"] = (self._global_batch - batches) / \
                max(time.perf_counter() - start, 1e-9)
        self._scalars("train", train, epoch, prefix="epoch_")
        self._scalars("validation", val, epoch, prefix="epoch_")
        if val:
            self._evaluation_scalars(val)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._log_embeddings(epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        self._in_fit = False
        self._close()

    # -- evaluate -----------------------------------------------------------
    def on_test_end(self, logs=None):
        if self._in_fit:
            return  # fit's validation: written at the epoch end
        if logs:
            self._evaluation_scalars(logs)
        # No on_train_end follows a lone evaluate: close the files now
        # (flush does not wait for tensorboardX's write queue; close does).
        self._close()

    def _evaluation_scalars(self, values):
        iterations = getattr(getattr(self.model, "optimizer", None),
                             "iterations", None)
        if iterations is not None:
            self._scalars("validation", values, int(_scalar(iterations)),
                          prefix="evaluation_", suffix="_vs_iterations")

    # -- what is written ----------------------------------------------------
    def _learning_rate(self):
        optimizer = getattr(self.model, "optimizer", None)
        value = getattr(optimizer, "learning_rate", None)
        return None if value is None else _scalar(value)

    def _log_weights(self, epoch):
        writer = self._writer("train")
        for layer in self.model.layers:
            for weight in layer.weights:
                tag = str(getattr(weight, "path", weight.name)).replace(
                    ":", "_")
                array = weight.numpy()
                writer.add_histogram(f"{tag}/histogram", array, epoch)
                if self.write_images:
                    writer.add_image(f"{tag}/image",
                                     summaries.weight_image(array), epoch,
                                     dataformats="HW")

    def _embedding_layers(self):
        """`(layer, metadata file or None)` for each `Embedding` layer."""
        found = [layer for layer in self.model.layers
                 if hasattr(getattr(layer, "embeddings", None), "numpy")]
        metadata = self.embeddings_metadata
        if isinstance(metadata, dict):
            names = [layer.name for layer in found]
            unknown = sorted(set(metadata) - set(names))
            if unknown:
                raise ValueError(
                    f"TensorBoard: `embeddings_metadata` names layers "
                    f"{unknown} that are not Embedding layers of the "
                    f"model; its Embedding layers are {names}.")
            return [(layer, metadata.get(layer.name)) for layer in found]
        return [(layer, metadata) for layer in found]

    def _log_embeddings(self, epoch):
        writer = self._writer("train")
        for layer, metadata_file in self._embedding_layers():
            matrix = layer.embeddings.numpy()
            labels = header = None
            if metadata_file is not None:
                labels, header = summaries.read_metadata(
                    os.fspath(metadata_file), matrix.shape[0])
            writer.add_embedding(matrix, metadata=labels, global_step=epoch,
                                 tag=layer.name, metadata_header=header)

    def get_config(self):
        return {"log_dir": self.log_dir,
                "histogram_freq": self.histogram_freq,
                "write_graph": self.write_graph,
                "write_images": self.write_images,
                "write_steps_per_second": self.write_steps_per_second,
                "update_freq": self.update_freq,
                "profile_batch": self.profile_batch,
                "embeddings_freq": self.embeddings_freq,
                "embeddings_metadata": self.embeddings_metadata}
