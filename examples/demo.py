"""lamina's demo: the 2016 tutorial's network, then a digits classifier.

    python examples/demo.py

Part 1 runs the tutorial's two-input model exactly as it was written for
Keras 1 (`merge`, `Model(input=, output=)`, `nb_epoch`); lamina warns once
per old spelling with the modern one. Part 2 trains a small classifier on
the handwritten digits that scikit-learn ships (offline) and prints the
test accuracy.
"""

import numpy as np

import lamina
from lamina.layers import Dense, Dropout, Input, merge
from lamina.models import Model, Sequential


def tutorial_network():
    print("== The tutorial's two-input network (Keras 1 spelling) ==")
    rng = np.random.default_rng(0)
    xa = rng.normal(size=(1024, 32)).astype("float32")
    xb = rng.normal(size=(1024, 32)).astype("float32")
    mix = rng.normal(size=(64, 32)).astype("float32") * 0.2
    target = np.concatenate([xa, xb], -1) @ mix

    a = Input(shape=(32,))
    b = Input(shape=(32,))
    z = merge([a, b], mode='concat', concat_axis=-1)
    c = Dense(32)(z)
    model = Model(input=[a, b], output=c)
    model.compile(optimizer='adam', loss='mse')
    model.summary()
    before = model.evaluate([xa, xb], target, verbose=0)
    model.fit([xa, xb], target, batch_size=32, nb_epoch=5, verbose=1)
    after = model.evaluate([xa, xb], target, verbose=0)
    print(f"mean squared error: {before:.4f} before training, "
          f"{after:.4f} after\n")


def digits_classifier():
    print("== A classifier on the bundled digits data ==")
    (x_train, y_train), (x_test, y_test) = lamina.datasets.digits.load_data()
    x_train = x_train.reshape(len(x_train), -1).astype("float32") / 16.0
    x_test = x_test.reshape(len(x_test), -1).astype("float32") / 16.0
    model = Sequential([
        Input(shape=(64,)),
        Dense(128, activation="relu"),
        Dropout(0.2),
        Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=15,
              validation_split=0.1, verbose=1)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"test accuracy: {accuracy:.4f} (test loss {loss:.4f}) on "
          f"{len(x_test)} held-out digits, backend "
          f"'{lamina.backend.backend()}'")
    return accuracy


if __name__ == "__main__":
    lamina.utils.set_random_seed(0)
    tutorial_network()
    digits_classifier()
