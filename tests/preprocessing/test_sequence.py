"""lamina.preprocessing.sequence against plain-Python references."""

import itertools
import math

import numpy as np
import pytest

from lamina.preprocessing import sequence

SEQS = [[1, 2, 3, 4, 5], [6, 7], [], [8, 9, 10]]


def reference_pad(seqs, maxlen, padding, truncating, value):
    rows = []
    for seq in seqs:
        seq = list(seq)
        kept = seq[max(len(seq) - maxlen, 0):] if truncating == "pre" \
            else seq[:maxlen]
        fill = [value] * (maxlen - len(kept))
        rows.append(fill + kept if padding == "pre" else kept + fill)
    return rows


@pytest.mark.parametrize("padding,truncating,maxlen", itertools.product(
    ["pre", "post"], ["pre", "post"], [2, 4, 7]))
def test_pad_sequences_every_combination(padding, truncating, maxlen):
    got = sequence.pad_sequences(SEQS, maxlen=maxlen, padding=padding,
                                 truncating=truncating, value=-1)
    want = reference_pad(SEQS, maxlen, padding, truncating, -1)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, np.array(want))


def test_pad_sequences_default_length_dtype_and_value():
    got = sequence.pad_sequences(SEQS, dtype="float32", value=0.5)
    assert got.shape == (4, 5) and got.dtype == np.float32
    np.testing.assert_array_equal(
        got, np.array(reference_pad(SEQS, 5, "pre", "pre", 0.5)))


def test_pad_sequences_strings_with_object_dtype():
    got = sequence.pad_sequences([["a", "b"], ["c"]], maxlen=3,
                                 dtype=object, value="<pad>",
                                 padding="post")
    assert got.tolist() == [["a", "b", "<pad>"], ["c", "<pad>", "<pad>"]]


def test_pad_sequences_items_with_a_shape():
    seqs = [np.ones((2, 3)), np.full((1, 3), 2.0)]
    got = sequence.pad_sequences(seqs, maxlen=2, dtype="float32")
    assert got.shape == (2, 2, 3)
    np.testing.assert_array_equal(got[1, 0], np.zeros(3))
    np.testing.assert_array_equal(got[1, 1], np.full(3, 2.0))


@pytest.mark.parametrize("kwargs,match", [
    ({"padding": "middle"}, "padding"),
    ({"truncating": "both"}, "truncating"),
    ({"value": "x"}, "dtype=object"),
])
def test_pad_sequences_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sequence.pad_sequences(SEQS, **kwargs)


def test_pad_sequences_rejects_non_iterables():
    with pytest.raises(ValueError, match="non-iterable"):
        sequence.pad_sequences([[1], 2])


def test_make_sampling_table_formula():
    size, factor = 50, 1e-3
    table = sequence.make_sampling_table(size, sampling_factor=factor)
    for i, got in enumerate(table):
        rank = max(i, 1)
        freq = 1 / (rank * (math.log(rank) + 0.577) + 0.5 - 1 / (12 * rank))
        want = min(1.0, math.sqrt(freq / factor) / (freq / factor))
        assert got == pytest.approx(want, rel=1e-12)
    assert np.all(np.diff(table) >= 0)


def reference_positive_pairs(seq, window):
    return [[seq[i], seq[j]] for i in range(len(seq)) if seq[i]
            for j in range(max(0, i - window), min(len(seq), i + window + 1))
            if j != i and seq[j]]


def test_skipgrams_positive_pairs():
    seq = [3, 0, 1, 4, 2, 2, 5]
    pairs, labels = sequence.skipgrams(seq, 6, window_size=2,
                                       negative_samples=0, shuffle=False)
    assert pairs == reference_positive_pairs(seq, 2)
    assert labels == [1] * len(pairs)


def test_skipgrams_negative_samples_and_categorical():
    seq = [1, 2, 3, 4, 5]
    pairs, labels = sequence.skipgrams(seq, 10, window_size=1,
                                       negative_samples=2.0, shuffle=False,
                                       categorical=True, seed=3)
    positives = reference_positive_pairs(seq, 1)
    n = len(positives)
    assert pairs[:n] == positives and labels[:n] == [[0, 1]] * n
    negatives = pairs[n:]
    assert len(negatives) == 2 * n and labels[n:] == [[1, 0]] * (2 * n)
    assert all(1 <= c < 10 for _, c in negatives)
    assert sorted(w for w, _ in negatives) == sorted(
        [w for w, _ in positives] * 2)


def test_skipgrams_shuffle_keeps_pairs_with_labels_and_seed_repeats():
    seq = list(range(1, 12))
    a = sequence.skipgrams(seq, 12, window_size=2, seed=7)
    b = sequence.skipgrams(seq, 12, window_size=2, seed=7)
    assert a == b
    plain = sequence.skipgrams(seq, 12, window_size=2, seed=7,
                               shuffle=False)
    assert sorted(zip(map(tuple, a[0]), a[1])) == sorted(
        zip(map(tuple, plain[0]), plain[1]))
    assert a[0] != plain[0]


def test_skipgrams_sampling_table():
    seq = [1, 2, 3, 4]
    none, _ = sequence.skipgrams(seq, 5, sampling_table=np.zeros(5),
                                 negative_samples=0, seed=1)
    every, _ = sequence.skipgrams(seq, 5, sampling_table=np.ones(5),
                                  negative_samples=0, shuffle=False, seed=1)
    assert none == [] and every == reference_positive_pairs(seq, 4)


def test_timeseries_generator_windows():
    data = np.arange(40).reshape(20, 2)
    targets = np.arange(20) * 10
    gen = sequence.TimeseriesGenerator(data, targets, length=5,
                                       sampling_rate=2, stride=3,
                                       batch_size=2, start_index=1,
                                       end_index=17)
    rows = list(range(6, 18, 3))
    assert len(gen) == math.ceil(len(rows) / 2)
    seen = []
    for b in range(len(gen)):
        x, y = gen[b]
        seen += y.tolist()
        for k, row in enumerate(rows[2 * b:2 * b + 2]):
            np.testing.assert_array_equal(x[k], data[row - 5:row:2])
    assert seen == [targets[r] for r in rows]


def test_timeseries_generator_reverse_and_errors():
    data = np.arange(10)
    x, _ = sequence.TimeseriesGenerator(data, data, length=3,
                                        reverse=True)[0]
    np.testing.assert_array_equal(x[0], [2, 1, 0])
    with pytest.raises(ValueError, match="same length"):
        sequence.TimeseriesGenerator(data, data[:5], length=3)
    with pytest.raises(ValueError, match="end_index"):
        sequence.TimeseriesGenerator(data, data, length=12)
