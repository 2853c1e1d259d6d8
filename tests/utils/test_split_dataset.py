"""`split_dataset`: sizes, complements and contents against NumPy."""

import numpy as np
import pytest

import lamina
from lamina.utils import dataset_utils
from lamina.utils.py_dataset import PyDataset

split = dataset_utils.split_dataset


def samples(ds):
    return np.stack([np.asarray(s) for s in ds])


@pytest.mark.parametrize("left,right,n_left,n_right", [
    (0.8, None, 80, 20),
    (None, 0.25, 75, 25),
    (30, None, 30, 70),
    (None, 10, 90, 10),
    (0.5, 0.3, 50, 30),
    (20, 15, 20, 15),
    (0.333, None, 33, 67),
])
def test_sizes_and_contents(left, right, n_left, n_right):
    data = np.arange(100 * 3).reshape(100, 3)
    a, b = split(data, left_size=left, right_size=right)
    assert (len(a), len(b)) == (n_left, n_right)
    np.testing.assert_array_equal(samples(a), data[:n_left])
    np.testing.assert_array_equal(samples(b),
                                  data[n_left:n_left + n_right])


def test_tuple_and_dict_datasets_give_structured_samples():
    x = np.random.RandomState(0).rand(10, 2)
    y = np.arange(10)
    a, b = split((x, y), left_size=6)
    xa, ya = a[5]
    np.testing.assert_array_equal(xa, x[5])
    assert ya == 5
    assert [int(s[1]) for s in b] == [6, 7, 8, 9]
    a, b = split({"x": x, "y": y}, right_size=0.2)
    assert sorted(b[1]) == ["x", "y"]
    np.testing.assert_array_equal(b[1]["x"], x[9])
    batch = a.batch(3)[2]
    np.testing.assert_array_equal(batch["y"], y[6:8])


def test_shuffle_is_seeded_and_a_partition():
    data = np.arange(50)
    a1, b1 = split(data, left_size=0.6, shuffle=True, seed=7)
    a2, b2 = split(data, left_size=0.6, shuffle=True, seed=7)
    a3, _ = split(data, left_size=0.6, shuffle=True, seed=8)
    np.testing.assert_array_equal(samples(a1), samples(a2))
    np.testing.assert_array_equal(samples(b1), samples(b2))
    assert not np.array_equal(samples(a1), samples(a3))
    both = np.concatenate([samples(a1), samples(b1)])
    np.testing.assert_array_equal(np.sort(both), data)
    assert not np.array_equal(both, data)  # really shuffled


def test_shuffle_keeps_pairs_together():
    x = np.arange(40) * 3
    y = np.arange(40)
    a, b = split([x, y], left_size=25, shuffle=True, seed=1)
    for xs, ys in list(a) + list(b):
        assert xs == 3 * ys


def test_batch_gives_a_py_dataset():
    data = np.arange(23 * 2).reshape(23, 2)
    a, _ = split(data, left_size=20)
    batched = a.batch(6)
    assert isinstance(batched, PyDataset)
    assert len(batched) == 4
    np.testing.assert_array_equal(np.concatenate(list(batched)), data[:20])
    assert batched[-1].shape == (2, 2)
    assert len(a.batch(6, drop_remainder=True)) == 3
    np.testing.assert_array_equal(samples(batched.unbatch()), data[:20])


def test_py_dataset_and_iterable_sources():
    class Batches(PyDataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            x = np.arange(i * 4, i * 4 + 4)
            return x, x * 2

    a, b = split(Batches(), left_size=0.75)
    assert (len(a), len(b)) == (9, 3)
    assert [int(x) for x, _ in b] == [9, 10, 11]
    assert [int(y) for _, y in a] == list(range(0, 18, 2))

    gen = ((np.full(2, i), i) for i in range(5))
    a, b = split(gen, right_size=2)
    np.testing.assert_array_equal(a.batch(5)[0][0], np.arange(3)[:, None]
                                  * np.ones(2))
    # a split dataset splits again
    c, d = split(a, left_size=1)
    assert (int(c[0][1]), [int(s[1]) for s in d]) == (0, [1, 2])


@pytest.mark.parametrize("kwargs,error,message", [
    ({}, ValueError, "left_size"),
    ({"left_size": 1.0}, ValueError, "left_size"),
    ({"left_size": 0.0}, ValueError, "left_size"),
    ({"right_size": -0.5}, ValueError, "right_size"),
    ({"left_size": 0}, ValueError, "left_size"),
    ({"left_size": 11}, ValueError, "left_size"),
    ({"left_size": 10}, ValueError, "right part would be empty"),
    ({"left_size": 0.02}, ValueError, "left part would be empty"),
    ({"left_size": 6, "right_size": 5}, ValueError, "must not exceed"),
    ({"left_size": 0.6, "right_size": 0.5}, ValueError, "must not exceed"),
    ({"left_size": "half"}, TypeError, "left_size"),
    ({"left_size": 3, "shuffle": True, "seed": -1}, ValueError, "seed"),
])
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        split(np.arange(10), **kwargs)


def test_bad_datasets():
    with pytest.raises(ValueError, match="same length"):
        split((np.zeros(4), np.zeros(5)), left_size=2)
    with pytest.raises(ValueError, match="empty"):
        split(np.zeros((0, 3)), left_size=0.5)
    with pytest.raises(TypeError, match="dataset"):
        split("abc", left_size=1)
    with pytest.raises(IndexError, match="sample index 4"):
        split(np.arange(10), left_size=4)[0][4]


@pytest.mark.requires_training
def test_fit_on_split():
    rng = np.random.RandomState(0)
    x = rng.rand(200, 3).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3)
    train, test = split((x, y), left_size=0.75, shuffle=True, seed=2)
    lamina.utils.set_random_seed(0)
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.Adam(0.1), loss="mse")
    before = model.evaluate(test.batch(16), verbose=0)
    model.fit(train.batch(16), epochs=15, verbose=0)
    after = model.evaluate(test.batch(16), verbose=0)
    assert after < before / 10
    test_x = np.stack([s[0] for s in test])
    test_y = np.stack([s[1] for s in test])
    predictions = model.predict(test.batch(16), verbose=0)
    np.testing.assert_allclose(after, np.mean((predictions - test_y) ** 2),
                               rtol=1e-4)
    np.testing.assert_allclose(predictions,
                               model.predict(test_x, verbose=0),
                               rtol=1e-5, atol=1e-5)
