"""Accuracy metrics against scikit-learn, over several weighted batches."""

import numpy as np
import pytest
from sklearn import metrics as skm

from lamina import metrics, ops

RNG = np.random.default_rng(4)
C = 5


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def run(metric, batches):
    for y_true, y_pred, weight in batches:
        metric.update_state(y_true, y_pred, sample_weight=weight)
    return float(to_np(metric.result()))


def class_batches(weighted, sizes=(8, 5, 11)):
    out = []
    for size in sizes:
        labels = RNG.integers(0, C, size)
        scores = RNG.normal(size=(size, C)).astype("float32")
        weight = RNG.uniform(0, 2, size).astype("float32") if weighted \
            else None
        out.append((labels, scores, weight))
    return out


def sk_over(batches, score_fn, **kwargs):
    labels = np.concatenate([b[0] for b in batches])
    scores = np.concatenate([b[1] for b in batches])
    weight = None if batches[0][2] is None else np.concatenate(
        [b[2] for b in batches])
    return score_fn(labels, scores, sample_weight=weight, **kwargs)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("label_shape", ["flat", "column"])
def test_sparse_categorical_accuracy(weighted, label_shape):
    data = class_batches(weighted)
    fed = [(lab[:, None] if label_shape == "column" else lab, s, w)
           for lab, s, w in data]
    m = metrics.SparseCategoricalAccuracy()
    expected = sk_over(data, lambda y, s, **kw: skm.accuracy_score(
        y, s.argmax(-1), **kw))
    assert run(m, fed) == pytest.approx(expected, rel=1e-6)
    assert m.name == "sparse_categorical_accuracy"


def test_sparse_categorical_accuracy_float_labels_and_sequences():
    labels = RNG.integers(0, C, (3, 6))
    scores = RNG.normal(size=(3, 6, C)).astype("float32")
    out = to_np(metrics.sparse_categorical_accuracy(
        labels.astype("float32")[..., None], scores))
    assert out.shape == (3, 6)
    np.testing.assert_array_equal(out, labels == scores.argmax(-1))


@pytest.mark.parametrize("weighted", [False, True])
def test_categorical_accuracy(weighted):
    data = class_batches(weighted)
    fed = [(np.eye(C, dtype="float32")[lab], s, w) for lab, s, w in data]
    expected = sk_over(data, lambda y, s, **kw: skm.accuracy_score(
        y, s.argmax(-1), **kw))
    assert run(metrics.CategoricalAccuracy(), fed) == pytest.approx(
        expected, rel=1e-6)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("threshold", [0.5, 0.3])
def test_binary_accuracy(weighted, threshold):
    batches, flat = [], []
    for size in (6, 9):
        y = RNG.integers(0, 2, (size, 1)).astype("float32")
        p = RNG.uniform(0, 1, (size, 1)).astype("float32")
        w = RNG.uniform(0, 2, size).astype("float32") if weighted else None
        batches.append((y, p, w))
        flat.append((y[:, 0], (p[:, 0] > threshold).astype("float32"), w))
    expected = sk_over(flat, skm.accuracy_score)
    m = metrics.BinaryAccuracy(threshold=threshold)
    assert run(m, batches) == pytest.approx(expected, rel=1e-6)


def test_binary_accuracy_multilabel_and_rank_one_labels():
    y = RNG.integers(0, 2, (6, 3)).astype("float32")
    p = RNG.uniform(0, 1, (6, 3)).astype("float32")
    w = RNG.uniform(0, 2, 6).astype("float32")
    m = metrics.BinaryAccuracy()
    m.update_state(y, p, sample_weight=w)
    per_sample = ((p > 0.5) == y).mean(-1)
    assert float(to_np(m.result())) == pytest.approx(
        (per_sample * w).sum() / w.sum(), rel=1e-6)
    out = to_np(metrics.binary_accuracy(np.array([1.0, 0.0]),
                                        np.array([[0.7], [0.8]])))
    np.testing.assert_array_equal(out, [[1.0], [0.0]])


def test_accuracy_exact_match():
    m = metrics.Accuracy()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    m.update_state([[1], [2]], [[1], [0]], sample_weight=[1.0, 3.0])
    assert float(to_np(m.result())) == pytest.approx((3 + 1) / (4 + 4))


@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_top_k_categorical_accuracy(k, weighted):
    data = class_batches(weighted)
    expected = sk_over(data, lambda y, s, **kw: skm.top_k_accuracy_score(
        y, s, k=k, labels=np.arange(C), **kw))
    sparse = metrics.SparseTopKCategoricalAccuracy(k=k)
    assert run(sparse, data) == pytest.approx(expected, rel=1e-6)
    dense = metrics.TopKCategoricalAccuracy(k=k)
    fed = [(np.eye(C, dtype="float32")[lab], s, w) for lab, s, w in data]
    assert run(dense, fed) == pytest.approx(expected, rel=1e-6)
    assert dense.name == "top_k_categorical_accuracy"
    assert sparse.name == "sparse_top_k_categorical_accuracy"


def test_top_k_with_more_k_than_classes_is_always_right():
    scores = RNG.normal(size=(4, 3)).astype("float32")
    out = to_np(metrics.sparse_top_k_categorical_accuracy([0, 1, 2, 0],
                                                          scores, k=5))
    np.testing.assert_array_equal(out, [1, 1, 1, 1])


def test_sparse_top_k_from_sorted_ids():
    scores = RNG.normal(size=(7, C)).astype("float32")
    labels = RNG.integers(0, C, 7)
    sorted_ids = np.argsort(-scores, axis=-1)[:, :3]
    from_ids = to_np(metrics.sparse_top_k_categorical_accuracy(
        labels, sorted_ids, k=2, from_sorted_ids=True))
    from_scores = to_np(metrics.sparse_top_k_categorical_accuracy(
        labels, scores, k=2))
    np.testing.assert_array_equal(from_ids, from_scores)
    m = metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True)
    assert m.get_config()["from_sorted_ids"] is True
    assert "from_sorted_ids" not in \
        metrics.SparseTopKCategoricalAccuracy().get_config()


def test_top_k_sequences_keep_their_shape():
    labels = RNG.integers(0, C, (2, 4))
    scores = RNG.normal(size=(2, 4, C)).astype("float32")
    out = to_np(metrics.top_k_categorical_accuracy(
        np.eye(C, dtype="float32")[labels], scores, k=2))
    assert out.shape == (2, 4)
    rank = (scores > np.take_along_axis(scores, labels[..., None],
                                        -1)).sum(-1)
    np.testing.assert_array_equal(out, rank < 2)


@pytest.mark.parametrize("cls,kwargs", [
    (metrics.Accuracy, {}), (metrics.BinaryAccuracy, {"threshold": 0.7}),
    (metrics.CategoricalAccuracy, {}),
    (metrics.SparseCategoricalAccuracy, {}),
    (metrics.TopKCategoricalAccuracy, {"k": 3}),
    (metrics.SparseTopKCategoricalAccuracy, {"k": 2})])
def test_config_round_trip(cls, kwargs):
    m = cls(name="acc_x", **kwargs)
    config = m.get_config()
    assert config["name"] == "acc_x" and config["dtype"] == "float32"
    for key, value in kwargs.items():
        assert config[key] == value
    assert cls.from_config(config).get_config() == config
    again = metrics.deserialize(metrics.serialize(m))
    assert type(again) is cls and again.get_config() == config
