import json
import os
import warnings

import numpy as np
import pytest

from lamina.datasets import reuters
from lamina.legacy import arguments
from lamina.testing import dataset_fixtures
from lamina.utils.file_utils import DownloadError

# Word ranks as stored in reuters.npz, and topics.
XS = [[1, 2, 3], [4, 5, 6, 7, 8], [9, 1], [2, 2], [10, 11, 12, 13]]
YS = [3, 4, 3, 19, 45]


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    lamina_dir, keras_dir = dataset_fixtures.isolate(monkeypatch, tmp_path)
    os.makedirs(keras_dir)  # this time in Keras's cache
    x = np.empty(len(XS), dtype=object)
    for i, seq in enumerate(XS):
        x[i] = seq
    np.savez(os.path.join(keras_dir, "reuters.npz"), x=x, y=np.array(YS))
    return lamina_dir, keras_dir


def _check(result, want, test_split=0.2, seed=113, keep=range(5)):
    """`want`: the expected sequences in the file's order."""
    order = np.arange(5)
    np.random.RandomState(seed).shuffle(order)  # Keras's shuffle
    order = [i for i in order if i in keep]
    cut = int(len(order) * (1 - test_split))
    (x_train, y_train), (x_test, y_test) = result
    for x, y, part in ((x_train, y_train, order[:cut]),
                       (x_test, y_test, order[cut:])):
        assert x.dtype == object and x.ndim == 1
        assert all(type(s) is list for s in x)
        assert x.tolist() == [want[i] for i in part]
        np.testing.assert_array_equal(y, [YS[i] for i in part])


DEFAULT = [[1, 4, 5, 6], [1, 7, 8, 9, 10, 11], [1, 12, 4], [1, 5, 5],
           [1, 13, 14, 15, 16]]


def test_defaults(dirs):
    _check(reuters.load_data(), DEFAULT)


@pytest.mark.parametrize("test_split", [0.0, 0.4, 0.5, 0.99])
def test_test_split(dirs, test_split):
    _check(reuters.load_data(test_split=test_split), DEFAULT,
           test_split=test_split)


def test_seed(dirs):
    for seed in (0, 3):
        _check(reuters.load_data(seed=seed), DEFAULT, seed=seed)


def test_num_words_skip_top_oov_char(dirs):
    _check(reuters.load_data(num_words=8),
           [[1, 4, 5, 6], [1, 7, 2, 2, 2, 2], [1, 2, 4], [1, 5, 5],
            [1, 2, 2, 2, 2]])
    _check(reuters.load_data(skip_top=5, num_words=12, oov_char=0),
           [[0, 0, 5, 6], [0, 7, 8, 9, 10, 11], [0, 0, 0], [0, 5, 5],
            [0, 0, 0, 0, 0]])
    _check(reuters.load_data(num_words=8, oov_char=None),
           [[1, 4, 5, 6], [1, 7], [1, 4], [1, 5, 5], [1]])


def test_start_char_and_index_from(dirs):
    _check(reuters.load_data(start_char=None, index_from=0), XS)
    _check(reuters.load_data(start_char=9, index_from=1),
           [[9] + [w + 1 for w in s] for s in XS])


def test_maxlen_filters_before_the_split(dirs):
    _check(reuters.load_data(maxlen=4), DEFAULT, keep=(2, 3))
    with pytest.raises(ValueError, match="maxlen"):
        reuters.load_data(maxlen=3)


def test_bad_arguments_and_keras_1_nb_words(dirs):
    with pytest.raises(ValueError, match="test_split"):
        reuters.load_data(test_split=1.0)
    with pytest.raises(TypeError, match="seed"):
        reuters.load_data(seed="a")
    arguments._warned.discard(("reuters.load_data", "nb_words"))
    with pytest.warns(DeprecationWarning, match=r"num_words=8\)"):
        result = reuters.load_data(nb_words=8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _check(result, [[1, 4, 5, 6], [1, 7, 2, 2, 2, 2], [1, 2, 4],
                        [1, 5, 5], [1, 2, 2, 2, 2]])


def test_word_index_label_names_and_offline_error(dirs):
    lamina_dir, keras_dir = dirs
    os.makedirs(lamina_dir)
    with open(os.path.join(lamina_dir, "reuters_word_index.json"), "w") as f:
        json.dump({"said": 1}, f)
    assert reuters.get_word_index() == {"said": 1}
    names = reuters.get_label_names()
    assert len(names) == 46 and names[3] == "earn" and names[45] == "lead"
    os.remove(os.path.join(keras_dir, "reuters.npz"))
    with pytest.raises(DownloadError) as info:
        reuters.load_data()
    assert reuters.ORIGIN in str(info.value)
    assert os.path.join(lamina_dir, "reuters.npz") in str(info.value)


def test_fixture_topics_are_marked(tmp_path, monkeypatch):
    lamina_dir, _ = dataset_fixtures.isolate(monkeypatch, tmp_path)
    dataset_fixtures.write_reuters(lamina_dir, n=100, num_topics=5, seed=1)
    (x_train, y_train), (x_test, _) = reuters.load_data()
    assert len(x_train) == 80 and len(x_test) == 20
    assert set(y_train.tolist()) == set(range(5))
    for seq, topic in zip(x_train, y_train):
        # Topic t's markers: ranks 30 + 2t and 31 + 2t, shifted by 3.
        marks = {(w - 33) // 2 for w in seq if 33 <= w < 43}
        assert marks == {topic}
