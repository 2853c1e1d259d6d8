"""Keras 2 era: a CIFAR-10 convnet trained on augmented images.

`ImageDataGenerator(rescale=, width_shift_range=, height_shift_range=,
zoom_range=)` serves random variations of the uint8 images; training
runs through Keras 2's `fit_generator(generator, steps_per_epoch=,
epochs=)` and testing through `evaluate_generator(generator, steps=)`
on an unshuffled, un-augmented flow of the test images.
"""
from __future__ import print_function

import keras
from keras.datasets import cifar10
from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D
from keras.models import Sequential
from keras.preprocessing.image import ImageDataGenerator

batch_size = 32
num_classes = 10
epochs = 6

(x_train, y_train), (x_test, y_test) = cifar10.load_data()
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = Sequential([
    Conv2D(16, (3, 3), padding='same', activation='relu',
           input_shape=x_train.shape[1:]),
    MaxPooling2D((2, 2)),
    Conv2D(16, (3, 3), padding='same', activation='relu'),
    MaxPooling2D((4, 4)),
    Flatten(),
    Dense(num_classes, activation='softmax'),
])
model.compile(loss='categorical_crossentropy',
              optimizer=keras.optimizers.Adam(lr=0.003),
              metrics=['accuracy'])

augment = ImageDataGenerator(rescale=1. / 255, width_shift_range=0.05,
                             height_shift_range=0.05, zoom_range=0.05)
plain = ImageDataGenerator(rescale=1. / 255)
model.fit_generator(augment.flow(x_train, y_train, batch_size=batch_size),
                    steps_per_epoch=len(x_train) // batch_size,
                    epochs=epochs, verbose=2)

test_flow = plain.flow(x_test, y_test, batch_size=batch_size, shuffle=False)
loss, accuracy = model.evaluate_generator(test_flow, steps=len(test_flow))
print('RESULT accuracy=%.4f' % accuracy)
