"""A convolutional beta-VAE (after the keras.io "Variational AutoEncoder" example).

Hand conversion to multi-backend Keras 3: the Sampling layer draws from keras.random.normal with a
SeedGenerator; the shared loss helper becomes call() (the forward pass) plus compute_loss() (the
losses and trackers), so Keras's own train_step and test_step run it on TensorFlow, JAX and
PyTorch (the custom test_step goes); keras.ops for the tensor ops; .keras file for the decoder."""
import os
import tempfile

import numpy as np
import keras
from keras import layers, ops

latent_dim = 2
beta = 4.0


class Sampling(layers.Layer):
    """Uses (z_mean, z_log_var) to sample z, the vector encoding a digit."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = ops.shape(z_mean)[0]
        dim = ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


encoder_inputs = keras.Input(shape=(16, 16, 1))
x = layers.Conv2D(16, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
x = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(x)
x = layers.Flatten()(x)
x = layers.Dense(16, activation="relu")(x)
z_mean = layers.Dense(latent_dim, name="z_mean")(x)
z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
z = Sampling()([z_mean, z_log_var])
encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")

latent_inputs = keras.Input(shape=(latent_dim,))
x = layers.Dense(4 * 4 * 32, activation="relu")(latent_inputs)
x = layers.Reshape((4, 4, 32))(x)
x = layers.Conv2DTranspose(32, 3, activation="relu", strides=2, padding="same")(x)
x = layers.Conv2DTranspose(16, 3, activation="relu", strides=2, padding="same")(x)
decoder_outputs = layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
decoder = keras.Model(latent_inputs, decoder_outputs, name="decoder")


class BetaVAE(keras.Model):
    def __init__(self, encoder, decoder, beta=1.0, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.beta = beta
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.reconstruction_loss_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [
            self.total_loss_tracker,
            self.reconstruction_loss_tracker,
            self.kl_loss_tracker,
        ]

    def call(self, data):
        z_mean, z_log_var, z = self.encoder(data)
        reconstruction = self.decoder(z)
        return z_mean, z_log_var, reconstruction

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        z_mean, z_log_var, reconstruction = y_pred
        reconstruction_loss = ops.mean(
            ops.sum(keras.losses.binary_crossentropy(x, reconstruction), axis=(1, 2))
        )
        kl_loss = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
        kl_loss = ops.mean(ops.sum(kl_loss, axis=1))
        total_loss = reconstruction_loss + self.beta * kl_loss
        self.total_loss_tracker.update_state(total_loss)
        self.reconstruction_loss_tracker.update_state(reconstruction_loss)
        self.kl_loss_tracker.update_state(kl_loss)
        return total_loss

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        return {
            "loss": self.total_loss_tracker.result(),
            "reconstruction_loss": self.reconstruction_loss_tracker.result(),
            "kl_loss": self.kl_loss_tracker.result(),
        }


images = np.random.rand(64, 16, 16, 1).astype("float32")
vae = BetaVAE(encoder, decoder, beta=beta)
vae.compile(optimizer=keras.optimizers.Adam())
history = vae.fit(images, epochs=1, batch_size=16, validation_split=0.25, verbose=0)
print({k: round(float(v[-1]), 3) for k, v in history.history.items()})

# Latent space of the data, then decode a small grid of latent points.
z_mean, _, _ = vae.encoder.predict(images, verbose=0)
print("latent", z_mean.shape)
grid = np.array([[xi, yi] for xi in np.linspace(-1, 1, 3) for yi in np.linspace(-1, 1, 3)])
decoded = vae.decoder.predict(grid, verbose=0)
print("decoded", decoded.shape)

tmp_dir = tempfile.mkdtemp()
vae.decoder.save(os.path.join(tmp_dir, "decoder.keras"))
restored = keras.models.load_model(os.path.join(tmp_dir, "decoder.keras"))
np.testing.assert_allclose(restored.predict(grid, verbose=0), decoded, rtol=1e-5, atol=1e-5)
print("restored decoder ok")
