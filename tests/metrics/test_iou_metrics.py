"""IoU metrics against scikit-learn's `jaccard_score` and
`confusion_matrix`, over several weighted batches."""

import numpy as np
import pytest
from sklearn import metrics as skm

from lamina import metrics, ops

RNG = np.random.default_rng(51)
C = 5


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def run(metric, data):
    for y, p, w in data:
        metric.update_state(y, p, sample_weight=w)
    return float(to_np(metric.result()))


def id_batches(weighted, shape=(), sizes=(10, 10, 6), classes=C):
    # Class 4 is never used: it must not count in the mean.
    return [(RNG.integers(0, classes - 1, (n,) + shape),
             RNG.integers(0, classes - 1, (n,) + shape),
             RNG.uniform(0.1, 2, n).astype("float32") if weighted else None)
            for n in sizes]


def flat(data):
    """Labels, predictions and per-element weights, all flattened."""
    y = np.concatenate([b[0].reshape(-1) for b in data])
    p = np.concatenate([b[1].reshape(-1) for b in data])
    if data[0][2] is None:
        return y, p, None
    w = np.concatenate([np.broadcast_to(
        b[2].reshape((-1,) + (1,) * (b[0].ndim - 1)), b[0].shape).reshape(-1)
        for b in data])
    return y, p, w


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("shape", [(), (3, 2)])
def test_mean_iou_against_sklearn(weighted, shape):
    data = id_batches(weighted, shape)
    y, p, w = flat(data)
    m = metrics.MeanIoU(num_classes=C)
    assert m.name == "mean_io_u"
    assert run(m, data) == pytest.approx(skm.jaccard_score(
        y, p, average="macro", sample_weight=w), rel=1e-5)
    np.testing.assert_allclose(to_np(m.total_cm), skm.confusion_matrix(
        y, p, labels=range(C), sample_weight=w), rtol=1e-5)


def test_iou_of_target_classes():
    data = id_batches(True)
    y, p, w = flat(data)
    per_class = skm.jaccard_score(y, p, average=None, labels=range(C - 1),
                                  sample_weight=w)
    m = metrics.IoU(num_classes=C, target_class_ids=[1, 3])
    assert run(m, data) == pytest.approx(per_class[[1, 3]].mean(), rel=1e-5)
    m = metrics.IoU(num_classes=C, target_class_ids=[2])
    assert run(m, data) == pytest.approx(per_class[2], rel=1e-5)
    # A target class that never occurs counts neither way.
    m = metrics.IoU(num_classes=C, target_class_ids=[0, 4])
    assert run(m, data) == pytest.approx(per_class[0], rel=1e-5)


@pytest.mark.parametrize("ignore_class", [0, 255, -1])
def test_ignore_class_drops_those_labels(ignore_class):
    data = id_batches(True, shape=(4,))
    data = [(np.where(y == 1, ignore_class, y), p, w) for y, p, w in data]
    y, p, w = flat(data)
    keep = y != ignore_class
    m = metrics.MeanIoU(num_classes=C, ignore_class=ignore_class)
    assert run(m, data) == pytest.approx(skm.jaccard_score(
        y[keep], p[keep], average="macro", sample_weight=w[keep]), rel=1e-5)


def test_binary_iou_thresholds_at_or_above():
    data = [(RNG.integers(0, 2, n), RNG.uniform(0, 1, n).astype("float32"),
             RNG.uniform(0.1, 2, n).astype("float32")) for n in (12, 7)]
    y = np.concatenate([b[0] for b in data])
    p = np.concatenate([b[1] for b in data])
    w = np.concatenate([b[2] for b in data])
    per_class = skm.jaccard_score(y, p >= 0.4, average=None,
                                  sample_weight=w)
    m = metrics.BinaryIoU(threshold=0.4)
    assert run(m, data) == pytest.approx(per_class.mean(), rel=1e-5)
    m = metrics.BinaryIoU(target_class_ids=[1], threshold=0.4)
    assert run(m, data) == pytest.approx(per_class[1], rel=1e-5)
    m = metrics.BinaryIoU(threshold=0.5)
    m.update_state([1.0], [0.5])  # 0.5 >= 0.5: class 1
    assert float(to_np(m.result())) == pytest.approx(1.0)


@pytest.mark.parametrize("cls,kwargs", [
    (metrics.OneHotMeanIoU, {}),
    (metrics.OneHotIoU, {"target_class_ids": [0, 2]}),
    (metrics.MeanIoU, {"sparse_y_true": False, "sparse_y_pred": False})])
