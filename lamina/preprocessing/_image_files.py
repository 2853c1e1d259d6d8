"""Batches of augmented image files: `DirectoryIterator` (class
subfolders, `ImageDataGenerator.flow_from_directory`) and
`DataFrameIterator` (files listed in a table, `flow_from_dataframe`).

The table is read by column only (`table[column]`), so a pandas DataFrame
works and so does a plain dict of lists; pandas isn't required.
"""

import os
import warnings

import numpy as np

from lamina.legacy.arguments import warn_once
from lamina.preprocessing import _image_io
from lamina.preprocessing._image_iterators import (
    Iterator,
    _SavingMixin,
    _split_point,
    transform_and_standardize,
)

CLASS_MODES = ("categorical", "binary", "sparse", "input", None)


class BatchFromFilesIterator(_SavingMixin, Iterator):
    """Augmented batches of image files with labels (the shared part of
    `DirectoryIterator` and `DataFrameIterator`).

    Subclasses set `filepaths`, `classes` (an int array, one per file, or
    None), `class_indices` and `class_mode` before calling `_setup`.
    """

    def _setup(self, image_data_generator, target_size, color_mode,
               data_format, save_to_dir, save_prefix, save_format,
               interpolation, keep_aspect_ratio, dtype, batch_size,
               shuffle, seed):
        channels = {"rgb": 3, "rgba": 4, "grayscale": 1}
        if color_mode not in channels:
            raise ValueError(f"{type(self).__name__}: `color_mode` must be "
                             f"'rgb', 'rgba' or 'grayscale'; got "
                             f"{color_mode!r}.")
        self.image_data_generator = image_data_generator
        self.target_size = tuple(int(s) for s in target_size)
        self.color_mode = color_mode
        self.data_format = _image_io.data_format_of(
            data_format, None, type(self).__name__)
        depth = channels[color_mode]
        self.image_shape = self.target_size + (depth,) \
            if self.data_format == "channels_last" \
            else (depth,) + self.target_size
        self.save_to_dir, self.save_prefix = save_to_dir, save_prefix
        self.save_format = save_format
        self.interpolation = interpolation
        self.keep_aspect_ratio = keep_aspect_ratio
        self.dtype = dtype or "float32"
        self.samples = len(self.filepaths)
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def num_classes(self):
        return len(self.class_indices)

    @property
    def labels(self):
        return self.classes

    @property
    def nb_sample(self):
        warn_once("Iterator-nb_sample", "iterator.nb_sample is the Keras 1 "
                  "name; write iterator.samples.")
        return self.samples

    @property
    def nb_class(self):
        warn_once("Iterator-nb_class", "iterator.nb_class is the Keras 1 "
                  "name; write iterator.num_classes.")
        return self.num_classes

    def _labels(self, index_array, batch_x):
        mode = self.class_mode
        if mode == "input":
            return batch_x.copy()
        if mode == "sparse":
            return self.classes[index_array].astype(self.dtype)
        if mode == "binary":
            return self.classes[index_array].astype(self.dtype)
        if mode == "categorical":
            out = np.zeros((len(index_array), self.num_classes), self.dtype)
            out[np.arange(len(index_array)), self.classes[index_array]] = 1
            return out
        return self._other_labels(index_array)

    def _other_labels(self, index_array):
        raise ValueError(f"unknown class_mode {self.class_mode!r}")

    def _batch(self, index_array, rng):
        batch_x = np.zeros((len(index_array),) + self.image_shape,
                           dtype=self.dtype)
        for i, j in enumerate(index_array):
            img = _image_io.load_img(
                self.filepaths[j], color_mode=self.color_mode,
                target_size=self.target_size,
                interpolation=self.interpolation,
                keep_aspect_ratio=self.keep_aspect_ratio)
            x = _image_io.img_to_array(img, data_format=self.data_format,
                                       dtype=self.dtype)
            batch_x[i] = transform_and_standardize(
                self.image_data_generator, x, rng)
        self._save(batch_x, index_array, rng)
        if self.class_mode is None:
            return batch_x
        labels = self._labels(index_array, batch_x)
        weights = getattr(self, "_sample_weight", None)
        if weights is not None:
            return batch_x, labels, weights[index_array]
        return batch_x, labels


