"""California house prices, in Keras's `california_housing.load_data()`.

20,640 census block groups of 1990 California with 8 features (median
income, house age, average rooms, average bedrooms, population, average
occupancy, latitude, longitude) and the median house value in dollars as
target (from StatLib). The file is Keras's `california_housing.npz`
(arrays `x`, `y`), looked up in `$LAMINA_HOME/datasets/`, then in Keras's
cache `$KERAS_HOME/datasets/`, else downloaded.
"""

from lamina.datasets import _cache

ORIGIN = _cache.KERAS_ORIGIN + "california_housing.npz"
SHA256 = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"
SMALL = 600  # samples in the "small" version


def load_data(version="large", path="california_housing.npz",
              test_split=0.2, seed=113):
    """Loads the California housing data set, shuffled and split.

    Args:
        version: `"large"` (all 20,640 samples) or `"small"` (the first
            600, a stand-in for the Boston housing data).
        path: the file's name in the cache folders, or an absolute path.
        test_split: the fraction of the samples kept for the test set, in
            `[0, 1)`.
        seed: the seed of the shuffle (NumPy's `RandomState`, as Keras).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: arrays of shape `(n, 8)`
        and targets of shape `(n,)` (prices in dollars).

    Raises:
        ValueError: `version` or `test_split` is not allowed.
        DownloadError: (an `OSError`) the file is not cached and cannot be
            downloaded; the message says where to place it.

    Example (needs the data, so not run here):

        (x_train, y_train), _ = california_housing.load_data("small")
        x_train.shape  # (480, 8)
    """
    caller = "california_housing.load_data"
    if version not in ("large", "small"):
        raise ValueError(f"{caller}: `version` must be 'large' or 'small'; "
                         f"got {version!r}.")
    _cache.check_test_split(test_split, caller)
    _cache.check_seed(seed, caller)
    f = _cache.load_npz(_cache.fetch(path, ORIGIN, SHA256, caller=caller))
    x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:SMALL], y[:SMALL]
    return _cache.shuffle_split(x, y, test_split, seed)
