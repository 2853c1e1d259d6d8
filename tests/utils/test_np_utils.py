import numpy as np
import pytest

from lamina import ops, utils
from lamina.utils import np_utils


def test_to_categorical_matches_identity_rows():
    labels = np.array([0, 3, 1, 3, 2])
    out = utils.to_categorical(labels)
    np.testing.assert_array_equal(out, np.eye(4)[labels])
    assert out.dtype == np.float32
    assert out.shape == (5, 4)


def test_to_categorical_column_labels_and_num_classes():
    labels = np.array([[1], [0], [2]])
    out = utils.to_categorical(labels, num_classes=5)
    assert out.shape == (3, 5)
    np.testing.assert_array_equal(out, np.eye(5)[labels[:, 0]])


def test_to_categorical_higher_rank_lists_and_tensors():
    labels = np.array([[0, 1, 2], [2, 1, 0]])
    out = np_utils.to_categorical(labels.tolist(), 3)
    assert out.shape == (2, 3, 3)
    np.testing.assert_array_equal(out, np.eye(3)[labels])
    from_tensor = utils.to_categorical(ops.convert_to_tensor(labels), 3)
    np.testing.assert_array_equal(from_tensor, out)
    whole_floats = utils.to_categorical(np.array([1.0, 0.0]))
    np.testing.assert_array_equal(whole_floats, [[0, 1], [1, 0]])


@pytest.mark.parametrize("labels, num_classes, message", [
    ([0, 3], 3, "out of range"),
    ([-1, 0], None, ">= 0"),
    ([0.5, 1.0], None, "whole-number"),
    ([np.inf, 1.0], None, "whole-number"),
    ([0, 1], 0, "num_classes"),
    (["a", "b"], None, "integer class labels"),
])
def test_to_categorical_bad_input(labels, num_classes, message):
    with pytest.raises(ValueError, match=message):
        utils.to_categorical(labels, num_classes)


@pytest.mark.parametrize("axis", [-1, 0, 1])
@pytest.mark.parametrize("order", [1, 2])
def test_normalize_matches_numpy(axis, order):
    x = np.random.RandomState(0).randn(4, 5)
    x[1] = 0.0
    x[:, 2] = 0.0
    norm = (np.abs(x) ** order).sum(axis=axis, keepdims=True) ** (1 / order)
    expected = np.divide(x, norm, out=np.zeros_like(x), where=norm != 0)
    out = utils.normalize(x, axis=axis, order=order)
    assert out.shape == x.shape
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    assert np.all(np.isfinite(out))


def test_normalize_vector_int_and_bad_input():
    out = np_utils.normalize([3, 4])
    assert out.shape == (2,)
    np.testing.assert_allclose(out, [0.6, 0.8])
    np.testing.assert_array_equal(utils.normalize(np.zeros((2, 3))), 0.0)
    x32 = np.ones((2, 2), dtype="float32")
    assert utils.normalize(x32).dtype == np.float32
    with pytest.raises(ValueError, match="axis"):
        utils.normalize(np.ones((2, 2)), axis=2)
    with pytest.raises(ValueError, match="scalar"):
        utils.normalize(3.0)
