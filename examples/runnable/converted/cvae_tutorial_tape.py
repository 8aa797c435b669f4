"""Hand conversion of the TensorFlow CVAE tutorial to multi-backend Keras 3.

InputLayer(input_shape=) becomes keras.Input(shape=); tf.split / tf.exp / tf.sigmoid / tf.reduce_sum
become keras.ops; tf.random.normal becomes keras.random.normal with a SeedGenerator owned by the model;
tf.nn.sigmoid_cross_entropy_with_logits becomes keras.ops.binary_crossentropy(from_logits=True), which is
elementwise too; the @tf.function on sample() goes. The training step is computed per backend: TensorFlow
keeps the tape under tf.function, JAX takes jax.grad of the loss over the trainable values mapped under
keras.StatelessScope (the seed generator's state written back), PyTorch takes torch.autograd.grad.
"""
import time

import numpy as np
import keras
from keras import ops

rng = np.random.default_rng(0)
train_images = rng.random((256, 28, 28, 1)).astype("float32")
test_images = rng.random((64, 28, 28, 1)).astype("float32")


def preprocess_images(images):
    images = images.reshape((images.shape[0], 28, 28, 1)) / 1.0
    return np.where(images > .5, 1.0, 0.0).astype("float32")


train_images = preprocess_images(train_images)
test_images = preprocess_images(test_images)

train_size = 256
batch_size = 32
test_size = 64


def batches(images, size):
    images = images[rng.permutation(len(images))]
    return [images[i:i + size] for i in range(0, len(images), size)]


class CVAE(keras.Model):
    """Convolutional variational autoencoder."""

    def __init__(self, latent_dim):
        super().__init__()
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(0)
        self.encoder = keras.Sequential(
            [
                keras.Input(shape=(28, 28, 1)),
                keras.layers.Conv2D(filters=8, kernel_size=3, strides=(2, 2), activation="relu"),
                keras.layers.Conv2D(filters=16, kernel_size=3, strides=(2, 2), activation="relu"),
                keras.layers.Flatten(),
                # No activation
                keras.layers.Dense(latent_dim + latent_dim),
            ]
        )
        self.decoder = keras.Sequential(
            [
                keras.Input(shape=(latent_dim,)),
                keras.layers.Dense(units=7 * 7 * 16, activation="relu"),
                keras.layers.Reshape(target_shape=(7, 7, 16)),
                keras.layers.Conv2DTranspose(filters=16, kernel_size=3, strides=2, padding="same",
                                             activation="relu"),
                keras.layers.Conv2DTranspose(filters=8, kernel_size=3, strides=2, padding="same",
                                             activation="relu"),
                # No activation
                keras.layers.Conv2DTranspose(filters=1, kernel_size=3, strides=1, padding="same"),
            ]
        )

    def sample(self, eps=None):
        if eps is None:
            eps = keras.random.normal(shape=(100, self.latent_dim), seed=self.seed_generator)
        return self.decode(eps, apply_sigmoid=True)

    def encode(self, x):
        mean, logvar = ops.split(self.encoder(x), 2, axis=1)
        return mean, logvar

    def reparameterize(self, mean, logvar):
        eps = keras.random.normal(shape=ops.shape(mean), seed=self.seed_generator)
        return eps * ops.exp(logvar * .5) + mean

    def decode(self, z, apply_sigmoid=False):
        logits = self.decoder(z)
        if apply_sigmoid:
            probs = ops.sigmoid(logits)
            return probs
        return logits


optimizer = keras.optimizers.Adam(1e-4)


def log_normal_pdf(sample, mean, logvar, raxis=1):
    log2pi = np.log(2. * np.pi).astype("float32")
    return ops.sum(
        -.5 * ((sample - mean) ** 2. * ops.exp(-logvar) + logvar + log2pi),
        axis=raxis)


def compute_loss(model, x):
    mean, logvar = model.encode(x)
    z = model.reparameterize(mean, logvar)
    x_logit = model.decode(z)
    cross_ent = ops.binary_crossentropy(x, x_logit, from_logits=True)
    logpx_z = -ops.sum(cross_ent, axis=[1, 2, 3])
    logpz = log_normal_pdf(z, 0., 0.)
    logqz_x = log_normal_pdf(z, mean, logvar)
    return -ops.mean(logpx_z + logpz - logqz_x)


if keras.backend.backend() == "tensorflow":
    import tensorflow as tf

    @tf.function
    def tf_train_step(model, x, optimizer):
        with tf.GradientTape() as tape:
            loss = compute_loss(model, x)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))


def train_step(model, x, optimizer):
    """Executes one training step: the loss's gradients update the model's parameters."""
    if keras.backend.backend() == "tensorflow":
        return tf_train_step(model, x, optimizer)
    if keras.backend.backend() == "jax":
        import jax

        state = model.non_trainable_variables + [model.seed_generator.state]

        def loss_of(values):
            with keras.StatelessScope(state_mapping=list(zip(model.trainable_variables, values))) as scope:
                loss = compute_loss(model, x)
            return loss, [scope.get_current_value(v) for v in state]

        gradients, updates = jax.grad(loss_of, has_aux=True)([v.value for v in model.trainable_variables])
        for v, value in zip(state, updates):
            if value is not None:
                v.assign(value)
    else:
        import torch

        loss = compute_loss(model, x)
        gradients = torch.autograd.grad(loss, [v.value for v in model.trainable_variables])
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))


epochs = 3
# set the dimensionality of the latent space to a plane for visualization later
latent_dim = 2
num_examples_to_generate = 16

# keeping the random vector constant for generation (prediction) so
# it will be easier to see the improvement.
random_vector_for_generation = keras.random.normal(shape=[num_examples_to_generate, latent_dim])
model = CVAE(latent_dim)


def generate_and_save_images(model, epoch, test_sample):
    mean, logvar = model.encode(test_sample)
    z = model.reparameterize(mean, logvar)
    predictions = model.sample(z)
    print("epoch {} generated {}".format(epoch, tuple(predictions.shape)))


# Pick a sample of the test set for generating output images
assert batch_size >= num_examples_to_generate
test_sample = batches(test_images, batch_size)[0][0:num_examples_to_generate, :, :, :]

generate_and_save_images(model, 0, test_sample)

for epoch in range(1, epochs + 1):
    start_time = time.time()
    for train_x in batches(train_images, batch_size):
        train_step(model, train_x, optimizer)
    end_time = time.time()

    loss = keras.metrics.Mean()
    for test_x in batches(test_images, batch_size):
        loss.update_state(compute_loss(model, test_x))
    elbo = -loss.result()
    print("Epoch: {}, Test set ELBO: {}, time elapse for current epoch: {}".format(epoch, float(elbo), end_time - start_time))
    generate_and_save_images(model, epoch, test_sample)

samples = model.sample()
print(tuple(samples.shape))
assert np.isfinite(float(elbo))
