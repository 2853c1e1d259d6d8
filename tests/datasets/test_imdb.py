import json
import os
import warnings

import numpy as np
import pytest

from lamina.datasets import imdb
from lamina.legacy import arguments
from lamina.testing import dataset_fixtures
from lamina.utils.file_utils import DownloadError

# Word ranks as stored in imdb.npz (1 = most frequent word).
TRAIN = [[1, 2, 3], [4, 5, 6, 7, 8], [9, 1]]
TRAIN_Y = [0, 1, 0]
TEST = [[2, 2], [10, 11, 12, 13]]
TEST_Y = [1, 0]


def _objects(lists):
    out = np.empty(len(lists), dtype=object)
    for i, item in enumerate(lists):
        out[i] = item
    return out


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    lamina_dir, keras_dir = dataset_fixtures.isolate(monkeypatch, tmp_path)
    os.makedirs(lamina_dir)
    np.savez(os.path.join(lamina_dir, "imdb.npz"),
             x_train=_objects(TRAIN), y_train=np.array(TRAIN_Y),
             x_test=_objects(TEST), y_test=np.array(TEST_Y))
    return lamina_dir, keras_dir


def _orders(seed):
    # Keras's shuffle: one RandomState, the training set first.
    rng = np.random.RandomState(seed)
    train, test = np.arange(3), np.arange(2)
    rng.shuffle(train)
    rng.shuffle(test)
    return train, test


def _check(result, train, test, train_keep=(0, 1, 2), test_keep=(0, 1),
           seed=113):
    """`train`/`test`: the expected sequences in the file's order."""
    (x_train, y_train), (x_test, y_test) = result
    order_train, order_test = _orders(seed)
    order_train = [i for i in order_train if i in train_keep]
    order_test = [i for i in order_test if i in test_keep]
    for x, y, want, labels, order in (
            (x_train, y_train, train, TRAIN_Y, order_train),
            (x_test, y_test, test, TEST_Y, order_test)):
        assert isinstance(x, np.ndarray) and x.dtype == object
        assert x.ndim == 1 and all(type(s) is list for s in x)
        assert x.tolist() == [want[i] for i in order]
        np.testing.assert_array_equal(y, [labels[i] for i in order])


def test_defaults_shift_by_three_and_mark_the_start(dirs):
    _check(imdb.load_data(),
           [[1, 4, 5, 6], [1, 7, 8, 9, 10, 11], [1, 12, 4]],
           [[1, 5, 5], [1, 13, 14, 15, 16]])


def test_num_words_maps_indexes_at_or_above_it_to_oov(dirs):
    _check(imdb.load_data(num_words=8),
           [[1, 4, 5, 6], [1, 7, 2, 2, 2, 2], [1, 2, 4]],
           [[1, 5, 5], [1, 2, 2, 2, 2]])


def test_skip_top_maps_indexes_below_it_to_oov(dirs):
    # The start mark (1) is below skip_top too, as in Keras.
    _check(imdb.load_data(skip_top=5),
           [[2, 2, 5, 6], [2, 7, 8, 9, 10, 11], [2, 12, 2]],
           [[2, 5, 5], [2, 13, 14, 15, 16]])


def test_oov_char_none_drops_the_cut_words(dirs):
    _check(imdb.load_data(num_words=8, oov_char=None),
           [[1, 4, 5, 6], [1, 7], [1, 4]], [[1, 5, 5], [1]])


def test_start_char_index_from_and_oov_char_values(dirs):
    _check(imdb.load_data(start_char=None, index_from=0), TRAIN, TEST)
    _check(imdb.load_data(start_char=7, index_from=10, oov_char=3,
                          num_words=15),
           [[7, 11, 12, 13], [7, 14, 3, 3, 3, 3], [7, 3, 11]],
           [[7, 12, 12], [7, 3, 3, 3, 3]])


def test_num_words_none_keeps_every_word(dirs):
    (x_train, _), (x_test, _) = imdb.load_data()
    assert max(max(s) for s in list(x_train) + list(x_test)) == 13 + 3


