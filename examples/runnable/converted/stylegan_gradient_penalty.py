"""Hand conversion to multi-backend Keras 3: keras.ops / keras.random with a SeedGenerator, the
`tf.range(1, len(x.shape))` reduction axes as Python tuples (keras.ops takes static axes), and, since
the step trains two networks with two optimizers and a gradient penalty, one train_step per backend
dispatched on keras.backend.backend() (as in keras.io's custom train_step guides): TensorFlow keeps the
tapes, PyTorch uses autograd (create_graph=True for the penalty), JAX runs un-jitted with
stateless_call and jax.grad inside the critic's loss.

Original description: a WGAN-GP critic step in the style of keras.io's StyleGAN (tf.keras era), on random 8x8 images: the
gradient penalty's reductions are written as `tf.reduce_sum(..., axis=tf.range(1, len(grads.shape)))`
and `tf.reduce_mean(..., axis=tf.range(1, tf.rank(x)))` (StyleGAN's `tf.range(1, tf.size(tf.shape(x)))`
style) inside the critic's tape, around an inner tape watching the interpolated images; a drift term; a
generator tape; two Adam optimizers, Mean trackers created in compile() and a metrics property."""
import numpy as np
import tensorflow as tf  # the TensorFlow step's tapes only
import keras
from keras import layers, ops

keras.utils.set_random_seed(0)

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
        self.seed_generator = keras.random.SeedGenerator(0)
        # No call(): its parts are built.
        self.built = True

    def compile(self, d_optimizer, g_optimizer):
        # On JAX the step updates optimizers fit() does not thread through a jitted step: run it un-jitted.
        super().compile(jit_compile=False if keras.backend.backend() == "jax" else "auto")
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.gp_tracker = keras.metrics.Mean(name="gp")

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.gp_tracker]

    def _noise(self, batch_size):
        z = keras.random.normal((batch_size, LATENT_DIM), seed=self.seed_generator)
        epsilon = keras.random.uniform((batch_size, 1, 1, 1), 0.0, 1.0, seed=self.seed_generator)
        z2 = keras.random.normal((batch_size, LATENT_DIM), seed=self.seed_generator)
        return z, epsilon, z2

    def _d_loss(self, pred_real, pred_fake, grads):
        norm = ops.sqrt(ops.sum(ops.square(grads), axis=tuple(range(1, len(grads.shape)))) + 1e-8)
        gradient_penalty = ops.mean(ops.square(norm - 1.0))
        drift = ops.mean(ops.mean(ops.square(pred_real), axis=tuple(range(1, len(pred_real.shape)))))
        d_loss = ops.mean(pred_fake) - ops.mean(pred_real) + self.gp_weight * gradient_penalty + self.drift_weight * drift
        return d_loss, gradient_penalty

    def _logs(self, d_loss, g_loss, gradient_penalty):
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.gp_tracker.update_state(gradient_penalty)
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, *args, **kwargs):
        if keras.backend.backend() == "jax":
            return self._jax_train_step(*args, **kwargs)
        if keras.backend.backend() == "torch":
            return self._torch_train_step(*args, **kwargs)
        return self._tensorflow_train_step(*args, **kwargs)

    def _tensorflow_train_step(self, real_images):
        z, epsilon, z2 = self._noise(ops.shape(real_images)[0])
        with tf.GradientTape() as d_tape:
            fake_images = self.generator(z, training=True)
            pred_real = self.critic(real_images, training=True)
            pred_fake = self.critic(fake_images, training=True)
            interpolated = epsilon * real_images + (1.0 - epsilon) * fake_images
            with tf.GradientTape() as gp_tape:
                gp_tape.watch(interpolated)
                pred_interpolated = self.critic(interpolated, training=True)
            grads = gp_tape.gradient(pred_interpolated, interpolated)
            d_loss, gradient_penalty = self._d_loss(pred_real, pred_fake, grads)
        d_grads = d_tape.gradient(d_loss, self.critic.trainable_weights)
        self.d_optimizer.apply_gradients(zip(d_grads, self.critic.trainable_weights))
        with tf.GradientTape() as g_tape:
            g_loss = -ops.mean(self.critic(self.generator(z2, training=True), training=True))
        g_grads = g_tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(g_grads, self.generator.trainable_weights))
        return self._logs(d_loss, g_loss, gradient_penalty)

    def _torch_train_step(self, real_images):
        import torch

        z, epsilon, z2 = self._noise(ops.shape(real_images)[0])
        d_weights = self.critic.trainable_weights
        g_weights = self.generator.trainable_weights
        self.zero_grad()
        fake_images = self.generator(z, training=True)
        pred_real = self.critic(real_images, training=True)
        pred_fake = self.critic(fake_images, training=True)
        interpolated = (epsilon * real_images + (1.0 - epsilon) * fake_images).detach().requires_grad_(True)
        pred_interpolated = self.critic(interpolated, training=True)
        (grads,) = torch.autograd.grad(pred_interpolated, interpolated, grad_outputs=torch.ones_like(pred_interpolated), create_graph=True)
        d_loss, gradient_penalty = self._d_loss(pred_real, pred_fake, grads)
        d_grads = torch.autograd.grad(d_loss, [v.value for v in d_weights])
        with torch.no_grad():
            self.d_optimizer.apply(list(d_grads), d_weights)
        self.zero_grad()
        g_loss = -ops.mean(self.critic(self.generator(z2, training=True), training=True))
        g_grads = torch.autograd.grad(g_loss, [v.value for v in g_weights])
        with torch.no_grad():
            self.g_optimizer.apply(list(g_grads), g_weights)
        return self._logs(d_loss.detach(), g_loss.detach(), gradient_penalty.detach())

    def _jax_train_step(self, state, real_images):
        import jax

        # Un-jitted: the state fit() hands the step goes back into the variables, the step updates
        # them in place, and the state is read back at the end.
        fit_variables = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)
        for variables, values in zip(fit_variables, state):
            for v, value in zip(variables, values):
                v.assign(value)
        real_images = jax.numpy.asarray(real_images)
        z, epsilon, z2 = self._noise(real_images.shape[0])
        g, d = self.generator, self.critic
        g_nt = [v.value for v in g.non_trainable_variables]
        d_nt = [v.value for v in d.non_trainable_variables]
        g_values = [v.value for v in g.trainable_variables]

        def d_loss_fn(d_trainable):
            def critic(images):
                return d.stateless_call(d_trainable, d_nt, images, training=True)[0]

            fake_images = g.stateless_call(g_values, g_nt, z, training=True)[0]
            interpolated = epsilon * real_images + (1.0 - epsilon) * fake_images
            grads = jax.grad(lambda x: ops.sum(critic(x)))(interpolated)
            d_loss, gradient_penalty = self._d_loss(critic(real_images), critic(fake_images), grads)
            return d_loss, gradient_penalty

        (d_loss, gradient_penalty), d_grads = jax.value_and_grad(d_loss_fn, has_aux=True)([v.value for v in d.trainable_variables])
        self.d_optimizer.apply(d_grads, d.trainable_variables)
        d_values = [v.value for v in d.trainable_variables]

        def g_loss_fn(g_trainable):
            fake_images = g.stateless_call(g_trainable, g_nt, z2, training=True)[0]
            return -ops.mean(d.stateless_call(d_values, d_nt, fake_images, training=True)[0])

        g_loss, g_grads = jax.value_and_grad(g_loss_fn)(g_values)
        self.g_optimizer.apply(g_grads, g.trainable_variables)
        logs = self._logs(d_loss, g_loss, gradient_penalty)
        return logs, tuple([v.value for v in variables] for variables in fit_variables)


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
