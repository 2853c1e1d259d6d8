"""`keras.ops.image.affine_transform` and `resize` on symbolic tensors:
saved as Keras 3's image op nodes, loaded both ways with real Keras 3."""

import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

import lamina
from lamina import ops

pytestmark = pytest.mark.skipif(importlib.util.find_spec("keras") is None,
                                reason="Keras 3 is not installed")

# Whole-pixel shifts and a 180-degree turn (exact in both libraries), one
# per image; images 4 x 6 with 2 channels.
TRANSFORMS = np.array([
    [1, 0, -1, 0, 1, 0, 0, 0],     # right by one
    [1, 0, 0, 0, 1, 2, 0, 0],      # up by two
    [-1, 0, 5, 0, -1, 3, 0, 0],    # half a turn
], dtype="float32")
IMAGES = np.random.default_rng(0).uniform(
    size=(3, 4, 6, 2)).astype("float32")

KERAS_SCRIPT = """
import sys
import numpy as np
import keras
from keras import ops
mode, path = sys.argv[1], sys.argv[2]
images, transforms = np.load(sys.argv[3]), np.load(sys.argv[4])
if mode == "write":
    x = keras.Input((4, 6, 2))
    t = keras.Input((8,))
    moved = ops.image.affine_transform(x, t, interpolation="bilinear",
                                       fill_mode="reflect")
    small = ops.image.resize(moved, (2, 3), interpolation="nearest")
    model = keras.Model([x, t], [moved, small])
    model.save(path)
else:
    model = keras.models.load_model(path)
out = model.predict([images, transforms], verbose=0)
np.save(sys.argv[5], out[0])
np.save(sys.argv[6], out[1])
"""


def _keras(mode, path, tmp_path):
    files = [str(tmp_path / f"{n}.npy") for n in ("images", "transforms",
                                                  "moved", "small")]
    np.save(files[0], IMAGES)
    np.save(files[1], TRANSFORMS)
    done = subprocess.run(
        [sys.executable, "-c", KERAS_SCRIPT, mode, path, *files],
        capture_output=True, text=True, timeout=300, check=False,
        env=dict(os.environ, KERAS_BACKEND="torch"))
    assert done.returncode == 0, done.stderr[-3000:]
    return np.load(files[2]), np.load(files[3])


def _lamina_model():
    x = lamina.Input((4, 6, 2))
    t = lamina.Input((8,))
    moved = ops.affine_transform(x, t, interpolation="bilinear",
                                 fill_mode="reflect")
    small = ops.resize(moved, (2, 3), interpolation="nearest")
    return lamina.Model([x, t], [moved, small])


def _expected():
    right = np.concatenate([IMAGES[0][:, :1], IMAGES[0][:, :-1]], axis=1)
    up = np.concatenate([IMAGES[1][2:], IMAGES[1][2:][::-1]], axis=0)
    turned = IMAGES[2][::-1, ::-1]
    return np.stack([right, up, turned])


def test_lamina_computes_the_transforms():
    moved, _ = _lamina_model().predict([IMAGES, TRANSFORMS], verbose=0)
    np.testing.assert_allclose(moved, _expected(), atol=1e-6)


def test_keras_file_loads_in_lamina(tmp_path):
    path = str(tmp_path / "keras_image_ops.keras")
    want = _keras("write", path, tmp_path)
    model = lamina.saving.load_model(path)
    got = model.predict([IMAGES, TRANSFORMS], verbose=0)
    np.testing.assert_allclose(got[0], want[0], atol=1e-5)
    np.testing.assert_allclose(got[1], want[1], atol=1e-5)
    np.testing.assert_allclose(got[0], _expected(), atol=1e-5)


def test_lamina_file_loads_in_keras(tmp_path):
    path = str(tmp_path / "lamina_image_ops.keras")
    model = _lamina_model()
    model.save(path)
    got = _keras("read", path, tmp_path)
    want = model.predict([IMAGES, TRANSFORMS], verbose=0)
    np.testing.assert_allclose(got[0], want[0], atol=1e-5)
    np.testing.assert_allclose(got[1], want[1], atol=1e-5)
