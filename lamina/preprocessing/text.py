"""Text preprocessing (Keras 2's `keras.preprocessing.text`).

`Tokenizer` builds a word index from texts and turns texts into
sequences of word indices or into document-term matrices;
`text_to_word_sequence`, `one_hot` and `hashing_trick` are the stateless
helpers. Index 0 is never given to a word: it is kept for padding.
"""

import collections
import hashlib
import json

import numpy as np

from lamina.legacy.arguments import warn_once

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
MODES = ("binary", "count", "tfidf", "freq")


def text_to_word_sequence(text, filters=DEFAULT_FILTERS, lower=True,
                          split=" "):
    """Splits a text into words.

    Args:
        text: the text (a string).
        filters: characters removed (replaced by `split`).
        lower: lowercase the text first.
        split: the word separator.

    Returns:
        The list of words (empty strings dropped).

    Example:

    >>> text_to_word_sequence("Hello, World!  again")
    ['hello', 'world', 'again']
    """
    if not isinstance(text, str):
        raise TypeError(f"text_to_word_sequence: `text` must be a string; "
                        f"got {type(text).__name__}.")
    if lower:
        text = text.lower()
    text = text.translate(str.maketrans({c: split for c in filters}))
    return [word for word in text.split(split) if word]


def hashing_trick(text, n, hash_function=None, filters=DEFAULT_FILTERS,
                  lower=True, split=" ", analyzer=None):
    """Words of a text hashed to indices in `[1, n)`.

    Args:
        text: the text.
        n: the size of the hashing space; word indices are
            `hash(word) % (n - 1) + 1` (0 stays free for padding).
        hash_function: `None` (Python's `hash`, which varies between runs
            unless `PYTHONHASHSEED` is set), `'md5'` (stable), or a
            function from a string to an int.
        filters, lower, split: as in `text_to_word_sequence`.
        analyzer: a function from the text to its words, used instead of
            `text_to_word_sequence`.

    Returns:
        A list of ints, one per word.

    Example:

    >>> hashing_trick("the cat the", 10, hash_function="md5")[0] == \\
    ...     hashing_trick("the", 10, hash_function="md5")[0]
    True
    """
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        def hash_function(word):
            return int(hashlib.md5(word.encode()).hexdigest(), 16)
    elif not callable(hash_function):
        raise ValueError(f"hashing_trick: `hash_function` must be None, "
                         f"'md5' or a function; got {hash_function!r}.")
    if int(n) < 2:
        raise ValueError(f"hashing_trick: `n` must be at least 2; got {n}.")
    words = analyzer(text) if analyzer is not None else \
        text_to_word_sequence(text, filters=filters, lower=lower, split=split)
    return [hash_function(word) % (int(n) - 1) + 1 for word in words]


def one_hot(text, n, filters=DEFAULT_FILTERS, lower=True, split=" ",
            analyzer=None):
    """`hashing_trick` with Python's `hash`: word indices in `[1, n)`.

    Despite the name, the result is a list of ints, not one-hot vectors
    (as in Keras). Distinct words may share an index.
    """
    return hashing_trick(text, n, hash_function=hash, filters=filters,
                         lower=lower, split=split, analyzer=analyzer)


