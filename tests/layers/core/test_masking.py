import numpy as np

from lamina import ops
from lamina.layers.core.masking import Masking
from lamina.testing import run_layer_test

X = np.array([[[1.0, 2.0], [0.0, 0.0], [0.0, 3.0]],
              [[0.0, 0.0], [4.0, 0.0], [0.0, 0.0]]], "float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_masking_standard_checks():
    run_layer_test(Masking, {"mask_value": 0.0}, input_shape=(2, 3, 4),
                   expected_output_shape=(2, 3, 4), expected_num_weights=0)


def test_mask_is_any_feature_different_from_the_value():
    layer = Masking()
    np.testing.assert_array_equal(_np(layer.compute_mask(X)),
                                  [[True, False, True], [False, True, False]])
    np.testing.assert_array_equal(_np(layer(X)), X)


def test_masked_steps_are_zeroed():
    x = X + 1.0  # every feature equal to the mask value 1.0 at [0, 1]
    layer = Masking(mask_value=1.0)
    keep = (x != 1.0).any(-1, keepdims=True)
    np.testing.assert_array_equal(_np(layer(x)), x * keep)
    assert Masking.from_config(layer.get_config()).mask_value == 1.0
