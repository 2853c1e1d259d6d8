"""Datasets built from arrays: sliding windows and train/test splits.

Keras 3 returns `tf.data.Dataset`s from these functions; lamina has no
TensorFlow, so it returns plain Python objects that `fit`, `evaluate` and
`predict` take directly:

- `BatchDataset`, a `PyDataset` of NumPy batches (`len()` is the number of
  batches, `ds[i]` is batch `i`, `for batch in ds` walks them in order);
- `SampleDataset`, the unbatched samples (`len()`, `ds[i]`, iteration one
  sample at a time, as a `tf.data` dataset of samples iterates), with
  `.batch(batch_size)` giving a `BatchDataset`.

Both compute their items from the source arrays by index arithmetic when
asked: no window or batch is stored ahead.
"""

import math

import numpy as np

from lamina.layers.node import flatten, map_structure
from lamina.ops._bind import B
from lamina.utils import py_dataset


def _to_numpy(x, name, fn):
    if B.is_tensor(x):
        return np.asarray(B.convert_to_numpy(x))
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{fn}: `{name}` must be an array; got "
                        f"{type(x).__name__}.")
    array = np.asarray(x)
    if array.ndim == 0:
        raise ValueError(f"{fn}: `{name}` must have at least one axis "
                         f"(axis 0 indexes samples); got a scalar {x!r}.")
    return array


def _check_int(value, name, fn, minimum=None, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{fn}: `{name}` must be an integer; got "
                        f"{value!r} (of type {type(value).__name__}).")
    if minimum is not None and value < minimum:
        raise ValueError(f"{fn}: `{name}` must be >= {minimum}; got "
                         f"{name}={value}.")
    return int(value)


def _draw_seed(seed, fn):
    seed = _check_int(seed, "seed", fn, minimum=0, allow_none=True)
    if seed is None:  # from NumPy's global generator, as Keras 3 draws it
        seed = int(np.random.randint(0, 2**31 - 1))
    return seed


class SampleDataset:
    """Unbatched samples, one per index (Keras: an unbatched dataset).

    Args:
        take: maps an integer index array to a batch (an array, or a
            tuple/dict of arrays) of those samples.
        length: the number of samples.

    Example:

    >>> import numpy as np
    >>> left, right = split_dataset(np.arange(10), left_size=0.8)
    >>> len(left), int(right[0]), len(left.batch(3))
    (8, 8, 3)
    """

    def __init__(self, take, length):
        self._take = take
        self._length = int(length)

    def __len__(self):
        return self._length

    def cardinality(self):
        """The number of samples (as `tf.data.Dataset.cardinality`)."""
        return self._length

    def __getitem__(self, index):
        index = _check_index(index, self._length, "sample")
        return map_structure(lambda a: a[0], self._take(np.array([index])))

    def __iter__(self):
        for index in range(self._length):
            yield self[index]

    def batch(self, batch_size, drop_remainder=False):
        """These samples in batches of `batch_size` (the last may be
        smaller unless `drop_remainder`), as a `BatchDataset`."""
        return BatchDataset(self._take, self._length, batch_size,
                            drop_remainder=drop_remainder)


class BatchDataset(py_dataset.PyDataset):
    """A `PyDataset` of NumPy batches cut from indexed samples.

    Args:
        take: maps an integer index array to a batch of those samples.
        length: the number of samples.
        batch_size: samples per batch (the last batch may be smaller).
        drop_remainder: leave out a last, smaller batch.
    """

    def __init__(self, take, length, batch_size, drop_remainder=False):
        super().__init__()
        self._take = take
        self._length = int(length)
        self.batch_size = _check_int(batch_size, "batch_size",
                                     "BatchDataset", minimum=1)
        self.drop_remainder = bool(drop_remainder)

    def __len__(self):
        if self.drop_remainder:
            return self._length // self.batch_size
        return math.ceil(self._length / self.batch_size)

    def cardinality(self):
        """The number of batches (as `tf.data.Dataset.cardinality`)."""
        return len(self)

    def __getitem__(self, index):
        index = _check_index(index, len(self), "batch")
        start = index * self.batch_size
        stop = min(start + self.batch_size, self._length)
        return self._take(np.arange(start, stop))

    def unbatch(self):
        """The same samples one at a time, as a `SampleDataset`."""
        return SampleDataset(self._take, self._length)


def _check_index(index, length, what):
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"A {what} index must be an integer; got "
                        f"{index!r}.")
    index = int(index)
    if index < 0:
        index += length
    if not 0 <= index < length:
        raise IndexError(f"{what} index {index} is out of range: there "
                         f"are {length} ({what} indices 0 to {length - 1}).")
    return index


