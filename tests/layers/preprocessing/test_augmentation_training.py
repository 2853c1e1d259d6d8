"""Augmentation layers inside `fit` (a compiled step on JAX; optionally
torch.compile), and through `.keras` save / load."""

import warnings

import numpy as np
import pytest

import lamina
from lamina import layers, ops
from lamina.ops._bind import B


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def flip_probe(jit_compile="auto"):
    """Loss 1 for a sample whose (1, 2) image [1, 0] is not flipped, 0 for
    one that is: with a zero learning rate each epoch's loss is the
    fraction of unflipped samples."""
    model = lamina.Sequential([
        lamina.Input((1, 2, 1)), layers.RandomFlip("horizontal", seed=3),
        layers.Flatten(),
        layers.Dense(1, use_bias=False,
                     kernel_initializer=lamina.initializers.Constant(
                         [[1.0], [0.0]]))])
    model.compile(optimizer=lamina.optimizers.SGD(learning_rate=0.0),
                  loss="mse", jit_compile=jit_compile)
    x = np.tile(np.array([1.0, 0.0], "float32").reshape(1, 1, 2, 1),
                (256, 1, 1, 1))
    return model, x, np.zeros((256, 1), "float32")


def test_augmentation_is_random_in_every_training_step():
    model, x, y = flip_probe()
    history = model.fit(x, y, batch_size=64, epochs=4, shuffle=False,
                        verbose=0)
    losses = history.history["loss"]
    assert all(0.35 < loss < 0.65 for loss in losses), losses
    assert len(set(losses)) > 1, losses  # the draws move on every step
    np.testing.assert_array_equal(model.predict(x, verbose=0), 1.0)


def test_augmentation_under_torch_compile():
    if B.name != "torch":
        pytest.skip("torch.compile needs the torch backend")
    model, x, y = flip_probe(jit_compile=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*could not compile")
        history = model.fit(x, y, batch_size=128, epochs=2, shuffle=False,
                            verbose=0)
    losses = history.history["loss"]
    assert all(0.35 < loss < 0.65 for loss in losses), losses


def test_tiny_convnet_trains_with_augmentation():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (16, 8, 8, 1)).astype("float32")
    y = rng.integers(0, 2, (16,))
    model = lamina.Sequential([
        lamina.Input((8, 8, 1)), layers.RandomFlip(seed=1),
        layers.RandomRotation(0.1, seed=2), layers.Conv2D(4, 3),
        layers.GlobalAveragePooling2D(), layers.Dense(2)])
    model.compile(optimizer="adam", loss=lamina.losses
                  .SparseCategoricalCrossentropy(from_logits=True))
    before = [w.copy() for w in model.get_weights()]
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert all(not np.allclose(a, b)
               for a, b in zip(before, model.get_weights()))


def all_layers():
    return lamina.Sequential([
        lamina.Input((8, 8, 3)),
        layers.RandomFlip("vertical", seed=1),
        layers.RandomRotation((-0.2, 0.1), fill_mode="constant",
                              fill_value=0.5, seed=2),
        layers.RandomZoom(0.2, (-0.1, 0.3), interpolation="nearest",
                          seed=3),
        layers.RandomTranslation(0.1, 0.2, fill_mode="wrap", seed=4),
        layers.RandomContrast(0.3, value_range=(0, 1), seed=5),
        layers.RandomBrightness(0.2, value_range=(0, 1), seed=6),
        layers.RandomCrop(6, 5, seed=7)], name="augment")


def test_save_and_load(tmp_path):
    model = all_layers()
    path = tmp_path / "augment.keras"
    model.save(path)
    loaded = lamina.models.load_model(path)
    for mine, theirs in zip(model.layers, loaded.layers):
        assert type(theirs) is type(mine)
        assert theirs.get_config() == mine.get_config()
    x = np.random.default_rng(1).uniform(0, 1, (2, 8, 8, 3))
    x = x.astype("float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0),
                               model.predict(x, verbose=0), atol=1e-6)
    # Same seeds: the same augmentations.
    np.testing.assert_allclose(np_(loaded(x, training=True)),
                               np_(model(x, training=True)), atol=1e-5)
