"""Boston house prices, in Keras's `boston_housing.load_data()` form.

506 samples of 13 attributes of Boston suburbs in the 1970s, with the
median home value in k$ as target (from StatLib, Carnegie Mellon).
Keras warns against using it except to illustrate ethical problems in
data: one attribute encodes an assumption about race; prefer
`california_housing.load_data(version="small")`. The file is Keras's
`boston_housing.npz` (arrays `x`, `y`), looked up in
`$LAMINA_HOME/datasets/`, then in Keras's cache `$KERAS_HOME/datasets/`,
else downloaded.
"""

from lamina.datasets import _cache

ORIGIN = _cache.KERAS_ORIGIN + "boston_housing.npz"
SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Loads the Boston housing data set, shuffled and split.

    Args:
        path: the file's name in the cache folders, or an absolute path.
        test_split: the fraction of the samples kept for the test set, in
            `[0, 1)`.
        seed: the seed of the shuffle (NumPy's `RandomState`, as Keras).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: float arrays of shape
        `(n, 13)` and targets of shape `(n,)` (prices in k$).

    Raises:
        ValueError: `test_split` is outside `[0, 1)`.
        DownloadError: (an `OSError`) the file is not cached and cannot be
            downloaded; the message says where to place it.

    Example (needs the data, so not run here):

        (x_train, y_train), (x_test, y_test) = boston_housing.load_data()
        x_train.shape  # (404, 13)
    """
    caller = "boston_housing.load_data"
    _cache.check_test_split(test_split, caller)
    _cache.check_seed(seed, caller)
    f = _cache.load_npz(_cache.fetch(path, ORIGIN, SHA256, caller=caller))
    return _cache.shuffle_split(f["x"], f["y"], test_split, seed)
