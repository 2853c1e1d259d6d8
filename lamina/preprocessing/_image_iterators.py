"""The batch iterators behind `ImageDataGenerator.flow*` (the ones over
files are in `_image_files`).

Each is a `lamina.utils.PyDataset` (so `model.fit(gen.flow(x, y))` serves
its batches by index, with workers if asked) and also an endless Python
iterator (`next(it)`, as Keras 1's `fit_generator` and loops over
`datagen.flow(...)` use it).

Randomness: with `seed`, the sample order of epoch `e` comes from
`(seed, e)` and the augmentation of batch `i` from `(seed, e, i)`, so
results don't depend on which worker thread prepares a batch. Without a
seed they come from NumPy's global generator (`set_random_seed`).
"""

import os
import threading

import numpy as np

from lamina.legacy.arguments import warn_once
from lamina.preprocessing import _image_io
from lamina.utils.py_dataset import PyDataset


class Iterator(PyDataset):
    """Base class: batches of `batch_size` indices into `n` samples.

    Subclasses define `_get_batches_of_transformed_samples(index_array)`
    (or `_batch(index_array, rng)` to use the iterator's generator).

    Args:
        n: the number of samples.
        batch_size: samples per batch (the last batch may be smaller).
        shuffle: visit samples in a new random order each epoch.
        seed: seed for the order and the augmentation.
    """

    white_list_formats = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")

    def __init__(self, n, batch_size, shuffle, seed):
        super().__init__()
        if int(batch_size) < 1:
            raise ValueError(f"{type(self).__name__}: `batch_size` must be "
                             f"a positive int; got {batch_size!r}.")
        self.n, self.batch_size = int(n), int(batch_size)
        self.shuffle, self.seed = bool(shuffle), seed
        self.epoch = 0
        self.batch_index = 0
        self.total_batches_seen = 0
        self.index_array = None
        self.lock = threading.Lock()

    def _set_index_array(self):
        if not self.shuffle:
            self.index_array = np.arange(self.n)
        elif self.seed is None:
            self.index_array = np.random.permutation(self.n)
        else:
            rng = np.random.default_rng([self.seed, self.epoch])
            self.index_array = rng.permutation(self.n)

    def _rng(self, epoch, index):
        if self.seed is None:
            entropy = np.random.randint(0, 2**31 - 1, size=2)
            return np.random.default_rng(entropy)
        return np.random.default_rng([self.seed, epoch, index])

    def _indices(self, index):
        if self.index_array is None:
            self._set_index_array()
        return self.index_array[self.batch_size * index:
                                self.batch_size * (index + 1)]

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"{type(self).__name__}: asked for batch "
                             f"{index}, but there are {len(self)}.")
        with self.lock:
            indices, epoch = self._indices(index), self.epoch
            self.total_batches_seen += 1
        return self._make_batch(indices, self._rng(epoch, index))

    def on_epoch_end(self):
        """Starts a new epoch: a new sample order when shuffling."""
        with self.lock:
            self.epoch += 1
            self._set_index_array()

    def reset(self):
        """Restarts `next()` at the first batch."""
        self.batch_index = 0

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    def next(self):
        """The next batch; after the last one, a new epoch starts."""
        if self.n == 0:
            raise ValueError(f"{type(self).__name__}: there are no samples "
                             f"to iterate over.")
        with self.lock:
            index, epoch = self.batch_index, self.epoch
            indices = self._indices(index)
            self.total_batches_seen += 1
            self.batch_index = (index + 1) % len(self)
        if self.batch_index == 0:
            self.on_epoch_end()
        return self._make_batch(indices, self._rng(epoch, index))

    def _make_batch(self, index_array, rng):
        # A Keras-style subclass defines only the public-ish hook.
        if type(self)._get_batches_of_transformed_samples is not \
                Iterator._get_batches_of_transformed_samples:
            return self._get_batches_of_transformed_samples(index_array)
        return self._batch(index_array, rng)

    def _batch(self, index_array, rng):
        raise NotImplementedError(  # abstract: subclasses define it
            f"{type(self).__name__} must define "
            f"_get_batches_of_transformed_samples(index_array).")

    def _get_batches_of_transformed_samples(self, index_array):
        """The batch of the samples `index_array` (Keras 2's hook)."""
        return self._batch(index_array, np.random.default_rng(
            np.random.randint(0, 2**31 - 1)))

    # Keras 1 attribute names.
    @property
    def N(self):
        warn_once("Iterator-N", "iterator.N is the Keras 1 name; write "
                  "iterator.n.")
        return self.n