def _files_in(folder, follow_links, formats):
    found = []
    for root, _, files in os.walk(folder, followlinks=follow_links):
        for name in sorted(files):
            if name.lower().endswith(tuple("." + f for f in formats)):
                found.append(os.path.join(root, name))
    return sorted(found)


class DirectoryIterator(BatchFromFilesIterator):
    """Batches of images from class subfolders
    (`ImageDataGenerator.flow_from_directory`); see there for the
    arguments. Attributes: `filenames` (relative to `directory`),
    `filepaths`, `classes`, `class_indices`, `samples`, `num_classes`.
    """

    def __init__(self, directory, image_data_generator,
                 target_size=(256, 256), color_mode="rgb", classes=None,
                 class_mode="categorical", batch_size=32, shuffle=True,
                 seed=None, data_format=None, save_to_dir=None,
                 save_prefix="", save_format="png", follow_links=False,
                 subset=None, interpolation="nearest",
                 keep_aspect_ratio=False, dtype=None):
        name = "flow_from_directory"
        if class_mode not in CLASS_MODES:
            raise ValueError(f"{name}: `class_mode` must be one of "
                             f"{CLASS_MODES}; got {class_mode!r}.")
        if not os.path.isdir(directory):
            raise FileNotFoundError(f"{name}: no directory {directory!r}.")
        self.directory, self.class_mode = directory, class_mode
        if classes is None:
            classes = sorted(d for d in os.listdir(directory) if
                             os.path.isdir(os.path.join(directory, d)))
        self.class_indices = {c: i for i, c in enumerate(classes)}
        if class_mode == "binary" and len(classes) != 2:
            raise ValueError(f"{name}: class_mode='binary' needs exactly 2 "
                             f"classes; found {len(classes)}: "
                             f"{list(classes)}.")
        filepaths, labels = [], []
        for label, cls in enumerate(classes):
            files = _files_in(os.path.join(directory, cls), follow_links,
                              self.white_list_formats)
            if subset is not None:
                split = _split_point(image_data_generator, subset,
                                     len(files), name)
                files = files[:split] if subset == "validation" \
                    else files[split:]
            filepaths += files
            labels += [label] * len(files)
        self.filepaths = filepaths
        self.filenames = [os.path.relpath(p, directory) for p in filepaths]
        self.classes = np.array(labels, dtype="int32")
        print(f"Found {len(filepaths)} images belonging to "
              f"{len(classes)} classes.")
        self._setup(image_data_generator, target_size, color_mode,
                    data_format, save_to_dir, save_prefix, save_format,
                    interpolation, keep_aspect_ratio, dtype, batch_size,
                    shuffle, seed)


DATAFRAME_CLASS_MODES = ("binary", "categorical", "input", "multi_output",
                         "raw", "sparse", None)


def _column(table, name):
    try:
        values = table[name]
    except (KeyError, TypeError, IndexError):
        raise KeyError(f"flow_from_dataframe: no column {name!r} in the "
                       f"dataframe.") from None
    return list(values.tolist() if hasattr(values, "tolist") else values)


