"""Confusion counts, precision, recall and the "X at Y" metrics, against
scikit-learn (and NumPy for the threshold searches), over several weighted
batches."""

import numpy as np
import pytest
from sklearn import metrics as skm

from lamina import metrics, ops

RNG = np.random.default_rng(21)


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def batches(weighted, shape=(), sizes=(8, 8, 8)):
    out = []
    for size in sizes:
        y = RNG.integers(0, 2, (size,) + shape).astype("float32")
        p = RNG.uniform(0, 1, (size,) + shape).astype("float32")
        w = RNG.uniform(0, 2, size).astype("float32") if weighted else None
        out.append((y, p, w))
    return out


def run(metric, data):
    for y, p, w in data:
        metric.update_state(y, p, sample_weight=w)
    return to_np(metric.result())


def joined(data):
    """All batches flattened, with per-element weights (or None)."""
    y = np.concatenate([b[0].reshape(len(b[0]), -1) for b in data])
    p = np.concatenate([b[1].reshape(len(b[1]), -1) for b in data])
    w = None
    if data[0][2] is not None:
        w = np.concatenate([np.broadcast_to(b[2][:, None], b[0].reshape(
            len(b[0]), -1).shape) for b in data]).ravel()
    return y.ravel(), p.ravel(), w


def sk_cells(y, p, w, threshold):
    """(tn, fp, fn, tp) from scikit-learn's confusion matrix."""
    return skm.confusion_matrix(y, p > threshold, labels=[0, 1],
                                sample_weight=w).ravel()


CELLS = {"TrueNegatives": 0, "FalsePositives": 1, "FalseNegatives": 2,
         "TruePositives": 3}


@pytest.mark.parametrize("name", sorted(CELLS))
@pytest.mark.parametrize("weighted", [False, True])
def test_counts_against_sklearn(name, weighted):
    data = batches(weighted, shape=(2,))
    y, p, w = joined(data)
    m = getattr(metrics, name)()
    assert m.name == {"TrueNegatives": "true_negatives",
                      "FalsePositives": "false_positives",
                      "FalseNegatives": "false_negatives",
                      "TruePositives": "true_positives"}[name]
    out = run(m, data)
    assert out.shape == ()
    assert out == pytest.approx(sk_cells(y, p, w, 0.5)[CELLS[name]],
                                rel=1e-5)
    thresholds = [0.0, 0.3, 0.5, 0.9, 1.0]  # a list gives a vector
    m = getattr(metrics, name)(thresholds=thresholds)
    out = run(m, data)
    expected = [sk_cells(y, p, w, t)[CELLS[name]] for t in thresholds]
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("cls,expected,weighted", [
    (metrics.TruePositives, 2.0, 1.0), (metrics.FalsePositives, 1.0, 0.0),
    (metrics.TrueNegatives, 0.0, 0.0), (metrics.FalseNegatives, 1.0, 0.0),
    (metrics.Precision, 2 / 3, 1.0), (metrics.Recall, 2 / 3, 1.0)])
def test_keras_documented_values(cls, expected, weighted):
    m = cls()
    m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    assert float(to_np(m.result())) == pytest.approx(expected)
    m.reset_state()
    m.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
    assert float(to_np(m.result())) == pytest.approx(weighted)


@pytest.mark.parametrize("cls,score_fn", [
    (metrics.Precision, skm.precision_score),
    (metrics.Recall, skm.recall_score)])
@pytest.mark.parametrize("weighted", [False, True])
def test_precision_recall_against_sklearn(cls, score_fn, weighted):
    data = batches(weighted, shape=(3,))
    y, p, w = joined(data)
    m = cls()
    assert float(run(m, data)) == pytest.approx(
        score_fn(y, p > 0.5, sample_weight=w), rel=1e-5)
    thresholds = [0.2, 0.5, 0.7]
    m = cls(thresholds=thresholds)
    np.testing.assert_allclose(run(m, data), [
        score_fn(y, p > t, sample_weight=w) for t in thresholds], rtol=1e-5)
    # class_id: only column 1 counts.
    m = cls(class_id=1)
    y1 = np.concatenate([b[0][:, 1] for b in data])
    p1 = np.concatenate([b[1][:, 1] for b in data])
    w1 = None if w is None else np.concatenate([b[2] for b in data])
    assert float(run(m, data)) == pytest.approx(
        score_fn(y1, p1 > 0.5, sample_weight=w1), rel=1e-5)


