"""Keras 2 era: a hand-written radial-basis-function layer.

`RBFLayer` keeps learned centers and widths and outputs
`exp(-gamma * ||x - center||^2)` for each center. Written the Keras 2 way
("Writing your own Keras layers"): weights from
`self.add_weight(name=, shape=, initializer=, trainable=)` in `build`,
then `super().build(input_shape)`; `call(x)` with `K.expand_dims`,
`K.sum`, `K.square` and `K.exp`; `compute_output_shape`; `get_config`.
"""
from __future__ import print_function

import keras
from keras import backend as K
from keras.datasets import mnist
from keras.layers import Dense, Layer
from keras.models import Sequential


class RBFLayer(Layer):

    def __init__(self, units, initial_gamma=0.2, **kwargs):
        self.units = units
        self.initial_gamma = initial_gamma
        super(RBFLayer, self).__init__(**kwargs)

    def build(self, input_shape):
        self.centers = self.add_weight(
            name='centers', shape=(self.units, input_shape[1]),
            initializer=keras.initializers.RandomUniform(-1., 1.),
            trainable=True)
        self.gamma = self.add_weight(
            name='gamma', shape=(self.units,),
            initializer=keras.initializers.Constant(self.initial_gamma),
            trainable=True)
        super(RBFLayer, self).build(input_shape)

    def call(self, x):
        offsets = K.expand_dims(x, axis=1) - self.centers
        return K.exp(-self.gamma * K.sum(K.square(offsets), axis=-1))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        config = {'units': self.units, 'initial_gamma': self.initial_gamma}
        base_config = super(RBFLayer, self).get_config()
        return dict(list(base_config.items()) + list(config.items()))


(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.reshape(-1, 784).astype('float32') / 255
x_test = x_test.reshape(-1, 784).astype('float32') / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

model = Sequential()
model.add(Dense(16, activation='tanh', input_shape=(784,)))
model.add(RBFLayer(32))
model.add(Dense(10, activation='softmax'))
model.compile(loss='categorical_crossentropy',
              optimizer=keras.optimizers.Adam(lr=0.01),
              metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=32, epochs=12, verbose=2)
print('layer config:', model.layers[1].get_config())
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print('RESULT accuracy=%.4f' % accuracy)
