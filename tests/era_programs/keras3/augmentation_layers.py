"""Keras 3 era: image augmentation with preprocessing layers in the model.

`RandomFlip`, `RandomRotation`, `RandomZoom` and `RandomTranslation` sit at
the start of the model: they change each training batch inside `fit` and
pass images through unchanged in `evaluate` and `predict`. The model is
saved as `.keras` and loaded back, and must predict as before.
"""
import os
import tempfile

import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(12)

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255

augment = keras.Sequential([
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(0.03, fill_mode="reflect"),
    layers.RandomZoom(0.05),
    layers.RandomTranslation(0.05, 0.05),
], name="augment")

model = keras.Sequential([
    keras.Input(shape=x_train.shape[1:]),
    augment,
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

# The augmentation is off outside training: predictions repeat exactly.
first = model.predict(x_test[:8], verbose=0)
np.testing.assert_array_equal(first, model.predict(x_test[:8], verbose=0))
path = os.path.join(tempfile.mkdtemp(), "augmented.keras")
model.save(path)
restored = keras.models.load_model(path)
np.testing.assert_allclose(restored.predict(x_test[:8], verbose=0), first,
                           rtol=1e-5, atol=1e-6)

results = model.evaluate(x_test, y_test, verbose=0, return_dict=True)
print(f"RESULT accuracy={results['accuracy']:.4f}")
