"""Keras 1 era: Reuters newswire topics from bag-of-words vectors.

Keras 1.2 spellings: `reuters.load_data(nb_words=, test_split=)`,
`Tokenizer(nb_words=)` turning the word-index lists into binary
vectors with `sequences_to_matrix(mode='binary')`, `np_utils`, and
`fit(nb_epoch=, validation_split=)`.
"""
from __future__ import print_function

import numpy as np

np.random.seed(3)

from keras.datasets import reuters
from keras.layers.core import Activation, Dense, Dropout
from keras.models import Sequential
from keras.preprocessing.text import Tokenizer
from keras.utils import np_utils

max_words = 400

(X_train, y_train), (X_test, y_test) = reuters.load_data(nb_words=max_words,
                                                         test_split=0.2)
nb_classes = np.max(y_train) + 1
print(len(X_train), 'train and', len(X_test), 'test newswires,',
      nb_classes, 'topics')

tokenizer = Tokenizer(nb_words=max_words)
X_train = tokenizer.sequences_to_matrix(X_train, mode='binary')
X_test = tokenizer.sequences_to_matrix(X_test, mode='binary')
Y_train = np_utils.to_categorical(y_train, nb_classes)
Y_test = np_utils.to_categorical(y_test, nb_classes)
print('X_train shape:', X_train.shape, 'Y_train shape:', Y_train.shape)

model = Sequential()
model.add(Dense(128, input_shape=(max_words,)))
model.add(Activation('relu'))
model.add(Dropout(0.2))
model.add(Dense(nb_classes))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam',
              metrics=['accuracy'])
model.fit(X_train, Y_train, nb_epoch=12, batch_size=16, verbose=2,
          validation_split=0.1)
score = model.evaluate(X_test, Y_test, batch_size=16, verbose=0)
print('Test score:', score[0])
print('RESULT accuracy=%.4f' % score[1])