def timeseries_dataset_from_array(data, targets, sequence_length,
                                  sequence_stride=1, sampling_rate=1,
                                  batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):
    """Batches of sliding windows over a timeseries (axis 0 is time).

    The window starting at time `i` is
    `data[i : i + sequence_length * sampling_rate : sampling_rate]`; windows
    start at `start_index`, `start_index + sequence_stride`, ... as long as
    the whole window lies before `end_index`.

    Args:
        data: an array (or tensor) of time steps, axis 0 being time.
        targets: `targets[i]` is the target of the window starting at `i`
            (it may be shorter than `data`: windows without a target are
            left out), or None to yield only the windows.
        sequence_length: time steps per window.
        sequence_stride: time steps between the starts of two windows.
        sampling_rate: time steps between two steps of a window.
        batch_size: windows per batch (the last may be smaller); None for
            unbatched windows (a `SampleDataset`).
        shuffle: give the windows in a random order instead of in time
            order.
        seed: the seed of that order (the same seed, the same order); None
            draws one from NumPy's global generator.
        start_index: the first time step windows may use (default 0).
        end_index: time steps from here on are not used (default
            `len(data)`).

    Returns:
        A `BatchDataset` (a `PyDataset`) whose batches are
        `(windows, targets)`, or `windows` when `targets` is None; a
        `SampleDataset` of single windows if `batch_size` is None.

    Example:

    >>> import numpy as np
    >>> ds = timeseries_dataset_from_array(
    ...     np.arange(10), None, sequence_length=3, sequence_stride=2,
    ...     batch_size=2)
    >>> len(ds), ds[0].tolist()
    (2, [[0, 1, 2], [2, 3, 4]])
    """
    fn = "timeseries_dataset_from_array"
    data = _to_numpy(data, "data", fn)
    length = len(data)
    sequence_length = _check_int(sequence_length, "sequence_length", fn,
                                 minimum=1)
    sequence_stride = _check_int(sequence_stride, "sequence_stride", fn,
                                 minimum=1)
    sampling_rate = _check_int(sampling_rate, "sampling_rate", fn,
                               minimum=1)
    if sequence_stride >= length:
        raise ValueError(f"{fn}: `sequence_stride` must be lower than the "
                         f"length of the data ({length}); got "
                         f"sequence_stride={sequence_stride}.")
    if sampling_rate >= length:
        raise ValueError(f"{fn}: `sampling_rate` must be lower than the "
                         f"length of the data ({length}); got "
                         f"sampling_rate={sampling_rate}.")
    if batch_size is not None:
        batch_size = _check_int(batch_size, "batch_size", fn, minimum=1)
    start = _check_int(start_index, "start_index", fn, minimum=0,
                       allow_none=True) or 0
    if start >= length and start_index is not None:
        raise ValueError(f"{fn}: `start_index` must be lower than the "
                         f"length of the data ({length}); got "
                         f"start_index={start_index}.")
    end = _check_int(end_index, "end_index", fn, allow_none=True)
    if end is None:
        end = length
    elif end <= start:
        raise ValueError(f"{fn}: `end_index` must be higher than "
                         f"`start_index` ({start}); got end_index={end}.")
    elif end > length:
        raise ValueError(f"{fn}: `end_index` must be at most the length of "
                         f"the data ({length}); got end_index={end}.")
    if targets is not None:
        targets = _to_numpy(targets, "targets", fn)

    # Window k starts at start + offsets[k]; the last step of the window
    # (offset + (sequence_length - 1) * sampling_rate) must be < end.
    room = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        room = min(room, len(targets) - start)
    count = max(0, math.ceil(room / sequence_stride))
    order = None
    if shuffle:
        order = np.random.RandomState(_draw_seed(seed, fn)).permutation(
            count)
    steps = np.arange(sequence_length) * sampling_rate

    def take(indices):
        if order is not None:
            indices = order[indices]
        starts = start + indices * sequence_stride
        windows = data[starts[:, None] + steps]
        if targets is None:
            return windows
        return windows, targets[starts]

    if batch_size is None:
        return SampleDataset(take, count)
    return BatchDataset(take, count, batch_size)


def _as_arrays(dataset, fn):
    """`dataset` as a structure of equally long arrays, axis 0 samples."""
    if isinstance(dataset, (str, bytes)) or dataset is None:
        raise TypeError(f"{fn}: `dataset` must be an array, a list/tuple/"
                        f"dict of arrays or a dataset; got "
                        f"{type(dataset).__name__}.")
    if isinstance(dataset, (SampleDataset, BatchDataset)):
        return dataset._take(np.arange(dataset._length))
    if isinstance(dataset, np.ndarray) or B.is_tensor(dataset) or \
            hasattr(dataset, "__array__"):
        return _to_numpy(dataset, "dataset", fn)
    if isinstance(dataset, (list, tuple)):
        return tuple(_to_numpy(a, f"dataset[{i}]", fn)
                     for i, a in enumerate(dataset))
    if isinstance(dataset, dict):
        return {k: _to_numpy(a, f"dataset[{k!r}]", fn)
                for k, a in dataset.items()}
    if isinstance(dataset, py_dataset.PyDataset):  # batches: join them
        batches = [dataset[i] for i in range(len(dataset))]
        return _join(batches, np.concatenate, fn)
    if hasattr(dataset, "__iter__") or hasattr(dataset, "__getitem__"):
        return _join(list(dataset), np.stack, fn)  # samples: stack them
    raise TypeError(f"{fn}: `dataset` must be an array, a list/tuple/dict "
                    f"of arrays or a dataset; got {type(dataset).__name__}.")


