"""Keras 3 era: Reuters newswire topics with a multi-hot MLP.

Keras 3 dropped `keras.preprocessing.text.Tokenizer`; programs of this
era turn each newswire's word indices into a multi-hot vector themselves
(here with NumPy), then train a `Sequential` MLP with integer labels.
Keras 3 API: `keras.datasets.reuters.load_data(num_words=,
test_split=)`, `keras.Input`, `sparse_categorical_crossentropy`.
"""
import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(5)
num_words = 400

(x_train, y_train), (x_test, y_test) = keras.datasets.reuters.load_data(
    num_words=num_words, test_split=0.2)
num_topics = int(max(y_train.max(), y_test.max())) + 1


def multi_hot(sequences, size):
    out = np.zeros((len(sequences), size), dtype="float32")
    for row, words in enumerate(sequences):
        out[row, words] = 1.0
    return out


x_train = multi_hot(x_train, num_words)
x_test = multi_hot(x_test, num_words)

model = keras.Sequential([
    keras.Input(shape=(num_words,)),
    layers.Dense(128, activation="relu"),
    layers.Dropout(0.3),
    layers.Dense(num_topics, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=16, epochs=12, verbose=2,
          validation_split=0.1)
results = model.evaluate(x_test, y_test, verbose=0, return_dict=True)
print(f"RESULT accuracy={results['accuracy']:.4f}")
