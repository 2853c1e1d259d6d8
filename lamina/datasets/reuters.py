"""Reuters newswires by topic, in Keras's `reuters.load_data()` form.

11,228 newswires labeled over 46 topics, each a list of word indexes:
words are ranked by frequency, so rank 1 is the most frequent word. The
files are Keras's `reuters.npz` (an object array `x` of lists, a label
array `y`) and `reuters_word_index.json`, looked up in
`$LAMINA_HOME/datasets/`, then in Keras's cache `$KERAS_HOME/datasets/`,
else downloaded.
"""

import numpy as np

from lamina.datasets import _cache, _sequences

ORIGIN = _cache.KERAS_ORIGIN + "reuters.npz"
SHA256 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_ORIGIN = _cache.KERAS_ORIGIN + "reuters_word_index.json"
WORD_INDEX_MD5 = "4d44cc38712099c9e383dc6e5f11a921"  # Keras checks only MD5

LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper",
    "housing", "money-supply", "coffee", "sugar", "trade", "reserves",
    "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx",
    "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber",
    "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem", "dlr",
    "gas", "silver", "wpi", "hog", "lead")


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None,
              test_split=0.2, seed=113, start_char=1, oov_char=2,
              index_from=3, **kwargs):
    """Loads the Reuters newswire data set.

    Args:
        path: the file's name in the cache folders, or an absolute path.
        num_words: keep the words whose index (after the shift by
            `index_from`) is below `num_words`; the others become
            `oov_char`. None keeps every word.
        skip_top: indexes below this (the most frequent words, and the
            start mark when `start_char < skip_top`) become `oov_char`.
        maxlen: drop the newswires with `maxlen` or more indexes (counting
            the start mark); None keeps all.
        test_split: the fraction of the newswires kept for the test set,
            in `[0, 1)`.
        seed: the seed of the shuffle (NumPy's `RandomState`, as Keras).
        start_char: the index put at the start of every newswire; None
            puts none.
        oov_char: the index that replaces cut words; None drops them.
        index_from: added to every word rank (0 pad, 1 start, 2 OOV by
            default).
        **kwargs: Keras 1's `nb_words`, read as `num_words` with a
            warning.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: `x_*` are 1-D object arrays
        of Python lists of int indexes, `y_*` int arrays of topics 0..45.

    Raises:
        ValueError: a bad argument, or `maxlen` so small that no newswire
            is kept.
        DownloadError: (an `OSError`) the file is not cached and cannot be
            downloaded; the message says where to place it.

    Example (needs the data, so not run here):

        (x_train, y_train), _ = reuters.load_data(num_words=10000)
    """
    caller = "reuters.load_data"
    num_words = _sequences.check_arguments(
        caller, num_words, skip_top, maxlen, start_char, oov_char,
        index_from, kwargs)
    _cache.check_seed(seed, caller)
    _cache.check_test_split(test_split, caller)
    f = _cache.load_npz(_cache.fetch(path, ORIGIN, SHA256, caller=caller))
    xs, labels = f["x"], f["y"]
    order = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(order)
    xs, labels = xs[order], labels[order]

    xs = _sequences.shift(xs, start_char, index_from)
    if maxlen:
        xs, labels = _sequences.drop_long(maxlen, xs, labels)
        if not xs:
            raise ValueError(f"{caller}: no newswire is shorter than "
                             f"maxlen={maxlen}; increase `maxlen`.")
    xs = _sequences.cap(xs, num_words, skip_top, oov_char)
    labels = np.asarray(labels)
    cut = int(len(xs) * (1 - test_split))
    return ((_sequences.as_object_array(xs[:cut]), labels[:cut]),
            (_sequences.as_object_array(xs[cut:]), labels[cut:]))


def get_word_index(path="reuters_word_index.json"):
    """The Reuters word index: a dict from word to its rank (1 = most
    frequent).

    A word of rank `r` appears in `load_data`'s sequences as `r +
    index_from`.

    Args:
        path: the file's name in the cache folders, or an absolute path.

    Returns:
        A dict mapping words (str) to ranks (int).
    """
    return _sequences.read_word_index(_cache.fetch(
        path, WORD_INDEX_ORIGIN, WORD_INDEX_MD5,
        caller="reuters.get_word_index"))


def get_label_names():
    """The 46 topic names, indexed like `load_data`'s labels."""
    return LABEL_NAMES