def test_one_hot_variants_take_the_arg_max(cls, kwargs):
    data = []
    for n in (8, 5):
        labels = RNG.integers(0, C, n)
        data.append((np.eye(C, dtype="float32")[labels],
                     RNG.uniform(0, 1, (n, C)).astype("float32"),
                     RNG.uniform(0.1, 2, n).astype("float32")))
    y = np.concatenate([b[0] for b in data]).argmax(-1)
    p = np.concatenate([b[1] for b in data]).argmax(-1)
    w = np.concatenate([b[2] for b in data])
    per_class = skm.jaccard_score(y, p, average=None, labels=range(C),
                                  sample_weight=w, zero_division=0)
    ids = kwargs.get("target_class_ids", range(C))
    present = [i for i in ids if (y == i).any() or (p == i).any()]
    m = cls(num_classes=C, **kwargs)
    assert run(m, data) == pytest.approx(per_class[present].mean(),
                                         rel=1e-5)


def test_keras_documented_values():
    m = metrics.IoU(num_classes=2, target_class_ids=[0])
    m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    assert float(to_np(m.result())) == pytest.approx(1 / 3)
    m = metrics.MeanIoU(num_classes=2)
    m.update_state([0, 0, 1, 1], [0, 1, 0, 1],
                   sample_weight=[0.3, 0.3, 0.3, 0.1])
    assert float(to_np(m.result())) == pytest.approx(0.23809525, rel=1e-5)
    m = metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7],
                   sample_weight=[0.2, 0.3, 0.4, 0.1])
    assert float(to_np(m.result())) == pytest.approx(0.17361112, rel=1e-5)
    m = metrics.OneHotMeanIoU(num_classes=3)
    m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
                   [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1],
                    [0.1, 0.4, 0.5]], sample_weight=[0.1, 0.2, 0.3, 0.4])
    assert float(to_np(m.result())) == pytest.approx(0.1 / 0.7 / 3,
                                                     rel=1e-5)


def test_integer_state_dtype():
    m = metrics.MeanIoU(num_classes=3, dtype="int32")
    m.update_state([0, 1, 2, 2], [0, 2, 2, 2], sample_weight=[1, 2, 1, 1])
    assert m.total_cm.dtype == "int32"
    assert float(to_np(m.result())) == pytest.approx((1 + 0 + 2 / 4) / 3,
                                                     rel=1e-5)


def test_reset_and_stateless_twin():
    data = id_batches(True)
    m, twin = metrics.MeanIoU(C), metrics.MeanIoU(C)
    state = twin.stateless_reset_state()
    for y, p, w in data:
        state = twin.stateless_update_state(state, y, p, sample_weight=w)
    assert float(to_np(twin.stateless_result(state))) == pytest.approx(
        run(m, data), rel=1e-6)
    m.reset_state()
    assert np.all(to_np(m.total_cm) == 0)
    assert float(to_np(m.result())) == 0.0


@pytest.mark.parametrize("cls,kwargs", [
    (metrics.IoU, {"num_classes": 3, "target_class_ids": [0, 2],
                   "ignore_class": 255, "sparse_y_pred": False}),
    (metrics.MeanIoU, {"num_classes": 4, "axis": 1}),
    (metrics.BinaryIoU, {"target_class_ids": [1], "threshold": 0.2}),
    (metrics.OneHotIoU, {"num_classes": 3, "target_class_ids": [1]}),
    (metrics.OneHotMeanIoU, {"num_classes": 3, "sparse_y_pred": True})])
def test_config_round_trip(cls, kwargs):
    m = cls(name="mine", **kwargs)
    assert m._direction == "up"  # callbacks' mode='auto' maximizes it
    config = m.get_config()
    assert config["dtype"] == "float32"
    assert cls.from_config(config).get_config() == config
    restored = metrics.deserialize(metrics.serialize(m))
    assert type(restored) is cls and restored.get_config() == config


def test_config_keys_follow_keras():
    assert set(metrics.MeanIoU(3).get_config()) == {
        "name", "dtype", "num_classes", "ignore_class", "sparse_y_true",
        "sparse_y_pred", "axis"}
    assert set(metrics.BinaryIoU().get_config()) == {
        "name", "dtype", "target_class_ids", "threshold"}
    assert "sparse_y_true" not in metrics.OneHotIoU(3, [0]).get_config()


def test_bad_arguments():
    with pytest.raises(ValueError, match="out of range"):
        metrics.IoU(num_classes=2, target_class_ids=[2])
    with pytest.raises(ValueError, match="num_classes"):
        metrics.MeanIoU(num_classes=0)
    with pytest.raises(ValueError, match="class ids"):
        metrics.MeanIoU(num_classes=3).update_state([0, 1], [0, 1, 2])
