"""Keras 1 era: a siamese network that learns whether two digits match.

One shared base network embeds both images; a `Lambda` layer computes
their euclidean distance with `K.sqrt(K.sum(K.square(a - b)))`, given an
`output_shape` function as Keras 1 required, and the contrastive loss
(Hadsell et al., 2006) is a Python function written with `K.mean`,
`K.square` and `K.maximum`. Keras 1 calls: `Model(input=[...],
output=...)`, `fit(nb_epoch=)`.

A pair is predicted "same digit" when the distance is under 0.5.
"""
from __future__ import print_function

import numpy as np

np.random.seed(1337)

from keras import backend as K
from keras.datasets import mnist
from keras.layers import Dense, Dropout, Input, Lambda
from keras.models import Model, Sequential
from keras.optimizers import RMSprop


def euclidean_distance(vects):
    a, b = vects
    squared = K.sum(K.square(a - b), axis=1, keepdims=True)
    # The gradient of sqrt is infinite at 0: keep the argument above it.
    return K.sqrt(K.maximum(squared, K.epsilon()))


def distance_shape(shapes):
    first, _ = shapes
    return (first[0], 1)


def contrastive_loss(y_true, y_pred):
    margin = 1
    return K.mean(y_true * K.square(y_pred) +
                  (1 - y_true) * K.square(K.maximum(margin - y_pred, 0)))


def make_pairs(images, labels, rng):
    """A matching pair (never an image with itself) and a non-matching
    pair for each image."""
    by_class = [np.where(labels == k)[0] for k in range(10)]
    left, right, same = [], [], []
    for i, label in enumerate(labels):
        match = rng.choice(by_class[label][by_class[label] != i])
        other = rng.choice(by_class[(label + rng.randint(1, 10)) % 10])
        left += [images[i], images[i]]
        right += [images[match], images[other]]
        same += [1, 0]
    return np.array(left), np.array(right), np.array(same, dtype='float32')


(X_train, y_train), (X_test, y_test) = mnist.load_data()
X_train = X_train.reshape(len(X_train), 784).astype('float32') / 255
X_test = X_test.reshape(len(X_test), 784).astype('float32') / 255
rng = np.random.RandomState(0)
train_a, train_b, train_y = make_pairs(X_train, y_train, rng)
test_a, test_b, test_y = make_pairs(X_test, y_test, rng)

base_network = Sequential()
base_network.add(Dense(64, input_shape=(784,), activation='relu'))
base_network.add(Dropout(0.1))
base_network.add(Dense(32, activation='relu'))

input_a = Input(shape=(784,))
input_b = Input(shape=(784,))
distance = Lambda(euclidean_distance, output_shape=distance_shape)(
    [base_network(input_a), base_network(input_b)])
model = Model(input=[input_a, input_b], output=distance)

model.compile(loss=contrastive_loss, optimizer=RMSprop())
model.fit([train_a, train_b], train_y, batch_size=64, nb_epoch=6,
          verbose=2, validation_data=([test_a, test_b], test_y))

predicted = model.predict([test_a, test_b]).ravel() < 0.5
accuracy = np.mean(predicted == (test_y == 1))
print('RESULT accuracy=%.4f' % accuracy)
