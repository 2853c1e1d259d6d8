"""Keras 1 era: sentiment of IMDB reviews with an LSTM.

Keras 1.2 spellings: `imdb.load_data(nb_words=)`, `Embedding(dropout=)`,
`LSTM(dropout_W=)` and `fit(nb_epoch=)`; the sequences are
padded with `keras.preprocessing.sequence.pad_sequences`.
"""
from __future__ import print_function

import numpy as np

np.random.seed(1234)

from keras.datasets import imdb
from keras.layers import Activation, Dense, Embedding, LSTM
from keras.models import Sequential
from keras.preprocessing import sequence

vocabulary = 500
review_length = 40
batch_size = 32

print('Loading reviews...')
(X_train, y_train), (X_test, y_test) = imdb.load_data(nb_words=vocabulary)
print(len(X_train), 'train reviews,', len(X_test), 'test reviews')
X_train = sequence.pad_sequences(X_train, maxlen=review_length)
X_test = sequence.pad_sequences(X_test, maxlen=review_length)
print('X_train shape:', X_train.shape)

model = Sequential()
model.add(Embedding(vocabulary, 24, dropout=0.1))
model.add(LSTM(24, dropout_W=0.1))
model.add(Dense(1))
model.add(Activation('sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam',
              metrics=['accuracy'])
model.fit(X_train, y_train, batch_size=batch_size, nb_epoch=6, verbose=2,
          validation_data=(X_test, y_test))
score, acc = model.evaluate(X_test, y_test, batch_size=batch_size,
                            verbose=0)
print('Test score:', score)
print('RESULT accuracy=%.4f' % acc)
