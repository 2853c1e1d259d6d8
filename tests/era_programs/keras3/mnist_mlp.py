"""Keras 3 era: a multilayer perceptron on MNIST digits.

Keras 3 API: `import keras` and `from keras import layers`,
`keras.utils.set_random_seed`, a `Sequential` list starting with
`keras.Input`, integer labels with `sparse_categorical_crossentropy`,
`keras.optimizers.Adam(learning_rate=)` and
`evaluate(..., return_dict=True)`.
"""
import keras
from keras import layers

keras.utils.set_random_seed(1)

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(len(x_train), -1).astype("float32") / 255.0
x_test = x_test.reshape(len(x_test), -1).astype("float32") / 255.0

model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.1),
        layers.Dense(10, activation="softmax"),
    ],
    name="mlp",
)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=2e-3),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(x_train, y_train, batch_size=32, epochs=4, validation_split=0.1,
          verbose=2)
scores = model.evaluate(x_test, y_test, verbose=0, return_dict=True)
print(f"RESULT accuracy={scores['accuracy']:.4f}")