def test_maxlen_drops_sequences_that_long_or_longer(dirs):
    # Lengths with the start mark: train 4, 6, 3; test 3, 5.
    _check(imdb.load_data(maxlen=4), [None, None, [1, 12, 4]],
           [[1, 5, 5], None], train_keep=(2,), test_keep=(0,))
    with pytest.raises(ValueError, match="maxlen=3"):
        imdb.load_data(maxlen=3)


def test_seed_gives_the_numpy_randomstate_order(dirs):
    for seed in (0, 1, 7):
        _check(imdb.load_data(seed=seed),
               [[1, 4, 5, 6], [1, 7, 8, 9, 10, 11], [1, 12, 4]],
               [[1, 5, 5], [1, 13, 14, 15, 16]], seed=seed)


def test_seeds_on_larger_data(tmp_path, monkeypatch):
    lamina_dir, _ = dataset_fixtures.isolate(monkeypatch, tmp_path)
    dataset_fixtures.write_imdb(lamina_dir, n_train=40, n_test=20, seed=3)
    first = imdb.load_data(seed=5)
    again = imdb.load_data(seed=5)
    other = imdb.load_data(seed=6)
    assert first[0][0].tolist() == again[0][0].tolist()
    assert first[0][0].tolist() != other[0][0].tolist()
    np.testing.assert_array_equal(first[1][1], again[1][1])


def test_keras_1_nb_words(dirs):
    arguments._warned.discard(("imdb.load_data", "nb_words"))
    with pytest.warns(DeprecationWarning, match=r"num_words=8\)"):
        result = imdb.load_data(nb_words=8)
    _check(result, [[1, 4, 5, 6], [1, 7, 2, 2, 2, 2], [1, 2, 4]],
           [[1, 5, 5], [1, 2, 2, 2, 2]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(TypeError, match="both"):
            imdb.load_data(nb_words=8, num_words=8)
    with pytest.raises(TypeError, match="nb_word"):
        imdb.load_data(nb_word=8)


@pytest.mark.parametrize("kwargs", [{"skip_top": -1}, {"num_words": "10"},
                                    {"maxlen": 2.5}, {"index_from": None}])
def test_bad_arguments(dirs, kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        imdb.load_data(**kwargs)


def test_equal_length_sequences_stay_a_1d_object_array(dirs):
    np.savez(os.path.join(dirs[0], "imdb.npz"),
             x_train=_objects([[1, 2], [3, 4]]), y_train=np.array([0, 1]),
             x_test=_objects([[5, 6]]), y_test=np.array([1]))
    (x_train, _), (x_test, _) = imdb.load_data(seed=0)
    assert x_train.shape == (2,) and x_train.dtype == object
    assert sorted(x_train.tolist()) == [[1, 4, 5], [1, 6, 7]]
    assert x_test.shape == (1,) and x_test[0] == [1, 8, 9]


def test_word_index_and_keras_cache(dirs):
    lamina_dir, keras_dir = dirs
    os.makedirs(keras_dir)
    with open(os.path.join(keras_dir, "imdb_word_index.json"), "w") as f:
        json.dump({"the": 1, "and": 2}, f)
    assert imdb.get_word_index() == {"the": 1, "and": 2}
    os.remove(os.path.join(lamina_dir, "imdb.npz"))
    with pytest.raises(DownloadError, match="imdb.npz"):
        imdb.load_data()


def test_word_index_offline_error(dirs):
    with pytest.raises(DownloadError) as info:
        imdb.get_word_index()
    assert imdb.WORD_INDEX_ORIGIN in str(info.value)
    assert os.path.join(dirs[1], "imdb_word_index.json") in str(info.value)


def test_fixture_marker_words_give_the_label(tmp_path, monkeypatch):
    lamina_dir, _ = dataset_fixtures.isolate(monkeypatch, tmp_path)
    dataset_fixtures.write_imdb(lamina_dir, n_train=60, n_test=20)
    (x_train, y_train), _ = imdb.load_data(num_words=1000)
    index = imdb.get_word_index()
    assert index["good0"] == 40 and index["bad9"] == 39
    for seq, label in zip(x_train, y_train):
        negative = sum(33 <= w < 43 for w in seq)
        positive = sum(43 <= w < 53 for w in seq)
        assert (positive > 0, negative > 0) == (label == 1, label == 0)
