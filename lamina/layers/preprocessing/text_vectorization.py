"""`TextVectorization`: text to sequences of token indices (or to
multi-hot, count or TF-IDF vectors)."""

import re
import string

import numpy as np

from lamina import ops
from lamina.layers.layer import Layer
from lamina.layers.preprocessing import category_encoding
from lamina.layers.preprocessing.index_lookup import (
    MODES,
    TokenCounts,
    adapt_batches,
)
from lamina.layers.preprocessing.string_lookup import StringLookup, as_strings
from lamina.saving import config as config_lib

_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")
# TensorFlow's `strings.lower` (as Keras calls it) lowercases ASCII only.
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_PUNCTUATION = re.compile("[" + re.escape(string.punctuation) + "]")
_WORD = re.compile(r"[^ \t\n\r\f\v]+")  # split on ASCII whitespace


def _option(name, value, allowed):
    if value is None or callable(value) or value in allowed:
        return value
    raise ValueError(f"TextVectorization: `{name}` must be None, a callable "
                     f"or one of {', '.join(repr(a) for a in allowed)}; got "
                     f"{name}={value!r}.")


def _ngrams(tokens, widths):
    """Each width's n-grams, joined by spaces, width after width (as
    TensorFlow's `strings.ngrams`; a too short text gives none)."""
    out = []
    for width in widths:
        out.extend(" ".join(tokens[i:i + width])
                   for i in range(len(tokens) - width + 1))
    return out


