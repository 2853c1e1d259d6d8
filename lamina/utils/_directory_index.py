"""Finding the files of a class-per-folder directory, their labels, and
the training / validation split, for `image_dataset_from_directory` and
`text_dataset_from_directory`."""

import os

import numpy as np

LABEL_MODES = ("int", "categorical", "binary", None)
SUBSETS = ("training", "validation", "both", None)


def check_arguments(caller, labels, label_mode, class_names, batch_size,
                    validation_split, subset, shuffle, seed):
    """Raises a ValueError for arguments that don't fit together."""
    if isinstance(labels, str):
        good = labels == "inferred"
    else:
        good = labels is None or isinstance(labels, (list, tuple))
    if not good:
        raise ValueError(
            f"{caller}: `labels` must be 'inferred', None or a list/tuple "
            f"of integer labels (one per file, in the sorted order of the "
            f"file paths); got {labels!r}.")
    if class_names is not None and labels != "inferred":
        raise ValueError(f"{caller}: `class_names` can only be passed with "
                         f"labels='inferred'; got labels={labels!r}.")
    if class_names is not None and (
            not isinstance(class_names, (list, tuple)) or
            not all(isinstance(n, str) for n in class_names)):
        raise ValueError(f"{caller}: `class_names` must be a list of "
                         f"folder names; got {class_names!r}.")
    if label_mode not in LABEL_MODES:
        raise ValueError(f"{caller}: `label_mode` must be 'int', "
                         f"'categorical', 'binary' or None; got "
                         f"{label_mode!r}.")
    if batch_size is not None and (
            isinstance(batch_size, bool) or
            not isinstance(batch_size, (int, np.integer)) or
            batch_size < 1):
        raise ValueError(f"{caller}: `batch_size` must be a positive "
                         f"integer or None; got {batch_size!r}.")
    if validation_split is not None and validation_split != 0 and not (
            0 < validation_split < 1):
        raise ValueError(f"{caller}: `validation_split` must be between 0 "
                         f"and 1; got {validation_split!r}.")
    if subset not in SUBSETS:
        raise ValueError(f"{caller}: `subset` must be 'training', "
                         f"'validation', 'both' or None; got {subset!r}.")
    if bool(validation_split) != bool(subset):
        raise ValueError(f"{caller}: `validation_split` and `subset` go "
                         f"together (pass both or neither); got "
                         f"validation_split={validation_split!r}, "
                         f"subset={subset!r}.")
    if validation_split and shuffle and seed is None:
        raise ValueError(f"{caller}: with `validation_split` and "
                         f"shuffle=True, pass a `seed` (the same one for "
                         f"the training and the validation call) so the "
                         f"two subsets don't overlap.")


def _class_folders(directory):
    return [name for name in sorted(os.listdir(directory))
            if not name.startswith(".") and
            os.path.isdir(os.path.join(directory, name))]


def _files_under(folder, formats, follow_links):
    """The matching files under `folder`, walked in sorted order."""
    found = []
    walk = sorted(os.walk(folder, followlinks=follow_links),
                  key=lambda entry: entry[0])
    for root, _, files in walk:
        for name in sorted(files):
            if name.lower().endswith(formats):
                found.append(os.path.join(root, name))
    return found


def index_directory(caller, directory, labels, formats, class_names,
                    shuffle, seed, follow_links, verbose):
    """The files of `directory`, their integer labels and the class names.

    Args:
        caller: the public function's name, for messages.
        directory: the folder to read.
        labels: 'inferred', None or a list of integer labels.
        formats: a tuple of allowed lower-case file endings.
        class_names: the class folders to use, in label order, or None.
        shuffle: shuffle the files (and labels) with `seed`.
        seed: the shuffling seed (an integer).
        follow_links: follow symbolic links to folders.
        verbose: print how many files were found.

    Returns:
        `(file_paths, labels, class_names)`: a list of paths, an int32
        array of labels (None when `labels` is None) and a list of names.
    """
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise ValueError(f"{caller}: `directory` must be an existing "
                         f"folder; got {directory!r}.")
    if labels == "inferred":
        folders = _class_folders(directory)
        if class_names is not None:
            unknown = [n for n in class_names if n not in folders]
            if unknown or len(set(class_names)) != len(class_names):
                raise ValueError(
                    f"{caller}: `class_names` must name distinct "
                    f"subfolders of {directory!r} (found {folders}); got "
                    f"class_names={list(class_names)}.")
            folders = list(class_names)
        paths, found = [], []
        for index, folder in enumerate(folders):
            files = _files_under(os.path.join(directory, folder), formats,
                                 follow_links)
            paths.extend(files)
            found.extend([index] * len(files))
        class_names = list(folders)
        labels = np.asarray(found, dtype="int32")
    else:
        paths = _files_under(directory, formats, follow_links)
        class_names = []
        if labels is not None:
            if len(labels) != len(paths):
                raise ValueError(
                    f"{caller}: `labels` must have one entry per file; "
                    f"got {len(labels)} labels for {len(paths)} files in "
                    f"{directory!r}.")
            labels = np.asarray(labels)
            if labels.size and (labels.ndim != 1 or not np.issubdtype(
                    labels.dtype, np.integer) or labels.min() < 0):
                raise ValueError(f"{caller}: `labels` must be non-negative "
                                 f"integers; got {labels.tolist()!r}.")
            labels = labels.astype("int32")
            class_names = [str(v) for v in sorted(set(labels.tolist()))]
    if verbose:
        if labels is None:
            print(f"Found {len(paths)} files.")
        else:
            print(f"Found {len(paths)} files belonging to "
                  f"{len(class_names)} classes.")
    if shuffle:
        order = np.random.RandomState(seed).permutation(len(paths))
        paths = [paths[i] for i in order]
        if labels is not None:
            labels = labels[order]
    return paths, labels, class_names


def split(paths, labels, validation_split, subset, verbose):
    """The training or validation part: the last `validation_split` of
    the files (rounded down) are the validation files."""
    count = int(validation_split * len(paths)) if validation_split else 0
    cut = len(paths) - count
    if subset == "training":
        paths = paths[:cut]
        labels = None if labels is None else labels[:cut]
    elif subset == "validation":
        paths = paths[cut:]
        labels = None if labels is None else labels[cut:]
    if verbose and subset in ("training", "validation"):
        print(f"Using {len(paths)} files for {subset}.")
    return paths, labels


def encode_labels(labels, label_mode, num_classes):
    """Integer labels in the form `label_mode` asks for."""
    if label_mode == "int":
        return labels.astype("int32")
    if label_mode == "binary":
        return labels.astype("float32")[:, None]
    # categorical; like a one-hot op, a label >= num_classes gives zeros
    return (labels[:, None] == np.arange(num_classes)).astype("float32")
