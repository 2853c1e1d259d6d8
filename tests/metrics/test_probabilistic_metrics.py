"""Crossentropy and divergence metrics against scikit-learn and NumPy."""

import numpy as np
import pytest
from sklearn import metrics as skm

from lamina import metrics, ops

RNG = np.random.default_rng(6)
C = 4


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def run(metric, batches):
    for t, p, w in batches:
        metric.update_state(t, p, sample_weight=w)
    return float(to_np(metric.result()))


def categorical_batches(weighted, sizes=(6, 9, 4)):
    out = []
    for size in sizes:
        labels = RNG.integers(0, C, size)
        logits = RNG.normal(size=(size, C)).astype("float32")
        w = RNG.uniform(0, 2, size).astype("float32") if weighted else None
        out.append((labels, logits, w))
    return out


def sk_log_loss(batches, to_probs):
    labels = np.concatenate([b[0] for b in batches])
    probs = to_probs(np.concatenate([b[1] for b in batches]).astype(
        "float64"))
    w = None if batches[0][2] is None else np.concatenate(
        [b[2] for b in batches])
    return skm.log_loss(labels, probs, sample_weight=w,
                        labels=np.arange(probs.shape[-1]))


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_categorical_crossentropy(weighted, from_logits):
    batches = categorical_batches(weighted)
    fed = [(lab, s if from_logits else softmax(s).astype("float32"), w)
           for lab, s, w in batches]
    m = metrics.SparseCategoricalCrossentropy(from_logits=from_logits)
    assert m.name == "sparse_categorical_crossentropy"
    assert run(m, fed) == pytest.approx(sk_log_loss(batches, softmax),
                                        rel=1e-5)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("from_logits", [False, True])
def test_categorical_crossentropy(weighted, from_logits):
    batches = categorical_batches(weighted)
    fed = [(np.eye(C, dtype="float32")[lab],
            s if from_logits else softmax(s).astype("float32"), w)
           for lab, s, w in batches]
    m = metrics.CategoricalCrossentropy(from_logits=from_logits)
    assert run(m, fed) == pytest.approx(sk_log_loss(batches, softmax),
                                        rel=1e-5)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("from_logits", [False, True])
def test_binary_crossentropy(weighted, from_logits):
    batches = []
    for size in (7, 5):
        y = RNG.integers(0, 2, (size, 1)).astype("float32")
        logits = RNG.normal(size=(size, 1)).astype("float32")
        w = RNG.uniform(0, 2, size).astype("float32") if weighted else None
        batches.append((y, logits, w))
    y = np.concatenate([b[0] for b in batches])[:, 0]
    probs = 1 / (1 + np.exp(-np.concatenate([b[1] for b in batches])[:, 0]
                            .astype("float64")))
    w = None if not weighted else np.concatenate([b[2] for b in batches])
    expected = skm.log_loss(y, probs, sample_weight=w, labels=[0, 1])
    fed = [(t, s if from_logits else (1 / (1 + np.exp(-s))), ww)
           for t, s, ww in batches]
    m = metrics.BinaryCrossentropy(from_logits=from_logits)
    assert m.name == "binary_crossentropy"
    assert run(m, fed) == pytest.approx(expected, rel=1e-5)


def test_binary_crossentropy_label_smoothing():
    y = np.array([[1.0], [0.0]], "float32")
    logits = np.array([[0.3], [-1.2]], "float32")
    m = metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.2)
    m.update_state(y, logits)
    t = y * 0.8 + 0.1
    p = 1 / (1 + np.exp(-logits.astype("float64")))
    expected = -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean()
    assert float(to_np(m.result())) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("weighted", [False, True])
def test_kl_divergence_and_poisson(weighted):
    t = softmax(RNG.normal(size=(8, C))).astype("float32")
    p = softmax(RNG.normal(size=(8, C))).astype("float32")
    w = RNG.uniform(0, 2, 8).astype("float32") if weighted else np.ones(8)
    kl = (t * np.log(t / p)).sum(-1)
    poisson = (p - t * np.log(p + 1e-7)).mean(-1)
    for cls, name, per_sample in (
            (metrics.KLDivergence, "kl_divergence", kl),
            (metrics.Poisson, "poisson", poisson)):
        m = cls()
        assert m.name == name
        m.update_state(t[:3], p[:3], sample_weight=w[:3])
        m.update_state(t[3:], p[3:], sample_weight=w[3:])
        assert float(to_np(m.result())) == pytest.approx(
            (per_sample * w).sum() / w.sum(), rel=1e-5)


@pytest.mark.parametrize("cls,kwargs", [
    (metrics.BinaryCrossentropy, {"from_logits": True,
                                  "label_smoothing": 0.1}),
    (metrics.CategoricalCrossentropy, {"from_logits": True,
                                       "label_smoothing": 0.2, "axis": -1}),
    (metrics.SparseCategoricalCrossentropy, {"from_logits": True,
                                             "axis": -1}),
    (metrics.KLDivergence, {}), (metrics.Poisson, {})])
def test_config_round_trip(cls, kwargs):
    m = cls(name="p", **kwargs)
    config = m.get_config()
    assert config == {"name": "p", "dtype": "float32", **kwargs}
    again = metrics.deserialize(metrics.serialize(m))
    assert type(again) is cls and again.get_config() == config
