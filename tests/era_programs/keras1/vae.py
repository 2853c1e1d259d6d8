"""Keras 1 era: a variational autoencoder of MNIST digits.

The encoder gives the mean and log-variance of a 2-D latent code; a
`Lambda` layer draws the code with `K.random_normal` (Keras 1's `std=`
argument, a fixed batch shape from `Input(batch_shape=)`), and the loss
is a Python function of `(x, x_decoded)` that also reads the encoder's
tensors: reconstruction cross-entropy plus the KL term, written with
`K.sum`, `K.square` and `K.exp`. Keras 1 calls: `Model(input=, output=)`,
`objectives.binary_crossentropy`, `fit(nb_epoch=)`.

The result is how well the latent means separate the digits: each test
image is given the class whose mean code (over the training images) is
nearest.
"""
from __future__ import print_function

import numpy as np

np.random.seed(11)

from keras import backend as K
from keras import objectives
from keras.datasets import mnist
from keras.layers import Dense, Input, Lambda
from keras.models import Model

batch_size = 50
original_dim = 784
latent_dim = 2
intermediate_dim = 64
epsilon_std = 1.0

x = Input(batch_shape=(batch_size, original_dim))
h = Dense(intermediate_dim, activation='relu')(x)
z_mean = Dense(latent_dim)(h)
z_log_var = Dense(latent_dim)(h)


def sampling(args):
    mean, log_var = args
    epsilon = K.random_normal(shape=(batch_size, latent_dim), mean=0.,
                              std=epsilon_std)
    return mean + K.exp(log_var / 2) * epsilon


z = Lambda(sampling, output_shape=(latent_dim,))([z_mean, z_log_var])
decoder_hidden = Dense(intermediate_dim, activation='relu')
decoder_out = Dense(original_dim, activation='sigmoid')
x_decoded_mean = decoder_out(decoder_hidden(z))


def vae_loss(x, x_decoded_mean):
    xent_loss = original_dim * objectives.binary_crossentropy(
        x, x_decoded_mean)
    kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean)
                           - K.exp(z_log_var), axis=-1)
    return xent_loss + kl_loss


vae = Model(input=x, output=x_decoded_mean)
vae.compile(optimizer='rmsprop', loss=vae_loss)

(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.astype('float32').reshape((len(x_train), -1)) / 255.
x_test = x_test.astype('float32').reshape((len(x_test), -1)) / 255.

vae.fit(x_train, x_train, shuffle=True, nb_epoch=10, batch_size=batch_size,
        verbose=2, validation_data=(x_test, x_test))

encoder = Model(input=x, output=z_mean)
train_codes = encoder.predict(x_train, batch_size=batch_size)
test_codes = encoder.predict(x_test, batch_size=batch_size)
centers = np.array([train_codes[y_train == k].mean(axis=0)
                    for k in range(10)])
distances = ((test_codes[:, None, :] - centers[None]) ** 2).sum(axis=-1)
accuracy = np.mean(distances.argmin(axis=1) == y_test)
print('RESULT accuracy=%.4f' % accuracy)
