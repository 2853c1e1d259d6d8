"""Keras 1 era: a two-layer perceptron on MNIST digits.

Written in the Keras 1.2 API: `input_dim` and `init=` on Dense, the
separate Activation layer, `np_utils.to_categorical(y, nb_classes)`,
`RMSprop(lr=)`, `fit(nb_epoch=)` and Sequential's `predict_classes`.
"""
from __future__ import print_function

import numpy as np

np.random.seed(7)  # Keras 1 programs seeded NumPy for repeatable runs

from keras.datasets import mnist
from keras.layers.core import Activation, Dense, Dropout
from keras.models import Sequential
from keras.optimizers import RMSprop
from keras.utils import np_utils

nb_classes = 10
pixels = 28 * 28

(X_train, y_train), (X_test, y_test) = mnist.load_data()
X_train = X_train.reshape(len(X_train), pixels).astype('float32') / 255.
X_test = X_test.reshape(len(X_test), pixels).astype('float32') / 255.
Y_train = np_utils.to_categorical(y_train, nb_classes)
Y_test = np_utils.to_categorical(y_test, nb_classes)
print(X_train.shape[0], 'train samples,', X_test.shape[0], 'test samples')

net = Sequential()
net.add(Dense(64, input_dim=pixels, init='glorot_uniform'))
net.add(Activation('relu'))
net.add(Dropout(0.1))
net.add(Dense(nb_classes, init='he_normal'))
net.add(Activation('softmax'))
net.summary()

net.compile(loss='categorical_crossentropy', optimizer=RMSprop(lr=0.002),
            metrics=['accuracy'])
net.fit(X_train, Y_train, batch_size=32, nb_epoch=4, verbose=2,
        validation_data=(X_test, Y_test))
loss, accuracy = net.evaluate(X_test, Y_test, verbose=0)
print('Test loss:', loss, 'test accuracy:', accuracy)
predicted = net.predict_classes(X_test, verbose=0)
print('RESULT accuracy=%.4f' % np.mean(predicted == y_test))
