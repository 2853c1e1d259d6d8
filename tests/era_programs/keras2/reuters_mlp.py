"""Keras 2 era: Reuters newswire topics with a bag-of-words MLP.

Keras 2 API: `reuters.load_data(num_words=, test_split=)`,
`Tokenizer(num_words=)` and `sequences_to_matrix(mode='binary')`,
`keras.utils.to_categorical`, `fit(epochs=, validation_split=)`.
"""
from __future__ import print_function

import numpy as np

import keras
from keras.datasets import reuters
from keras.layers import Activation, Dense, Dropout
from keras.models import Sequential
from keras.preprocessing.text import Tokenizer

max_words = 400
batch_size = 16
epochs = 12

(x_train, y_train), (x_test, y_test) = reuters.load_data(num_words=max_words,
                                                         test_split=0.2)
num_classes = len(np.unique(np.concatenate([y_train, y_test])))
print(num_classes, 'classes')

tokenizer = Tokenizer(num_words=max_words)
x_train = tokenizer.sequences_to_matrix(x_train, mode='binary')
x_test = tokenizer.sequences_to_matrix(x_test, mode='binary')
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = Sequential()
model.add(Dense(128, input_shape=(max_words,)))
model.add(Activation('relu'))
model.add(Dropout(0.3))
model.add(Dense(num_classes))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam',
              metrics=['accuracy'])
history = model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs,
                    verbose=2, validation_split=0.1)
score = model.evaluate(x_test, y_test, batch_size=batch_size, verbose=0)
print('Test score:', score[0])
print('RESULT accuracy=%.4f' % score[1])
