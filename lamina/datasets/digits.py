"""The 8x8 handwritten digits, offline (scikit-learn's `load_digits`).

1,797 grayscale images of the digits 0-9, 8x8 pixels each, with pixel
values from 0 to 16. The data ships inside scikit-learn, so loading needs no
network: a small stand-in for MNIST in examples and tests.
"""

import numpy as np


def load_data(test_split=0.2, seed=113):
    """Loads the digits, shuffled and split into train and test sets.

    Args:
        test_split: the fraction of the samples kept for the test set, in
            `[0, 1)`.
        seed: the seed of the shuffle (the same seed gives the same split).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: images as uint8 arrays of
        shape `(n, 8, 8)` with values 0..16, and labels as int64 arrays of
        shape `(n,)` with values 0..9.

    Raises:
        ImportError: scikit-learn is not installed.

    Example:

    >>> from lamina.datasets import digits
    >>> (x_train, y_train), (x_test, y_test) = digits.load_data()
    >>> x_train.shape, x_test.shape
    ((1437, 8, 8), (360, 8, 8))
    """
    if isinstance(test_split, bool) or not isinstance(
            test_split, (int, float)) or not 0 <= test_split < 1:
        raise ValueError(f"digits.load_data: `test_split` must be a number "
                         f"in [0, 1); got {test_split!r}.")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"digits.load_data: `seed` must be an integer; got "
                        f"{seed!r}.")
    try:
        # Imported here: scikit-learn is only needed by this data set.
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(
            "lamina.datasets.digits needs scikit-learn, which bundles the "
            "data: pip install scikit-learn") from None
    bunch = load_digits()
    images = bunch.images.astype("uint8")
    labels = bunch.target.astype("int64")
    order = np.random.RandomState(int(seed)).permutation(len(labels))
    images, labels = images[order], labels[order]
    split = int(len(labels) * (1 - test_split))
    return (images[:split], labels[:split]), (images[split:], labels[split:])
