"""Keras 2 era (tf.keras 2.3-2.5): augmentation layers from
`tensorflow.keras.layers.experimental.preprocessing`.

The same model as the Keras 3 program, in tf.keras spellings: `from
tensorflow import keras`, the `experimental.preprocessing` module,
`Rescaling` inside the model, and `fit(..., epochs=...)` on arrays.
"""
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.layers.experimental import preprocessing

import numpy as np

np.random.seed(12)

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()

model = keras.Sequential([
    keras.Input(shape=x_train.shape[1:]),
    preprocessing.Rescaling(1.0 / 255),
    preprocessing.RandomFlip("horizontal"),
    preprocessing.RandomRotation(0.03),
    preprocessing.RandomContrast(0.1),
    layers.Conv2D(16, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(16, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(4),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=6, verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"RESULT accuracy={accuracy:.4f}")
