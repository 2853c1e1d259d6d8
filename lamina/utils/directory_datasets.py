"""Datasets of files sorted into one folder per class (Keras 3's
`image_dataset_from_directory` and `text_dataset_from_directory`).

Keras returns a `tf.data.Dataset`; lamina returns a `PyDataset` that
reads the files of a batch when the batch is asked for, so `fit`,
`evaluate` and `predict` take it directly, and `len(ds)`, `ds[i]` and
`for batch in ds` work as for any `PyDataset`.
"""

import os

import numpy as np

from lamina.preprocessing import _image_io
from lamina.utils import _directory_index as _index
from lamina.utils.py_dataset import PyDataset

IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
TEXT_FORMATS = (".txt",)

# TensorFlow's resize method names, as Pillow's filters.
_INTERPOLATIONS = {"bilinear": "bilinear", "nearest": "nearest",
                   "bicubic": "bicubic", "area": "box", "box": "box",
                   "lanczos3": "lanczos", "lanczos5": "lanczos",
                   "lanczos": "lanczos", "hamming": "hamming"}


class DirectoryDataset(PyDataset):
    """Batches of files read from disk, with their labels.

    Made by `image_dataset_from_directory` and
    `text_dataset_from_directory`; not meant to be built directly.

    Attributes:
        file_paths: the files, in the order the dataset was made in
            (after the seeded shuffle and the split).
        class_names: the class names; label `i` is `class_names[i]`.
        labels: the integer label of each file (None without labels).
        label_mode: 'int', 'categorical', 'binary' or None.
        batch_size: files per batch (None: one sample per item).
    """

    def __init__(self, file_paths, labels, class_names, label_mode,
                 batch_size, shuffle, seed):
        super().__init__()
        self.file_paths = list(file_paths)
        self.labels = labels
        self.class_names = list(class_names)
        self.label_mode = label_mode if labels is not None else None
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self._rng = np.random.RandomState(seed) if shuffle else None
        self._order = np.arange(len(self.file_paths))

    def __len__(self):
        if self.batch_size is None:
            return len(self.file_paths)
        return (len(self.file_paths) + self.batch_size - 1) // \
            self.batch_size

    def __getitem__(self, index):
        count = len(self)
        if isinstance(index, (bool, np.bool_)) or not isinstance(
                index, (int, np.integer)):
            raise TypeError(f"{type(self).__name__}: batch index must be "
                            f"an integer; got {index!r}.")
        if not -count <= index < count:
            raise IndexError(f"{type(self).__name__}: batch index {index} "
                             f"is out of range for {count} batches.")
        index = int(index) % count
        if self.batch_size is None:
            picked = self._order[index:index + 1]
        else:
            picked = self._order[index * self.batch_size:
                                 (index + 1) * self.batch_size]
        x = self._stack([self._load(self.file_paths[i]) for i in picked])
        if self.label_mode is not None:
            y = _index.encode_labels(self.labels[picked], self.label_mode,
                                     len(self.class_names))
        if self.batch_size is None:
            x = x[0]
            if self.label_mode is not None:
                y = y[0]
        return x if self.label_mode is None else (x, y)

    def on_epoch_end(self):
        """Visits the files in a new seeded order next epoch, as a
        shuffled `tf.data` pipeline does each time it is iterated."""
        if self._rng is not None:
            self._order = self._rng.permutation(len(self.file_paths))

    def _load(self, path):
        raise NotImplementedError(  # abstract: subclasses define it
            f"{type(self).__name__} must define _load(path).")

    def _stack(self, items):
        return np.stack(items)


class ImageDirectoryDataset(DirectoryDataset):
    """Batches of images, float32 in [0, 255], with their labels; see
    `image_dataset_from_directory`."""

    def __init__(self, file_paths, labels, class_names, label_mode,
                 batch_size, shuffle, seed, image_size, color_mode,
                 interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio,
                 data_format):
        super().__init__(file_paths, labels, class_names, label_mode,
                         batch_size, shuffle, seed)
        self.image_size = tuple(image_size)
        self.color_mode = color_mode
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.data_format = data_format

    def _load(self, path):
        if self.pad_to_aspect_ratio or self.crop_to_aspect_ratio:
            img = _image_io.load_img(path, color_mode=self.color_mode)
            img = _resize_to_aspect(img, self.image_size, self.interpolation,
                                    self.pad_to_aspect_ratio)
        else:
            img = _image_io.load_img(
                path, color_mode=self.color_mode,
                target_size=self.image_size,
                interpolation=self.interpolation)
        return _image_io.img_to_array(img, data_format=self.data_format,
                                      dtype="float32")


