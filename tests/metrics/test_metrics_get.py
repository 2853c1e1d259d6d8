"""The metric catalogue: `get`, names, and what every metric must do
(stateless twin, reset, config round trip, no host copies per batch)."""

import numpy as np
import pytest

from lamina import backend, metrics, ops

RNG = np.random.default_rng(8)
N, C = 6, 4


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


# Constructor arguments of the metrics that have required ones.
ARGS = {
    metrics.IoU: {"num_classes": C, "target_class_ids": [0, 2]},
    metrics.OneHotIoU: {"num_classes": C, "target_class_ids": [0, 2]},
    metrics.MeanIoU: {"num_classes": C},
    metrics.OneHotMeanIoU: {"num_classes": C},
    metrics.SensitivityAtSpecificity: {"specificity": 0.5},
    metrics.SpecificityAtSensitivity: {"sensitivity": 0.5},
    metrics.PrecisionAtRecall: {"recall": 0.5},
    metrics.RecallAtPrecision: {"precision": 0.5},
}


def make(cls, **kwargs):
    return cls(**ARGS.get(cls, {}), **kwargs)


def data_for(cls):
    """Two batches `(y_true, y_pred, sample_weight)` suited to `cls`."""
    out = []
    for size in (N, N - 2):
        labels = RNG.integers(0, C, size)
        w = RNG.uniform(0.1, 2, size).astype("float32")
        if cls in (metrics.IoU, metrics.MeanIoU):  # class ids
            out.append((labels, RNG.integers(0, C, size), w))
            continue
        if cls in (metrics.SparseCategoricalAccuracy,
                   metrics.SparseTopKCategoricalAccuracy,
                   metrics.SparseCategoricalCrossentropy):
            y = labels
        elif cls in (metrics.BinaryAccuracy, metrics.BinaryCrossentropy,
                     metrics.Hinge, metrics.SquaredHinge):
            y = RNG.integers(0, 2, (size, C)).astype("float32")
        else:
            y = np.eye(C, dtype="float32")[labels]
        p = RNG.uniform(0.05, 0.95, (size, C)).astype("float32")
        p = p / p.sum(-1, keepdims=True)
        out.append((y, p, w))
    return out


CLASSES = sorted({cls for name, cls in metrics.ALL_OBJECTS.items()
                  if name not in ("Metric", "MeanMetricWrapper")},
                 key=lambda c: c.__name__)


def update(metric, batch):
    y, p, w = batch
    if type(metric) in (metrics.Mean, metrics.Sum):
        metric.update_state(p, sample_weight=w)
    else:
        metric.update_state(y, p, sample_weight=w)


def stateless_update(metric, state, batch):
    y, p, w = batch
    if type(metric) in (metrics.Mean, metrics.Sum):
        return metric.stateless_update_state(state, p, sample_weight=w)
    return metric.stateless_update_state(state, y, p, sample_weight=w)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_stateless_update_matches_stateful(cls):
    batches = data_for(cls)
    stateful, stateless = make(cls), make(cls)
    state = stateless.stateless_reset_state()
    for batch in batches:
        update(stateful, batch)
        state = stateless_update(stateless, state, batch)
    for variable in stateless.variables:  # untouched
        assert np.all(to_np(variable) == 0.0)
    expected = to_np(stateful.result())
    np.testing.assert_allclose(to_np(stateless.stateless_result(state)),
                               expected, rtol=1e-6)
    for variable, value in zip(stateful.variables, state):
        np.testing.assert_allclose(to_np(variable), to_np(value), rtol=1e-6)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_reset_state(cls):
    m = make(cls)
    for batch in data_for(cls):
        update(m, batch)
    m.reset_state()
    assert all(np.all(to_np(v) == 0.0) for v in m.variables)
    assert np.all(to_np(m.result()) == 0.0)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_config_and_serialize_round_trip(cls):
    m = make(cls, name="renamed")
    config = m.get_config()
    assert config["name"] == "renamed" and config["dtype"] == "float32"
    assert cls.from_config(config).get_config() == config
    serialized = metrics.serialize(m)
    assert serialized["module"] == "keras.metrics"
    assert serialized["class_name"] == cls.__name__
    again = metrics.deserialize(serialized)
    assert type(again) is cls and again.get_config() == config


