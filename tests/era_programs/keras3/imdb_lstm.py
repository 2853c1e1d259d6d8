"""Keras 3 era: IMDB review sentiment with a bidirectional LSTM.

Keras 3 API: `keras.datasets.imdb.load_data(num_words=)`,
`keras.utils.pad_sequences` (its Keras 3 home), an integer
`keras.Input(shape=(None,), dtype="int32")`, `layers.Bidirectional`.
"""
import keras
from keras import layers

keras.utils.set_random_seed(3)
vocabulary = 500
length = 40

(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(
    num_words=vocabulary)
x_train = keras.utils.pad_sequences(x_train, maxlen=length)
x_test = keras.utils.pad_sequences(x_test, maxlen=length)

inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(vocabulary, 24)(inputs)
x = layers.Bidirectional(layers.LSTM(16))(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy",
              metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=4, verbose=2,
          validation_data=(x_test, y_test))
_, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"RESULT accuracy={accuracy:.4f}")
