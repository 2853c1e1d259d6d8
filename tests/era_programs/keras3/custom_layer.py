"""Keras 3 era: a custom gated layer written with `keras.ops`.

`GatedDense` computes `(x W + b) * sigmoid(x V + c)` (a gated linear
unit, Dauphin et al., 2017). Keras 3 style: `super().__init__(**kwargs)`
first, weights from `self.add_weight(shape=, initializer=, name=)` in
`build`, `call(inputs)` with `keras.ops`, a `get_config` for saving; the
model round-trips through a `.keras` file before it is evaluated.
"""
import os
import tempfile

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(10)


@keras.saving.register_keras_serializable(package="era_programs")
class GatedDense(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        dim = input_shape[-1]
        self.w = self.add_weight(shape=(dim, self.units),
                                 initializer="glorot_uniform", name="w")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros",
                                 name="b")
        self.v = self.add_weight(shape=(dim, self.units),
                                 initializer="glorot_uniform", name="v")
        self.c = self.add_weight(shape=(self.units,), initializer="zeros",
                                 name="c")

    def call(self, inputs):
        value = ops.matmul(inputs, self.w) + self.b
        gate = ops.sigmoid(ops.matmul(inputs, self.v) + self.c)
        return value * gate

    def get_config(self):
        return {**super().get_config(), "units": self.units}


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255

model = keras.Sequential([
    keras.Input(shape=(784,)),
    GatedDense(32),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=5, verbose=2)

path = os.path.join(tempfile.mkdtemp(), "gated.keras")
model.save(path)
restored = keras.models.load_model(path)
assert np.allclose(restored.predict(x_test, verbose=0),
                   model.predict(x_test, verbose=0), atol=1e-5)
_, accuracy = restored.evaluate(x_test, y_test, verbose=0)
print(f"RESULT accuracy={accuracy:.4f}")