class TextDirectoryDataset(DirectoryDataset):
    """Batches of strings with their labels; see
    `text_dataset_from_directory`."""

    def __init__(self, file_paths, labels, class_names, label_mode,
                 batch_size, shuffle, seed, max_length):
        super().__init__(file_paths, labels, class_names, label_mode,
                         batch_size, shuffle, seed)
        self.max_length = max_length

    def _load(self, path):
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
        return text if self.max_length is None else text[:self.max_length]

    def _stack(self, items):
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out


def _resize_to_aspect(img, size, interpolation, pad):
    """Crops the centre of `img` (or pads it with zeros, centred) to
    `size`'s aspect ratio, then resizes it to `size`."""
    height, width = size
    image_module = _image_io.pil_image()
    if pad:
        img_w, img_h = img.size
        pad_h = max(img_h, int(img_w * height / width))
        pad_w = max(img_w, int(img_h * width / height))
        if (pad_w, pad_h) != (img_w, img_h):
            canvas = image_module.new(img.mode, (pad_w, pad_h), 0)
            canvas.paste(img, ((pad_w - img_w) // 2, (pad_h - img_h) // 2))
            img = canvas
    else:
        img = img.crop(_image_io._centre_crop(img.size, (width, height)))
    if img.size != (width, height):
        resample = getattr(image_module.Resampling, interpolation.upper())
        img = img.resize((width, height), resample)
    return img


def _make(caller, make_one, directory, labels, label_mode, class_names,
          formats, batch_size, shuffle, seed, validation_split, subset,
          follow_links, verbose):
    """Indexes, shuffles and splits the files; `make_one(paths, labels)`
    builds each dataset."""
    _index.check_arguments(caller, labels, label_mode, class_names,
                           batch_size, validation_split, subset, shuffle,
                           seed)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if seed is None:
        seed = int(np.random.randint(1e6))  # as Keras 3 draws it
    paths, found, names = _index.index_directory(
        caller, directory, labels, formats, class_names, shuffle, seed,
        follow_links, verbose)
    if label_mode == "binary" and len(names) != 2:
        raise ValueError(f"{caller}: label_mode='binary' needs exactly 2 "
                         f"classes; got class_names={names}.")
    kind = "images" if formats is IMAGE_FORMATS else "text files"
    if not paths:
        raise ValueError(f"{caller}: no {kind} found in "
                         f"{os.fspath(directory)!r}; allowed file endings: "
                         f"{formats}.")
    subsets = ("training", "validation") if subset == "both" else (subset,)
    made = []
    for part in subsets:
        part_paths, part_labels = _index.split(
            paths, found, validation_split, part, verbose)
        if not part_paths:
            raise ValueError(
                f"{caller}: no {kind} left for the {part} subset of "
                f"{len(paths)} files with validation_split="
                f"{validation_split}.")
        made.append(make_one(part_paths, part_labels, names, label_mode,
                             seed))
    return tuple(made) if subset == "both" else made[0]


def image_dataset_from_directory(
        directory, labels="inferred", label_mode="int", class_names=None,
        color_mode="rgb", batch_size=32, image_size=(256, 256),
        shuffle=True, seed=None, validation_split=None, subset=None,
        interpolation="bilinear", follow_links=False,
        crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
        data_format=None, verbose=True):
    """A dataset of image batches from a folder with one subfolder per
    class (`directory/class_a/*.jpg`, `directory/class_b/*.png`, ...).

    Args:
        directory: the folder.
        labels: 'inferred' (from the subfolders, sorted by name), None (no
            labels: the items are image batches only), or a list/tuple of
            integer labels, one per image in sorted file-path order.
        label_mode: 'int' (int32 labels, shape `(batch,)`), 'categorical'
            (float32 one-hot, `(batch, num_classes)`), 'binary' (float32
            0/1, `(batch, 1)`; exactly 2 classes), or None (no labels).
        class_names: with labels='inferred', the subfolders to read, in
            label order (default: all of them, sorted).
        color_mode: 'grayscale', 'rgb' or 'rgba' (1, 3 or 4 channels).
        batch_size: images per batch; None gives one image per item.
        image_size: `(height, width)` every image is resized to (an int
            means a square).
        shuffle: shuffle the files (once with `seed`, and again each
            epoch); False keeps the sorted order.
        seed: the shuffling seed; needed with `validation_split`.
        validation_split: the fraction (0 to 1) kept for validation: the
            last files of the shuffled order.
        subset: 'training', 'validation' or 'both' (a tuple of the two
            datasets); only with `validation_split`.
        interpolation: the resize filter: 'bilinear', 'nearest',
            'bicubic', 'area', 'lanczos3', 'lanczos5' (Pillow's filters).
        follow_links: follow symbolic links to folders.
        crop_to_aspect_ratio: crop the centre to `image_size`'s aspect
            ratio before resizing, instead of stretching.
        pad_to_aspect_ratio: pad with black (centred) to `image_size`'s
            aspect ratio before resizing, instead of stretching.
        data_format: 'channels_last' or 'channels_first'; default
            `image_data_format()`.
        verbose: print how many files were found and used.

    Returns:
        An `ImageDirectoryDataset` (a `PyDataset`) whose items are
        `(images, labels)` (or `images` without labels), images float32
        in [0, 255] of shape `(batch, height, width, channels)`, with
        `class_names` and `file_paths`; a tuple of two with subset='both'.

    Example:

    >>> train, val = image_dataset_from_directory(  # doctest: +SKIP
    ...     "photos", image_size=(64, 64), validation_split=0.2,
    ...     subset="both", seed=1)
    >>> model.fit(train, validation_data=val, epochs=3)  # doctest: +SKIP
    """
    caller = "image_dataset_from_directory"
    modes = {"grayscale": 1, "rgb": 3, "rgba": 4}
    if color_mode not in modes:
        raise ValueError(f"{caller}: `color_mode` must be 'grayscale', "
                         f"'rgb' or 'rgba'; got {color_mode!r}.")
    if isinstance(image_size, (int, np.integer)) and \
            not isinstance(image_size, bool):
        image_size = (image_size, image_size)
    if not isinstance(image_size, (list, tuple)) or len(image_size) != 2 \
            or not all(isinstance(s, (int, np.integer)) and s > 0
                       for s in image_size):
        raise ValueError(f"{caller}: `image_size` must be (height, width) "
                         f"of positive integers; got {image_size!r}.")
    method = _INTERPOLATIONS.get(str(interpolation).lower())
    if method is None:
        raise ValueError(f"{caller}: `interpolation` must be one of "
                         f"{sorted(_INTERPOLATIONS)}; got "
                         f"{interpolation!r}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(f"{caller}: pass only one of "
                         f"crop_to_aspect_ratio=True and "
                         f"pad_to_aspect_ratio=True.")
    data_format = _image_io.data_format_of(data_format, None, caller)
    _image_io.pil_image()  # a clear ImportError now, not at batch 0

    def make_one(paths, found, names, mode, seed):
        return ImageDirectoryDataset(
            paths, found, names, mode, batch_size, shuffle, seed,
            image_size, color_mode, method, bool(crop_to_aspect_ratio),
            bool(pad_to_aspect_ratio), data_format)

    return _make(caller, make_one, directory, labels, label_mode,
                 class_names, IMAGE_FORMATS, batch_size, shuffle, seed,
                 validation_split, subset, follow_links, verbose)


def text_dataset_from_directory(
        directory, labels="inferred", label_mode="int", class_names=None,
        batch_size=32, max_length=None, shuffle=True, seed=None,
        validation_split=None, subset=None, follow_links=False,
        verbose=True):
    """A dataset of text batches from a folder with one subfolder per
    class (`directory/class_a/*.txt`, `directory/class_b/*.txt`, ...).

    Args:
        directory: the folder.
        labels: 'inferred' (from the subfolders, sorted by name), None (no
            labels: the items are text batches only), or a list/tuple of
            integer labels, one per file in sorted file-path order.
        label_mode: 'int', 'categorical', 'binary' or None, as in
            `image_dataset_from_directory`.
        class_names: with labels='inferred', the subfolders to read, in
            label order (default: all of them, sorted).
        batch_size: files per batch; None gives one text per item.
        max_length: keep at most this many characters of each text.
        shuffle: shuffle the files (once with `seed`, and again each
            epoch); False keeps the sorted order.
        seed: the shuffling seed; needed with `validation_split`.
        validation_split: the fraction (0 to 1) kept for validation.
        subset: 'training', 'validation' or 'both'.
        follow_links: follow symbolic links to folders.
        verbose: print how many files were found and used.

    Returns:
        A `TextDirectoryDataset` (a `PyDataset`) whose items are
        `(texts, labels)` (or `texts`), texts a NumPy object array of
        `str` (UTF-8 decoded), with `class_names` and `file_paths`; a
        tuple of two with subset='both'.

    Example:

    >>> train = text_dataset_from_directory(  # doctest: +SKIP
    ...     "reviews/train", batch_size=16, max_length=500)
    >>> texts, labels = train[0]  # doctest: +SKIP
    """
    caller = "text_dataset_from_directory"
    if max_length is not None and (
            isinstance(max_length, bool) or
            not isinstance(max_length, (int, np.integer)) or
            max_length < 1):
        raise ValueError(f"{caller}: `max_length` must be a positive "
                         f"integer or None; got {max_length!r}.")

    def make_one(paths, found, names, mode, seed):
        return TextDirectoryDataset(paths, found, names, mode, batch_size,
                                    shuffle, seed, max_length)

    return _make(caller, make_one, directory, labels, label_mode,
                 class_names, TEXT_FORMATS, batch_size, shuffle, seed,
                 validation_split, subset, follow_links, verbose)
