"""Tests for `MonitorCallback` and the 'auto' mode direction
(lamina/callbacks/monitor_callback.py)."""

import pytest

from lamina import callbacks
from lamina.callbacks import monitor_callback


@pytest.mark.parametrize("monitor, expected", [
    ("loss", "min"), ("val_loss", "min"), ("output_1_loss", "min"),
    ("accuracy", "max"), ("val_acc", "max"),
    ("val_sparse_categorical_accuracy", "max"),
    ("top_k_categorical_accuracy", "max"), ("auc", "max"),
    ("val_precision", "max"), ("recall", "max"), ("f1_score", "max"),
    ("mean_iou", "max"), ("r2_score", "max"),
    ("mean_squared_error", "min"), ("val_mae", "min"), ("mse", "min"),
    ("categorical_crossentropy", "min"),
    ("val_sparse_categorical_crossentropy", "min"),
    ("kl_divergence", "min"), ("squared_hinge", "min"),
    ("root_mean_squared_error", "min"), ("my_score", None),
])
def test_infer_direction(monitor, expected):
    assert monitor_callback.infer_direction(monitor) == expected


def test_metric_direction_attribute_wins():
    class Metric:
        name = "score"
        _direction = "up"

    class Model:
        metrics = (Metric(),)

    assert monitor_callback.infer_direction("val_score", Model()) == "max"


def test_is_improvement_with_min_delta():
    cb = callbacks.MonitorCallback("loss", "min", min_delta=0.1)
    assert cb._is_improvement(1.0, None)
    assert cb._is_improvement(0.8, 1.0)
    assert not cb._is_improvement(0.95, 1.0)
    cb = callbacks.MonitorCallback("accuracy", "auto", min_delta=0.1)
    assert cb.direction == "max"
    assert cb._is_improvement(0.75, 0.6)
    assert not cb._is_improvement(0.65, 0.6)


def test_default_mode_for_unknown_names():
    assert callbacks.MonitorCallback("x", default_mode="min").direction == \
        "min"
    with pytest.raises(ValueError, match="monitor='x'.*mode='max'"):
        _ = callbacks.MonitorCallback("x").direction


def test_monitor_must_be_a_string():
    with pytest.raises(TypeError, match="monitor"):
        callbacks.EarlyStopping(monitor=["loss"])
