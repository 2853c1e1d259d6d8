"""Every loss class: default name, value per reduction with and without
sample weights (against NumPy), and config / serialize round trips."""

import numpy as np
import pytest

from lamina import backend, losses, ops
from lamina.saving import config as saving

EPS = 1e-7
RNG = np.random.default_rng(2)
N, D = 6, 4


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def log_softmax(x):
    return x - x.max(-1, keepdims=True) - np.log(
        np.exp(x - x.max(-1, keepdims=True)).sum(-1, keepdims=True))


def real():
    return (RNG.normal(size=(N, D)).astype("float32"),
            RNG.normal(size=(N, D)).astype("float32"))


def positive():
    return (RNG.uniform(0.1, 3, (N, D)).astype("float32"),
            RNG.uniform(0.1, 3, (N, D)).astype("float32"))


def distributions():
    return (softmax(RNG.normal(size=(N, D))).astype("float32"),
            softmax(RNG.normal(size=(N, D))).astype("float32"))


def binary_probs():
    return (RNG.integers(0, 2, (N, D)).astype("float32"),
            RNG.uniform(0.05, 0.95, (N, D)).astype("float32"))


def binary_logits():
    return (RNG.integers(0, 2, (N, D)).astype("float32"),
            RNG.normal(size=(N, D)).astype("float32"))


def one_hot_logits():
    return (np.eye(D, dtype="float32")[RNG.integers(0, D, N)],
            RNG.normal(size=(N, D)).astype("float32"))


def labels_logits():
    return RNG.integers(0, D, N), RNG.normal(size=(N, D)).astype("float32")


def norm(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def bce(t, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p))


# (class, kwargs, default name, data, per-sample NumPy reference)
CASES = [
    (losses.MeanSquaredError, {}, "mean_squared_error", real,
     lambda t, p: ((t - p) ** 2).mean(-1)),
    (losses.MeanAbsoluteError, {}, "mean_absolute_error", real,
     lambda t, p: np.abs(t - p).mean(-1)),
    (losses.MeanAbsolutePercentageError, {},
     "mean_absolute_percentage_error", positive,
     lambda t, p: 100 * (np.abs(t - p) / np.abs(t)).mean(-1)),
    (losses.MeanSquaredLogarithmicError, {},
     "mean_squared_logarithmic_error", positive,
     lambda t, p: ((np.log1p(p) - np.log1p(t)) ** 2).mean(-1)),
    (losses.CosineSimilarity, {}, "cosine_similarity", real,
     lambda t, p: -(norm(t) * norm(p)).sum(-1)),
    (losses.Huber, {"delta": 0.7}, "huber_loss", real,
     lambda t, p: np.where(np.abs(p - t) <= 0.7, 0.5 * (p - t) ** 2,
                           0.7 * np.abs(p - t) - 0.245).mean(-1)),
    (losses.LogCosh, {}, "log_cosh", real,
     lambda t, p: np.log(np.cosh(p - t)).mean(-1)),
    (losses.KLDivergence, {}, "kl_divergence", distributions,
     lambda t, p: (t * np.log(t / p)).sum(-1)),
    (losses.Poisson, {}, "poisson", positive,
     lambda t, p: (p - t * np.log(p + EPS)).mean(-1)),
    (losses.Hinge, {}, "hinge", binary_logits,
     lambda t, p: np.maximum(1 - (2 * t - 1) * p, 0).mean(-1)),
    (losses.SquaredHinge, {}, "squared_hinge", binary_logits,
     lambda t, p: (np.maximum(1 - (2 * t - 1) * p, 0) ** 2).mean(-1)),
    (losses.CategoricalHinge, {}, "categorical_hinge", one_hot_logits,
     lambda t, p: np.maximum(((1 - t) * p).max(-1) - (t * p).sum(-1) + 1,
                             0)),
    (losses.BinaryCrossentropy, {}, "binary_crossentropy", binary_probs,
     lambda t, p: bce(t, p).mean(-1)),
    (losses.BinaryCrossentropy, {"from_logits": True, "label_smoothing": 0.2},
     "binary_crossentropy", binary_logits,
     lambda t, p: bce(0.8 * t + 0.1, sigmoid(p)).mean(-1)),
    (losses.BinaryFocalCrossentropy,
     {"from_logits": True, "apply_class_balancing": True, "gamma": 1.5},
     "binary_focal_crossentropy", binary_logits,
     lambda t, p: ((t * 0.25 + (1 - t) * 0.75) * (1 - (
         t * sigmoid(p) + (1 - t) * (1 - sigmoid(p)))) ** 1.5
         * bce(t, sigmoid(p))).mean(-1)),
    (losses.CategoricalCrossentropy, {}, "categorical_crossentropy",
     lambda: (one_hot_logits()[0], distributions()[1]),
     lambda t, p: -(t * np.log(p)).sum(-1)),
    (losses.CategoricalCrossentropy,
     {"from_logits": True, "label_smoothing": 0.1},
     "categorical_crossentropy", one_hot_logits,
     lambda t, p: -((0.9 * t + 0.1 / D) * log_softmax(p)).sum(-1)),
    (losses.CategoricalFocalCrossentropy, {"from_logits": True},
     "categorical_focal_crossentropy", one_hot_logits,
     lambda t, p: -(0.25 * (1 - softmax(p)) ** 2 * t
                    * log_softmax(p)).sum(-1)),
    (losses.SparseCategoricalCrossentropy, {"from_logits": True},
     "sparse_categorical_crossentropy", labels_logits,
     lambda t, p: -np.take_along_axis(log_softmax(p), t.astype(int)[:, None],
                                      -1)[:, 0]),
]
IDS = [f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parametrize("cls,kwargs,name,data,ref", CASES, ids=IDS)
def test_default_name(cls, kwargs, name, data, ref):
    assert cls(**kwargs).name == name
    assert cls(name="custom").name == "custom"


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum",
                                       "none"])
