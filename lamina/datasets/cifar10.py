"""CIFAR-10 small color images, in Keras's `cifar10.load_data()` form.

60,000 32x32 color images in 10 classes (0 airplane, 1 automobile, 2 bird,
3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship, 9 truck): 50,000 for
training in five batches, 10,000 for testing. The files are the pickled
batches of `cifar-10-batches-py/` as extracted from the original
`cifar-10-python.tar.gz`; see `lamina.datasets._cifar` for where they are
looked up (lamina's folder, then Keras's cache, every Keras layout).
"""

import os

import numpy as np

from lamina.datasets import _cifar

FOLDER = "cifar-10-batches-py"
ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"


def load_data():
    """Loads the CIFAR-10 data set.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shape
        `(50000, 32, 32, 3)` and `(10000, 32, 32, 3)` (`(n, 3, 32, 32)`
        when `image_data_format()` is `channels_first`), and uint8 labels
        of shape `(50000, 1)` and `(10000, 1)` with values 0..9.

    Raises:
        DownloadError: (an `OSError`) the data is not cached and cannot be
            downloaded; the message says where to place it.

    Example (needs the data, so not run here):

        (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    """
    path = _cifar.locate(FOLDER, "test_batch", ORIGIN, SHA256,
                         caller="cifar10.load_data")
    parts = [_cifar.load_batch(os.path.join(path, f"data_batch_{i}"))
             for i in range(1, 6)]
    x_train = np.concatenate([p[0] for p in parts])
    y_train = np.concatenate([p[1] for p in parts])
    x_test, y_test = _cifar.load_batch(os.path.join(path, "test_batch"))
    return _cifar.finish(x_train, y_train, x_test, y_test)
