"""Keras 1 era: a hand-written layer, a scaled cosine classifier.

`CosineScores` scores each class by the cosine between the input and the
class's weight vector, times a learned sharpness. Written the Keras 1.2
way ("Writing your own Keras layers"): the initialization looked up with
`initializations.get` and called in `build`, the sharpness made with
`K.variable`, both listed in `self.trainable_weights`; `call(x,
mask=None)` written with `K.l2_normalize` and `K.dot`; the output shape
from `get_output_shape_for`.
"""
from __future__ import print_function

import numpy as np

np.random.seed(8)

from keras import backend as K
from keras import initializations
from keras.datasets import mnist
from keras.engine.topology import Layer
from keras.layers import Activation, Dense
from keras.models import Sequential
from keras.utils import np_utils


class CosineScores(Layer):
    """Class scores `sharpness * cos(x, W[:, j])`."""

    def __init__(self, output_dim, init='glorot_uniform', sharpness=5.,
                 **kwargs):
        self.output_dim = output_dim
        self.init = initializations.get(init)
        self.initial_sharpness = sharpness
        super(CosineScores, self).__init__(**kwargs)

    def build(self, input_shape):
        input_dim = input_shape[1]
        self.W = self.init((input_dim, self.output_dim),
                           name='{}_W'.format(self.name))
        self.sharpness = K.variable(self.initial_sharpness,
                                    name='{}_sharpness'.format(self.name))
        self.trainable_weights = [self.W, self.sharpness]

    def call(self, x, mask=None):
        directions = K.l2_normalize(self.W, axis=0)
        return self.sharpness * K.dot(K.l2_normalize(x, axis=-1),
                                      directions)

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], self.output_dim)


(X_train, y_train), (X_test, y_test) = mnist.load_data()
X_train = X_train.reshape(len(X_train), 784).astype('float32') / 255
X_test = X_test.reshape(len(X_test), 784).astype('float32') / 255
Y_train = np_utils.to_categorical(y_train, 10)
Y_test = np_utils.to_categorical(y_test, 10)

model = Sequential()
model.add(Dense(64, input_dim=784, activation='relu'))
model.add(CosineScores(10))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam',
              metrics=['accuracy'])
model.fit(X_train, Y_train, batch_size=32, nb_epoch=5, verbose=2)

scores = model.layers[1]
print('learned sharpness:', K.get_value(scores.sharpness))
loss, accuracy = model.evaluate(X_test, Y_test, verbose=0)
print('RESULT accuracy=%.4f' % accuracy)
