"""Keras 2 era: a siamese MLP deciding whether two digits are the same.

A shared base network embeds both images; a `Lambda` layer with an
`output_shape` function gives their euclidean distance (`K.sqrt`,
`K.sum`, `K.square`, `K.maximum` with `K.epsilon()`), trained with the
contrastive loss (Hadsell et al., 2006). Accuracy is a custom Keras
metric function: a pair counts as "same" when the distance is under 0.5.
Keras 2 API: `Model([a, b], out)`, `fit(epochs=)`.
"""
from __future__ import print_function

import numpy as np

from keras import backend as K
from keras.datasets import mnist
from keras.layers import Dense, Dropout, Flatten, Input, Lambda
from keras.models import Model
from keras.optimizers import RMSprop


def euclidean_distance(vectors):
    left, right = vectors
    total = K.sum(K.square(left - right), axis=1, keepdims=True)
    return K.sqrt(K.maximum(total, K.epsilon()))


def pair_shape(shapes):
    return (shapes[0][0], 1)


def contrastive_loss(y_true, y_pred, margin=1.0):
    close = K.square(y_pred)
    apart = K.square(K.maximum(margin - y_pred, 0))
    return K.mean(y_true * close + (1 - y_true) * apart)


def pair_accuracy(y_true, y_pred):
    same = K.cast(y_pred < 0.5, y_true.dtype)
    return K.mean(K.equal(y_true, same))


def build_pairs(x, y, seed):
    """For every image: one partner of its class, one of another class."""
    rng = np.random.RandomState(seed)
    members = [np.flatnonzero(y == digit) for digit in range(10)]
    first, second, labels = [], [], []
    for i, digit in enumerate(y):
        same = rng.choice(members[digit][members[digit] != i])
        other_digit = (digit + rng.randint(1, 10)) % 10
        different = rng.choice(members[other_digit])
        first.extend([x[i], x[i]])
        second.extend([x[same], x[different]])
        labels.extend([1., 0.])
    return [np.array(first), np.array(second)], np.array(labels)


def create_base_network(input_shape):
    image = Input(shape=input_shape)
    h = Flatten()(image)
    h = Dense(64, activation='relu')(h)
    h = Dropout(0.1)(h)
    h = Dense(32, activation='relu')(h)
    return Model(image, h)


(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.astype('float32') / 255
x_test = x_test.astype('float32') / 255
train_pairs, train_same = build_pairs(x_train, y_train, seed=1)
test_pairs, test_same = build_pairs(x_test, y_test, seed=2)

base_network = create_base_network(x_train.shape[1:])
input_a = Input(shape=x_train.shape[1:])
input_b = Input(shape=x_train.shape[1:])
distance = Lambda(euclidean_distance, output_shape=pair_shape)(
    [base_network(input_a), base_network(input_b)])
model = Model([input_a, input_b], distance)

model.compile(loss=contrastive_loss, optimizer=RMSprop(),
              metrics=[pair_accuracy])
model.fit(train_pairs, train_same, batch_size=64, epochs=6, verbose=2,
          validation_data=(test_pairs, test_same))
loss, accuracy = model.evaluate(test_pairs, test_same, verbose=0)
print('RESULT accuracy=%.4f' % accuracy)
