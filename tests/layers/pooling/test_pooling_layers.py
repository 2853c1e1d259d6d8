"""MaxPooling1D/2D/3D and AveragePooling1D/2D/3D: standard checks and
values against torch.nn.functional max_pool / avg_pool called directly."""

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lamina import ops
from lamina.layers.pooling import (
    ALL_OBJECTS, AveragePooling1D, AveragePooling2D, AveragePooling3D,
    AvgPool2D, MaxPool2D, MaxPooling1D, MaxPooling2D, MaxPooling3D)
from lamina.saving.config import deserialize, serialize
from lamina.testing import check_gradients, run_layer_test

rng = np.random.default_rng(0)


def same_pads(sizes, pool, strides):
    pad = []
    for n, k, s in reversed(list(zip(sizes, pool, strides))):
        total = max((-(-n // s) - 1) * s + k - n, 0)
        pad += [total // 2, total - total // 2]
    return pad


def torch_pool(x_first, mode, pool, strides, padding):
    """Pooling with torch; padded positions excluded from averages."""
    nd = x_first.ndim - 2
    xt = torch.tensor(x_first)
    ones = torch.ones((1, 1) + xt.shape[2:])
    if padding == "same":
        pad = same_pads(xt.shape[2:], pool, strides)
        if mode == "max":
            xt = F.pad(xt, pad, value=-np.inf)
        else:
            xt, ones = F.pad(xt, pad), F.pad(ones, pad)
    if mode == "max":
        fn = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[nd - 1]
        return fn(xt, pool, strides).numpy()
    fn = (F.avg_pool1d, F.avg_pool2d, F.avg_pool3d)[nd - 1]
    return (fn(xt, pool, strides) / fn(ones, pool, strides)).numpy()


@pytest.mark.parametrize("cls, kwargs, shape, out_shape", [
    (MaxPooling1D, {}, (2, 7, 3), (2, 3, 3)),
    (MaxPooling2D, {"pool_size": 3, "strides": 2, "padding": "same"},
     (2, 5, 6, 2), (2, 3, 3, 2)),
    (MaxPooling3D, {"data_format": "channels_first"}, (1, 2, 4, 4, 5),
     (1, 2, 2, 2, 2)),
    (AveragePooling1D, {"pool_size": 3, "strides": 1, "padding": "same"},
     (2, 5, 3), (2, 5, 3)),
    (AveragePooling2D, {"data_format": "channels_first"}, (2, 3, 5, 4),
     (2, 3, 2, 2)),
    (AveragePooling3D, {"pool_size": (1, 2, 2)}, (1, 3, 4, 4, 2),
     (1, 3, 2, 2, 2)),
])
def test_standard_checks(cls, kwargs, shape, out_shape):
    run_layer_test(cls, kwargs, input_shape=shape,
                   expected_output_shape=out_shape, expected_num_weights=0)


CASES = [
    (1, {"pool_size": 2}), (1, {"pool_size": 3, "strides": 2,
                                "padding": "same"}),
    (2, {"pool_size": (2, 2)}), (2, {"pool_size": (3, 2), "strides": 1,
                                     "padding": "same"}),
    (2, {"pool_size": 2, "strides": (1, 3), "padding": "same"}),
    (2, {"pool_size": (2, 3), "strides": (3, 1)}),
    (3, {"pool_size": 2, "padding": "same"}),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("rank, kwargs", CASES)
def test_matches_torch(rank, kwargs, mode, data_format):
    classes = {"max": (MaxPooling1D, MaxPooling2D, MaxPooling3D),
               "average": (AveragePooling1D, AveragePooling2D,
                           AveragePooling3D)}
    layer = classes[mode][rank - 1](data_format=data_format, **kwargs)
    x = rng.normal(size=(2,) + (7, 6, 5)[:rank] + (3,)).astype("float32")
    first = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    inputs = x if data_format == "channels_last" else first
    got = ops.convert_to_numpy(layer(inputs))
    assert got.shape == layer.compute_output_shape(inputs.shape)
    if data_format == "channels_last":
        got = np.moveaxis(got, -1, 1)
    want = torch_pool(first, mode, layer.pool_size, layer.strides,
                      layer.padding)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.requires_training
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cls, kwargs", [
    (MaxPooling2D, {"pool_size": 2, "strides": 1, "padding": "same"}),
    (MaxPooling1D, {"pool_size": 3, "strides": 2}),
    (AveragePooling2D, {"pool_size": (2, 3), "padding": "same"}),
    (AveragePooling3D, {"pool_size": 2, "strides": 1}),
])
def test_input_gradients_match_finite_differences(cls, kwargs, data_format):
    rank = int(cls.__name__[-2])
    x = rng.normal(size=(2,) + (4, 5, 3)[:rank] + (2,))
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, 1)
    layer = cls(data_format=data_format, dtype="float64", **kwargs)
    check_gradients(layer, x, rng=np.random.default_rng(1), samples=12)


def test_hand_computed_average_same():
    # Window 2, stride 1, 'same' pads one at the end; the last window
    # holds one real value and averages only it.
    x = np.array([[[1.0], [3.0], [5.0]]], "float32")
    y = AveragePooling1D(2, strides=1, padding="same")(x)
    np.testing.assert_allclose(ops.convert_to_numpy(y).reshape(-1),
                               [2.0, 4.0, 5.0])


def test_strides_default_to_pool_size_and_config():
    layer = MaxPooling2D((2, 3))
    assert layer.strides == (2, 3)
    config = json.loads(json.dumps(serialize(layer)))
    clone = deserialize(config, "layers", custom_objects=ALL_OBJECTS)
    assert clone.get_config() == layer.get_config()
    assert set(config["config"]) >= {"pool_size", "strides", "padding",
                                     "data_format"}


def test_keras3_aliases():
    assert MaxPool2D is MaxPooling2D and AvgPool2D is AveragePooling2D
    assert ALL_OBJECTS["MaxPool2D"] is MaxPooling2D


@pytest.mark.parametrize("kwargs, match", [
    ({"pool_size": 0}, "pool_size"), ({"strides": (1, 2, 3)}, "strides"),
    ({"padding": "causal"}, "padding"), ({"data_format": "x"},
                                         "data_format")])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MaxPooling2D(**kwargs)


def test_wrong_rank_is_an_error_naming_the_layer():
    with pytest.raises(ValueError, match="pool_me"):
        MaxPooling2D(name="pool_me")(np.ones((2, 4, 4), "float32"))
