"""CIFAR-100 small color images, in Keras's `cifar100.load_data()` form.

60,000 32x32 color images in 100 fine classes grouped into 20 coarse
ones: 50,000 for training, 10,000 for testing. The files are the pickled
`train` and `test` of `cifar-100-python/` as extracted from the original
`cifar-100-python.tar.gz`; see `lamina.datasets._cifar` for where they are
looked up (lamina's folder, then Keras's cache, every Keras layout).
"""

import os

from lamina.datasets import _cifar

FOLDER = "cifar-100-python"
ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
SHA256 = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"


def load_data(label_mode="fine"):
    """Loads the CIFAR-100 data set.

    Args:
        label_mode: `"fine"` (100 classes) or `"coarse"` (the 20
            superclasses).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shape
        `(50000, 32, 32, 3)` and `(10000, 32, 32, 3)` (`(n, 3, 32, 32)`
        when `image_data_format()` is `channels_first`), and uint8 labels
        of shape `(50000, 1)` and `(10000, 1)`, 0..99 (fine) or 0..19
        (coarse).

    Raises:
        ValueError: `label_mode` is neither `"fine"` nor `"coarse"`.
        DownloadError: (an `OSError`) the data is not cached and cannot be
            downloaded; the message says where to place it.

    Example (needs the data, so not run here):

        (x_train, y_train), _ = cifar100.load_data(label_mode="coarse")
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(f"cifar100.load_data: `label_mode` must be 'fine' "
                         f"or 'coarse'; got {label_mode!r}.")
    path = _cifar.locate(FOLDER, "test", ORIGIN, SHA256,
                         caller="cifar100.load_data")
    key = label_mode + "_labels"
    x_train, y_train = _cifar.load_batch(os.path.join(path, "train"), key)
    x_test, y_test = _cifar.load_batch(os.path.join(path, "test"), key)
    return _cifar.finish(x_train, y_train, x_test, y_test)