class DataFrameIterator(BatchFromFilesIterator):
    """Batches of images whose file names (and labels) are table columns.

    Args:
        dataframe: a pandas DataFrame (or a dict of columns).
        directory: the folder the file names are relative to (None: they
            are full paths).
        image_data_generator: the `ImageDataGenerator` (or None).
        x_col: the column of file names.
        y_col: the label column (a list of columns for 'raw' and
            'multi_output').
        weight_col: an optional column of sample weights.
        class_mode: 'categorical' (one-hot; a row's label may be a list of
            classes: multi-hot), 'binary', 'sparse', 'raw' (the column's
            values), 'multi_output' (one array per `y_col` column),
            'input' or None.
        classes: the class names in label order (default: the sorted
            labels); rows with other labels are dropped.
        validate_filenames: drop rows whose file is missing or isn't an
            image (with a warning).
        The other arguments are those of `DirectoryIterator`.
    """

    def __init__(self, dataframe, directory=None, image_data_generator=None,
                 x_col="filename", y_col="class", weight_col=None,
                 target_size=(256, 256), color_mode="rgb", classes=None,
                 class_mode="categorical", batch_size=32, shuffle=True,
                 seed=None, data_format=None, save_to_dir=None,
                 save_prefix="", save_format="png", subset=None,
                 interpolation="nearest", keep_aspect_ratio=False,
                 dtype=None, validate_filenames=True):
        name = "flow_from_dataframe"
        if class_mode not in DATAFRAME_CLASS_MODES:
            raise ValueError(f"{name}: `class_mode` must be one of "
                             f"{DATAFRAME_CLASS_MODES}; got "
                             f"{class_mode!r}.")
        self.class_mode, self.directory = class_mode, directory
        files = [str(f) for f in _column(dataframe, x_col)]
        y_cols = y_col if isinstance(y_col, (list, tuple)) else [y_col]
        labels = None
        if class_mode not in (None, "input"):
            labels = [_column(dataframe, c) for c in y_cols]
            labels = labels[0] if len(y_cols) == 1 and \
                class_mode != "multi_output" else list(zip(*labels))
        weights = None if weight_col is None else \
            [float(w) for w in _column(dataframe, weight_col)]
        rows = list(range(len(files)))
        if class_mode in ("binary", "categorical", "sparse"):
            if classes is None:
                found = set()
                for label in labels:
                    found.update(label if isinstance(label, (list, tuple))
                                 else [label])
                classes = sorted(found, key=str)
            known = set(classes)
            rows = [r for r in rows if all(
                c in known for c in (labels[r] if isinstance(
                    labels[r], (list, tuple)) else [labels[r]]))]
            if class_mode == "binary" and len(classes) != 2:
                raise ValueError(f"{name}: class_mode='binary' needs "
                                 f"exactly 2 classes; found {len(classes)}:"
                                 f" {list(classes)}.")
        self.class_indices = {c: i for i, c in enumerate(classes or [])}
        paths = [os.path.join(directory, f) if directory else f
                 for f in files]
        if validate_filenames:
            suffixes = tuple("." + f for f in self.white_list_formats)
            valid = [r for r in rows if paths[r].lower().endswith(suffixes)
                     and os.path.isfile(paths[r])]
            if len(valid) < len(rows):
                warnings.warn(f"{name}: found {len(rows) - len(valid)} "
                              f"invalid image filename(s) in x_col="
                              f"{x_col!r}; they are ignored.")
            rows = valid
        if subset is not None:
            split = _split_point(image_data_generator, subset, len(rows),
                                 name)
            rows = rows[:split] if subset == "validation" else rows[split:]
        self.filepaths = [paths[r] for r in rows]
        self.filenames = [files[r] for r in rows]
        self._sample_weight = None if weights is None else \
            np.array([weights[r] for r in rows])
        self._raw = None if labels is None else [labels[r] for r in rows]
        self.classes = None
        if class_mode in ("binary", "sparse"):
            self.classes = np.array([self.class_indices[lb]
                                     for lb in self._raw], dtype="int32")
        elif class_mode == "categorical":
            self.classes = [[self.class_indices[c] for c in lb]
                            if isinstance(lb, (list, tuple))
                            else self.class_indices[lb] for lb in self._raw]
            if all(isinstance(c, int) for c in self.classes):
                self.classes = np.array(self.classes, dtype="int32")
        if self.class_indices:
            print(f"Found {len(rows)} validated image filenames belonging "
                  f"to {len(self.class_indices)} classes.")
        else:
            print(f"Found {len(rows)} validated image filenames.")
        self._setup(image_data_generator, target_size, color_mode,
                    data_format, save_to_dir, save_prefix, save_format,
                    interpolation, keep_aspect_ratio, dtype, batch_size,
                    shuffle, seed)

    def _labels(self, index_array, batch_x):
        if self.class_mode == "categorical" and \
                not isinstance(self.classes, np.ndarray):
            out = np.zeros((len(index_array), self.num_classes), self.dtype)
            for row, j in enumerate(index_array):
                out[row, self.classes[j]] = 1  # one class or several
            return out
        return super()._labels(index_array, batch_x)

    def _other_labels(self, index_array):
        picked = [self._raw[j] for j in index_array]
        if self.class_mode == "raw":
            return np.asarray(picked, dtype=self.dtype)
        return [np.asarray(column, dtype=self.dtype)
                for column in zip(*picked)]  # multi_output
