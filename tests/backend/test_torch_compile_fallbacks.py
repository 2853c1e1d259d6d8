"""torch's `jit_compile=True`: a model inductor can't compile with symbolic
shapes is compiled again for fixed shapes before falling back to eager."""

import warnings

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.ops._bind import B

pytestmark = pytest.mark.skipif(B.name != "torch",
                                reason="torch.compile is torch's")


def test_random_crop_then_conv_compiles_with_fixed_shapes():
    lamina.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(40, 12, 12, 3)).astype("float32")
    y = rng.normal(size=(40, 3)).astype("float32")
    model = lamina.Sequential([
        lamina.Input((12, 12, 3)),
        layers.RandomCrop(8, 8, seed=1),
        layers.RandomFlip(seed=2),
        layers.Conv2D(4, 3),
        layers.GlobalAveragePooling2D(),
        layers.Dense(3),
    ])
    model.compile("adam", "mse", jit_compile=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*could not compile")
        losses = model.fit(x, y, batch_size=16, epochs=3,
                           verbose=0).history["loss"]
        got = model.predict(x[:5], verbose=0)
    assert np.all(np.isfinite(losses)) and losses[-1] < losses[0]
    want = lamina.ops.convert_to_numpy(model(x[:5], training=False))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
