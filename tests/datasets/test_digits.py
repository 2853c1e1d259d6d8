import numpy as np
import pytest
from sklearn.datasets import load_digits

from lamina.datasets import digits


def test_shapes_dtypes_and_values():
    (x_train, y_train), (x_test, y_test) = digits.load_data()
    assert x_train.shape == (1437, 8, 8) and x_test.shape == (360, 8, 8)
    assert y_train.shape == (1437,) and y_test.shape == (360,)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.int64
    assert x_test.dtype == np.uint8 and y_test.dtype == np.int64
    assert x_train.min() == 0 and x_train.max() == 16
    assert set(np.unique(y_train)) == set(range(10))


def test_split_is_a_disjoint_shuffle_of_the_data():
    (x_train, y_train), (x_test, y_test) = digits.load_data(test_split=0.3)
    assert len(y_test) == 1797 - int(1797 * 0.7)
    ref = load_digits()
    images = np.concatenate([x_train, x_test]).reshape(len(ref.target), -1)
    labels = np.concatenate([y_train, y_test])
    # Each reference image (with its label) appears exactly once.
    ref_rows = sorted(map(tuple, np.column_stack(
        [ref.images.reshape(len(ref.target), -1), ref.target])))
    got_rows = sorted(map(tuple, np.column_stack([images, labels])))
    np.testing.assert_array_equal(np.array(ref_rows), np.array(got_rows))
    assert not np.array_equal(labels, ref.target)  # shuffled
    # Disjoint: no sample index lands in both sets.
    order = np.random.RandomState(113).permutation(len(ref.target))
    split = int(len(ref.target) * 0.7)
    assert not set(order[:split]) & set(order[split:])
    np.testing.assert_array_equal(
        x_train, ref.images[order[:split]].astype("uint8"))


def test_deterministic_for_a_seed():
    (a, b), (c, d) = digits.load_data(seed=5)
    (a2, b2), (c2, d2) = digits.load_data(seed=5)
    for one, two in ((a, a2), (b, b2), (c, c2), (d, d2)):
        np.testing.assert_array_equal(one, two)
    (_, b3), _ = digits.load_data(seed=6)
    assert not np.array_equal(b, b3)


@pytest.mark.parametrize("kwargs, error", [
    ({"test_split": 1.0}, ValueError), ({"test_split": -0.1}, ValueError),
    ({"seed": "x"}, TypeError)])
def test_bad_arguments(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        digits.load_data(**kwargs)


def test_import_lamina_does_not_import_sklearn():
    import subprocess
    import sys
    code = ("import sys, lamina, lamina.datasets; "
            "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"
