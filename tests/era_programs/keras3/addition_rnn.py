"""Keras 3 era: a sequence-to-sequence LSTM that learns addition.

Characters of "a+b" (reversed, padded) are one-hot vectors; an LSTM
encoder, `layers.RepeatVector`, an LSTM decoder with
`return_sequences=True` and `layers.TimeDistributed(layers.Dense(...))`
spell the sum. Keras 3 API: `keras.Sequential` with `keras.Input`,
`keras.optimizers.Adam(learning_rate=)`; the result is the per-character
accuracy from `evaluate(return_dict=True)`.
"""
import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(9)
digits = 2
question_len = 2 * digits + 1
answer_len = digits + 1
chars = "0123456789+ "
index = {c: i for i, c in enumerate(chars)}


def encode(text, width):
    return keras.utils.to_categorical([index[c] for c in text.ljust(width)],
                                      len(chars))


def problems(count, rng):
    a, b = rng.integers(0, 10 ** digits, size=(2, count))
    x = np.stack([encode(f"{p}+{q}"[::-1], question_len)
                  for p, q in zip(a, b)])
    y = np.stack([encode(str(p + q), answer_len) for p, q in zip(a, b)])
    return x, y


rng = np.random.default_rng(0)
x_train, y_train = problems(3000, rng)
x_val, y_val = problems(400, rng)

model = keras.Sequential([
    keras.Input(shape=(question_len, len(chars))),
    layers.LSTM(64),
    layers.RepeatVector(answer_len),
    layers.LSTM(64, return_sequences=True),
    layers.TimeDistributed(layers.Dense(len(chars), activation="softmax")),
])
model.compile(loss="categorical_crossentropy",
              optimizer=keras.optimizers.Adam(learning_rate=0.01),
              metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=64, epochs=12, verbose=2,
          validation_data=(x_val, y_val))

decoded = model.predict(x_val[:3], verbose=0).argmax(-1)
for question, answer in zip(x_val[:3].argmax(-1), decoded):
    print("".join(chars[i] for i in question)[::-1], "=",
          "".join(chars[i] for i in answer))
scores = model.evaluate(x_val, y_val, verbose=0, return_dict=True)
print(f"RESULT accuracy={scores['accuracy']:.4f}")
