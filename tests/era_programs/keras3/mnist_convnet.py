"""Keras 3 era: a small convnet on MNIST digits.

Keras 3 API: the functional `keras.Input` / `keras.Model(inputs,
outputs)`, `layers.Conv2D(filters, kernel_size=, activation=)`,
`keras.utils.to_categorical`, an `EarlyStopping` callback, and the
`"accuracy"` history key.
"""
import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(2)
num_classes = 10

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(8, kernel_size=(3, 3), activation="relu")(inputs)
x = layers.MaxPooling2D(pool_size=(2, 2))(x)
x = layers.Conv2D(16, kernel_size=(3, 3), activation="relu")(x)
x = layers.MaxPooling2D(pool_size=(2, 2))(x)
x = layers.Flatten()(x)
x = layers.Dropout(0.25)(x)
outputs = layers.Dense(num_classes, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="convnet")

model.compile(loss="categorical_crossentropy", optimizer="adam",
              metrics=["accuracy"])
history = model.fit(
    x_train, y_train, batch_size=32, epochs=6, verbose=2,
    validation_data=(x_test, y_test),
    callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss",
                                             patience=2)],
)
print("epochs run:", len(history.history["accuracy"]))
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"RESULT accuracy={accuracy:.4f}")
