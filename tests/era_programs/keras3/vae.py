"""Keras 3 era: a variational autoencoder of MNIST digits.

Two small custom layers carry the VAE-specific parts: `Sampling` draws
the code with `keras.random.normal` from its own `SeedGenerator`, and
`KLDivergence` adds the KL term with `self.add_loss` (written with
`keras.ops`), so the model compiles with a plain reconstruction loss.

The result is how well the latent means separate the digits: each test
image is given the class whose mean code (over the training images) is
nearest.
"""
import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(6)
original_dim = 784
latent_dim = 2


class Sampling(layers.Layer):
    """Draws z = mean + exp(log_var / 2) * eps, eps ~ N(0, I)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        eps = keras.random.normal(ops.shape(z_mean),
                                  seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * eps


class KLDivergence(layers.Layer):
    """Adds the KL divergence to N(0, I), per pixel, as a loss."""

    def call(self, inputs):
        z_mean, z_log_var = inputs
        kl = -0.5 * ops.sum(
            1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=1)
        self.add_loss(ops.mean(kl) / original_dim)
        return z_mean


images = keras.Input(shape=(original_dim,))
h = layers.Dense(64, activation="relu")(images)
z_mean = layers.Dense(latent_dim, name="z_mean")(h)
z_log_var = layers.Dense(latent_dim, name="z_log_var")(h)
z_mean = KLDivergence()([z_mean, z_log_var])
z = Sampling()([z_mean, z_log_var])
h = layers.Dense(64, activation="relu")(z)
reconstruction = layers.Dense(original_dim, activation="sigmoid")(h)
vae = keras.Model(images, reconstruction, name="vae")
encoder = keras.Model(images, z_mean, name="encoder")

vae.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
            loss="binary_crossentropy")

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, original_dim).astype("float32") / 255
x_test = x_test.reshape(-1, original_dim).astype("float32") / 255
vae.fit(x_train, x_train, epochs=10, batch_size=50, verbose=2)

train_codes = encoder.predict(x_train, verbose=0)
test_codes = encoder.predict(x_test, verbose=0)
centers = np.stack([train_codes[y_train == k].mean(0) for k in range(10)])
distances = np.linalg.norm(test_codes[:, None] - centers[None], axis=-1)
print(f"RESULT accuracy={np.mean(distances.argmin(1) == y_test):.4f}")