def transform_and_standardize(generator, x, rng):
    """One image through `generator`'s random transform and standardize.

    A subclass that overrides Keras 1's `random_transform(x)` or Keras 2's
    `get_random_transform(shape)` has its override called (drawing from
    NumPy's global generator); otherwise the draws come from `rng`."""
    from lamina.preprocessing.image import ImageDataGenerator as base
    if generator is None:
        return x
    cls = type(generator)
    if not isinstance(generator, base):
        if hasattr(generator, "get_random_transform"):
            params = generator.get_random_transform(x.shape)
            x = generator.apply_transform(x, params)
        else:
            x = generator.random_transform(x)
    elif cls.random_transform is not base.random_transform:
        x = generator.random_transform(x)
    else:
        if cls.get_random_transform is not base.get_random_transform:
            params = generator.get_random_transform(x.shape)
        else:
            params = generator._draw_transform(x.shape, rng)
        x = generator.apply_transform(x, params)
    return generator.standardize(x)


class _SavingMixin:
    def _save(self, batch_x, index_array, rng):
        if not self.save_to_dir:
            return
        for image, index in zip(batch_x, index_array):
            name = f"{self.save_prefix}_{index}_{rng.integers(10**4)}." \
                f"{self.save_format}"
            _image_io.save_img(os.path.join(self.save_to_dir, name), image,
                               data_format=self.data_format, scale=True)


class NumpyArrayIterator(_SavingMixin, Iterator):
    """Augmented batches from in-memory images (`ImageDataGenerator.flow`).

    Batches are `x`, `(x, y)` or `(x, y, sample_weight)`; when `x` is a
    list `[images, extra, ...]`, the batch's inputs are the list
    `[images_batch, extra_batch, ...]` (extras are not transformed).
    """

    def __init__(self, x, y, image_data_generator, batch_size=32,
                 shuffle=False, sample_weight=None, seed=None,
                 data_format=None, save_to_dir=None, save_prefix="",
                 save_format="png", subset=None, ignore_class_split=False,
                 dtype=None):
        name = "ImageDataGenerator.flow"
        extras = []
        if isinstance(x, (list, tuple)):
            extras = x[1] if isinstance(x[1], list) else [x[1]]
            extras = [np.asarray(e) for e in extras]
            x = x[0]
            for e in extras:
                if len(e) != len(x):
                    raise ValueError(f"{name}: every array in `x` needs "
                                     f"{len(x)} samples like the images; "
                                     f"got {len(e)}.")
        if y is not None and len(x) != len(y):
            raise ValueError(f"{name}: `x` (images) and `y` (labels) must "
                             f"have the same length; got {len(x)} and "
                             f"{len(y)}.")
        if sample_weight is not None and len(x) != len(sample_weight):
            raise ValueError(f"{name}: `x` and `sample_weight` must have "
                             f"the same length; got {len(x)} and "
                             f"{len(sample_weight)}.")
        y = None if y is None else np.asarray(y)
        sample_weight = None if sample_weight is None else \
            np.asarray(sample_weight)
        if subset is not None:
            split = _split_point(image_data_generator, subset, len(x), name)
            if y is not None and not ignore_class_split and \
                    not np.array_equal(np.unique(y[:split]),
                                       np.unique(y[split:])):
                raise ValueError(
                    f"{name}: the training and validation subsets have "
                    f"different classes after the split; shuffle the data "
                    f"first (it may be sorted by label) or pass "
                    f"ignore_class_split=True.")
            part = slice(None, split) if subset == "validation" \
                else slice(split, None)
            x, extras = x[part], [e[part] for e in extras]
            y = None if y is None else y[part]
            sample_weight = None if sample_weight is None else \
                sample_weight[part]
        self.dtype = dtype or "float32"
        self.x = np.asarray(x, dtype=self.dtype)
        if self.x.ndim != 4:
            raise ValueError(f"{name}: `x` must have rank 4 (samples, then "
                             f"an image's 3 axes); got shape "
                             f"{self.x.shape}.")
        self.x_misc, self.y, self.sample_weight = extras, y, sample_weight
        self.image_data_generator = image_data_generator
        self.data_format = _image_io.data_format_of(data_format, None, name)
        self.save_to_dir, self.save_prefix = save_to_dir, save_prefix
        self.save_format = save_format
        super().__init__(len(self.x), batch_size, shuffle, seed)

    def _batch(self, index_array, rng):
        batch_x = np.zeros((len(index_array),) + self.x.shape[1:],
                           dtype=self.dtype)
        for i, j in enumerate(index_array):
            batch_x[i] = transform_and_standardize(
                self.image_data_generator, self.x[j].astype(self.dtype),
                rng)
        self._save(batch_x, index_array, rng)
        inputs = batch_x if not self.x_misc else \
            [batch_x] + [e[index_array] for e in self.x_misc]
        if self.y is None:
            return inputs
        if self.sample_weight is None:
            return inputs, self.y[index_array]
        return inputs, self.y[index_array], self.sample_weight[index_array]


def _split_point(generator, subset, count, name):
    if subset not in ("training", "validation"):
        raise ValueError(f"{name}: `subset` must be 'training' or "
                         f"'validation'; got {subset!r}.")
    fraction = getattr(generator, "_validation_split", 0.0)
    if not fraction:
        raise ValueError(f"{name}: subset={subset!r} needs "
                         f"ImageDataGenerator(validation_split=...) > 0.")
    return int(count * fraction)
