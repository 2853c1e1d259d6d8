"""Where the data sets' files are found, and how they are read safely.

A data set file is looked up, in order, in `$LAMINA_HOME/datasets/` (default
`~/.lamina/datasets/`) and in Keras's cache `$KERAS_HOME/datasets/`
(default `~/.keras/datasets/`), under Keras's own file names and formats.
A file found there is used as it is (no hash check: a file placed by hand,
or a small synthetic one in tests, is trusted). A missing file is
downloaded from the source Keras uses into `$LAMINA_HOME/datasets/`,
checked against the hash Keras checks. Offline, the error names the file,
the URL and the folders where it can be placed by hand.

Pickled content (the IMDB and Reuters sequences, the CIFAR batches) is read
with an unpickler that only rebuilds NumPy arrays and plain containers, so
a tampered file cannot run code.
"""

import io
import os
import pickle
import zipfile

import numpy as np

from lamina.utils import file_utils

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

# The only globals a data set pickle may name: what NumPy needs to rebuild
# an array (both the NumPy 1 and NumPy 2 module spellings).
_ALLOWED = frozenset({
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
    # Python 3's protocol 2 spells bytes as `_codecs.encode(str, 'latin1')`.
    ("_codecs", "encode"),
})


class _ArrayUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"refusing to load '{module}.{name}' from a data set file: a "
            "data set holds only arrays and lists. The file may be "
            "corrupted or tampered with; delete it to download it again.")


def unpickle(file, encoding="ASCII"):
    """Reads one pickle from an open binary file, arrays and lists only."""
    return _ArrayUnpickler(file, encoding=encoding).load()


def search_dirs(subdir=""):
    """The folders searched for a data set file, in order."""
    dirs = [os.path.join(file_utils.lamina_home(), "datasets"),
            os.path.join(file_utils.keras_home(), "datasets")]
    return [os.path.join(d, subdir) if subdir else d for d in dirs]


def find(names, subdir=""):
    """The first existing path `<dir>/<name>` over the search folders."""
    for folder in search_dirs(subdir):
        for name in names:
            candidate = os.path.join(folder, name)
            if os.path.exists(candidate):
                return candidate
    return None


def fetch(fname, origin, file_hash, subdir="", caller=""):
    """The path of a data set file: cached, or downloaded now.

    Args:
        fname: the file's name (Keras's name). An absolute path is used as
            it is (downloaded there if missing), as Keras 2 allowed.
        origin: the URL Keras downloads it from.
        file_hash: the SHA-256 (or MD5) Keras checks, for downloads.
        subdir: a folder under `datasets/` (Fashion-MNIST's files).
        caller: the public function, for messages.

    Raises:
        DownloadError: not cached and not downloadable (offline); the
            message names the file, the URL and where to place it.
    """
    if not isinstance(fname, (str, os.PathLike)) or not os.fspath(fname):
        raise TypeError(f"{caller}: `path` must be a file name such as "
                        f"{os.path.basename(origin)!r}; got {fname!r}.")
    fname = os.fspath(fname)
    if os.path.isabs(fname):
        places = [fname]
    else:
        places = [os.path.join(d, fname) for d in search_dirs(subdir)]
    for place in places:
        if os.path.isfile(place):
            return place
    try:
        return file_utils.download(origin, places[0], file_hash,
                                   where=" or ".join(places))
    except file_utils.DownloadError as e:
        name = os.path.basename(fname)
        if len(places) > 1:
            missing = (f"in neither {os.path.dirname(places[0])} nor "
                       f"{os.path.dirname(places[1])}")
            place = f"{places[0]} (or at {places[1]}, Keras's cache)"
        else:
            missing, place = f"not at {places[0]}", places[0]
        raise file_utils.DownloadError(
            f"{caller}: {name!r} is {missing}, and downloading it from "
            f"{origin} failed ({e.__cause__ or e}). Place the file at "
            f"{place} and run again.") from e


def load_npz(path):
    """An `.npz` file as a dict of arrays; object arrays read safely."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if not member.endswith(".npy"):
                continue
            with archive.open(member) as raw:
                buffer = io.BytesIO(raw.read())
            arrays[member[:-4]] = _read_npy(buffer)
    return arrays


def _read_npy(buffer):
    try:
        return np.lib.format.read_array(buffer, allow_pickle=False)
    except ValueError:
        # An object array (ragged sequences): its data is a pickle.
        buffer.seek(0)
        major, _ = np.lib.format.read_magic(buffer)
        if major == 1:
            np.lib.format.read_array_header_1_0(buffer)
        else:  # 2.0 and 3.0 share the header layout
            np.lib.format.read_array_header_2_0(buffer)
        return unpickle(buffer, encoding="latin1")


def check_seed(seed, caller):
    if seed is not None and (isinstance(seed, bool) or not isinstance(
            seed, (int, np.integer))):
        raise TypeError(f"{caller}: `seed` must be an integer or None; got "
                        f"{seed!r}.")


def check_test_split(test_split, caller):
    if isinstance(test_split, bool) or not isinstance(
            test_split, (int, float, np.floating)) or not (
            0 <= test_split < 1):
        raise ValueError(f"{caller}: `test_split` must be a number in "
                         f"[0, 1); got {test_split!r}.")


def shuffle_split(x, y, test_split, seed):
    """Shuffles `(x, y)` with `seed` and cuts off the last `test_split`.

    The permutation is NumPy's `RandomState(seed).shuffle` of the indices,
    as Keras does, so a seed gives the same split as in Keras on every
    backend.
    """
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (
        np.array(x[cut:]), np.array(y[cut:]))