@pytest.fixture
def no_host_copies(monkeypatch):
    """Makes every torch device-to-host read fail for the test's duration."""
    if backend.backend() != "torch":
        pytest.skip("host-sync guard is written for torch tensors")
    import torch

    def refuse(*args, **kwargs):
        raise AssertionError("a metric read a tensor back to the host")

    for name in ("item", "tolist", "numpy", "__float__", "__int__",
                 "__bool__", "__index__", "__array__"):
        monkeypatch.setattr(torch.Tensor, name, refuse)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_update_and_result_stay_on_the_device(cls, request):
    m = make(cls)
    batches = [tuple(ops.convert_to_tensor(x) for x in batch)
               for batch in data_for(cls)]
    request.getfixturevalue("no_host_copies")
    for batch in batches:
        update(m, batch)
    result = m.result()
    assert ops.is_tensor(result)


@pytest.mark.parametrize("name,cls", [
    ("accuracy", metrics.Accuracy), ("acc", metrics.Accuracy),
    ("binary_accuracy", metrics.BinaryAccuracy),
    ("categorical_accuracy", metrics.CategoricalAccuracy),
    ("sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy),
    ("top_k_categorical_accuracy", metrics.TopKCategoricalAccuracy),
    ("sparse_top_k_categorical_accuracy",
     metrics.SparseTopKCategoricalAccuracy),
    ("mse", metrics.MeanSquaredError), ("MSE", metrics.MeanSquaredError),
    ("mean_squared_error", metrics.MeanSquaredError),
    ("mae", metrics.MeanAbsoluteError),
    ("mape", metrics.MeanAbsolutePercentageError),
    ("msle", metrics.MeanSquaredLogarithmicError),
    ("root_mean_squared_error", metrics.RootMeanSquaredError),
    ("binary_crossentropy", metrics.BinaryCrossentropy),
    ("categorical_crossentropy", metrics.CategoricalCrossentropy),
    ("kld", metrics.KLDivergence), ("logcosh", metrics.LogCoshError),
    ("hinge", metrics.Hinge), ("CategoricalHinge", metrics.CategoricalHinge),
    ("auc", metrics.AUC), ("AUC", metrics.AUC),
    ("precision", metrics.Precision), ("recall", metrics.Recall),
    ("true_positives", metrics.TruePositives),
    ("f1_score", metrics.F1Score), ("r2_score", metrics.R2Score),
])
def test_get_names(name, cls):
    assert isinstance(metrics.get(name), cls)


def test_default_names_are_keras_snake_case():
    names = {cls.__name__: make(cls).name for cls in CLASSES}
    assert names["BinaryAccuracy"] == "binary_accuracy"
    assert names["CategoricalAccuracy"] == "categorical_accuracy"
    assert names["MeanSquaredError"] == "mean_squared_error"
    assert names["KLDivergence"] == "kl_divergence"
    assert names["LogCoshError"] == "logcosh"
    assert names["Mean"] == "mean"
    assert names["AUC"] == "auc" and names["MeanIoU"] == "mean_io_u"
    assert names["FBetaScore"] == "fbeta_score"
    assert names["R2Score"] == "r2_score"


def test_get_other_identifiers():
    m = metrics.Mean()
    assert metrics.get(m) is m
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert metrics.get(None) is None
    from_dict = metrics.get({"class_name": "BinaryAccuracy",
                             "config": {"threshold": 0.9}})
    assert from_dict.threshold == 0.9
    keras3_fn = {"module": "keras.metrics", "class_name": "function",
                 "config": "binary_accuracy", "registered_name": "function"}
    assert metrics.deserialize(keras3_fn) is metrics.binary_accuracy


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError) as info:
        metrics.get("acuracy")
    message = str(info.value)
    assert "'acuracy'" in message and "Did you mean 'accuracy'" in message
    assert "sparse_categorical_accuracy" in message and "mse" in message


def test_non_callable_is_rejected():
    with pytest.raises(ValueError, match="metric identifier"):
        metrics.get(1.5)
