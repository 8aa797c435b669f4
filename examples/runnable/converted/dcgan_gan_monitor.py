"""DCGAN on small images with two optimizers and a GANMonitor callback (after the keras.io "DCGAN
to generate face images" example).

Hand conversion to multi-backend Keras 3. The step trains two networks with two optimizers, which
a compute_loss() override cannot express, so train_step dispatches on keras.backend.backend() to one
step per backend, as the guides "Customizing what happens in fit()" with TensorFlow / JAX / PyTorch
show: tf.GradientTape on TensorFlow; zero_grad / backward / optimizer.apply under torch.no_grad on
PyTorch; jax.value_and_grad over stateless_call on JAX. On JAX the step runs un-jitted
(compile(jit_compile=False)) and updates the variables in place, because the two optimizers' states
are not part of the state that fit() threads through a jitted step; it returns the state read back
from the variables. The model has no call(), so it marks itself built. Random numbers come from keras.random with a SeedGenerator; keras.ops elsewhere;
labels with noise are clipped to [0, 1] (PyTorch's binary
cross-entropy rejects targets above 1); the callback converts with keras.ops.convert_to_numpy; the generator is saved as .keras."""
import os
import tempfile

import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

tmp_dir = tempfile.mkdtemp()
latent_dim = 32

# Small synthetic "faces": values in [0, 1], like image_dataset_from_directory(...).map(lambda x: x / 255.0)
images = np.random.randint(0, 256, size=(64, 16, 16, 3)).astype("uint8")
dataset = tf.data.Dataset.from_tensor_slices(images).batch(16)
dataset = dataset.map(lambda x: tf.cast(x, tf.float32) / 255.0)

discriminator = keras.Sequential(
    [
        keras.Input(shape=(16, 16, 3)),
        layers.Conv2D(16, kernel_size=4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(32, kernel_size=4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Flatten(),
        layers.Dropout(0.2),
        layers.Dense(1, activation="sigmoid"),
    ],
    name="discriminator",
)

generator = keras.Sequential(
    [
        keras.Input(shape=(latent_dim,)),
        layers.Dense(4 * 4 * 32),
        layers.Reshape((4, 4, 32)),
        layers.Conv2DTranspose(32, kernel_size=4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(16, kernel_size=4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(3, kernel_size=5, padding="same", activation="sigmoid"),
    ],
    name="generator",
)


class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(1337)
        # No call(): the two networks are built already (keras.Input), so is this model.
        self.built = True

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile(jit_compile=False if keras.backend.backend() == "jax" else "auto")
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn
        self.d_loss_metric = keras.metrics.Mean(name="d_loss")
        self.g_loss_metric = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_metric, self.g_loss_metric]

    def _batch(self, real_images):
        """Latent vectors, combined images and noisy labels for the discriminator step."""
        batch_size = ops.shape(real_images)[0]
        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator
        )
        generated_images = self.generator(random_latent_vectors)
        combined_images = ops.concatenate([generated_images, real_images], axis=0)
        labels = ops.concatenate([ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))], axis=0)
        # Add random noise to the labels - important trick!
        labels += 0.05 * keras.random.uniform(ops.shape(labels), seed=self.seed_generator)
        # PyTorch's binary cross-entropy rejects targets above 1 (TensorFlow's accepts them).
        labels = ops.clip(labels, 0.0, 1.0)
        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator
        )
        misleading_labels = ops.zeros((batch_size, 1))
        return combined_images, labels, random_latent_vectors, misleading_labels

    def _logs(self, d_loss, g_loss):
        self.d_loss_metric.update_state(d_loss)
        self.g_loss_metric.update_state(g_loss)
        return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}

    def train_step(self, *args, **kwargs):
        if keras.backend.backend() == "jax":
            return self._jax_train_step(*args, **kwargs)
        if keras.backend.backend() == "torch":
            return self._torch_train_step(*args, **kwargs)
        return self._tensorflow_train_step(*args, **kwargs)

    def _tensorflow_train_step(self, real_images):
        combined_images, labels, latents, misleading_labels = self._batch(real_images)
        with tf.GradientTape() as tape:
            d_loss = self.loss_fn(labels, self.discriminator(combined_images))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        with tf.GradientTape() as tape:
            predictions = self.discriminator(self.generator(latents))
            g_loss = self.loss_fn(misleading_labels, predictions)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        return self._logs(d_loss, g_loss)

    def _torch_train_step(self, real_images):
        import torch

        combined_images, labels, latents, misleading_labels = self._batch(real_images)
        combined_images = ops.stop_gradient(combined_images)
        self.zero_grad()
        d_loss = self.loss_fn(labels, self.discriminator(combined_images))
        d_loss.backward()
        grads = [v.value.grad for v in self.discriminator.trainable_weights]
        with torch.no_grad():
            self.d_optimizer.apply(grads, self.discriminator.trainable_weights)
        self.zero_grad()
        predictions = self.discriminator(self.generator(latents))
        g_loss = self.loss_fn(misleading_labels, predictions)
        g_loss.backward()
        grads = [v.value.grad for v in self.generator.trainable_weights]
        with torch.no_grad():
            self.g_optimizer.apply(grads, self.generator.trainable_weights)
        return self._logs(d_loss, g_loss)

    def _jax_train_step(self, state, real_images):
        import jax

        # Un-jitted: put the state fit() threads through the step back into the variables (fit()
        # detaches their values during an epoch), then update them in place below.
        trainable, non_trainable, optimizer_variables, metrics_variables = state
        for variables, values in (
            (self.trainable_variables, trainable),
            (self.non_trainable_variables, non_trainable),
            (self.optimizer.variables, optimizer_variables),
            (self.metrics_variables, metrics_variables),
        ):
            for v, value in zip(variables, values):
                v.assign(value)
        combined_images, labels, latents, misleading_labels = self._batch(real_images)
        d, g = self.discriminator, self.generator

        def d_loss_fn(d_trainable, d_non_trainable):
            predictions, d_non_trainable = d.stateless_call(
                d_trainable, d_non_trainable, combined_images, training=True
            )
            return self.loss_fn(labels, predictions), d_non_trainable

        (d_loss, d_non_trainable), grads = jax.value_and_grad(d_loss_fn, has_aux=True)(
            [v.value for v in d.trainable_variables], [v.value for v in d.non_trainable_variables]
        )
        self.d_optimizer.apply(grads, d.trainable_variables)
        for v, value in zip(d.non_trainable_variables, d_non_trainable):
            v.assign(value)

        def g_loss_fn(g_trainable, g_non_trainable):
            fake, g_non_trainable = g.stateless_call(g_trainable, g_non_trainable, latents, training=True)
            predictions = d(fake, training=True)
            return self.loss_fn(misleading_labels, predictions), g_non_trainable

        (g_loss, g_non_trainable), grads = jax.value_and_grad(g_loss_fn, has_aux=True)(
            [v.value for v in g.trainable_variables], [v.value for v in g.non_trainable_variables]
        )
        self.g_optimizer.apply(grads, g.trainable_variables)
        for v, value in zip(g.non_trainable_variables, g_non_trainable):
            v.assign(value)

        logs = self._logs(d_loss, g_loss)
        state = (
            [v.value for v in self.trainable_variables],
            [v.value for v in self.non_trainable_variables],
            [v.value for v in self.optimizer.variables],
            [v.value for v in self.metrics_variables],
        )
        return logs, state