class TextVectorization(Layer):
    """Turns text into token indices (or multi-hot, count, TF-IDF vectors).

    Each text is standardized, split into tokens, optionally combined into
    n-grams, and looked up in a vocabulary (given, or learned by `adapt`).
    In 'int' mode index 0 is the padding/mask token '' and 1 the OOV token
    '[UNK]'; other modes have no mask, and the OOV token at 0.

    Keras 3 runs this layer on TensorFlow; lamina has no TensorFlow and no
    string tensors, so it runs on the host (Python and NumPy): call it on
    lists or NumPy arrays of strings, shape `(batch,)` or `(batch, 1)`,
    before the model (as Keras recommends), e.g. in a `PyDataset`. It
    returns backend tensors: int64 `(batch, length)` in 'int' mode, float
    `(batch, vocabulary size)` otherwise.

    Args:
        max_tokens: the largest vocabulary size, '' and '[UNK]' included;
            None for no cap.
        standardize: 'lower_and_strip_punctuation', 'lower',
            'strip_punctuation' (ASCII letters and punctuation, as Keras),
            None, or a callable taking a NumPy array of strings (shaped
            like the input) and returning the standardized strings.
        split: 'whitespace', 'character', None (each input string, or each
            of the strings of a `(batch, n)` input, is a token), or a
            callable taking a 1-D NumPy array of strings and returning one
            list of tokens per string.
        ngrams: None, an int `n` (n-grams of sizes 1 to n) or a tuple of
            sizes.
        output_mode: 'int', 'multi_hot', 'count', 'tf_idf' (or 'one_hot').
        output_sequence_length: ('int' mode) pad with 0 or truncate every
            sequence to this length; otherwise to the batch's longest.
        pad_to_max_tokens: make encoded vectors `max_tokens` long.
        vocabulary: a list of strings or a file path (one per line).
        idf_weights: ('tf_idf') one weight per vocabulary entry.
        sparse, ragged: must be False (lamina has no such tensors).
        encoding: the text encoding of bytes inputs and vocabulary files.

    Example:

    >>> import lamina
    >>> layer = lamina.layers.TextVectorization(output_sequence_length=4)
    >>> layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    >>> lamina.ops.convert_to_numpy(layer(["foo qux bar", "qux baz"])).tolist()
    [[4, 1, 3, 0], [1, 2, 0, 0]]
    """

    def __init__(self, max_tokens=None,
                 standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens=False,
                 vocabulary=None, idf_weights=None, sparse=False,
                 ragged=False, encoding="utf-8", name=None, **kwargs):
        has_input = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self._standardize = _option("standardize", standardize, _STANDARDIZE)
        self._split = _option("split", split, _SPLIT)
        output_mode = category_encoding.standardize_output_mode(
            "TextVectorization", output_mode, MODES)
        if isinstance(ngrams, list):
            ngrams = tuple(ngrams)
        if not (ngrams is None or _positive(ngrams) or (
                isinstance(ngrams, tuple) and ngrams and
                all(_positive(n) for n in ngrams))):
            raise ValueError(f"TextVectorization: `ngrams` must be None, a "
                             f"positive int or a tuple of them; got "
                             f"ngrams={ngrams!r}.")
        if output_sequence_length is not None and (
                output_mode != "int" or not _positive(output_sequence_length)):
            raise ValueError(
                "TextVectorization: `output_sequence_length` must be None "
                "or a positive int, and is used only with output_mode="
                f"'int'; got output_sequence_length={output_sequence_length!r}"
                f" with output_mode={output_mode!r}.")
        if ragged:
            raise ValueError("TextVectorization: ragged=True needs ragged "
                             "tensors, which lamina doesn't have; use "
                             "`output_sequence_length` or the padded output.")
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(
            ngrams, int) else ngrams
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary,
            idf_weights=idf_weights, pad_to_max_tokens=pad_to_max_tokens,
            mask_token="", output_mode=output_mode, sparse=sparse,
            has_input_vocabulary=has_input, encoding=encoding,
            vocabulary_size=vocabulary_size)
        self.built = True

    # -- the vocabulary ------------------------------------------------------
    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary; with special tokens ('' and '[UNK]' in 'int'
        mode) a token's position is its index."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        """The vocabulary's size, special tokens included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Replaces the vocabulary (a list or a file path) and, for
        'tf_idf', the IDF weights; see `StringLookup.set_vocabulary`."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights)

    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary from texts: each is standardized, split
        and made into n-grams as in a call, then counted (see
        `StringLookup.adapt`; each text is a document for 'tf_idf').

        Args:
            data: a list or NumPy array of strings, or an iterable of
                batches of them (or of `(x, y)` tuples).
            batch_size: with an array, count it in slices this long.
            steps: with an iterable, stop after this many batches.
        """
        lookup = self._lookup_layer
        if lookup._has_input_vocabulary:
            raise ValueError(f"Layer '{self.name}' was given its "
                             "`vocabulary`; it can't be adapted.")
        counts = TokenCounts()
        for batch in adapt_batches(data, batch_size, steps):
            counts.add(self._tokenize(batch),
                       self._output_mode == "tf_idf")
        lookup._finish_adapt(counts)

    # -- text processing -----------------------------------------------------
    def _standardized(self, texts):
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            texts = np.vectorize(lambda s: s.translate(_LOWER),
                                 otypes=[object])(texts)
        if self._standardize in ("strip_punctuation",
                                 "lower_and_strip_punctuation"):
            texts = np.vectorize(lambda s: _PUNCTUATION.sub("", s),
                                 otypes=[object])(texts)
        if callable(self._standardize):
            texts = as_strings(np.asarray(self._standardize(texts)),
                               self._encoding, "The `standardize` callable")
        return texts

    def _tokenize(self, inputs):
        """The token list of each text of a batch."""
        texts = as_strings(np.asarray(inputs), self._encoding,
                           f"Layer '{self.name}'")
        if texts.size:
            texts = self._standardized(texts)
        if self._split is None:
            if texts.ndim > 2:
                raise ValueError(f"Layer '{self.name}': without `split` the "
                                 "input must have shape (batch,) or "
                                 f"(batch, n); got {texts.shape}.")
            rows = texts.reshape(len(texts), -1).tolist()
        else:
            if texts.ndim == 2 and texts.shape[-1] == 1:
                texts = texts[:, 0]
            if texts.ndim != 1:
                raise ValueError(
                    f"Layer '{self.name}': to split texts the input must "
                    f"have shape (batch,) or (batch, 1); got {texts.shape}.")
            if self._split == "whitespace":
                rows = [_WORD.findall(s) for s in texts.tolist()]
            elif self._split == "character":
                rows = [list(s) for s in texts.tolist()]
            else:
                rows = [as_strings(np.asarray(r, dtype=object).reshape(-1),
                                   self._encoding, "The `split` callable")
                        .tolist() for r in self._split(texts)]
                if len(rows) != len(texts):
                    raise ValueError(
                        f"Layer '{self.name}': the `split` callable returned "
                        f"{len(rows)} token lists for {len(texts)} texts.")
        if self._ngrams:
            rows = [_ngrams(row, self._ngrams) for row in rows]
        return rows

    # -- calling -------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        if not category_encoding.is_host_data(inputs):
            raise TypeError(
                f"Layer '{self.name}' (TextVectorization) runs on the host "
                "and takes lists or NumPy arrays of strings (lamina has no "
                "string tensors); apply it to the data before the model, "
                f"not to a {type(inputs).__name__}.")
        array = np.asarray(inputs)
        single = array.ndim == 0
        rows = self._tokenize(array.reshape(1) if single else array)
        lookup = self._lookup_layer
        flat = np.empty(sum(len(r) for r in rows), dtype=object)
        flat[:] = [token for row in rows for token in row]
        found = lookup.lookup_host(flat)
        width = max((len(r) for r in rows), default=0)
        if self._output_sequence_length is not None:
            width = self._output_sequence_length
        fill = 0 if self._output_mode == "int" else -1
        table = np.full((len(rows), width), fill, dtype="int64")
        start = 0
        for i, row in enumerate(rows):
            kept = min(len(row), width)
            table[i, :kept] = found[start:start + kept]
            start += len(row)
        out = lookup.encode(ops.convert_to_tensor(table))
        return out[0] if single else out

    def compute_output_shape(self, input_shape):
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        lookup = self._lookup_layer
        depth = lookup.max_tokens if lookup.pad_to_max_tokens else \
            lookup._frozen_vocab_size
        return (input_shape[0], depth)

    def save_own_variables(self, store):
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)

    def get_config(self):
        lookup = self._lookup_layer.get_config()
        config = {
            "max_tokens": lookup["max_tokens"],
            "standardize": config_lib.serialize(self._standardize),
            "split": config_lib.serialize(self._split),
            "ngrams": self._ngrams_arg, "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": lookup["pad_to_max_tokens"],
            "sparse": False, "ragged": False,
            "vocabulary": lookup["vocabulary"],
            "idf_weights": lookup["idf_weights"], "encoding": self._encoding,
            "vocabulary_size": lookup["vocabulary_size"]}
        if "has_input_vocabulary" in lookup:
            config["has_input_vocabulary"] = lookup["has_input_vocabulary"]
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key, allowed in (("standardize", _STANDARDIZE),
                             ("split", _SPLIT)):
            config[key] = _function(key, config.get(key), allowed)
        return cls(**config)


def _positive(value):
    return isinstance(value, int) and not isinstance(value, bool) and \
        value > 0


def _function(key, value, allowed):
    """A `standardize`/`split` config value: an option, or the function
    saved by name (lamina) or as a Keras 3 function entry."""
    if value is None or value in allowed:
        return value
    name = value
    if isinstance(value, dict):  # Keras 3: {"class_name": "function", ...}
        name = value.get("registered_name") or value.get("config")
    found = config_lib.find_class(name, "layers") if isinstance(
        name, str) else None
    if callable(found):
        return found
    raise ValueError(f"TextVectorization: the `{key}` function {name!r} is "
                     "not known; register it with "
                     "`lamina.saving.register_keras_serializable()` or pass "
                     "it in `custom_objects`.")
