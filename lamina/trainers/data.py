"""Data sources for fit/evaluate/predict, turned into batches of tensors.

`ArrayData` holds NumPy arrays (or lists/dicts of them, or tensors) as
device tensors, converted once, and cuts batches by slicing or, when
shuffling, by one gather per batch from a per-epoch permutation: no
per-step host work besides Python slicing. `GeneratorData` draws batches
from a Python generator or iterator.
"""

import math

import numpy as np

from lamina import backend
from lamina.backend.common.seed import make_default_seed
from lamina.layers.node import flatten as _flatten
from lamina.layers.node import map_structure as _map_structure
from lamina.ops._bind import B


def map_structure(fn, structure):
    """`node.map_structure`, with None (no targets, no weights) kept."""
    return None if structure is None else _map_structure(fn, structure)


def flatten(structure):
    """The leaves of nested lists/tuples/dicts, in order ([] for None)."""
    return [] if structure is None else _flatten(structure)


def _to_array(x):
    if B.is_tensor(x) or isinstance(x, np.ndarray):
        return x
    if hasattr(x, "__array__") or isinstance(x, (list, tuple)):
        return np.asarray(x)
    if hasattr(x, "values") and hasattr(x, "columns"):  # a pandas frame
        return np.asarray(x.values)
    raise TypeError(f"Unsupported data type {type(x).__name__}: expected "
                    "NumPy arrays, lists or dicts of arrays, or tensors.")


def _to_device(x):
    """A host array as a tensor; float data becomes floatx, as in Keras."""
    if B.is_tensor(x):
        dtype = B.dtype(x)
        if dtype.startswith("float") and dtype != backend.floatx():
            return B.cast(x, backend.floatx())
        return B.convert_to_tensor(x)  # on lamina's device
    if x.dtype.kind == "f" and x.dtype != np.dtype(backend.floatx()):
        return B.convert_to_tensor(x, dtype=backend.floatx())
    if x.dtype.kind in "US" or x.dtype == object:
        raise TypeError(f"Data of dtype {x.dtype} can't be fed to a model; "
                        "convert it to numbers first.")
    return B.convert_to_tensor(x)


def _arrays(structure):
    """Nested lists of arrays stay lists; a list of numbers is one array."""
    if structure is None:
        return None
    if isinstance(structure, (list, tuple)) and structure and all(
            isinstance(v, (int, float, np.number)) for v in structure):
        return np.asarray(structure)
    if isinstance(structure, (list, tuple)):
        return type(structure)(_arrays(v) for v in structure)
    if isinstance(structure, dict):
        return {k: _arrays(v) for k, v in structure.items()}
    return _to_array(structure)


def class_weight_to_sample_weight(y, class_weight):
    """Per-sample weights from `{class_index: weight}` and labels `y`."""
    y = np.asarray(y)
    labels = y.argmax(-1) if y.ndim > 1 and y.shape[-1] > 1 else \
        y.reshape(len(y), -1)[:, 0].round().astype("int64")
    table = np.ones(int(max(max(class_weight), labels.max())) + 1,
                    dtype=backend.floatx())
    for k, w in class_weight.items():
        table[int(k)] = w
    return table[labels]


def _length(x):
    return int(B.shape(x)[0]) if B.is_tensor(x) else len(x)


def _check_lengths(x, y, sample_weight):
    counts = {}
    for role, s in (("x", x), ("y", y), ("sample_weight", sample_weight)):
        sizes = {_length(a) for a in flatten(s)}
        if len(sizes) > 1:
            raise ValueError(f"All arrays in `{role}` must have the same "
                             f"number of samples; got sizes "
                             f"{sorted(sizes)}.")
        if sizes:
            counts[role] = sizes.pop()
    if len(set(counts.values())) > 1:
        described = ", ".join(f"{k} has {v} samples"
                              for k, v in counts.items())
        raise ValueError(f"Data cardinality is ambiguous: {described}. "
                         "Make sure all arrays contain the same number of "
                         "samples.")
    return counts.get("x", counts.get("y", 0))


def split_validation(x, y, sample_weight, validation_split):
    """Keras semantics: the last `validation_split` fraction, unshuffled."""
    if not 0 < validation_split < 1:
        raise ValueError(f"validation_split must be in (0, 1), got "
                         f"{validation_split!r}.")
    x, y, sample_weight = _arrays(x), _arrays(y), _arrays(sample_weight)
    n = _check_lengths(x, y, sample_weight)
    cut = int(math.floor(n * (1.0 - validation_split)))
    if cut == 0 or cut == n:
        raise ValueError(f"validation_split={validation_split} leaves no "
                         f"samples for training or validation out of {n}.")

    def head(a):
        return a[:cut]

    def tail(a):
        return a[cut:]
    train = tuple(map_structure(head, s) for s in (x, y, sample_weight))
    val = tuple(map_structure(tail, s) for s in (x, y, sample_weight))
    return train, val


