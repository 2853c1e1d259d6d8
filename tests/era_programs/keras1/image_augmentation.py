"""Keras 1 era: a CIFAR-10 convnet trained on augmented images.

`ImageDataGenerator` centers the images with statistics from
`datagen.fit` and shifts them at random; training runs through Keras 1's
`fit_generator(generator, samples_per_epoch=, nb_epoch=)` and testing
through `evaluate_generator(generator, val_samples=)`. Keras 1 layers:
`Convolution2D(..., border_mode='same')`, `MaxPooling2D`; history read
under Keras 1's key `acc`.
"""
from __future__ import print_function

import numpy as np

np.random.seed(21)

from keras.datasets import cifar10
from keras.layers import Activation, Dense, Flatten
from keras.layers import Convolution2D, MaxPooling2D
from keras.models import Sequential
from keras.preprocessing.image import ImageDataGenerator
from keras.utils import np_utils

batch_size = 32
nb_classes = 10
nb_epoch = 6

(X_train, y_train), (X_test, y_test) = cifar10.load_data()
X_train = X_train.astype('float32') / 255
X_test = X_test.astype('float32') / 255
Y_train = np_utils.to_categorical(y_train, nb_classes)
Y_test = np_utils.to_categorical(y_test, nb_classes)
print('X_train shape:', X_train.shape)

model = Sequential()
model.add(Convolution2D(8, 3, 3, border_mode='same',
                        input_shape=X_train.shape[1:]))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Convolution2D(16, 3, 3, border_mode='same'))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(4, 4)))
model.add(Flatten())
model.add(Dense(nb_classes))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam',
              metrics=['accuracy'])

datagen = ImageDataGenerator(featurewise_center=True,
                             width_shift_range=0.05,
                             height_shift_range=0.05)
datagen.fit(X_train)
history = model.fit_generator(
    datagen.flow(X_train, Y_train, batch_size=batch_size),
    samples_per_epoch=X_train.shape[0], nb_epoch=nb_epoch, verbose=2)
print('training accuracy by epoch:', history.history['acc'])

test_flow = datagen.flow(X_test, Y_test, batch_size=batch_size,
                         shuffle=False)
loss, accuracy = model.evaluate_generator(test_flow,
                                          val_samples=X_test.shape[0])
print('RESULT accuracy=%.4f' % accuracy)
