"""Keras 1 era: a small convolutional network on MNIST digits.

Keras 1.2 spellings: `Convolution2D(nb_filter, nb_row, nb_col,
border_mode=)`, `K.image_dim_ordering()` deciding where the channel axis
goes, `np_utils.to_categorical`, `Adadelta(lr=)` and
`fit(nb_epoch=)`.
"""
from __future__ import print_function

import numpy as np

np.random.seed(2016)

from keras import backend as K
from keras.datasets import mnist
from keras.layers import Activation, Dense, Flatten
from keras.layers import Convolution2D, MaxPooling2D
from keras.models import Sequential
from keras.optimizers import Adadelta
from keras.utils import np_utils

nb_classes = 10
img_rows = img_cols = 28
nb_filters = 8
nb_conv = 3
nb_pool = 2

(X_train, y_train), (X_test, y_test) = mnist.load_data()
if K.image_dim_ordering() == 'th':
    X_train = X_train.reshape(X_train.shape[0], 1, img_rows, img_cols)
    X_test = X_test.reshape(X_test.shape[0], 1, img_rows, img_cols)
    input_shape = (1, img_rows, img_cols)
else:
    X_train = X_train.reshape(X_train.shape[0], img_rows, img_cols, 1)
    X_test = X_test.reshape(X_test.shape[0], img_rows, img_cols, 1)
    input_shape = (img_rows, img_cols, 1)
X_train = X_train.astype('float32') / 255
X_test = X_test.astype('float32') / 255
Y_train = np_utils.to_categorical(y_train, nb_classes)
Y_test = np_utils.to_categorical(y_test, nb_classes)

model = Sequential()
model.add(Convolution2D(nb_filters, nb_conv, nb_conv, border_mode='valid',
                        input_shape=input_shape))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(nb_pool, nb_pool)))
model.add(Convolution2D(nb_filters, nb_conv, nb_conv, border_mode='same'))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(nb_pool, nb_pool)))
model.add(Flatten())
model.add(Dense(32))
model.add(Activation('relu'))
model.add(Dense(nb_classes))
model.add(Activation('softmax'))

# Keras 1's Adadelta defaults to lr=1.0 (Keras 3's to 0.001): spelled out.
model.compile(loss='categorical_crossentropy', optimizer=Adadelta(lr=1.0),
              metrics=['accuracy'])
model.fit(X_train, Y_train, batch_size=32, nb_epoch=4, verbose=2,
          validation_data=(X_test, Y_test))
score = model.evaluate(X_test, Y_test, verbose=0)
print('Test score:', score[0])
print('RESULT accuracy=%.4f' % score[1])
