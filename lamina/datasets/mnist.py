"""MNIST handwritten digits, in Keras's `mnist.load_data()` form.

70,000 grayscale 28x28 images of the digits 0-9: 60,000 for training and
10,000 for testing. The file is Keras's `mnist.npz` (arrays `x_train`,
`y_train`, `x_test`, `y_test`), looked up in `$LAMINA_HOME/datasets/`, then
in Keras's cache `$KERAS_HOME/datasets/` (`~/.keras/datasets/`), else
downloaded.
"""

from lamina.datasets import _cache

ORIGIN = _cache.KERAS_ORIGIN + "mnist.npz"
SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path="mnist.npz"):
    """Loads the MNIST data set.

    Args:
        path: the file's name in the cache folders (`mnist.npz`), or an
            absolute path.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shape
        `(60000, 28, 28)` and `(10000, 28, 28)` with values 0..255, and
        uint8 labels of shape `(60000,)` and `(10000,)` with values 0..9.

    Raises:
        DownloadError: (an `OSError`) the file is not cached and cannot be
            downloaded; the message says where to place it.

    Example (needs the data, so not run here):

        (x_train, y_train), (x_test, y_test) = mnist.load_data()
        x_train.shape  # (60000, 28, 28)
    """
    file = _cache.fetch(path, ORIGIN, SHA256, caller="mnist.load_data")
    f = _cache.load_npz(file)
    return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
