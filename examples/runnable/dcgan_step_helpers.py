"""A DCGAN on 8x8 random "images" whose train_step hands the work to two helper methods, as many
tf.keras-era GAN tutorials wrote it: `self._d_step(real_images, fake_images)` and
`self._g_step(noise)` each run a forward pass and a loss under their own tf.GradientTape and apply
the gradient with their own optimizer (made in compile()), returning the loss to the step, which
updates Mean trackers. The discriminator step labels the concatenated fakes and reals with
tf.concat / tf.ones / tf.zeros and adds label noise with tf.random.uniform; the generator step
samples its own noise batch; the discriminator has Dropout (a seeded layer run inside the tape)."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

LATENT_DIM = 8
BATCH_SIZE = 16

rng = np.random.default_rng(0)
x_train = np.tanh(rng.normal(size=(64, 8, 8, 1))).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices(x_train).shuffle(64).batch(BATCH_SIZE, drop_remainder=True)

discriminator = keras.Sequential(
    [
        keras.Input(shape=(8, 8, 1)),
        layers.Conv2D(16, 3, strides=2, padding="same"),
        layers.LeakyReLU(alpha=0.2),
        layers.Flatten(),
        layers.Dropout(0.2),
        layers.Dense(1),
    ],
    name="discriminator",
)
generator = keras.Sequential(
    [
        keras.Input(shape=(LATENT_DIM,)),
        layers.Dense(4 * 4 * 16),
        layers.LeakyReLU(alpha=0.2),
        layers.Reshape((4, 4, 16)),
        layers.Conv2DTranspose(16, 4, strides=2, padding="same"),
        layers.LeakyReLU(alpha=0.2),
        layers.Conv2D(1, 3, padding="same", activation="tanh"),
    ],
    name="generator",
)


class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    def _d_step(self, real_images, fake_images):
        batch_size = tf.shape(real_images)[0]
        combined_images = tf.concat([fake_images, real_images], axis=0)
        labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
        # Label noise, a known trick.
        labels += 0.05 * tf.random.uniform(tf.shape(labels))
        with tf.GradientTape() as tape:
            predictions = self.discriminator(combined_images, training=True)
            d_loss = self.loss_fn(labels, predictions)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        return d_loss

    def _g_step(self, noise):
        misleading_labels = tf.zeros((tf.shape(noise)[0], 1))
        with tf.GradientTape() as tape:
            predictions = self.discriminator(self.generator(noise, training=True), training=True)
            g_loss = self.loss_fn(misleading_labels, predictions)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        return g_loss

    def train_step(self, real_images):
        batch_size = tf.shape(real_images)[0]
        noise = tf.random.normal(shape=(batch_size, self.latent_dim))
        fake_images = self.generator(noise)
        d_loss = self._d_step(real_images, fake_images)
        g_loss = self._g_step(tf.random.normal(shape=(batch_size, self.latent_dim)))
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


gan = GAN(discriminator=discriminator, generator=generator, latent_dim=LATENT_DIM)
gan.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
    g_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
    loss_fn=keras.losses.BinaryCrossentropy(from_logits=True),
)
d_before = discriminator.get_weights()[0].copy()
g_before = generator.get_weights()[0].copy()
history = gan.fit(dataset, epochs=2, verbose=0)
print({k: round(float(v[-1]), 3) for k, v in history.history.items()})
assert all(np.isfinite(v[-1]) for v in history.history.values())
assert not np.allclose(d_before, discriminator.get_weights()[0]), "discriminator not trained"
assert not np.allclose(g_before, generator.get_weights()[0]), "generator not trained"

samples = generator.predict(rng.normal(size=(4, LATENT_DIM)).astype("float32"), verbose=0)
print("samples", samples.shape)
assert samples.shape == (4, 8, 8, 1)