class GANMonitor(keras.callbacks.Callback):
    def __init__(self, num_img=3, latent_dim=128):
        super().__init__()
        self.num_img = num_img
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(42)

    def on_epoch_end(self, epoch, logs=None):
        random_latent_vectors = keras.random.normal(
            shape=(self.num_img, self.latent_dim), seed=self.seed_generator
        )
        generated_images = self.model.generator(random_latent_vectors)
        generated_images *= 255
        generated_images = ops.convert_to_numpy(generated_images).astype("uint8")
        for i in range(self.num_img):
            np.save(os.path.join(tmp_dir, "generated_img_%03d_%d.npy" % (epoch, i)), generated_images[i])


gan = GAN(discriminator=discriminator, generator=generator, latent_dim=latent_dim)
gan.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=0.0001),
    g_optimizer=keras.optimizers.Adam(learning_rate=0.0001),
    loss_fn=keras.losses.BinaryCrossentropy(),
)
before = ops.convert_to_numpy(generator.weights[0]).copy()
history = gan.fit(
    dataset, epochs=1, verbose=0, callbacks=[GANMonitor(num_img=2, latent_dim=latent_dim)]
)
print("d_loss", history.history["d_loss"][-1], "g_loss", history.history["g_loss"][-1])
assert len(os.listdir(tmp_dir)) == 2
assert not np.allclose(before, ops.convert_to_numpy(generator.weights[0])), "generator not trained"

# Keep the generator for later sampling.
generator.save(os.path.join(tmp_dir, "generator.keras"))
restored = keras.models.load_model(os.path.join(tmp_dir, "generator.keras"), compile=False)
samples = restored.predict(keras.random.normal((4, latent_dim)), verbose=0)
print("samples", samples.shape, float(samples.min()) >= 0.0)
