"""Keras 1 era: a sequence-to-sequence LSTM that learns to add.

Questions such as "12+345" are one-hot encoded characters; an LSTM
encoder reads the (reversed) question, `RepeatVector` feeds its summary
to every step of an LSTM decoder, and `TimeDistributed(Dense)` with a
softmax spells the answer one character at a time (Sutskever et al.,
2014). Keras 1 style: `TimeDistributed(Dense(...))`, `fit(nb_epoch=)`;
the result is the per-character accuracy from `model.evaluate`.
"""
from __future__ import print_function

import numpy as np

np.random.seed(42)

from keras.layers import LSTM, Activation, Dense
from keras.layers import RepeatVector, TimeDistributed
from keras.models import Sequential
from keras.optimizers import Adam

DIGITS = 2
QUESTION_LEN = DIGITS + 1 + DIGITS
ANSWER_LEN = DIGITS + 1
CHARS = '0123456789+ '
HIDDEN = 64


class CharacterTable(object):
    """One-hot encodes strings of CHARS and decodes predictions back."""

    def __init__(self, chars):
        self.chars = sorted(set(chars))
        self.index = dict((c, i) for i, c in enumerate(self.chars))

    def encode(self, text, length):
        out = np.zeros((length, len(self.chars)), dtype='float32')
        for i, c in enumerate(text):
            out[i, self.index[c]] = 1
        return out

    def decode(self, probabilities):
        return ''.join(self.chars[i] for i in probabilities.argmax(axis=-1))


def make_questions(count, rng, table):
    X = np.zeros((count, QUESTION_LEN, len(table.chars)), dtype='float32')
    y = np.zeros((count, ANSWER_LEN, len(table.chars)), dtype='float32')
    for n in range(count):
        a, b = rng.randint(0, 10 ** DIGITS, size=2)
        question = ('%d+%d' % (a, b)).ljust(QUESTION_LEN)
        answer = str(a + b).ljust(ANSWER_LEN)
        X[n] = table.encode(question[::-1], QUESTION_LEN)
        y[n] = table.encode(answer, ANSWER_LEN)
    return X, y


table = CharacterTable(CHARS)
rng = np.random.RandomState(0)
X_train, y_train = make_questions(3000, rng, table)
X_val, y_val = make_questions(400, rng, table)

model = Sequential()
model.add(LSTM(HIDDEN, input_shape=(QUESTION_LEN, len(table.chars))))
model.add(RepeatVector(ANSWER_LEN))
model.add(LSTM(HIDDEN, return_sequences=True))
model.add(TimeDistributed(Dense(len(table.chars))))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer=Adam(lr=0.01),
              metrics=['accuracy'])
model.fit(X_train, y_train, batch_size=64, nb_epoch=12, verbose=2,
          validation_data=(X_val, y_val))

guesses = model.predict(X_val[:3])
for question, guess in zip(X_val[:3], guesses):
    print(table.decode(question)[::-1], '=', table.decode(guess))
loss, accuracy = model.evaluate(X_val, y_val, verbose=0)
print('RESULT accuracy=%.4f' % accuracy)
