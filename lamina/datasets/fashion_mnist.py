"""Fashion-MNIST, in Keras's `fashion_mnist.load_data()` form.

70,000 grayscale 28x28 images of 10 kinds of clothing (0 T-shirt/top,
1 trouser, 2 pullover, 3 dress, 4 coat, 5 sandal, 6 shirt, 7 sneaker, 8 bag,
9 ankle boot): 60,000 for training, 10,000 for testing. The files are the
four gzipped IDX files Keras keeps in `datasets/fashion-mnist/`, looked up
under `$LAMINA_HOME/datasets/fashion-mnist/`, then under Keras's cache
`$KERAS_HOME/datasets/fashion-mnist/`, else downloaded.
"""

import gzip

import numpy as np

from lamina.datasets import _cache

SUBDIR = "fashion-mnist"
SHA256 = {
    "train-labels-idx1-ubyte.gz":
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    "train-images-idx3-ubyte.gz":
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    "t10k-labels-idx1-ubyte.gz":
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    "t10k-images-idx3-ubyte.gz":
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
}


def _read(name, offset):
    file = _cache.fetch(name, _cache.KERAS_ORIGIN + name, SHA256[name],
                        subdir=SUBDIR, caller="fashion_mnist.load_data")
    with gzip.open(file, "rb") as f:
        # IDX: a big-endian header (8 bytes for labels, 16 for images),
        # then one byte per label or pixel.
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load_data():
    """Loads the Fashion-MNIST data set.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images of shape
        `(60000, 28, 28)` and `(10000, 28, 28)`, and uint8 labels of shape
        `(60000,)` and `(10000,)` with values 0..9.

    Raises:
        DownloadError: (an `OSError`) a file is not cached and cannot be
            downloaded; the message says where to place it.

    Example (needs the data, so not run here):

        (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    """
    y_train = _read("train-labels-idx1-ubyte.gz", 8)
    x_train = _read("train-images-idx3-ubyte.gz", 16).reshape(
        len(y_train), 28, 28)
    y_test = _read("t10k-labels-idx1-ubyte.gz", 8)
    x_test = _read("t10k-images-idx3-ubyte.gz", 16).reshape(
        len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
