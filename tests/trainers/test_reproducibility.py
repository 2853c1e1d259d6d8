import numpy as np

import lamina
from lamina import layers


def _train(seed, run_eagerly=False):
    lamina.utils.set_random_seed(seed)
    a = lamina.Input(shape=(6,))
    h = layers.Dropout(0.5)(layers.Dense(16, activation="relu")(a))
    model = lamina.Model(a, layers.Dense(1)(h))
    model.compile("adam", "mse", run_eagerly=run_eagerly)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 6)).astype("float32")
    model.fit(x, x[:, :1], batch_size=8, epochs=2, verbose=0)
    return model.get_weights()


def test_seeded_runs_are_bit_identical():
    first, second = _train(7), _train(7)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    other = _train(8)
    assert any(not np.array_equal(a, b) for a, b in zip(first, other))


def test_run_eagerly_trains_to_the_same_weights():
    jitted, eager = _train(5), _train(5, run_eagerly=True)
    for a, b in zip(jitted, eager):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_dropout_masks_differ_between_steps_but_repeat_with_seed():
    def masks(seed):
        lamina.utils.set_random_seed(seed)
        d = layers.Dropout(0.5)
        x = np.ones((4, 32), "float32")
        return [lamina.ops.convert_to_numpy(d(x, training=True))
                for _ in range(2)]
    m1, m2 = masks(3), masks(3)
    assert not np.array_equal(m1[0], m1[1])
    np.testing.assert_array_equal(m1[0], m2[0])
    np.testing.assert_array_equal(m1[1], m2[1])
