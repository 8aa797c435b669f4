"""Conditional GAN with integer class labels (after the keras.io "Conditional GAN" example).

Hand conversion to multi-backend Keras 3. The step trains two networks with two optimizers, which a
compute_loss() override cannot express, so train_step dispatches on keras.backend.backend() to one
step per backend, as the guides "Customizing what happens in fit()" with TensorFlow / JAX / PyTorch
show: tf.GradientTape on TensorFlow; zero_grad / backward / optimizer.apply under torch.no_grad on
PyTorch; jax.value_and_grad over stateless_call on JAX, un-jitted (compile(jit_compile=False)) and
updating the variables in place, because the two optimizers' states are not part of the state fit()
threads through a jitted step (the step puts that state back into the variables first and returns
it read back from them). The label handling uses keras.ops (one_hot, expand_dims, tile,
concatenate), random latent vectors come from keras.random with a SeedGenerator, LeakyReLU takes
negative_slope, and the model has no call(), so it marks itself built."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

batch_size = 16
num_channels = 1
num_classes = 4
image_size = 12
latent_dim = 16

# Small synthetic MNIST-like data with integer labels.
x = np.random.rand(32, image_size, image_size, 1).astype("float32")
y = np.random.randint(0, num_classes, size=(32,))
dataset = tf.data.Dataset.from_tensor_slices((x, y))
dataset = dataset.shuffle(buffer_size=32).batch(batch_size, drop_remainder=True)

generator_in_channels = latent_dim + num_classes
discriminator_in_channels = num_channels + num_classes

discriminator = keras.Sequential(
    [
        keras.layers.InputLayer(shape=(image_size, image_size, discriminator_in_channels)),
        layers.Conv2D(16, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(32, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.GlobalMaxPooling2D(),
        layers.Dense(1),
    ],
    name="discriminator",
)

generator = keras.Sequential(
    [
        keras.layers.InputLayer(shape=(generator_in_channels,)),
        layers.Dense(3 * 3 * generator_in_channels),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Reshape((3, 3, generator_in_channels)),
        layers.Conv2DTranspose(32, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(32, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(1, (3, 3), padding="same", activation="sigmoid"),
    ],
    name="generator",
)


class ConditionalGAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(1337)
        self.gen_loss_tracker = keras.metrics.Mean(name="generator_loss")
        self.disc_loss_tracker = keras.metrics.Mean(name="discriminator_loss")
        self.disc_accuracy = keras.metrics.BinaryAccuracy(name="discriminator_accuracy", threshold=0.0)
        # No call(): the two networks are built already (InputLayer), so is this model.
        self.built = True

    @property
    def metrics(self):
        return [self.gen_loss_tracker, self.disc_loss_tracker, self.disc_accuracy]

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile(jit_compile=False if keras.backend.backend() == "jax" else "auto")
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    def _batch(self, data):
        """The discriminator's inputs and labels, and the generator's latent vectors."""
        real_images, labels = data
        one_hot_labels = ops.one_hot(labels, num_classes)
        image_one_hot_labels = ops.expand_dims(ops.expand_dims(one_hot_labels, 1), 1)
        image_one_hot_labels = ops.tile(image_one_hot_labels, [1, image_size, image_size, 1])

        batch_size = ops.shape(real_images)[0]
        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator
        )
        random_vector_labels = ops.concatenate([random_latent_vectors, one_hot_labels], axis=1)
        generated_images = self.generator(random_vector_labels)
        fake_image_and_labels = ops.concatenate([generated_images, image_one_hot_labels], -1)
        real_image_and_labels = ops.concatenate([real_images, image_one_hot_labels], -1)
        combined_images = ops.concatenate([fake_image_and_labels, real_image_and_labels], axis=0)
        d_labels = ops.concatenate([ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))], axis=0)

        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator
        )
        random_vector_labels = ops.concatenate([random_latent_vectors, one_hot_labels], axis=1)
        misleading_labels = ops.zeros((batch_size, 1))
        return (
            ops.stop_gradient(combined_images),
            d_labels,
            random_vector_labels,
            image_one_hot_labels,
            misleading_labels,
        )

    def _generator_predictions(self, random_vector_labels, image_one_hot_labels, generator_call):
        fake_images = generator_call(random_vector_labels)
        fake_image_and_labels = ops.concatenate([fake_images, image_one_hot_labels], -1)
        return self.discriminator(fake_image_and_labels)

    def _logs(self, d_loss, g_loss, d_labels, d_predictions):
        self.disc_accuracy.update_state(d_labels, d_predictions)
        self.gen_loss_tracker.update_state(g_loss)
        self.disc_loss_tracker.update_state(d_loss)
        return {
            "g_loss": self.gen_loss_tracker.result(),
            "d_loss": self.disc_loss_tracker.result(),
            "d_acc": self.disc_accuracy.result(),
        }

    def train_step(self, *args, **kwargs):
        if keras.backend.backend() == "jax":
            return self._jax_train_step(*args, **kwargs)
        if keras.backend.backend() == "torch":
            return self._torch_train_step(*args, **kwargs)
        return self._tensorflow_train_step(*args, **kwargs)

    def _tensorflow_train_step(self, data):
        combined, d_labels, vector_labels, image_labels, misleading = self._batch(data)
        with tf.GradientTape() as tape:
            d_predictions = self.discriminator(combined)
            d_loss = self.loss_fn(d_labels, d_predictions)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        with tf.GradientTape() as tape:
            predictions = self._generator_predictions(vector_labels, image_labels, self.generator)
            g_loss = self.loss_fn(misleading, predictions)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        return self._logs(d_loss, g_loss, d_labels, d_predictions)

    def _torch_train_step(self, data):
        import torch

        combined, d_labels, vector_labels, image_labels, misleading = self._batch(data)
        self.zero_grad()
        d_predictions = self.discriminator(combined)
        d_loss = self.loss_fn(d_labels, d_predictions)
        d_loss.backward()
        grads = [v.value.grad for v in self.discriminator.trainable_weights]
        with torch.no_grad():
            self.d_optimizer.apply(grads, self.discriminator.trainable_weights)
        self.zero_grad()
        predictions = self._generator_predictions(vector_labels, image_labels, self.generator)
        g_loss = self.loss_fn(misleading, predictions)
        g_loss.backward()
        grads = [v.value.grad for v in self.generator.trainable_weights]
        with torch.no_grad():
            self.g_optimizer.apply(grads, self.generator.trainable_weights)
        return self._logs(d_loss, g_loss, d_labels, ops.stop_gradient(d_predictions))

    def _jax_train_step(self, state, data):
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
        combined, d_labels, vector_labels, image_labels, misleading = self._batch(data)
        d, g = self.discriminator, self.generator

        def d_loss_fn(d_trainable, d_non_trainable):
            predictions, d_non_trainable = d.stateless_call(
                d_trainable, d_non_trainable, combined, training=True
            )
            return self.loss_fn(d_labels, predictions), (predictions, d_non_trainable)

        (d_loss, (d_predictions, d_non_trainable)), grads = jax.value_and_grad(
            d_loss_fn, has_aux=True
        )([v.value for v in d.trainable_variables], [v.value for v in d.non_trainable_variables])
        self.d_optimizer.apply(grads, d.trainable_variables)
        for v, value in zip(d.non_trainable_variables, d_non_trainable):
            v.assign(value)

        def g_loss_fn(g_trainable, g_non_trainable):
            def generator_call(inputs):
                outputs, _ = g.stateless_call(g_trainable, g_non_trainable, inputs, training=True)
                return outputs

            predictions = self._generator_predictions(vector_labels, image_labels, generator_call)
            return self.loss_fn(misleading, predictions)

        g_loss, grads = jax.value_and_grad(g_loss_fn)(
            [v.value for v in g.trainable_variables], [v.value for v in g.non_trainable_variables]
        )
        self.g_optimizer.apply(grads, g.trainable_variables)

        logs = self._logs(d_loss, g_loss, d_labels, d_predictions)
        state = (
            [v.value for v in self.trainable_variables],
            [v.value for v in self.non_trainable_variables],
            [v.value for v in self.optimizer.variables],
            [v.value for v in self.metrics_variables],
        )
        return logs, state


cond_gan = ConditionalGAN(discriminator=discriminator, generator=generator, latent_dim=latent_dim)
cond_gan.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
    g_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
    loss_fn=keras.losses.BinaryCrossentropy(from_logits=True),
)
before = ops.convert_to_numpy(generator.weights[0]).copy()
history = cond_gan.fit(dataset, epochs=1, verbose=0)
print({k: round(float(v[-1]), 4) for k, v in history.history.items()})
assert not np.allclose(before, ops.convert_to_numpy(generator.weights[0])), "generator not trained"

# Generate one image per class with the trained generator.
trained_gen = cond_gan.generator
noise = keras.random.normal((num_classes, latent_dim))
class_labels = ops.one_hot(ops.arange(num_classes), num_classes)
fake = trained_gen.predict(ops.concatenate([noise, class_labels], axis=1), verbose=0)
fake = (fake * 255.0).astype(np.uint8)
print("generated", fake.shape, fake.dtype)
