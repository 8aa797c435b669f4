"""Variational autoencoders whose KL term goes through add_loss (after the tf.keras-era guide "Making new
layers and models via subclassing" and the functional keras.io VAE): a Sampling layer drawing with
tf.random.normal(shape=(batch, dim)) from tf.shape, an Encoder/Decoder of layers.Layer subclasses with
get_config, self.add_loss(kl) inside a Model's call(), a custom training loop over the subclassed model
with tf.GradientTape and sum(model.losses), and the functional VAE's vae.add_loss(kl) on symbolic
tensors at model level.

Keras 3 conversion: TF ops in call() become keras.ops; Sampling draws with keras.random.normal and a
SeedGenerator; the custom GradientTape loop (TensorFlow only) becomes compile()/fit(), which adds the
add_loss term on every backend; the functional model's vae.add_loss(kl) on symbolic tensors (which Keras 3
does not support) moves into a small layer that calls self.add_loss in call()."""
import numpy as np
import keras
from keras import layers, ops

original_dim = 32
x_train = np.random.rand(128, original_dim).astype("float32")


class Sampling(layers.Layer):
    """Uses (z_mean, z_log_var) to sample z, the vector encoding an input."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = ops.shape(z_mean)[0]
        dim = ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


class Encoder(layers.Layer):
    """Maps inputs to a triplet (z_mean, z_log_var, z)."""

    def __init__(self, latent_dim=4, intermediate_dim=16, name="encoder", **kwargs):
        super(Encoder, self).__init__(name=name, **kwargs)
        self.latent_dim = latent_dim
        self.intermediate_dim = intermediate_dim
        self.dense_proj = layers.Dense(intermediate_dim, activation="relu")
        self.dense_mean = layers.Dense(latent_dim)
        self.dense_log_var = layers.Dense(latent_dim)
        self.sampling = Sampling()

    def call(self, inputs):
        x = self.dense_proj(inputs)
        z_mean = self.dense_mean(x)
        z_log_var = self.dense_log_var(x)
        z = self.sampling((z_mean, z_log_var))
        return z_mean, z_log_var, z

    def get_config(self):
        config = super(Encoder, self).get_config()
        config.update({"latent_dim": self.latent_dim, "intermediate_dim": self.intermediate_dim})
        return config


class Decoder(layers.Layer):
    """Converts z back into a readable input."""

    def __init__(self, original_dim, intermediate_dim=16, name="decoder", **kwargs):
        super(Decoder, self).__init__(name=name, **kwargs)
        self.dense_proj = layers.Dense(intermediate_dim, activation="relu")
        self.dense_output = layers.Dense(original_dim, activation="sigmoid")

    def call(self, inputs):
        return self.dense_output(self.dense_proj(inputs))


class VariationalAutoEncoder(keras.Model):
    """Combines the encoder and decoder into an end-to-end model for training."""

    def __init__(self, original_dim, intermediate_dim=16, latent_dim=4, name="autoencoder", **kwargs):
        super(VariationalAutoEncoder, self).__init__(name=name, **kwargs)
        self.original_dim = original_dim
        self.encoder = Encoder(latent_dim=latent_dim, intermediate_dim=intermediate_dim)
        self.decoder = Decoder(original_dim, intermediate_dim=intermediate_dim)

    def call(self, inputs):
        z_mean, z_log_var, z = self.encoder(inputs)
        reconstructed = self.decoder(z)
        # Add KL divergence regularization loss.
        kl_loss = -0.5 * ops.mean(z_log_var - ops.square(z_mean) - ops.exp(z_log_var) + 1)
        self.add_loss(kl_loss)
        return reconstructed


vae = VariationalAutoEncoder(original_dim, 16, 4)
vae.compile(keras.optimizers.Adam(learning_rate=1e-3), loss=keras.losses.MeanSquaredError())
history = vae.fit(x_train, x_train, epochs=2, batch_size=32, shuffle=True, verbose=0)
for epoch, loss in enumerate(history.history["loss"]):
    print("epoch %d: mean loss = %.4f" % (epoch, loss))

# The same model trained with fit(): the add_loss term is added to the compiled loss.
vae2 = VariationalAutoEncoder(original_dim, 16, 4)
vae2.compile(keras.optimizers.Adam(learning_rate=1e-3), loss=keras.losses.MeanSquaredError())
vae2.fit(x_train, x_train, epochs=2, batch_size=32, verbose=0)
print("encoder config", sorted(vae2.encoder.get_config())[:3])

# Functional VAE: the KL term is added by a layer (Keras 3 has no add_loss of symbolic tensors).
class KLDivergenceLoss(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        self.add_loss(-0.5 * ops.mean(z_log_var - ops.square(z_mean) - ops.exp(z_log_var) + 1))
        return z_mean


original_inputs = keras.Input(shape=(original_dim,), name="encoder_input")
x = layers.Dense(16, activation="relu")(original_inputs)
z_mean = layers.Dense(4, name="z_mean")(x)
z_log_var = layers.Dense(4, name="z_log_var")(x)
z = Sampling()((KLDivergenceLoss()((z_mean, z_log_var)), z_log_var))
encoder = keras.Model(inputs=original_inputs, outputs=z, name="encoder")

latent_inputs = keras.Input(shape=(4,), name="z_sampling")
x = layers.Dense(16, activation="relu")(latent_inputs)
outputs = layers.Dense(original_dim, activation="sigmoid")(x)
decoder = keras.Model(inputs=latent_inputs, outputs=outputs, name="decoder")

outputs = decoder(z)
vae3 = keras.Model(inputs=original_inputs, outputs=outputs, name="vae")
vae3.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss=keras.losses.MeanSquaredError())
vae3.fit(x_train, x_train, epochs=2, batch_size=32, verbose=0)
print("functional vae", decoder.predict(np.random.normal(size=(3, 4)), verbose=0).shape)
