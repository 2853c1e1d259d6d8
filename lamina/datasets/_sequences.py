"""What IMDB and Reuters share: turning word ranks into model input.

The files store each text as a list of word ranks (1 is the most frequent
word). `load_data` then, in Keras's order: shifts every rank by
`index_from` and puts `start_char` in front; drops the texts that are
`maxlen` long or longer (counting the start mark); and replaces every index
outside `[skip_top, num_words)` by `oov_char` (or drops it when `oov_char`
is None). The bounds apply to the shifted indices, as in Keras, so with
`num_words=n` no index reaches `n`.
"""

import numpy as np

from lamina.legacy import arguments


def check_arguments(caller, num_words, skip_top, maxlen, start_char,
                    oov_char, index_from, kwargs):
    """Validates the shared arguments; returns `num_words` after reading
    Keras 1's `nb_words` from `kwargs`."""
    if "nb_words" in kwargs:
        value = kwargs.pop("nb_words")
        arguments.warn_once(
            (caller, "nb_words"),
            f"{caller}(nb_words=...) is the Keras 1 spelling; write "
            f"{caller}(num_words={value!r}).")
        if num_words is not None:
            raise TypeError(f"{caller}: got both 'nb_words' (Keras 1 "
                            "spelling) and 'num_words'; pass only "
                            "'num_words'.")
        num_words = value
    if kwargs:
        raise TypeError(f"{caller}: unexpected keyword arguments "
                        f"{sorted(kwargs)}.")
    for name, value, optional in (
            ("num_words", num_words, True), ("skip_top", skip_top, False),
            ("maxlen", maxlen, True), ("start_char", start_char, True),
            ("oov_char", oov_char, True), ("index_from", index_from, False)):
        if value is None and optional:
            continue
        if isinstance(value, bool) or not isinstance(
                value, (int, np.integer)) or value < 0:
            raise ValueError(
                f"{caller}: `{name}` must be a non-negative integer"
                f"{' or None' if optional else ''}; got {value!r}.")
    return num_words


def shift(sequences, start_char, index_from):
    """Adds `index_from` to every rank and `start_char` in front."""
    head = [] if start_char is None else [int(start_char)]
    return [head + [int(w) + index_from for w in seq] for seq in sequences]


def drop_long(maxlen, sequences, labels):
    """Keeps the sequences shorter than `maxlen` (Keras filters rather than
    truncates, whatever its docstring says), and their labels."""
    keep = [i for i, seq in enumerate(sequences) if len(seq) < maxlen]
    return [sequences[i] for i in keep], np.asarray(labels)[keep]


def cap(sequences, num_words, skip_top, oov_char):
    """Maps indices outside `[skip_top, num_words)` to `oov_char`, or drops
    them when `oov_char` is None. `num_words=None` (or 0) keeps every
    word, as Keras documents."""
    if not num_words:
        num_words = max((max(seq) for seq in sequences if seq),
                        default=0) + 1
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in seq]
                for seq in sequences]
    return [[w for w in seq if skip_top <= w < num_words]
            for seq in sequences]


def as_object_array(sequences):
    """A 1-D object array of lists (NumPy would make equal-length lists
    2-D)."""
    out = np.empty(len(sequences), dtype=object)
    for i, seq in enumerate(sequences):
        out[i] = seq
    return out


def read_word_index(path):
    import json
    with open(path, encoding="utf8") as f:
        return json.load(f)
