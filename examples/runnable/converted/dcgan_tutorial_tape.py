"""Hand conversion: the DCGAN tutorial's step computed per backend. JAX differentiates one loss
function per model (its trainable values mapped under keras.StatelessScope, the other model's held
constant) and writes back both models' BatchNormalization statistics and Dropout seed state;
PyTorch takes torch.autograd.grad of each eager loss; TensorFlow keeps the two tapes under
tf.function. Batches and noise come from NumPy."""
import numpy as np
import keras
from keras import layers

BUFFER_SIZE = 64
BATCH_SIZE = 16
EPOCHS = 2
noise_dim = 8
num_examples_to_generate = 4

rng = np.random.RandomState(0)
train_images = rng.rand(64, 14, 14, 1).astype("float32")
train_images = (train_images - 0.5) / 0.5  # Normalize the images to [-1, 1]
train_dataset = [train_images[i : i + BATCH_SIZE] for i in range(0, len(train_images), BATCH_SIZE)]


def make_generator_model():
    model = keras.Sequential()
    model.add(keras.Input(shape=(noise_dim,)))
    model.add(layers.Dense(7 * 7 * 16, use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())

    model.add(layers.Reshape((7, 7, 16)))
    assert model.output_shape == (None, 7, 7, 16)  # Note: None is the batch size

    model.add(layers.Conv2DTranspose(8, (5, 5), strides=(1, 1), padding="same", use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())

    model.add(layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding="same", use_bias=False, activation="tanh"))
    assert model.output_shape == (None, 14, 14, 1)
    return model


def make_discriminator_model():
    model = keras.Sequential()
    model.add(keras.Input(shape=(14, 14, 1)))
    model.add(layers.Conv2D(8, (5, 5), strides=(2, 2), padding="same"))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))

    model.add(layers.Conv2D(16, (5, 5), strides=(2, 2), padding="same"))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))

    model.add(layers.Flatten())
    model.add(layers.Dense(1))
    return model


generator = make_generator_model()
discriminator = make_discriminator_model()

# This method returns a helper function to compute cross entropy loss
cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)


def discriminator_loss(real_output, fake_output):
    real_loss = cross_entropy(keras.ops.ones_like(real_output), real_output)
    fake_loss = cross_entropy(keras.ops.zeros_like(fake_output), fake_output)
    total_loss = real_loss + fake_loss
    return total_loss


def generator_loss(fake_output):
    return cross_entropy(keras.ops.ones_like(fake_output), fake_output)


generator_optimizer = keras.optimizers.Adam(1e-3)
discriminator_optimizer = keras.optimizers.Adam(1e-3)

seed = rng.normal(size=(num_examples_to_generate, noise_dim)).astype("float32")


def gan_losses(images, noise):
    generated_images = generator(noise, training=True)
    real_output = discriminator(images, training=True)
    fake_output = discriminator(generated_images, training=True)
    return generator_loss(fake_output), discriminator_loss(real_output, fake_output)


# TensorFlow keeps the tutorial's compiled step with its two tapes.
if keras.backend.backend() in ("jax", "torch"):
    tf_step = None
else:
    import tensorflow as tf

    @tf.function
    def tf_step(images, noise):
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            gen_loss, disc_loss = gan_losses(images, noise)
        gradients_of_generator = gen_tape.gradient(gen_loss, generator.trainable_variables)
        gradients_of_discriminator = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
        generator_optimizer.apply_gradients(zip(gradients_of_generator, generator.trainable_variables))
        discriminator_optimizer.apply_gradients(zip(gradients_of_discriminator, discriminator.trainable_variables))
        return gen_loss, disc_loss


def train_step(images):
    noise = rng.normal(size=(BATCH_SIZE, noise_dim)).astype("float32")
    if tf_step is not None:
        return tf_step(images, noise)
    state = generator.non_trainable_variables + discriminator.non_trainable_variables
    if keras.backend.backend() == "jax":
        import jax

        def loss_of(values, variables, which):
            with keras.StatelessScope(state_mapping=list(zip(variables, values))) as scope:
                losses = gan_losses(images, noise)
            return losses[which], (losses, [scope.get_current_value(v) for v in state])

        gradients_of_generator, ((gen_loss, disc_loss), updates) = jax.grad(loss_of, has_aux=True)(
            [v.value for v in generator.trainable_variables], generator.trainable_variables, 0)
        gradients_of_discriminator, _ = jax.grad(loss_of, has_aux=True)(
            [v.value for v in discriminator.trainable_variables], discriminator.trainable_variables, 1)
        for v, value in zip(state, updates):
            if value is not None:
                v.assign(value)
    else:
        import torch

        gen_loss, disc_loss = gan_losses(images, noise)
        gradients_of_generator = torch.autograd.grad(gen_loss, [v.value for v in generator.trainable_variables], retain_graph=True)
        gradients_of_discriminator = torch.autograd.grad(disc_loss, [v.value for v in discriminator.trainable_variables])
        gen_loss, disc_loss = gen_loss.detach(), disc_loss.detach()
    generator_optimizer.apply_gradients(zip(gradients_of_generator, generator.trainable_variables))
    discriminator_optimizer.apply_gradients(zip(gradients_of_discriminator, discriminator.trainable_variables))
    return gen_loss, disc_loss


def generate_images(model, epoch, test_input):
    # Notice `training` is set to False.
    # This is so all layers run in inference mode (batchnorm).
    predictions = model(test_input, training=False)
    print("epoch %d: generated %s" % (epoch, tuple(predictions.shape)))


def train(dataset, epochs):
    for epoch in range(epochs):
        for image_batch in dataset:
            gen_loss, disc_loss = train_step(image_batch)
        print("epoch %d gen_loss %.4f disc_loss %.4f" % (epoch + 1, float(gen_loss), float(disc_loss)))
        generate_images(generator, epoch + 1, seed)


moving_mean = generator.layers[1].moving_mean
before = np.array(moving_mean)
weights_before = [np.array(w) for w in (generator.trainable_variables[0], discriminator.trainable_variables[0])]
train(train_dataset, EPOCHS)
# Both models trained, and the generator's BatchNormalization statistics were updated.
assert not np.allclose(weights_before[0], np.array(generator.trainable_variables[0])), "generator not trained"
assert not np.allclose(weights_before[1], np.array(discriminator.trainable_variables[0])), "discriminator not trained"
assert not np.allclose(before, np.array(moving_mean)), "moving mean not updated"
