"""The CIFAR files: finding Keras's extracted folders, reading batches.

Keras has kept the extracted CIFAR folders in three places over the years;
all are looked for, in `$LAMINA_HOME/datasets/` and then in Keras's cache
`$KERAS_HOME/datasets/`:

- `<folder>/` (Keras 1, 2 and early 3: e.g. `cifar-10-batches-py/`),
- `<folder>/<folder>/` (Keras 3.4-3.6),
- `<folder>-target/<folder>/` (later Keras 3).

Failing those, a downloaded archive (`<folder>.tar.gz`, Keras 3's
`<folder>_archive` or `<folder>-target_archive`, or the original file
name) is extracted into `$LAMINA_HOME/datasets/<folder>/`; failing that,
the archive is downloaded as `$LAMINA_HOME/datasets/<folder>.tar.gz`.
"""

import os
import shutil
import tempfile

import numpy as np

from lamina.datasets import _cache
from lamina.utils import file_utils


def _folders(folder):
    return [folder, os.path.join(folder, folder),
            os.path.join(folder + "-target", folder)]


def _archives(folder, origin):
    return [folder + ".tar.gz", folder + "_archive",
            folder + "-target_archive", os.path.basename(origin)]


def locate(folder, check, origin, file_hash, caller):
    """The folder holding the batch files, extracting or downloading."""
    for base in _cache.search_dirs():
        for candidate in _folders(folder):
            path = os.path.join(base, candidate)
            if os.path.isfile(os.path.join(path, check)):
                return path
    archive = _cache.find(_archives(folder, origin))
    if archive is None:
        try:
            archive = _cache.fetch(folder + ".tar.gz", origin, file_hash,
                                   caller=caller)
        except file_utils.DownloadError as e:
            places = " or ".join(os.path.join(d, folder, check)
                                 for d in _cache.search_dirs())
            raise file_utils.DownloadError(
                f"{e} Or place the extracted folder so that {places} "
                "exists.") from e.__cause__
    return _extract(archive, folder, check, caller)


def _extract(archive, folder, check, caller):
    """Extracts `archive` so that `$LAMINA_HOME/datasets/<folder>` is
    complete; the folder appears only once fully written."""
    home = _cache.search_dirs()[0]
    os.makedirs(home, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=folder + ".", suffix=".part", dir=home)
    try:
        if not file_utils.extract_archive(archive, tmp, "tar"):
            raise ValueError(f"{caller}: {archive} is not a tar archive; "
                             "delete it to download it again.")
        inner = os.path.join(tmp, folder)
        if not os.path.isfile(os.path.join(inner, check)):
            raise ValueError(f"{caller}: {archive} holds no "
                             f"{folder}/{check}; delete it to download it "
                             "again.")
        final = os.path.join(home, folder)
        if os.path.isdir(final):  # an incomplete earlier extraction
            shutil.rmtree(final)
        os.replace(inner, final)
        return final
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def load_batch(fpath, label_key="labels"):
    """One pickled CIFAR batch: `(data (n, 3, 32, 32) uint8, labels)`."""
    with open(fpath, "rb") as f:
        batch = _cache.unpickle(f, encoding="bytes")
    batch = {k.decode("utf8") if isinstance(k, bytes) else k: v
             for k, v in batch.items()}
    data = np.asarray(batch["data"], dtype=np.uint8)
    labels = np.asarray(batch[label_key], dtype=np.uint8)
    return data.reshape(data.shape[0], 3, 32, 32), labels


def finish(x_train, y_train, x_test, y_test):
    """Labels as `(n, 1)`; images channels-last unless the configured
    `image_data_format` is `channels_first`."""
    from lamina import backend
    y_train = y_train.reshape(len(y_train), 1)
    y_test = y_test.reshape(len(y_test), 1)
    if backend.image_data_format() == "channels_last":
        x_train = x_train.transpose(0, 2, 3, 1)
        x_test = x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)
