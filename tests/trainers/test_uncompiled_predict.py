"""`predict` on a model that was never compiled runs the way
`compile(jit_compile="auto")` would: jitted on JAX (as Keras 3 does),
eager on torch and NumPy."""

import numpy as np

import lamina
from lamina import layers
from lamina.ops._bind import B


class CountCalls(layers.Layer):
    """Identity that counts how often its Python `call` runs."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = 0

    def call(self, x):
        self.calls += 1
        return x * 2.0


def test_uncompiled_predict_follows_the_backends_default():
    counter = CountCalls()
    model = lamina.Sequential([layers.Input((3,)), counter])
    x = np.arange(24, dtype="float32").reshape(8, 3)
    built = counter.calls  # the symbolic calls that drew the model
    for _ in range(3):
        np.testing.assert_allclose(model.predict(x, batch_size=4,
                                                 verbose=0), 2 * x)
    if getattr(B, "jit_by_default", False):
        # One eager call finds the state, one trace compiles the step:
        # the other five batches run the compiled step.
        assert model.jit_compile is True
        assert counter.calls - built <= 2
    else:
        assert model.jit_compile is False
        assert counter.calls - built == 6
