"""`IndexLookup`: the vocabulary table that `StringLookup`, `IntegerLookup`
and `TextVectorization` share (not public, as in Keras 3).

Index layout, as Keras 3: the mask token at 0 (when one is given and
`output_mode='int'`), then `num_oov_indices` OOV indices, then the
vocabulary. `adapt` orders the vocabulary by descending count, ties by
descending token (Keras sorts `(count, token)` and reverses).

The table lives on the host (a dict). Keras 3 keeps it in TensorFlow;
lamina has no TensorFlow, so lookups of host data (NumPy arrays, lists)
run in NumPy/Python and return backend tensors. `IntegerLookup` also has
an in-graph path (`lamina.ops`) for integer tensors.
"""

import collections
import os

import numpy as np

from lamina import ops
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer
from lamina.layers.preprocessing import _hash, category_encoding
from lamina.layers.preprocessing._hash import hash_bucket
from lamina.layers.preprocessing.normalization import _batches

# The asset file of a learned vocabulary in a `.keras` archive.
_VOCABULARY_FILE = "vocabulary.txt"

MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def adapt_batches(data, batch_size=None, steps=None):
    """NumPy batches of `data` for `adapt`.

    A whole array or list is one batch (or slices of `batch_size`); a rank-1
    one is a column, so each element is its own document, as in Keras.
    Iterables (generators, `PyDataset`s) give batches; from an `(x, y)`
    tuple only `x` is used.
    """
    if isinstance(data, (str, bytes)):
        data = [data]
    whole = hasattr(data, "shape") or isinstance(data, (list, tuple))
    if not whole and not (hasattr(data, "__getitem__") and
                          hasattr(data, "__len__")):
        # A generator may yield a plain list of tokens: that is a batch,
        # not an (x, y) pair.
        data = (np.asarray(b) if isinstance(b, list) and all(
            isinstance(v, (str, bytes, int, float)) for v in b) else b
            for b in data)
    for batch in _batches(data, batch_size, steps):
        if whole and batch.ndim == 1:
            batch = batch[:, None]
        yield batch


def listify(value):
    """A vocabulary or weights argument as a plain list (for configs)."""
    if value is None or isinstance(value, str):
        return value
    if ops.is_tensor(value):
        value = ops.convert_to_numpy(value)
    return np.asarray(value).tolist() if isinstance(value, np.ndarray) \
        else list(value)


class TokenCounts:
    """Token and document counts gathered by `adapt`."""

    def __init__(self):
        self.counts = collections.Counter()
        self.document_counts = collections.Counter()
        self.num_documents = 0

    def add(self, documents, with_documents):
        """Counts a list of documents (each a list of tokens)."""
        for document in documents:
            self.counts.update(document)
            if with_documents:
                self.document_counts.update(set(document))
        self.num_documents += len(documents)