@pytest.mark.parametrize("cls", [metrics.Precision, metrics.Recall])
def test_top_k(cls):
    data = batches(True, shape=(5,))
    m = cls(top_k=2)
    y, p, _ = joined(data)
    top = np.zeros((len(y) // 5, 5), bool)
    scores = p.reshape(-1, 5)
    np.put_along_axis(top, np.argsort(-scores, -1)[:, :2], True, -1)
    w = np.concatenate([b[2] for b in data])[:, None]
    labels = y.reshape(-1, 5) == 1
    tp = (top & labels) * w
    other = (top & ~labels) * w if cls is metrics.Precision else \
        (~top & labels) * w
    assert float(run(m, data)) == pytest.approx(
        tp.sum() / (tp.sum() + other.sum()), rel=1e-5)
    m = cls(top_k=2)  # ties go to the lower index on every backend
    m.update_state([0, 0, 1, 1], [1, 1, 1, 1])
    assert float(to_np(m.result())) == 0.0
    m = cls(top_k=4)
    m.update_state([0, 0, 1, 1], [1, 1, 1, 1])
    assert float(to_np(m.result())) == (0.5 if cls is metrics.Precision
                                        else 1.0)


def reference_at(y, p, w, num_thresholds, constrained, value, dependent):
    """Brute force over thresholds i / (T - 1), as Keras defines it."""
    w = np.ones_like(y) if w is None else w
    best = 0.0
    for t in np.arange(num_thresholds, dtype="float32") / (
            num_thresholds - 1):
        tn, fp, fn, tp = skm.confusion_matrix(
            y, p > t, labels=[0, 1], sample_weight=w).ravel()
        rates = {"sensitivity": tp / (tp + fn) if tp + fn else 0.0,
                 "specificity": tn / (tn + fp) if tn + fp else 0.0,
                 "precision": tp / (tp + fp) if tp + fp else 0.0}
        if rates[constrained] >= value:
            best = max(best, rates[dependent])
    return best


@pytest.mark.parametrize("cls,arg,constrained,dependent", [
    (metrics.SensitivityAtSpecificity, "specificity", "specificity",
     "sensitivity"),
    (metrics.SpecificityAtSensitivity, "sensitivity", "sensitivity",
     "specificity"),
    (metrics.PrecisionAtRecall, "recall", "sensitivity", "precision"),
    (metrics.RecallAtPrecision, "precision", "precision", "sensitivity")])
@pytest.mark.parametrize("weighted", [False, True])
def test_at_metrics_against_brute_force(cls, arg, constrained, dependent,
                                        weighted):
    data = batches(weighted, sizes=(8, 8, 8))
    y, p, w = joined(data)
    m = cls(**{arg: 0.6}, num_thresholds=25)
    assert m.name == {"specificity": "sensitivity_at_specificity",
                      "sensitivity": "specificity_at_sensitivity",
                      "recall": "precision_at_recall",
                      "precision": "recall_at_precision"}[arg]
    assert float(run(m, data)) == pytest.approx(
        reference_at(y, p, w, 25, constrained, 0.6, dependent), abs=1e-5)
    config = m.get_config()
    assert config[arg] == 0.6 and config["num_thresholds"] == 25
    assert config["class_id"] is None


@pytest.mark.parametrize("cls,value,plain,weights,weighted", [
    (metrics.SensitivityAtSpecificity, 0.5, 0.5, [1, 1, 2, 2, 1], 1 / 3),
    (metrics.SpecificityAtSensitivity, 0.5, 2 / 3, [1, 1, 2, 2, 2], 0.5),
    (metrics.PrecisionAtRecall, 0.5, 0.5, [2, 2, 2, 1, 1], 1 / 3)])
def test_at_metrics_documented_values(cls, value, plain, weights, weighted):
    m = cls(value)
    m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    assert float(to_np(m.result())) == pytest.approx(plain)
    m.reset_state()
    m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8],
                   sample_weight=weights)
    assert float(to_np(m.result())) == pytest.approx(weighted)


def test_recall_at_unreachable_precision_is_zero():
    m = metrics.RecallAtPrecision(1.0, num_thresholds=1)
    m.update_state([0, 1], [0.9, 0.1])
    assert float(to_np(m.result())) == 0.0
    assert m.thresholds == [0.5]


@pytest.mark.parametrize("cls,kwargs", [
    (metrics.TruePositives, {"thresholds": [0.25, 0.75]}),
    (metrics.Precision, {"thresholds": 0.3, "top_k": 2, "class_id": 1}),
    (metrics.Recall, {}),
    (metrics.SpecificityAtSensitivity, {"sensitivity": 0.4,
                                        "num_thresholds": 10,
                                        "class_id": 0})])
def test_config_round_trip(cls, kwargs):
    m = cls(name="mine", **kwargs)
    config = m.get_config()
    assert config["name"] == "mine"
    # callbacks' mode='auto' maximizes these; counts say nothing
    assert getattr(m, "_direction", None) == (
        None if cls is metrics.TruePositives else "up")
    again = cls.from_config(config)
    assert again.get_config() == config
    restored = metrics.deserialize(metrics.serialize(m))
    assert type(restored) is cls and restored.get_config() == config


def test_reset_and_stateless_twin():
    data = batches(True, shape=(2,))
    m, twin = metrics.Precision(thresholds=[0.3, 0.6]), metrics.Precision(
        thresholds=[0.3, 0.6])
    state = twin.stateless_reset_state()
    for y, p, w in data:
        state = twin.stateless_update_state(state, y, p, sample_weight=w)
    np.testing.assert_allclose(to_np(twin.stateless_result(state)),
                               run(m, data), rtol=1e-6)
    m.reset_state()
    assert all(np.all(to_np(v) == 0) for v in m.variables)
    np.testing.assert_array_equal(to_np(m.result()), [0.0, 0.0])


def test_result_does_not_alias_the_state():
    m = metrics.TruePositives()
    m.update_state([1.0], [0.9])
    first = m.result()
    m.update_state([1.0], [0.9])
    assert float(to_np(first)) == 1.0


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        metrics.TruePositives(thresholds=[0.5, 2.0])
    with pytest.raises(ValueError, match="specificity"):
        metrics.SensitivityAtSpecificity(1.5)
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.PrecisionAtRecall(0.5, num_thresholds=0)
    with pytest.raises(ValueError, match="class axis"):
        metrics.Precision(class_id=0).update_state([1, 0], [0.3, 0.6])
