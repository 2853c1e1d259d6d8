"""Keras 2 era: a variational autoencoder of MNIST digits.

Encoder and decoder are separate functional models joined into `vae`;
the sampling step is a `Lambda` calling `K.random_normal` with the batch
size read from `K.shape`, and the loss — reconstruction cross-entropy
plus the KL divergence, written with `K.mean`, `K.sum`, `K.square` and
`K.exp` on the model's tensors — is attached with `vae.add_loss`, so
`compile` gets no loss and `fit` no targets (the Keras 2.2 way).

The result is how well the latent means separate the digits: each test
image is given the class whose mean code (over the training images) is
nearest.
"""
from __future__ import print_function

import numpy as np

from keras import backend as K
from keras.datasets import mnist
from keras.layers import Dense, Input, Lambda
from keras.losses import binary_crossentropy
from keras.models import Model

original_dim = 784
hidden_dim = 64
latent_dim = 2
batch_size = 50
epochs = 10


def sample_code(args):
    """Reparameterization: mean + sigma * unit normal noise."""
    mean, log_var = args
    noise = K.random_normal(shape=(K.shape(mean)[0], K.int_shape(mean)[1]))
    return mean + K.exp(0.5 * log_var) * noise


images = Input(shape=(original_dim,), name='encoder_input')
hidden = Dense(hidden_dim, activation='relu')(images)
z_mean = Dense(latent_dim, name='z_mean')(hidden)
z_log_var = Dense(latent_dim, name='z_log_var')(hidden)
z = Lambda(sample_code, output_shape=(latent_dim,), name='z')(
    [z_mean, z_log_var])
encoder = Model(images, [z_mean, z_log_var, z], name='encoder')

codes = Input(shape=(latent_dim,), name='z_sampling')
decoded = Dense(hidden_dim, activation='relu')(codes)
decoded = Dense(original_dim, activation='sigmoid')(decoded)
decoder = Model(codes, decoded, name='decoder')

reconstruction = decoder(encoder(images)[2])
vae = Model(images, reconstruction, name='vae')

reconstruction_loss = original_dim * binary_crossentropy(images,
                                                         reconstruction)
kl_loss = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var),
                       axis=-1)
vae.add_loss(K.mean(reconstruction_loss + kl_loss))
vae.compile(optimizer='adam')

(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.reshape(-1, original_dim).astype('float32') / 255
x_test = x_test.reshape(-1, original_dim).astype('float32') / 255
vae.fit(x_train, epochs=epochs, batch_size=batch_size, verbose=2,
        validation_data=(x_test, None))

train_codes = encoder.predict(x_train, batch_size=batch_size)[0]
test_codes = encoder.predict(x_test, batch_size=batch_size)[0]
centers = np.stack([train_codes[y_train == k].mean(axis=0)
                    for k in range(10)])
nearest = np.argmin(((test_codes[:, None] - centers) ** 2).sum(-1), axis=1)
print('RESULT accuracy=%.4f' % np.mean(nearest == y_test))