class IndexLookup(Layer):
    """Maps tokens to indices through a vocabulary; see `StringLookup` and
    `IntegerLookup` for the arguments."""

    _vocabulary_dtype = None  # 'string' or 'int64', set by subclasses

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token,
                 vocabulary=None, idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, **kwargs):
        kind = type(self).__name__
        frozen = kwargs.pop("vocabulary_size", None)
        has_input = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        super().__init__(**kwargs)
        if max_tokens is not None and (isinstance(max_tokens, bool) or
                                       not isinstance(max_tokens, int) or
                                       max_tokens <= 1):
            raise ValueError(f"{kind}: `max_tokens` must be None or an int "
                             f"> 1; got max_tokens={max_tokens!r}.")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"{kind}: pad_to_max_tokens=True needs "
                             "`max_tokens` (the padded size); got "
                             "max_tokens=None.")
        if isinstance(num_oov_indices, bool) or not isinstance(
                num_oov_indices, int) or num_oov_indices < 0:
            raise ValueError(f"{kind}: `num_oov_indices` must be an int >= "
                             f"0; got num_oov_indices={num_oov_indices!r}.")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"{kind}: `oov_method` must be 'floormod' or "
                             f"'farmhash'; got oov_method={oov_method!r}.")
        output_mode = category_encoding.standardize_output_mode(
            kind, output_mode, MODES)
        if invert and output_mode != "int":
            raise ValueError(f"{kind}: invert=True needs output_mode='int'; "
                             f"got output_mode={output_mode!r}.")
        category_encoding.check_not_sparse(kind, sparse)
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{kind}: `idf_weights` is used only with "
                             f"output_mode='tf_idf'; got output_mode="
                             f"{output_mode!r}.")
        if output_mode == "tf_idf" and has_input and idf_weights is None:
            raise ValueError(f"{kind}: with a `vocabulary` and output_mode="
                             "'tf_idf', `idf_weights` must be given too.")
        self.salt = _hash.standardize_salt(kind, salt)
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.invert = bool(invert)
        self.output_mode = output_mode
        self.sparse = False
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.oov_method = oov_method
        self.input_vocabulary = None if isinstance(vocabulary, str) \
            else vocabulary
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = bool(has_input)
        self._frozen_vocab_size = frozen
        self._tokens = None  # the vocabulary, special tokens left out
        self._index = {}
        self._idf = None
        self._from_init = vocabulary is not None
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
            self._from_init = not isinstance(vocabulary, str)
        self.built = True

    # -- the vocabulary ------------------------------------------------------
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and \
            self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self):
        """The vocabulary's size, mask and OOV indices included."""
        return self._token_start_index() + len(self._tokens or ())

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary as a list; with `include_special_tokens` a
        token's position is its index (mask token, OOV tokens first)."""
        tokens = list(self._tokens or ())
        if not include_special_tokens:
            return tokens
        return [self.mask_token] * self._oov_start_index() + \
            [self.oov_token] * self.num_oov_indices + tokens

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Replaces the vocabulary (and, for 'tf_idf', the IDF weights).

        Args:
            vocabulary: a list, tuple, 1-D array or tensor of tokens, or the
                path of a text file with one token per line. It may start
                with the special tokens (mask, OOV) in their places.
            idf_weights: ('tf_idf' only) one weight per vocabulary entry;
                OOV indices not in `vocabulary` get their mean.
        """
        name = f"Layer '{self.name}'"
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{name}: output_mode='tf_idf' needs "
                             "`idf_weights` with the vocabulary.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"{name}: `idf_weights` is used only with "
                             f"output_mode='tf_idf'; this layer has "
                             f"output_mode='{self.output_mode}'.")
        if isinstance(vocabulary, (str, os.PathLike)):
            vocabulary = self._read_vocabulary_file(os.fspath(vocabulary))
        elif ops.is_tensor(vocabulary):
            vocabulary = ops.convert_to_numpy(vocabulary)
        array = np.asarray(vocabulary)
        if array.ndim != 1 or array.size == 0:
            raise ValueError(f"{name}: the vocabulary must be a non-empty "
                             f"1-D list of tokens; got {vocabulary!r:.200}.")
        tokens = self._host_tokens(array).tolist()
        start = self._token_start_index()
        special = self.get_vocabulary()[:start]
        found_special = tokens[:start] == special
        if found_special:
            tokens = tokens[start:]
        repeated = [t for t, c in collections.Counter(tokens).items()
                    if c > 1]
        if repeated:
            raise ValueError(f"{name}: the vocabulary repeats {repeated}; "
                             "each token must appear once.")
        for role, token, check in (("mask", self.mask_token, True),
                                   ("OOV", self.oov_token, self.invert)):
            if check and token is not None and token in tokens:
                raise ValueError(
                    f"{name}: the {role} token {token!r} is inside the "
                    "vocabulary; leave the special tokens out, or put them "
                    f"first, in this order: {special}.")
        if self.max_tokens is not None and \
                start + len(tokens) > self.max_tokens:
            raise ValueError(f"{name}: the vocabulary has {start + len(tokens)}"
                             f" entries with the special tokens, more than "
                             f"max_tokens={self.max_tokens}.")
        idf = None
        if idf_weights is not None:
            idf = np.asarray(listify(idf_weights), dtype="float64")
            if idf.ndim != 1 or len(idf) != len(array):
                raise ValueError(f"{name}: `idf_weights` must be 1-D with one "
                                 f"weight per vocabulary entry ({len(array)})"
                                 f"; got shape {idf.shape}.")
            if not found_special:
                idf = np.concatenate([np.full(start, idf.mean()), idf])
        self._set_tokens(tokens, idf)
        self._from_init = False

    def _read_vocabulary_file(self, path):
        if not os.path.isfile(path):
            raise ValueError(f"Layer '{self.name}': the vocabulary file "
                             f"'{path}' does not exist.")
        if self.output_mode == "tf_idf":
            raise ValueError(f"Layer '{self.name}': output_mode='tf_idf' "
                             "can't take its vocabulary from a file; pass "
                             "a list with `idf_weights`.")
        with open(path, encoding=getattr(self, "encoding", "utf-8")) as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        return [self._token_from_text(line) for line in lines]

    def _set_tokens(self, tokens, idf):
        start = self._token_start_index()
        size = start + len(tokens)
        if self.output_mode != "int" and not self.pad_to_max_tokens and \
                self._frozen_vocab_size is not None and \
                size != self._frozen_vocab_size:
            # The output width would change under a model built on it.
            raise RuntimeError(
                f"Layer '{self.name}': with output_mode="
                f"'{self.output_mode}' and pad_to_max_tokens=False the "
                f"vocabulary size can't change once set; it was "
                f"{self._frozen_vocab_size}, the new one is {size}.")
        if idf is not None and self.pad_to_max_tokens:
            idf = np.pad(idf, (0, self.max_tokens - len(idf)))
        self._tokens = list(tokens)
        self._index = {t: start + i for i, t in enumerate(self._tokens)}
        self._idf = None if idf is None else idf.astype("float32")
        self._frozen_vocab_size = size
        self._tables = None

    # -- adapt ---------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary (and IDF weights) from `data`.

        Tokens are ordered by descending count, ties by descending token;
        with `max_tokens` only the most frequent are kept. Each row of a
        batch is a document (for 'tf_idf': `idf = log(1 + num_documents /
        (1 + document_count))`, the OOV indices getting the mean).

        Args:
            data: a NumPy array or list (a rank-1 one holds one token per
                document; a list of token lists may be ragged), or an
                iterable of batches (arrays, or `(x, y)` tuples), e.g. a
                generator or a `PyDataset`.
            batch_size: with an array, count it in slices this long.
            steps: with an iterable, stop after this many batches.
        """
        if self._has_input_vocabulary:
            raise ValueError(f"Layer '{self.name}' was given its "
                             "`vocabulary`; it can't be adapted.")
        counts = TokenCounts()
        with_documents = self.output_mode == "tf_idf"
        if isinstance(data, list) and data and all(
                isinstance(d, (list, tuple)) for d in data) and \
                len({len(d) for d in data}) > 1:
            # Documents of different lengths (which make no array).
            counts.add([self._host_tokens(np.asarray(d)).reshape(-1)
                        .tolist() for d in data], with_documents)
        else:
            for batch in adapt_batches(data, batch_size, steps):
                counts.add(self._documents(batch), with_documents)
        self._finish_adapt(counts)

    def _documents(self, batch):
        tokens = self._host_tokens(np.asarray(batch))
        if tokens.ndim < 2:
            return [tokens.reshape(-1).tolist()]
        return tokens.reshape(len(tokens), -1).tolist()

    def _finish_adapt(self, counts):
        for special in (self.mask_token, self.oov_token):
            counts.counts.pop(special, None)
        if not counts.counts:
            return  # as Keras: nothing seen, the vocabulary stays
        ranked = sorted(counts.counts.items(), key=lambda item: (
            item[1], item[0]), reverse=True)
        if self.max_tokens is not None:
            ranked = ranked[:self.max_tokens - self._token_start_index()]
        tokens = [token for token, _ in ranked]
        idf = None
        if self.output_mode == "tf_idf":
            found = np.array([counts.document_counts[t] for t in tokens],
                             dtype="float64")
            idf = np.log(1.0 + counts.num_documents / (1.0 + found))
            idf = np.concatenate([np.full(self._token_start_index(),
                                          idf.mean()), idf])
        self._set_tokens(tokens, idf)

    # -- lookups on the host ---------------------------------------------------
    def _oov_bucket(self, token):
        if self.num_oov_indices == 1:
            return 0
        if isinstance(token, int) and self.oov_method == "floormod":
            return token % self.num_oov_indices  # Python's % is floor mod
        return hash_bucket(token, self.num_oov_indices, self.salt)

    def lookup_host(self, tokens):
        """Indices (int64 NumPy) of `tokens` (a NumPy array of tokens);
        a mask token outside 'int' mode gives -1 (dropped)."""
        unique, inverse = np.unique(tokens.reshape(-1), return_inverse=True)
        start = self._oov_start_index()
        found, missing = [], []
        for token in unique.tolist():
            if self.mask_token is not None and token == self.mask_token:
                found.append(0 if self.output_mode == "int" else -1)
            elif token in self._index:
                found.append(self._index[token])
            elif self.num_oov_indices == 0:
                missing.append(token)
            else:
                found.append(start + self._oov_bucket(token))
        if missing:
            raise ValueError(
                f"Layer '{self.name}': with num_oov_indices=0 every input "
                f"must be in the vocabulary; found out-of-vocabulary "
                f"values {missing[:20]}. Set num_oov_indices=1 to map them "
                "to an OOV index.")
        table = np.asarray(found, dtype="int64")
        return table[inverse].reshape(tokens.shape)

    def invert_host(self, indices):
        """The tokens (a NumPy object array) at `indices`; indices outside
        the vocabulary give the OOV token."""
        vocabulary = self.get_vocabulary()
        table = np.empty(len(vocabulary) + 1, dtype=object)
        table[:-1] = vocabulary
        table[-1] = self.oov_token
        indices = np.asarray(indices).astype("int64")
        inside = (indices >= 0) & (indices < len(vocabulary))
        return table[np.where(inside, indices, len(vocabulary))]

    # -- calling -------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        if category_encoding.is_host_data(inputs):
            return self._call_host(np.asarray(inputs))
        return self._call_tensor(inputs, *args, **kwargs)

    def _call_tensor(self, inputs, *args, **kwargs):
        return super().__call__(inputs, *args, **kwargs)

    def _call_host(self, array):
        if self.invert:
            return self._inverted_output(self.invert_host(array))
        indices = self.lookup_host(self._host_tokens(array))
        return self.encode(ops.convert_to_tensor(indices))

    def _depth(self):
        if self.pad_to_max_tokens:
            return self.max_tokens
        if self._frozen_vocab_size is None and self.output_mode != "int":
            raise RuntimeError(
                f"Layer '{self.name}': with output_mode='{self.output_mode}'"
                " and pad_to_max_tokens=False the vocabulary must be set "
                "before the layer is called: pass `vocabulary` or call "
                "`adapt(data)`.")
        return self._frozen_vocab_size

    def encode(self, indices):
        """`indices` (a tensor; -1 for dropped tokens) in `output_mode`."""
        if self.output_mode == "int":
            return ops.cast(indices, "int64")
        depth = self._depth()
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = category_encoding.encode_categorical(indices, mode, depth,
                                                   self.compute_dtype)
        if self.output_mode == "tf_idf":
            if self._idf is None:
                raise RuntimeError(f"Layer '{self.name}' has no IDF weights "
                                   "yet: pass `vocabulary` and "
                                   "`idf_weights`, or call `adapt(data)`.")
            out = ops.multiply(out, ops.convert_to_tensor(
                self._idf, dtype=self.compute_dtype))
        return out

    def compute_output_shape(self, input_shape):
        depth = self.max_tokens if self.pad_to_max_tokens else \
            self._frozen_vocab_size
        return category_encoding.encoded_shape(input_shape, self.output_mode,
                                               depth)

    def compute_output_spec(self, inputs):
        dtype = "int64" if self.output_mode == "int" else self.compute_dtype
        return SymbolicTensor(self.compute_output_shape(inputs.shape), dtype)

    # -- saving --------------------------------------------------------------
    def save_own_variables(self, store):
        # As Keras 3: the (padded) IDF weights under "idf_weights".
        if self.output_mode == "tf_idf" and self._idf is not None:
            store["idf_weights"] = self._idf

    def load_own_variables(self, store):
        if self.output_mode == "tf_idf" and "idf_weights" in store:
            self._idf = np.asarray(store["idf_weights"], dtype="float32")

    def save_assets(self, dir_path):
        """Writes a learned vocabulary (special tokens first, one token a
        line) to `vocabulary.txt`, where Keras 3 keeps it in a `.keras`
        archive; a vocabulary given to the constructor is in the config."""
        if self._from_init or self._tokens is None:
            return
        with open(os.path.join(dir_path, _VOCABULARY_FILE), "w",
                  encoding="utf-8") as f:
            f.write("\n".join(str(t) for t in self.get_vocabulary()))

    def load_assets(self, dir_path):
        """Takes the vocabulary from `vocabulary.txt` (a Keras 3 file keeps
        an adapted layer's vocabulary there and not in the config); the
        IDF weights, for 'tf_idf', came with the weights."""
        path = os.path.join(dir_path, _VOCABULARY_FILE)
        if self._from_init or not os.path.isfile(path):
            return
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        tokens = [self._token_from_text(line) for line in lines]
        idf = None
        if self.output_mode == "tf_idf" and self._idf is not None:
            idf = self._idf[:len(tokens)]
        self.set_vocabulary(tokens, idf_weights=idf)

    def get_config(self):
        """Keras 3's keys. Keras keeps a learned vocabulary in an asset
        file (`vocabulary.txt`) of the `.keras` archive; lamina's archives
        have no assets, so the config holds it (special tokens first, with
        `has_input_vocabulary: False` so the layer stays adaptable)."""
        vocabulary = listify(self.input_vocabulary)
        idf = listify(self.input_idf_weights)
        config = {}
        if not self._from_init and self._tokens is not None:
            vocabulary = self.get_vocabulary()
            size = self.vocabulary_size()
            idf = None if self._idf is None else \
                [float(w) for w in self._idf[:size]]
            if not self._has_input_vocabulary:
                config["has_input_vocabulary"] = False
        return {**super().get_config(), "invert": self.invert,
                "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices,
                "oov_token": self.oov_token, "mask_token": self.mask_token,
                "output_mode": self.output_mode, "sparse": self.sparse,
                "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary_dtype": self._vocabulary_dtype,
                "idf_weights": idf, "vocabulary": vocabulary,
                "vocabulary_size": self._frozen_vocab_size,
                "oov_method": self.oov_method, "salt": self.salt, **config}

    @classmethod
    def from_config(cls, config, safe_mode=False):
        if safe_mode and isinstance(config.get("vocabulary"), str):
            raise ValueError(
                f"The config of {cls.__name__} names a vocabulary file "
                f"('{config['vocabulary']}') outside the model file; safe "
                "mode refuses to read it. Load with safe_mode=False if you "
                "trust the file.")
        return cls(**config)

    # -- subclass hooks --------------------------------------------------------
    def _host_tokens(self, array):
        """`array` as a NumPy array of tokens of the vocabulary's type."""
        raise NotImplementedError

    def _token_from_text(self, line):
        raise NotImplementedError

    def _inverted_output(self, tokens):
        raise NotImplementedError
