"""A DCGAN on 8x8 random "images" whose train_step hands the work to two helper methods, as many
tf.keras-era GAN tutorials wrote it: `self._d_step(real_images, fake_images)` and
`self._g_step(noise)` each run a forward pass and a loss under their own tf.GradientTape and apply
the gradient with their own optimizer (made in compile()), returning the loss to the step, which
updates Mean trackers. The discriminator step labels the concatenated fakes and reals with
tf.concat / tf.ones / tf.zeros and adds label noise with tf.random.uniform; the generator step
samples its own noise batch; the discriminator has Dropout (a seeded layer run inside the tape).

Hand conversion to multi-backend Keras 3: keras.ops / keras.random (a SeedGenerator of the
model's) in place of tf ops, LeakyReLU(negative_slope=). The step trains two networks with two
optimizers, so it dispatches on keras.backend.backend() (the guide's _tensorflow_/_torch_/_jax_train_step),
each backend with its own discriminator and generator steps (d_step, _torch_d_step, _jax_d_step; g_step
alike) run by one shared step body: GradientTape on TensorFlow; on PyTorch the loss under torch.enable_grad() (the step runs
under torch.no_grad()), torch.autograd.grad and optimizer.apply_gradients; on JAX (un-jitted:
compile(jit_compile=False), the state fit() hands the step assigned into the variables and read
back) jax.value_and_grad over the sub-model's stateless_call, its non-trainable state (Dropout's
seed) assigned back. The model has no call(): it marks itself built (fit() on JAX and PyTorch
would otherwise try to build it by calling it on a batch)."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

LATENT_DIM = 8
BATCH_SIZE = 16

rng = np.random.default_rng(0)
x_train = np.tanh(rng.normal(size=(64, 8, 8, 1))).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices(x_train).shuffle(64).batch(BATCH_SIZE, drop_remainder=True)

discriminator = keras.Sequential(
    [
        keras.Input(shape=(8, 8, 1)),
        layers.Conv2D(16, 3, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
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
        layers.LeakyReLU(negative_slope=0.2),
        layers.Reshape((4, 4, 16)),
        layers.Conv2DTranspose(16, 4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
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
        self.seed_generator = keras.random.SeedGenerator(1337)
        # No call(): its parts are built (fit() on JAX and PyTorch would call it on a batch).
        self.built = True

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        # JAX: the step updates the two optimizers in place, outside the state a jitted step threads.
        super().compile(jit_compile=False if keras.backend.backend() == "jax" else "auto")
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    def _d_batch(self, real_images, fake_images):
        batch_size = ops.shape(real_images)[0]
        combined_images = ops.concatenate([fake_images, real_images], axis=0)
        labels = ops.concatenate([ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))], axis=0)
        # Label noise, a known trick.
        labels += 0.05 * keras.random.uniform(ops.shape(labels), seed=self.seed_generator)
        return combined_images, labels

    # TensorFlow: the steps as written.
    def d_step(self, real_images, fake_images):
        combined_images, labels = self._d_batch(real_images, fake_images)
        with tf.GradientTape() as tape:
            predictions = self.discriminator(combined_images, training=True)
            d_loss = self.loss_fn(labels, predictions)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        return d_loss

    def g_step(self, noise):
        misleading_labels = ops.zeros((ops.shape(noise)[0], 1))
        with tf.GradientTape() as tape:
            predictions = self.discriminator(self.generator(noise, training=True), training=True)
            g_loss = self.loss_fn(misleading_labels, predictions)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        return g_loss

    # PyTorch: the step runs under no_grad; each loss is recorded under enable_grad.
    def _torch_d_step(self, real_images, fake_images):
        import torch

        combined_images, labels = self._d_batch(real_images, fake_images)
        variables = self.discriminator.trainable_weights
        with torch.enable_grad():
            predictions = self.discriminator(combined_images, training=True)
            d_loss = self.loss_fn(labels, predictions)
        grads = torch.autograd.grad(d_loss, [v.value for v in variables])
        self.d_optimizer.apply_gradients(zip(grads, variables))
        return d_loss

    def _torch_g_step(self, noise):
        import torch

        misleading_labels = ops.zeros((ops.shape(noise)[0], 1))
        variables = self.generator.trainable_weights
        with torch.enable_grad():
            predictions = self.discriminator(self.generator(noise, training=True), training=True)
            g_loss = self.loss_fn(misleading_labels, predictions)
        grads = torch.autograd.grad(g_loss, [v.value for v in variables])
        self.g_optimizer.apply_gradients(zip(grads, variables))
        return g_loss

    # JAX: each loss a function of the trained sub-model's variable values (stateless_call).
    def _jax_d_step(self, real_images, fake_images):
        import jax

        combined_images, labels = self._d_batch(real_images, fake_images)
        d = self.discriminator

        def loss_fn(trainable, non_trainable):
            predictions, non_trainable = d.stateless_call(trainable, non_trainable, combined_images, training=True)
            return self.loss_fn(labels, predictions), non_trainable

        (d_loss, non_trainable), grads = jax.value_and_grad(loss_fn, has_aux=True)(
            [v.value for v in d.trainable_variables], [v.value for v in d.non_trainable_variables]
        )
        for v, value in zip(d.non_trainable_variables, non_trainable):
            v.assign(value)
        self.d_optimizer.apply(grads, d.trainable_variables)
        return d_loss

    def _jax_g_step(self, noise):
        import jax

        misleading_labels = ops.zeros((ops.shape(noise)[0], 1))
        g, d = self.generator, self.discriminator
        d_trainable = [v.value for v in d.trainable_variables]

        def loss_fn(trainable, non_trainable, d_non_trainable):
            fakes, non_trainable = g.stateless_call(trainable, non_trainable, noise, training=True)
            predictions, d_non_trainable = d.stateless_call(d_trainable, d_non_trainable, fakes, training=True)
            return self.loss_fn(misleading_labels, predictions), (non_trainable, d_non_trainable)

        (g_loss, (non_trainable, d_non_trainable)), grads = jax.value_and_grad(loss_fn, has_aux=True)(
            [v.value for v in g.trainable_variables],
            [v.value for v in g.non_trainable_variables],
            [v.value for v in d.non_trainable_variables],
        )
        for variables, values in ((g.non_trainable_variables, non_trainable), (d.non_trainable_variables, d_non_trainable)):
            for v, value in zip(variables, values):
                v.assign(value)
        self.g_optimizer.apply(grads, g.trainable_variables)
        return g_loss

    def _step(self, real_images, d_step, g_step):
        batch_size = ops.shape(real_images)[0]
        noise = keras.random.normal(shape=(batch_size, self.latent_dim), seed=self.seed_generator)
        fake_images = self.generator(noise)
        d_loss = d_step(real_images, fake_images)
        g_loss = g_step(keras.random.normal(shape=(batch_size, self.latent_dim), seed=self.seed_generator))
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}

    def train_step(self, *args):
        if keras.backend.backend() == "jax":
            return self._jax_train_step(*args)
        if keras.backend.backend() == "torch":
            return self._torch_train_step(*args)
        return self._tensorflow_train_step(*args)

    def _tensorflow_train_step(self, real_images):
        return self._step(real_images, self.d_step, self.g_step)

    def _torch_train_step(self, real_images):
        import torch

        with torch.no_grad():
            return self._step(real_images, self._torch_d_step, self._torch_g_step)

    def _jax_train_step(self, state, real_images):
        import jax

        # Un-jitted: the state fit() threads through the step goes into the variables, is updated
        # in place, and is read back.
        variable_sets = (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)
        for variables, values in zip(variable_sets, state):
            for v, value in zip(variables, values):
                v.assign(value)
        logs = self._step(jax.numpy.asarray(real_images), self._jax_d_step, self._jax_g_step)
        return logs, tuple([v.value for v in variables] for variables in variable_sets)


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
