"""Keras 3 era: a fastText-style bag of embeddings for IMDB reviews.

`Embedding(mask_zero=True)` marks the padding, so
`GlobalAveragePooling1D` averages only a review's real words; a sigmoid
unit reads the average. Keras 3 API: `keras.Sequential` with
`keras.Input`, `keras.utils.pad_sequences`, the `"val_accuracy"` key.
"""
import keras
from keras import layers

keras.utils.set_random_seed(4)
num_words = 1000
maxlen = 100

(x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(
    num_words=num_words)
x_train = keras.utils.pad_sequences(x_train, maxlen=maxlen, padding="post")
x_test = keras.utils.pad_sequences(x_test, maxlen=maxlen, padding="post")

model = keras.Sequential([
    keras.Input(shape=(maxlen,), dtype="int32"),
    layers.Embedding(num_words, 16, mask_zero=True),
    layers.GlobalAveragePooling1D(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
              loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=32, epochs=5, verbose=2,
                    validation_data=(x_test, y_test))
print(f"RESULT accuracy={history.history['val_accuracy'][-1]:.4f}")
