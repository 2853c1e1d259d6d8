"""Sequence preprocessing (Keras's `keras.preprocessing.sequence`).

`pad_sequences` turns lists of token ids into one padded array,
`skipgrams` and `make_sampling_table` prepare word2vec-style training
pairs, and `TimeseriesGenerator` serves windows of a series as batches.
"""

import random as _py_random

import numpy as np

from lamina.utils.py_dataset import PyDataset


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre",
                  truncating="pre", value=0.0):
    """Pads (or truncates) sequences to the same length.

    Args:
        sequences: a list of sequences (lists or arrays; the items may be
            scalars or arrays of one common shape).
        maxlen: the length of the result; `None`: the longest sequence.
        dtype: the result's dtype; `object` (or a string dtype) for text.
        padding: `'pre'` or `'post'`: pad before or after each sequence.
        truncating: `'pre'` or `'post'`: drop values from the start or
            the end of sequences longer than `maxlen`.
        value: the padding value (a number or a string).

    Returns:
        An array of shape `(len(sequences), maxlen) + item_shape`.

    Example:

    >>> pad_sequences([[1, 2, 3], [4]], maxlen=2).tolist()
    [[2, 3], [0, 4]]
    >>> pad_sequences([[1], [2, 3]], padding="post").tolist()
    [[1, 0], [2, 3]]
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"pad_sequences: `sequences` must be a list of "
                         f"sequences; got {type(sequences).__name__}.")
    for name, mode in (("padding", padding), ("truncating", truncating)):
        if mode not in ("pre", "post"):
            raise ValueError(f"pad_sequences: `{name}` must be 'pre' or "
                             f"'post'; got {mode!r}.")
    lengths, item_shape = [], None
    for seq in sequences:
        if not hasattr(seq, "__len__"):
            raise ValueError(f"pad_sequences: `sequences` must be a list "
                             f"of iterables; found the non-iterable "
                             f"{seq!r}.")
        lengths.append(len(seq))
        if item_shape is None and len(seq):
            item_shape = np.asarray(seq).shape[1:]
    item_shape = item_shape or ()
    if maxlen is None:
        maxlen = max(lengths, default=0)
    maxlen = int(maxlen)
    if maxlen < 0:
        raise ValueError(f"pad_sequences: `maxlen` must be >= 0; got "
                         f"{maxlen}.")
    is_text = np.issubdtype(np.dtype(dtype), np.str_)
    if isinstance(value, str) and np.dtype(dtype) != object and \
            not is_text:
        raise ValueError(f"pad_sequences: `dtype` {dtype} can't hold the "
                         f"string `value` {value!r}; use dtype=object for "
                         f"strings of any length.")
    out = np.full((len(lengths), maxlen) + tuple(item_shape), value,
                  dtype=dtype)
    for row, seq in enumerate(sequences):
        if not len(seq) or not maxlen:
            continue
        kept = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != tuple(item_shape):
            raise ValueError(f"pad_sequences: sequence {row} has items of "
                             f"shape {kept.shape[1:]}, expected "
                             f"{tuple(item_shape)} like the others.")
        if padding == "post":
            out[row, :len(kept)] = kept
        else:
            out[row, maxlen - len(kept):] = kept
    return out


def make_sampling_table(size, sampling_factor=1e-5):
    """Probabilities of keeping each word rank when sampling skipgrams.

    Word frequencies are taken to follow Zipf's law: the word of rank `r`
    (1 the most common) has frequency about
    `1 / (r * (log(r) + gamma) + 1/2 - 1/(12 r))`, gamma the
    Euler-Mascheroni constant. Like word2vec, a word is kept with
    probability `min(1, sqrt(frequency / sampling_factor) /
    (frequency / sampling_factor))`. Rank 0 is treated like rank 1.

    Args:
        size: the vocabulary size.
        sampling_factor: word2vec's sampling factor.

    Returns:
        A float array of shape `(size,)`: entry `i` is the probability of
        keeping the `i`-th most common word.

    Example:

    >>> table = make_sampling_table(5)
    >>> table.shape, bool(table[4] > table[1])
    ((5,), True)
    """
    gamma = 0.577  # Euler-Mascheroni constant, as Keras rounds it
    rank = np.arange(int(size), dtype="float64")
    rank[:1] = 1.0
    frequency = 1.0 / (rank * (np.log(rank) + gamma) + 0.5 -
                       1.0 / (12.0 * rank))
    ratio = frequency / sampling_factor
    return np.minimum(1.0, np.sqrt(ratio) / ratio)


def skipgrams(sequence, vocabulary_size, window_size=4, negative_samples=1.0,
              shuffle=True, categorical=False, sampling_table=None,
              seed=None):
    """Skipgram word pairs from a sequence of word indices.

    Each word `w` (index 0 is skipped: it is padding) is paired with the
    words at most `window_size` positions away: positive pairs, label 1.
    Then `negative_samples` times as many negative pairs, label 0: a word
    of the positive pairs with a random word index in
    `[1, vocabulary_size)`.

    Args:
        sequence: a list of word indices (ints).
        vocabulary_size: one more than the largest word index.
        window_size: how far apart the words of a positive pair may be.
        negative_samples: negative pairs per positive pair (0: none).
        shuffle: shuffle pairs and labels (together).
        categorical: labels as `[0, 1]` / `[1, 0]` instead of 1 / 0.
        sampling_table: from `make_sampling_table`; word `i` is kept as the
            centre of pairs with probability `sampling_table[i]`.
        seed: seed for all random choices (sampling, negatives, shuffle);
            `None` draws from Python's `random` module.

    Returns:
        `(couples, labels)`: lists of `[word, context]` and of labels.

    Example:

    >>> pairs, labels = skipgrams([1, 2], 3, window_size=1,
    ...                           negative_samples=0, shuffle=False)
    >>> pairs, labels
    ([[1, 2], [2, 1]], [1, 1])
    """
    rng = _py_random if seed is None else _py_random.Random(seed)
    couples, labels = [], []
    positive, negative = ([0, 1], [1, 0]) if categorical else (1, 0)
    for i, word in enumerate(sequence):
        if not word:
            continue
        if sampling_table is not None and \
                sampling_table[word] < rng.random():
            continue
        start = max(0, i - window_size)
        stop = min(len(sequence), i + window_size + 1)
        for j in range(start, stop):
            if j != i and sequence[j]:
                couples.append([word, sequence[j]])
                labels.append(list(positive) if categorical else positive)
    if negative_samples > 0 and couples:
        count = int(len(labels) * negative_samples)
        words = [pair[0] for pair in couples]
        rng.shuffle(words)
        couples += [[words[k % len(words)],
                     rng.randint(1, vocabulary_size - 1)]
                    for k in range(count)]
        labels += [list(negative) if categorical else negative
                   for _ in range(count)]
    if shuffle:
        order = list(range(len(couples)))
        rng.shuffle(order)
        couples = [couples[k] for k in order]
        labels = [labels[k] for k in order]
    return couples, labels


class TimeseriesGenerator(PyDataset):
    """Batches of windows over a time series (Keras 2).

    Sample `k` of the series is predicted from the window
    `data[k - length : k : sampling_rate]`, with target `targets[k]`.

    Args:
        data: an indexable series (array or list), time on axis 0.
        targets: as long as `data`; the target for each time step.
        length: how many time steps each window spans.
        sampling_rate: keep every `sampling_rate`-th step in a window.
        stride: steps between the ends of successive windows.
        start_index, end_index: the range of time steps used as targets
            begins at `start_index + length` and ends at `end_index`
            (default: the last step).
        shuffle: draw the windows of each batch at random.
        reverse: windows in reverse time order.
        batch_size: windows per batch.

    Example:

    >>> import numpy as np
    >>> gen = TimeseriesGenerator(np.arange(10), np.arange(10), length=3,
    ...                           batch_size=2)
    >>> x, y = gen[0]
    >>> x.tolist(), y.tolist()
    ([[0, 1, 2], [1, 2, 3]], [3, 4])
    """

    def __init__(self, data, targets, length, sampling_rate=1, stride=1,
                 start_index=0, end_index=None, shuffle=False,
                 reverse=False, batch_size=128, **kwargs):
        super().__init__(**kwargs)
        if len(data) != len(targets):
            raise ValueError(f"TimeseriesGenerator: `data` and `targets` "
                             f"must have the same length; got {len(data)} "
                             f"and {len(targets)}.")
        self.data, self.targets = data, targets
        self.length = int(length)
        self.sampling_rate = int(sampling_rate)
        self.stride = int(stride)
        self.start_index = int(start_index) + self.length
        self.end_index = len(data) - 1 if end_index is None \
            else int(end_index)
        if self.start_index > self.end_index:
            raise ValueError(
                f"TimeseriesGenerator: start_index + length = "
                f"{self.start_index} > end_index = {self.end_index}: no "
                f"time step would be left to predict.")
        self.shuffle, self.reverse = bool(shuffle), bool(reverse)
        self.batch_size = int(batch_size)

    def __len__(self):
        span = self.batch_size * self.stride
        return (self.end_index - self.start_index + span) // span

    def __getitem__(self, index):
        if self.shuffle:
            rows = np.random.randint(self.start_index, self.end_index + 1,
                                     size=self.batch_size)
        else:
            first = self.start_index + self.batch_size * self.stride * index
            rows = np.arange(first, min(first + self.batch_size *
                                        self.stride, self.end_index + 1),
                             self.stride)
        samples = np.array([self.data[row - self.length:row:
                                      self.sampling_rate] for row in rows])
        targets = np.array([self.targets[row] for row in rows])
        if self.reverse:
            samples = samples[:, ::-1, ...]
        return samples, targets

    def get_config(self):
        """The generator's arguments (data and targets as lists)."""
        data, targets = np.asarray(self.data), np.asarray(self.targets)
        return {"data": data.tolist(), "targets": targets.tolist(),
                "length": self.length, "sampling_rate": self.sampling_rate,
                "stride": self.stride,
                "start_index": self.start_index - self.length,
                "end_index": self.end_index, "shuffle": self.shuffle,
                "reverse": self.reverse, "batch_size": self.batch_size}


__all__ = ["TimeseriesGenerator", "make_sampling_table", "pad_sequences",
           "skipgrams"]