@pytest.mark.parametrize("cls,kwargs,name,data,ref", CASES, ids=IDS)
def test_value_matches_numpy(cls, kwargs, name, data, ref, reduction):
    t, p = data()
    per_sample = ref(t.astype("float64"), p.astype("float64"))
    w = RNG.uniform(0, 2, N).astype("float32")
    loss = cls(reduction=reduction, **kwargs)
    for weight, scale in ((None, np.ones(N)), (w, w)):
        out = to_np(loss(t, p, sample_weight=weight))
        weighted = per_sample * scale
        expected = {"sum_over_batch_size": weighted.mean(),
                    "sum": weighted.sum(), "none": weighted}[reduction]
        np.testing.assert_allclose(out, expected, rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("cls,kwargs,name,data,ref", CASES, ids=IDS)
def test_config_round_trip(cls, kwargs, name, data, ref):
    loss = cls(reduction="sum", name="my_loss", **kwargs)
    config = loss.get_config()
    assert config["reduction"] == "sum" and config["name"] == "my_loss"
    for key, value in kwargs.items():
        assert config[key] == value
    restored = cls.from_config(config)
    assert type(restored) is cls and restored.get_config() == config
    serialized = saving.serialize(loss)
    assert serialized["class_name"] == cls.__name__
    assert serialized["module"] == "keras.losses"
    again = losses.deserialize(serialized)
    assert type(again) is cls and again.get_config() == config
    t, p = data()
    np.testing.assert_allclose(to_np(again(t, p)), to_np(loss(t, p)),
                               rtol=1e-6)


def test_configs_hold_every_constructor_argument():
    config = losses.SparseCategoricalCrossentropy(
        from_logits=True, ignore_class=0, axis=-1).get_config()
    assert config == {"name": "sparse_categorical_crossentropy",
                      "reduction": "sum_over_batch_size",
                      "from_logits": True, "ignore_class": 0, "axis": -1}
    assert losses.CosineSimilarity(axis=1).get_config()["axis"] == 1
    assert losses.Huber(delta=3.0).get_config()["delta"] == 3.0


def test_keras2_style_config_loads():
    config = {"class_name": "BinaryCrossentropy",
              "config": {"reduction": "auto", "name": "binary_crossentropy",
                         "from_logits": True, "label_smoothing": 0.0,
                         "axis": -1}}
    loss = losses.deserialize(config)
    assert isinstance(loss, losses.BinaryCrossentropy)
    assert loss.reduction == "sum_over_batch_size"


@pytest.fixture
def no_host_copies(monkeypatch):
    """Makes every torch device-to-host read fail for the test's duration."""
    if backend.backend() != "torch":
        pytest.skip("host-sync guard is written for torch tensors")
    import torch

    def refuse(*args, **kwargs):
        raise AssertionError("a loss read a tensor back to the host")

    for name in ("item", "tolist", "numpy", "__float__", "__int__",
                 "__bool__", "__index__", "__array__"):
        monkeypatch.setattr(torch.Tensor, name, refuse)


@pytest.mark.parametrize("cls,kwargs,name,data,ref", CASES, ids=IDS)
def test_calls_stay_on_the_device(cls, kwargs, name, data, ref, request):
    t, p = (ops.convert_to_tensor(x) for x in data())
    w = ops.convert_to_tensor(RNG.uniform(0, 2, N).astype("float32"))
    loss = cls(**kwargs)
    request.getfixturevalue("no_host_copies")
    assert ops.is_tensor(loss(t, p, sample_weight=w))
