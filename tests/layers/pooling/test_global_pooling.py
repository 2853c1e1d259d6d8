"""GlobalMaxPooling1D/2D/3D, GlobalAveragePooling1D/2D/3D: standard checks,
NumPy values, keepdims and GlobalAveragePooling1D's mask."""

import json

import numpy as np
import pytest

import lamina
from lamina import ops
from lamina.layers import Layer
from lamina.layers.pooling import (
    ALL_OBJECTS, GlobalAveragePooling1D, GlobalAveragePooling2D,
    GlobalAveragePooling3D, GlobalAvgPool1D, GlobalMaxPool2D,
    GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D)
from lamina.saving.config import deserialize, serialize
from lamina.testing import run_layer_test

rng = np.random.default_rng(0)
CLASSES = {("max", 1): GlobalMaxPooling1D, ("max", 2): GlobalMaxPooling2D,
           ("max", 3): GlobalMaxPooling3D,
           ("average", 1): GlobalAveragePooling1D,
           ("average", 2): GlobalAveragePooling2D,
           ("average", 3): GlobalAveragePooling3D}


@pytest.mark.parametrize("mode, rank", list(CLASSES))
def test_standard_checks(mode, rank):
    shape = (2,) + (3, 4, 2)[:rank] + (5,)
    run_layer_test(CLASSES[mode, rank], {}, input_shape=shape,
                   expected_output_shape=(2, 5), expected_num_weights=0)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("mode, rank", list(CLASSES))
def test_values(mode, rank, data_format, keepdims):
    x = rng.normal(size=(2,) + (3, 4, 2)[:rank] + (5,)).astype("float32")
    if data_format == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    axes = tuple(range(1, rank + 1)) if data_format == "channels_last" \
        else tuple(range(2, rank + 2))
    layer = CLASSES[mode, rank](data_format=data_format, keepdims=keepdims)
    got = ops.convert_to_numpy(layer(x))
    reduce = np.max if mode == "max" else np.mean
    want = reduce(x, axis=axes, keepdims=keepdims)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
    assert got.shape == layer.compute_output_shape(x.shape)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_average_1d_mask(data_format):
    x = rng.normal(size=(3, 4, 2)).astype("float32")
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1], [0, 1, 0, 1]], bool)
    inputs = x if data_format == "channels_last" else \
        np.ascontiguousarray(np.moveaxis(x, -1, 1))
    layer = GlobalAveragePooling1D(data_format=data_format)
    got = ops.convert_to_numpy(layer(inputs, mask=mask))
    want = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
    assert layer.compute_mask(inputs, mask) is None


class _MaskZeros(Layer):
    """Masks the steps whose features are all zero (like Masking)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.not_equal(inputs, 0), axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape


def test_average_1d_mask_travels_through_a_model():
    inp = lamina.Input(shape=(4, 2))
    model = lamina.Model(inp, GlobalAveragePooling1D()(_MaskZeros()(inp)))
    x = np.array([[[1, 2], [3, 4], [0, 0], [0, 0]],
                  [[5, 5], [0, 0], [0, 0], [0, 0]]], "float32")
    got = model.predict(x, verbose=0)
    np.testing.assert_allclose(got, [[2, 3], [5, 5]], rtol=1e-6)


def test_config_round_trip_and_aliases():
    layer = GlobalMaxPooling2D(data_format="channels_first", keepdims=True)
    config = json.loads(json.dumps(serialize(layer)))
    clone = deserialize(config, "layers", custom_objects=ALL_OBJECTS)
    assert clone.get_config() == layer.get_config()
    assert config["config"]["keepdims"] is True
    assert GlobalMaxPool2D is GlobalMaxPooling2D
    assert GlobalAvgPool1D is GlobalAveragePooling1D
