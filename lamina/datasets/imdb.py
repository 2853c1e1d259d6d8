"""IMDB movie reviews by sentiment, in Keras's `imdb.load_data()` form.

25,000 training and 25,000 test reviews, labeled 1 (positive) or 0
(negative), each a list of word indexes: words are ranked by frequency,
so rank 1 is the most frequent word. The files are Keras's `imdb.npz`
(object arrays `x_train`, `x_test` of lists, label arrays `y_train`,
`y_test`) and `imdb_word_index.json`, looked up in `$LAMINA_HOME/datasets/`,
then in Keras's cache `$KERAS_HOME/datasets/`, else downloaded.
"""

import numpy as np

from lamina.datasets import _cache, _sequences

ORIGIN = _cache.KERAS_ORIGIN + "imdb.npz"
SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_ORIGIN = _cache.KERAS_ORIGIN + "imdb_word_index.json"
WORD_INDEX_MD5 = "bfafd718b763782e994055a2d397834f"  # Keras checks only MD5


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None,
              seed=113, start_char=1, oov_char=2, index_from=3, **kwargs):
    """Loads the IMDB data set.

    Args:
        path: the file's name in the cache folders, or an absolute path.
        num_words: keep the words whose index (after the shift by
            `index_from`) is below `num_words`; the others become
            `oov_char`. None keeps every word.
        skip_top: indexes below this (the most frequent words, and the
            start mark when `start_char < skip_top`) become `oov_char`.
        maxlen: drop the reviews with `maxlen` or more indexes (counting
            the start mark); None keeps all.
        seed: the seed of the shuffle (NumPy's `RandomState`, as Keras).
        start_char: the index put at the start of every review; None
            puts none.
        oov_char: the index that replaces cut words; None drops them.
        index_from: added to every word rank (0 pad, 1 start, 2 OOV by
            default).
        **kwargs: Keras 1's `nb_words`, read as `num_words` with a
            warning.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `x_*` are 1-D object arrays
        of Python lists of int indexes, `y_*` int arrays of 0/1 labels.

    Raises:
        ValueError: a bad argument, or `maxlen` so small that no review of
            the training or the test set is kept.
        DownloadError: (an `OSError`) the file is not cached and cannot be
            downloaded; the message says where to place it.

    Example (needs the data, so not run here):

        (x_train, y_train), _ = imdb.load_data(num_words=10000)
        max(max(s) for s in x_train)  # 9999
    """
    caller = "imdb.load_data"
    num_words = _sequences.check_arguments(
        caller, num_words, skip_top, maxlen, start_char, oov_char,
        index_from, kwargs)
    _cache.check_seed(seed, caller)
    f = _cache.load_npz(_cache.fetch(path, ORIGIN, SHA256, caller=caller))
    x_train, y_train = f["x_train"], f["y_train"]
    x_test, y_test = f["x_test"], f["y_test"]
    # One generator shuffles the training set, then the test set (Keras).
    rng = np.random.RandomState(seed)
    order = np.arange(len(x_train))
    rng.shuffle(order)
    x_train, y_train = x_train[order], y_train[order]
    order = np.arange(len(x_test))
    rng.shuffle(order)
    x_test, y_test = x_test[order], y_test[order]

    x_train = _sequences.shift(x_train, start_char, index_from)
    x_test = _sequences.shift(x_test, start_char, index_from)
    if maxlen:
        x_train, y_train = _sequences.drop_long(maxlen, x_train, y_train)
        x_test, y_test = _sequences.drop_long(maxlen, x_test, y_test)
        if not x_train or not x_test:
            raise ValueError(f"{caller}: no review is shorter than "
                             f"maxlen={maxlen}; increase `maxlen`.")
    xs = _sequences.cap(x_train + x_test, num_words, skip_top, oov_char)
    cut = len(x_train)
    return ((_sequences.as_object_array(xs[:cut]), np.asarray(y_train)),
            (_sequences.as_object_array(xs[cut:]), np.asarray(y_test)))


def get_word_index(path="imdb_word_index.json"):
    """The IMDB word index: a dict from word to its rank (1 = most frequent).

    A word of rank `r` appears in `load_data`'s sequences as `r +
    index_from`.

    Args:
        path: the file's name in the cache folders, or an absolute path.

    Returns:
        A dict mapping words (str) to ranks (int).
    """
    return _sequences.read_word_index(_cache.fetch(
        path, WORD_INDEX_ORIGIN, WORD_INDEX_MD5,
        caller="imdb.get_word_index"))
