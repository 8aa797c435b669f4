"""A WGAN-GP critic step in the style of keras.io's StyleGAN (tf.keras era), on random 8x8 images: the
gradient penalty's reductions are written as `tf.reduce_sum(..., axis=tf.range(1, len(grads.shape)))`
and `tf.reduce_mean(..., axis=tf.range(1, tf.rank(x)))` (StyleGAN's `tf.range(1, tf.size(tf.shape(x)))`
style) inside the critic's tape, around an inner tape watching the interpolated images; a drift term; a
generator tape; two Adam optimizers, Mean trackers created in compile() and a metrics property."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.random.set_seed(0)
np.random.seed(0)

LATENT_DIM = 8
IMAGE_SIZE = 8


def build_generator():
    z = keras.Input(shape=(LATENT_DIM,))
    x = layers.Dense(4 * 4 * 8)(z)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Reshape((4, 4, 8))(x)
    x = layers.UpSampling2D()(x)
    x = layers.Conv2D(8, 3, padding="same")(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(1, 3, padding="same", activation="tanh")(x)
    return keras.Model(z, x, name="generator")


def build_critic():
    images = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 1))
    x = layers.Conv2D(8, 3, strides=2, padding="same")(images)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(16, 3, strides=2, padding="same")(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(1)(x)
    return keras.Model(images, x, name="critic")


class WGANGP(keras.Model):
    def __init__(self, generator, critic, gp_weight=10.0, drift_weight=0.001):
        super().__init__()
        self.generator = generator
        self.critic = critic
        self.gp_weight = gp_weight
        self.drift_weight = drift_weight

    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.gp_tracker = keras.metrics.Mean(name="gp")

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.gp_tracker]

    def train_step(self, real_images):
        batch_size = tf.shape(real_images)[0]
        z = tf.random.normal((batch_size, LATENT_DIM))

        # Critic step: Wasserstein loss, gradient penalty on interpolated images, drift term
        with tf.GradientTape() as d_tape:
            fake_images = self.generator(z, training=True)
            pred_real = self.critic(real_images, training=True)
            pred_fake = self.critic(fake_images, training=True)
            epsilon = tf.random.uniform((batch_size, 1, 1, 1), 0.0, 1.0)
            interpolated = epsilon * real_images + (1.0 - epsilon) * fake_images
            with tf.GradientTape() as gp_tape:
                gp_tape.watch(interpolated)
                pred_interpolated = self.critic(interpolated, training=True)
            grads = gp_tape.gradient(pred_interpolated, interpolated)
            norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=tf.range(1, len(grads.shape))) + 1e-8)
            gradient_penalty = tf.reduce_mean(tf.square(norm - 1.0))
            drift = tf.reduce_mean(tf.reduce_mean(tf.square(pred_real), axis=tf.range(1, tf.rank(pred_real))))
            d_loss = (
                tf.reduce_mean(pred_fake)
                - tf.reduce_mean(pred_real)
                + self.gp_weight * gradient_penalty
                + self.drift_weight * drift
            )
        d_grads = d_tape.gradient(d_loss, self.critic.trainable_weights)
        self.d_optimizer.apply_gradients(zip(d_grads, self.critic.trainable_weights))

        # Generator step
        z = tf.random.normal((batch_size, LATENT_DIM))
        with tf.GradientTape() as g_tape:
            g_loss = -tf.reduce_mean(self.critic(self.generator(z, training=True), training=True))
        g_grads = g_tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(g_grads, self.generator.trainable_weights))

        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.gp_tracker.update_state(gradient_penalty)
        return {m.name: m.result() for m in self.metrics}


images = np.random.uniform(-1.0, 1.0, size=(64, IMAGE_SIZE, IMAGE_SIZE, 1)).astype("float32")
gan = WGANGP(build_generator(), build_critic())
gan.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=1e-3, beta_1=0.0, beta_2=0.99),
    g_optimizer=keras.optimizers.Adam(learning_rate=1e-3, beta_1=0.0, beta_2=0.99),
)
history = gan.fit(images, batch_size=16, epochs=2, verbose=0)
logs = {k: float(v[-1]) for k, v in history.history.items()}
print("losses", {k: round(v, 3) for k, v in logs.items()})
assert all(np.isfinite(v) for v in logs.values()), logs
assert logs["gp"] >= 0.0
samples = gan.generator.predict(np.random.normal(size=(4, LATENT_DIM)).astype("float32"), verbose=0)
print("samples", samples.shape, float(samples.min()) >= -1.0, float(samples.max()) <= 1.0)
