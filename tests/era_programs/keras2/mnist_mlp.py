"""Keras 2 era: a multilayer perceptron on MNIST digits.

Keras 2 API: `keras.utils.to_categorical(y, num_classes)`, Dense's
`kernel_initializer`, the optimizer object `keras.optimizers.RMSprop`,
`fit(epochs=)`, and the `acc` key that Keras 2 logged for the accuracy.
"""
from __future__ import print_function

import numpy as np

import keras
from keras.datasets import mnist
from keras.layers import Dense, Dropout
from keras.models import Sequential

np.random.seed(17)

num_classes = 10
batch_size = 32
epochs = 4

(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.reshape(-1, 784).astype('float32') / 255
x_test = x_test.reshape(-1, 784).astype('float32') / 255
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = Sequential()
model.add(Dense(96, activation='relu', input_shape=(784,),
                kernel_initializer='he_uniform'))
model.add(Dropout(0.2))
model.add(Dense(48, activation='relu'))
model.add(Dropout(0.2))
model.add(Dense(num_classes, activation='softmax'))
model.summary()

model.compile(loss='categorical_crossentropy',
              optimizer=keras.optimizers.RMSprop(lr=0.001),
              metrics=['accuracy'])
history = model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs,
                    verbose=2, validation_data=(x_test, y_test))
print('validation accuracy by epoch:', history.history['val_acc'])
score = model.evaluate(x_test, y_test, verbose=0)
print('Test loss:', score[0])
print('RESULT accuracy=%.4f' % score[1])