class Tokenizer:
    """Turns texts into sequences of word indices or into matrices.

    After `fit_on_texts`, words are indexed by decreasing count (ties in
    order of first appearance), from 1; with `oov_token` that token gets
    index 1. With `num_words`, only words of index `< num_words` are used
    by `texts_to_sequences` and the matrix methods.

    Args:
        num_words: keep only the `num_words - 1` most common words.
        filters: characters removed from texts.
        lower: lowercase texts.
        split: the word separator.
        char_level: every character is a token.
        oov_token: if given, added to `word_index` and used for words
            that are not in it (or not among the `num_words`).
        analyzer: a function from a text to its tokens, replacing the
            built-in splitting.
        document_count: texts seen so far (restored from a config).

    Attributes:
        word_counts: `{word: count}` in the order words were first seen.
        word_docs: `{word: number of texts containing it}`.
        word_index, index_word: `{word: index}` and the inverse.
        index_docs: `{index: number of texts containing it}`.
        document_count: the number of texts (or sequences) fitted on.

    Example:

    >>> tok = Tokenizer()
    >>> tok.fit_on_texts(["the cat", "the dog"])
    >>> tok.word_index
    {'the': 1, 'cat': 2, 'dog': 3}
    >>> tok.texts_to_sequences(["dog the bird"])
    [[3, 1]]
    """

    def __init__(self, num_words=None, filters=DEFAULT_FILTERS, lower=True,
                 split=" ", char_level=False, oov_token=None,
                 analyzer=None, document_count=0, **kwargs):
        if "nb_words" in kwargs:
            num_words = kwargs.pop("nb_words")
            warn_once("Tokenizer-nb_words", "Tokenizer(nb_words=...) is the "
                      f"Keras 1 spelling; write Tokenizer(num_words="
                      f"{num_words!r}).")
        if kwargs:
            raise TypeError(f"Tokenizer: unrecognized arguments "
                            f"{sorted(kwargs)}.")
        if num_words is not None and (isinstance(num_words, bool) or
                                      int(num_words) < 0):
            raise ValueError(f"Tokenizer: `num_words` must be None or a "
                             f"non-negative int; got {num_words!r}.")
        self.num_words = None if num_words is None else int(num_words)
        self.filters, self.lower, self.split = filters, lower, split
        self.char_level, self.oov_token = char_level, oov_token
        self.analyzer = analyzer
        self.document_count = int(document_count)
        self.word_counts = collections.OrderedDict()
        self.word_docs = collections.defaultdict(int)
        self.index_docs = collections.defaultdict(int)
        self.word_index = {}
        self.index_word = {}

    def _tokens(self, text):
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) \
                    else text.lower()
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, filters=self.filters,
                                     lower=self.lower, split=self.split)

    def fit_on_texts(self, texts):
        """Counts the words of `texts` and (re)builds `word_index`.

        Args:
            texts: a list of strings (or of lists of tokens).
        """
        if isinstance(texts, str):
            raise TypeError("Tokenizer.fit_on_texts: `texts` must be a list "
                            "of texts, got one string; write "
                            "fit_on_texts([text]).")
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for word in tokens:
                self.word_counts[word] = self.word_counts.get(word, 0) + 1
            for word in set(tokens):
                self.word_docs[word] += 1
        # sorted() is stable: equal counts keep their first-seen order.
        ranked = sorted(self.word_counts.items(), key=lambda wc: wc[1],
                        reverse=True)
        vocabulary = [] if self.oov_token is None else [self.oov_token]
        vocabulary += [word for word, _ in ranked]
        self.word_index = dict(zip(vocabulary,
                                   range(1, len(vocabulary) + 1)))
        self.index_word = {i: w for w, i in self.word_index.items()}
        for word, count in self.word_docs.items():
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences):
        """Counts, per index, the sequences it appears in (for 'tfidf').

        Args:
            sequences: a list of sequences of word indices.
        """
        self.document_count += len(sequences)
        for seq in sequences:
            for index in set(seq):
                self.index_docs[index] += 1

    def _in_vocabulary(self, index):
        return not self.num_words or index < self.num_words

    def texts_to_sequences_generator(self, texts):
        """Yields, for each text, its list of word indices."""
        oov_index = self.word_index.get(self.oov_token)
        for text in texts:
            indices = []
            for word in self._tokens(text):
                index = self.word_index.get(word)
                if index is not None and self._in_vocabulary(index):
                    indices.append(index)
                elif oov_index is not None:
                    indices.append(oov_index)
            yield indices

    def texts_to_sequences(self, texts):
        """Each text as a list of word indices (unknown words dropped, or
        `oov_token`'s index with one).

        Example:

        >>> tok = Tokenizer(oov_token="?")
        >>> tok.fit_on_texts(["a b b"])
        >>> tok.texts_to_sequences(["b c a"])
        [[2, 1, 3]]
        """
        return list(self.texts_to_sequences_generator(texts))

    def sequences_to_texts_generator(self, sequences):
        """Yields, for each sequence, its words joined by spaces."""
        oov_index = self.word_index.get(self.oov_token)
        for seq in sequences:
            words = []
            for index in seq:
                word = self.index_word.get(index)
                if word is not None and self._in_vocabulary(index):
                    words.append(word)
                elif oov_index is not None:
                    words.append(self.index_word[oov_index])
            yield " ".join(words)

    def sequences_to_texts(self, sequences):
        """Each sequence of word indices back as a text."""
        return list(self.sequences_to_texts_generator(sequences))

    def texts_to_matrix(self, texts, mode="binary"):
        """`sequences_to_matrix` of `texts_to_sequences(texts)`."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts),
                                        mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """A document-term matrix of shape `(len(sequences), num_words)`.

        Indices `>= num_words` are ignored. For a word of index `j`
        appearing `c` times in a sequence of length `n` (out of
        `document_count` documents, `index_docs[j]` of which contain it):
        'binary' is 1, 'count' is `c`, 'freq' is `c / n`, and 'tfidf' is
        `(1 + log(c)) * log(1 + document_count / (1 + index_docs[j]))`.

        Args:
            sequences: a list of sequences of word indices.
            mode: 'binary', 'count', 'tfidf' or 'freq'.

        Returns:
            A float64 array.
        """
        if mode not in MODES:
            raise ValueError(f"Tokenizer: `mode` must be one of {MODES}; "
                             f"got {mode!r}.")
        if self.num_words:
            width = self.num_words
        elif self.word_index:
            width = len(self.word_index) + 1
        else:
            raise ValueError("Tokenizer: pass `num_words` or fit on some "
                             "texts first: the matrix width is unknown.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Tokenizer: fit the Tokenizer on some data "
                             "before using mode='tfidf'.")
        out = np.zeros((len(sequences), width))
        for row, seq in enumerate(sequences):
            if not len(seq):
                continue
            counts = collections.Counter(j for j in seq if j < width)
            for j, c in counts.items():
                if mode == "count":
                    out[row, j] = c
                elif mode == "freq":
                    out[row, j] = c / len(seq)
                elif mode == "binary":
                    out[row, j] = 1
                else:
                    idf = np.log(1 + self.document_count /
                                 (1 + self.index_docs.get(j, 0)))
                    out[row, j] = (1 + np.log(c)) * idf
        return out

    def get_config(self):
        """The tokenizer's settings and vocabulary; the dictionaries are
        JSON strings (as in Keras), so the config reads in other tools."""
        return {
            "num_words": self.num_words, "filters": self.filters,
            "lower": self.lower, "split": self.split,
            "char_level": self.char_level, "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index)}

    def to_json(self, **kwargs):
        """The tokenizer as a JSON string (`json.dumps` keyword arguments
        are passed on); read it back with `tokenizer_from_json`."""
        return json.dumps({"class_name": type(self).__name__,
                           "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string):
    """A `Tokenizer` from the string `Tokenizer.to_json()` returned.

    Example:

    >>> tok = Tokenizer()
    >>> tok.fit_on_texts(["a b b"])
    >>> tokenizer_from_json(tok.to_json()).word_index == tok.word_index
    True
    """
    try:
        config = dict(json.loads(json_string)["config"])
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"tokenizer_from_json: not a Tokenizer's JSON "
                         f"({error}).") from None
    tables = {key: json.loads(config.pop(key)) for key in (
        "word_counts", "word_docs", "index_docs", "index_word",
        "word_index")}
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = collections.OrderedDict(tables["word_counts"])
    tokenizer.word_docs = collections.defaultdict(int, tables["word_docs"])
    tokenizer.index_docs = collections.defaultdict(
        int, {int(k): v for k, v in tables["index_docs"].items()})
    tokenizer.index_word = {int(k): v
                            for k, v in tables["index_word"].items()}
    tokenizer.word_index = tables["word_index"]
    return tokenizer


__all__ = ["Tokenizer", "hashing_trick", "one_hot", "text_to_word_sequence",
           "tokenizer_from_json"]
