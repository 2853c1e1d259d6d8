"""Thresholded confusion counts and the confusion matrix, against NumPy and
scikit-learn, on both accumulation paths."""

import numpy as np
import pytest
from sklearn import metrics as skm

from lamina import ops
from lamina.metrics import metrics_utils as utils
from lamina.ops._bind import B

RNG = np.random.default_rng(11)


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def variables(shape):
    return {key: B.Variable(np.zeros(shape, "float32"), shape=shape,
                            dtype="float32", trainable=False, name=key)
            for key in utils.KEYS}


def reference_counts(y_true, y_pred, thresholds, weight):
    """tp, fp, tn, fn per threshold (axis 0), summed over axis 1."""
    pos = (y_true != 0)[None]
    above = y_pred[None] > np.asarray(thresholds, "float32").reshape(
        (-1,) + (1,) * y_pred.ndim)
    w = np.broadcast_to(weight, y_pred.shape)[None]
    return {"tp": (above & pos) * w, "fp": (above & ~pos) * w,
            "tn": (~above & ~pos) * w, "fn": (~above & pos) * w}


def test_parse_init_thresholds():
    assert utils.parse_init_thresholds(None) == [0.5]
    assert utils.parse_init_thresholds(None, utils.NEG_INF) == [-1e10]
    assert utils.parse_init_thresholds(0.3) == [0.3]
    assert utils.parse_init_thresholds((0.0, 1)) == [0.0, 1.0]
    with pytest.raises(ValueError, match=r"\[0, 1\].*1\.5"):
        utils.parse_init_thresholds([0.2, 1.5])


def test_is_evenly_distributed_thresholds():
    assert utils.is_evenly_distributed_thresholds([0, 0.5, 1])
    assert utils.is_evenly_distributed_thresholds(np.linspace(0, 1, 200))
    assert not utils.is_evenly_distributed_thresholds([0, 1])
    assert not utils.is_evenly_distributed_thresholds([0, 0.4, 1])


@pytest.mark.parametrize("evenly", [False, True])
@pytest.mark.parametrize("weight_shape", [None, "scalar", "rows", "full"])
def test_counts_match_numpy(evenly, weight_shape):
    thresholds = list(np.linspace(0, 1, 11)) if evenly else [0.05, 0.3,
                                                              0.5, 0.77]
    y_true = RNG.integers(0, 2, (9, 3)).astype("float32")
    y_pred = RNG.uniform(0, 1, (9, 3)).astype("float32")
    y_pred[0, :2] = [0.0, 1.0]  # endpoints: above no / all but 1.0
    weight = {None: None, "scalar": np.float32(0.7),
              "rows": RNG.uniform(0, 2, 9).astype("float32"),
              "full": RNG.uniform(0, 2, (9, 3)).astype("float32")}[
                  weight_shape]
    state = variables((len(thresholds),))
    for _ in range(2):  # accumulates
        utils.update_confusion_matrix_variables(
            state, y_true, y_pred, thresholds, sample_weight=weight,
            thresholds_distributed_evenly=evenly)
    w = 1.0 if weight is None else (weight[:, None] if weight_shape ==
                                    "rows" else weight)
    expected = reference_counts(y_true, y_pred, thresholds, w)
    for key, variable in state.items():
        np.testing.assert_allclose(
            to_np(variable), 2 * expected[key].reshape(
                len(thresholds), -1).sum(1), rtol=1e-5, atol=1e-5)


def test_bucket_path_with_epsilon_endpoints_matches_comparison():
    # AUC's thresholds: [-eps, 1/(T-1), ..., (T-2)/(T-1), 1 + eps].
    num = 9
    inner = [(i + 1) / (num - 1) for i in range(num - 2)]
    thresholds = [-1e-7] + inner + [1 + 1e-7]
    y_true = RNG.integers(0, 2, 40).astype("float32")
    y_pred = RNG.uniform(-0.2, 1.2, 40).astype("float32")
    y_pred[:4] = [0.0, 1.0, 0.5, 0.25]
    fast, slow = variables((num,)), variables((num,))
    utils.update_confusion_matrix_variables(
        fast, y_true, y_pred, thresholds, thresholds_distributed_evenly=True)
    # The bucket path clips scores to [0, 1] first (as Keras does).
    utils.update_confusion_matrix_variables(
        slow, y_true, np.clip(y_pred, 0, 1), thresholds)
    for key in utils.KEYS:
        np.testing.assert_allclose(to_np(fast[key]), to_np(slow[key]))


