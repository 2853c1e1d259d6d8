"""Keras 2 era: an encoder-decoder GRU that learns two-digit addition.

The question ("57+8 ", reversed) is one-hot encoded per character; a GRU
encoder's final state is copied to each answer position by
`RepeatVector`, a GRU decoder returns the whole sequence and
`TimeDistributed(Dense(..., activation='softmax'))` picks a character at
each position. Keras 2 API: `layers.GRU`, `fit(epochs=)`; the result is
the per-character accuracy from `model.evaluate`.
"""
from __future__ import print_function

import numpy as np

from keras import layers
from keras.models import Sequential
from keras.optimizers import Adam

DIGITS = 2
MAXLEN = DIGITS + 1 + DIGITS
ALPHABET = sorted('0123456789+ ')
LOOKUP = {c: i for i, c in enumerate(ALPHABET)}


def one_hot(text, length):
    codes = np.zeros((length, len(ALPHABET)), dtype=np.float32)
    codes[np.arange(len(text)), [LOOKUP[c] for c in text]] = 1
    return codes


def spell(codes):
    return ''.join(ALPHABET[i] for i in np.argmax(codes, axis=-1))


def dataset(size, seed):
    rng = np.random.RandomState(seed)
    pairs = rng.randint(0, 10 ** DIGITS, size=(size, 2))
    questions = ['{}+{}'.format(a, b).ljust(MAXLEN) for a, b in pairs]
    answers = [str(a + b).ljust(DIGITS + 1) for a, b in pairs]
    x = np.stack([one_hot(q[::-1], MAXLEN) for q in questions])
    y = np.stack([one_hot(a, DIGITS + 1) for a in answers])
    return x, y


x_train, y_train = dataset(3000, seed=10)
x_val, y_val = dataset(400, seed=11)

model = Sequential()
model.add(layers.GRU(64, input_shape=(MAXLEN, len(ALPHABET))))
model.add(layers.RepeatVector(DIGITS + 1))
model.add(layers.GRU(64, return_sequences=True))
model.add(layers.TimeDistributed(layers.Dense(len(ALPHABET),
                                              activation='softmax')))
model.compile(loss='categorical_crossentropy', optimizer=Adam(lr=0.01),
              metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=64, epochs=12, verbose=2,
          validation_data=(x_val, y_val))

for question, guess in zip(x_val[:3], model.predict(x_val[:3])):
    print(spell(question)[::-1], '->', spell(guess))
loss, accuracy = model.evaluate(x_val, y_val, verbose=0)
print('RESULT accuracy=%.4f' % accuracy)
