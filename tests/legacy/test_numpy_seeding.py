"""`np.random.seed` in a Keras program: Keras 1 and 2 drew the seed of every
unseeded draw from NumPy's global generator, so a script that seeded NumPy
first ran the same way twice. Under the keras alias lamina does the same;
plain lamina leaves NumPy's generator alone, as Keras 3 does."""

import random
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import lamina
from lamina import layers, ops
from lamina.backend.common import seed as seed_lib
from lamina.legacy import aliases


@pytest.fixture
def keras_program():
    aliases.alias_keras()
    yield
    aliases.unalias_keras()


def _model():
    return lamina.Sequential([
        layers.Input((6,)),
        layers.Dense(8, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(3, activation="softmax",
                     kernel_initializer="orthogonal"),
    ])


def _weights(model):
    return [ops.convert_to_numpy(w) for w in model.get_weights()]


def _same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_numpy_seed_repeats_initial_weights(keras_program):
    np.random.seed(1337)
    first = _weights(_model())
    np.random.seed(1337)
    second = _weights(_model())
    np.random.seed(1338)
    other = _weights(_model())
    assert _same(first, second)
    assert not np.array_equal(first[0], other[0])
    assert not np.array_equal(first[2], other[2])


def test_numpy_seed_repeats_training(keras_program):
    data = np.random.default_rng(0)
    x = data.normal(size=(64, 6)).astype("float32")
    y = data.integers(0, 3, size=(64,))

    def run():
        np.random.seed(7)
        model = _model()
        model.compile("sgd", "sparse_categorical_crossentropy")
        history = model.fit(x, y, batch_size=8, epochs=2, shuffle=True,
                            verbose=0)
        return _weights(model), history.history["loss"]

    (w1, loss1), (w2, loss2) = run(), run()
    assert np.all(np.isfinite(loss1))
    assert _same(w1, w2)
    assert loss1 == loss2


def test_default_seed_draws_from_numpy_only_under_the_alias():
    assert not aliases.is_aliased()
    np.random.seed(3)
    random.seed(11)
    expected_py = random.Random(11).randint(0, 2**31 - 2)
    assert seed_lib.make_default_seed() == expected_py
    if lamina.backend.backend() != "numpy":  # whose engine *is* np.random
        # Plain lamina leaves NumPy's stream alone while it builds a model.
        np.random.seed(3)
        _model()
        assert np.random.rand() == np.random.RandomState(3).rand()

    aliases.alias_keras()
    try:
        np.random.seed(3)
        drawn = seed_lib.make_default_seed()
    finally:
        aliases.unalias_keras()
    assert drawn == int(np.random.RandomState(3).randint(0, 2**31 - 1))
    assert not seed_lib.numpy_seeds()


def test_lamina_run_repeats_a_numpy_seeded_script(tmp_path):
    script = tmp_path / "seeded.py"
    script.write_text(textwrap.dedent("""
        import numpy as np
        np.random.seed(1337)  # for reproducibility
        from keras.models import Sequential
        from keras.layers import Dense, Dropout
        model = Sequential()
        model.add(Dense(4, input_dim=3, activation="relu"))
        model.add(Dropout(0.3))
        model.add(Dense(1))
        print(repr([float(np.sum(w)) for w in model.get_weights()]))
    """))

    def run():
        out = subprocess.run(
            [sys.executable, "-m", "lamina", "run", str(script)],
            capture_output=True, text=True, timeout=300, check=True)
        return out.stdout.strip().splitlines()[-1]

    first, second = run(), run()
    assert first == second
    assert eval(first) != [0.0] * 4  # noqa: S307 (our own script's repr)