class ArrayData:
    """Arrays cut into batches.

    Args:
        x, y, sample_weight: arrays or nested lists/dicts of arrays.
        batch_size: samples per batch (the last batch may be smaller).
        shuffle: reshuffle the samples every epoch.
        class_weight: `{class: weight}`, turned into sample weights.
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=32,
                 shuffle=False, class_weight=None, steps=None):
        if x is None:
            raise ValueError("No input data: `x` is None.")
        x, y, sample_weight = _arrays(x), _arrays(y), _arrays(sample_weight)
        self.num_samples = _check_lengths(x, y, sample_weight)
        if class_weight is not None:
            if y is None or len(flatten(y)) != 1:
                raise ValueError("`class_weight` needs a single target "
                                 "array `y`; for several outputs use "
                                 "`sample_weight`.")
            cw = class_weight_to_sample_weight(
                B.convert_to_numpy(flatten(y)[0]), class_weight)
            sample_weight = cw if sample_weight is None else \
                np.asarray(sample_weight) * cw
        self.x = map_structure(_to_device, x)
        self.y = map_structure(_to_device, y)
        self.sample_weight = map_structure(_to_device, sample_weight)
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) \
                or batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer, got "
                             f"{batch_size!r}.")
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        full = math.ceil(self.num_samples / batch_size)
        self.steps = full if steps is None else min(int(steps), full) \
            if self.num_samples else int(steps or 0)

    def peek(self):
        """The first batch (unshuffled), e.g. to build a model on."""
        hi = min(self.batch_size, self.num_samples)
        return (slice_structure(self.x, lambda a, lo, h: a[lo:h], 0, hi),
                slice_structure(self.y, lambda a, lo, h: a[lo:h], 0, hi),
                slice_structure(self.sample_weight, lambda a, lo, h: a[lo:h], 0, hi))

    def __iter__(self):
        n, bs = self.num_samples, self.batch_size
        if self.shuffle:
            rng = np.random.default_rng(make_default_seed())
            perm = B.convert_to_tensor(rng.permutation(n).astype("int64"))

            def cut(a, lo, hi):
                return B.take(a, perm[lo:hi], axis=0)
        else:
            def cut(a, lo, hi):
                return a[lo:hi]
        x, y, sw = self.x, self.y, self.sample_weight
        for step in range(self.steps):
            lo = step * bs
            hi = min(lo + bs, n)
            yield (slice_structure(x, cut, lo, hi), slice_structure(y, cut, lo, hi),
                   slice_structure(sw, cut, lo, hi))


def slice_structure(structure, cut, lo, hi):
    """`cut(array, lo, hi)` applied to each array of a nested structure of
    lists, tuples and dicts (None stays None)."""
    if structure is None:
        return None
    if isinstance(structure, (list, tuple)):
        return [slice_structure(v, cut, lo, hi) for v in structure]
    if isinstance(structure, dict):
        return {k: slice_structure(v, cut, lo, hi) for k, v in structure.items()}
    return cut(structure, lo, hi)


def unpack(batch):
    """`(x, y, sample_weight)` from a batch given as x, (x,), (x, y) or
    (x, y, sample_weight). A list counts as a tuple, as in Keras (a torch
    DataLoader yields lists)."""
    if isinstance(batch, list):
        batch = tuple(batch)
    if isinstance(batch, tuple):
        if len(batch) == 1:
            return batch[0], None, None
        if len(batch) == 2:
            return batch[0], batch[1], None
        if len(batch) == 3:
            return batch
        raise ValueError(f"A batch must be x, (x, y) or (x, y, "
                         f"sample_weight); got a tuple of {len(batch)}.")
    return batch, None, None


class GeneratorData:
    """Batches drawn from a Python generator, iterator or iterable.

    Args:
        source: yields `x`, `(x, y)` or `(x, y, sample_weight)` batches.
        steps: batches per epoch; required for an endless generator.
    """

    def __init__(self, source, steps=None, class_weight=None):
        self.source = source
        self.steps = steps
        self.class_weight = class_weight
        self._iterator = None
        if steps is None and hasattr(source, "__len__") and \
                not hasattr(source, "__next__"):
            self.steps = len(source)  # e.g. a torch DataLoader

    def _convert(self, batch):
        x, y, sw = unpack(batch)
        x, y, sw = _arrays(x), _arrays(y), _arrays(sw)
        if self.class_weight is not None and y is not None:
            cw = class_weight_to_sample_weight(
                B.convert_to_numpy(flatten(y)[0]), self.class_weight)
            sw = cw if sw is None else np.asarray(sw) * cw
        return (map_structure(_to_device, x), map_structure(_to_device, y),
                map_structure(_to_device, sw))

    def peek(self):
        """The next batch, kept to be yielded again first."""
        if getattr(self, "_peeked", None) is None:
            if iter(self.source) is not self.source:
                self._peeked = self._convert(next(iter(self.source)))
                self._peek_replays = False  # a fresh pass starts over
            else:
                if self._iterator is None:
                    self._iterator = iter(self.source)
                self._peeked = self._convert(next(self._iterator))
                self._peek_replays = True
        return self._peeked

    def __iter__(self):
        if iter(self.source) is not self.source:  # re-iterable source
            iterator = iter(self.source)
        else:
            if self._iterator is None:
                self._iterator = iter(self.source)
            iterator = self._iterator
        step = 0
        if getattr(self, "_peek_replays", False):
            self._peek_replays = False
            step = 1
            yield self._peeked
        while self.steps is None or step < self.steps:
            try:
                batch = next(iterator)
            except StopIteration:
                if self.steps is not None and step < self.steps:
                    raise ValueError(
                        f"The data generator ran out after {step} batches, "
                        f"but {self.steps} steps were asked for "
                        "(steps_per_epoch / steps).") from None
                return
            yield self._convert(batch)
            step += 1


def is_generator_like(x):
    """Generators, iterators and iterables of batches (e.g. a torch
    DataLoader), as opposed to arrays and lists/dicts of arrays."""
    if isinstance(x, (list, tuple, dict, np.ndarray, str, bytes)) or \
            B.is_tensor(x) or hasattr(x, "__array__"):
        return False
    return hasattr(x, "__next__") or hasattr(x, "__iter__") or (
        hasattr(x, "__getitem__") and hasattr(x, "__len__"))