def _join(items, combine, fn):
    if not items:
        raise ValueError(f"{fn}: `dataset` is empty.")
    first = items[0]
    if isinstance(first, (list, tuple)):
        return tuple(_join([item[j] for item in items], combine, fn)
                     for j in range(len(first)))
    if isinstance(first, dict):
        return {k: _join([item[k] for item in items], combine, fn)
                for k in first}
    try:
        return combine([np.asarray(B.convert_to_numpy(v)
                                   if B.is_tensor(v) else v)
                        for v in items])
    except ValueError as error:
        raise ValueError(f"{fn}: the samples of `dataset` can't be put "
                         f"together into arrays ({error}).") from None


def _split_size(size, name, total, fn):
    if size is None:
        return None
    if isinstance(size, (float, np.floating)):
        if not 0 < size < 1:
            raise ValueError(f"{fn}: a float `{name}` is a fraction and must "
                             f"be in (0, 1); got {name}={size}.")
        return round(float(size) * total)
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
        raise TypeError(f"{fn}: `{name}` must be an int (a count), a float "
                        f"(a fraction) or None; got {size!r}.")
    if not 0 < size <= total:
        raise ValueError(f"{fn}: an int `{name}` is a count of samples and "
                         f"must be in [1, {total}] (the dataset's length); "
                         f"got {name}={size}.")
    return int(size)


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False,
                  seed=None):
    """Splits a dataset in two (e.g. train / test).

    Args:
        dataset: a NumPy array or tensor, a list/tuple or dict of arrays of
            the same length (samples are then tuples or dicts), a
            `PyDataset` (its batches are split into samples), or an
            iterable of samples (e.g. a `SampleDataset`).
        left_size: the left part's size: a float in (0, 1) is a fraction
            of the samples, an int a number of samples, None the
            complement of `right_size`.
        right_size: the right part's size, in the same way.
        shuffle: shuffle the samples before splitting.
        seed: the seed of that shuffle; None draws one from NumPy's
            global generator.

    Returns:
        `(left, right)`, two `SampleDataset`s: `left` has the first
        `left_size` samples, `right` the `right_size` after them. Iterate
        them sample by sample, or call `.batch(batch_size)` for a
        `PyDataset` that `fit` takes.

    Example:

    >>> import numpy as np
    >>> left, right = split_dataset(np.zeros((1000, 4)), left_size=0.8)
    >>> len(left), len(right)
    (800, 200)
    """
    fn = "split_dataset"
    if left_size is None and right_size is None:
        raise ValueError(f"{fn}: give `left_size` or `right_size` (or "
                         "both); got neither.")
    arrays = _as_arrays(dataset, fn)
    lengths = {len(a) for a in flatten(arrays)}
    if len(lengths) != 1:
        raise ValueError(f"{fn}: the arrays of `dataset` must have the same "
                         f"length (axis 0); got lengths {sorted(lengths)}.")
    total = lengths.pop()
    if total == 0:
        raise ValueError(f"{fn}: `dataset` is empty.")
    left = _split_size(left_size, "left_size", total, fn)
    right = _split_size(right_size, "right_size", total, fn)
    if left is None:
        left = total - right
    if right is None:
        right = total - left
    if left + right > total:
        raise ValueError(f"{fn}: `left_size` + `right_size` must not exceed "
                         f"the dataset's {total} samples; got "
                         f"left_size={left_size}, right_size={right_size}.")
    if left == 0 or right == 0:
        side = "left" if left == 0 else "right"
        raise ValueError(f"{fn}: with {total} samples, left_size="
                         f"{left_size} and right_size={right_size}, the "
                         f"{side} part would be empty.")
    order = np.arange(total)
    if shuffle:
        order = np.random.RandomState(_draw_seed(seed, fn)).permutation(
            total)
    return (_subset(arrays, order[:left]),
            _subset(arrays, order[left:left + right]))


def _subset(arrays, indices):
    def take(positions):
        chosen = indices[positions]
        return map_structure(lambda a: a[chosen], arrays)
    return SampleDataset(take, len(indices))