@pytest.mark.parametrize("evenly", [False, True])
def test_multi_label_counts_per_label(evenly):
    thresholds = list(np.linspace(0, 1, 6)) if evenly else [0.2, 0.6]
    y_true = RNG.integers(0, 2, (12, 4)).astype("float32")
    y_pred = RNG.uniform(0, 1, (12, 4)).astype("float32")
    weight = RNG.uniform(0, 2, 12).astype("float32")
    state = variables((len(thresholds), 4))
    utils.update_confusion_matrix_variables(
        state, y_true, y_pred, thresholds, sample_weight=weight,
        multi_label=True, thresholds_distributed_evenly=evenly)
    expected = reference_counts(y_true, y_pred, thresholds, weight[:, None])
    for key, variable in state.items():
        np.testing.assert_allclose(to_np(variable), expected[key].sum(1),
                                   rtol=1e-5, atol=1e-5)


def test_class_id_label_weights_and_top_k():
    y_true = RNG.integers(0, 2, (10, 4)).astype("float32")
    y_pred = RNG.uniform(0, 1, (10, 4)).astype("float32")
    weight = RNG.uniform(0, 2, (10, 4)).astype("float32")
    state = variables((1,))
    utils.update_confusion_matrix_variables(
        state, y_true, y_pred, [0.5], class_id=2, sample_weight=weight)
    expected = reference_counts(y_true[:, 2], y_pred[:, 2], [0.5],
                                weight[:, 2])
    assert to_np(state["tp"])[0] == pytest.approx(expected["tp"].sum())
    label_weights = np.array([1.0, 0.0, 2.0, 0.5], "float32")
    state = variables((1,))
    utils.update_confusion_matrix_variables(
        state, y_true, y_pred, [0.5], label_weights=label_weights)
    expected = reference_counts(y_true, y_pred, [0.5], label_weights)
    assert to_np(state["fn"])[0] == pytest.approx(expected["fn"].sum())
    state = variables((1,))
    utils.update_confusion_matrix_variables(
        state, y_true, y_pred, [utils.NEG_INF], top_k=2)
    kept = np.argsort(-y_pred, axis=-1, kind="stable")[:, :2]
    top = np.zeros_like(y_true, bool)
    np.put_along_axis(top, kept, True, axis=-1)
    assert to_np(state["tp"])[0] == (top & (y_true == 1)).sum()
    assert to_np(state["fp"])[0] == (top & (y_true == 0)).sum()


def test_filter_top_k_breaks_ties_by_index():
    x = np.array([[1.0, 1.0, 1.0, 1.0], [0.2, 0.9, 0.9, 0.1]], "float32")
    out = to_np(utils.filter_top_k(x, 2))
    np.testing.assert_array_equal(out > utils.NEG_INF / 2,
                                  [[1, 1, 0, 0], [0, 1, 1, 0]])


def test_errors():
    state = variables((1,))
    with pytest.raises(ValueError, match="Invalid confusion-matrix keys"):
        utils.update_confusion_matrix_variables(
            {"xx": state["tp"]}, [1.0], [1.0], [0.5])
    with pytest.raises(ValueError, match="does not match"):
        utils.update_confusion_matrix_variables(
            state, np.ones((4, 2)), np.ones((4, 3)), [0.5])
    with pytest.raises(ValueError, match="class axis"):
        utils.update_confusion_matrix_variables(
            state, np.ones(4), np.ones(4), [0.5], class_id=0)
    with pytest.raises(ValueError, match="label_weights"):
        utils.update_confusion_matrix_variables(
            state, np.ones((4, 2)), np.ones((4, 2)), [0.5],
            multi_label=True, label_weights=[1.0, 1.0])
    with pytest.raises(ValueError, match="sample_weight"):
        utils.update_confusion_matrix_variables(
            state, np.ones((4, 2)), np.ones((4, 2)), [0.5],
            sample_weight=np.ones(3))


def test_confusion_matrix_against_sklearn():
    labels = RNG.integers(0, 5, 30)
    predictions = RNG.integers(0, 5, 30)
    weights = RNG.uniform(0, 2, 30).astype("float32")
    out = to_np(utils.confusion_matrix(labels, predictions, 5, weights))
    np.testing.assert_allclose(out, skm.confusion_matrix(
        labels, predictions, labels=range(5), sample_weight=weights),
        rtol=1e-5)
    # Ids outside [0, num_classes) count nowhere.
    out = to_np(utils.confusion_matrix([0, 7, -1, 1], [0, 1, 1, 9], 2))
    np.testing.assert_array_equal(out, [[1, 0], [0, 0]])
