"""The TensorFlow DCGAN tutorial (tensorflow.org/tutorials/generative/dcgan), miniature: Sequential
generator (Dense, BatchNormalization, LeakyReLU, Conv2DTranspose) and discriminator (Conv2D,
Dropout), BinaryCrossentropy(from_logits=True) losses written with tf.ones_like / tf.zeros_like,
and a module-level @tf.function train_step with two tapes in one `with` statement, each gradient
applied by its own Adam optimizer; synthetic 14x14 images in a tf.data pipeline."""
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

BUFFER_SIZE = 64
BATCH_SIZE = 16
EPOCHS = 2
noise_dim = 8
num_examples_to_generate = 4

rng = np.random.RandomState(0)
train_images = rng.rand(64, 14, 14, 1).astype("float32")
train_images = (train_images - 0.5) / 0.5  # Normalize the images to [-1, 1]
train_dataset = tf.data.Dataset.from_tensor_slices(train_images).shuffle(BUFFER_SIZE).batch(BATCH_SIZE)


def make_generator_model():
    model = tf.keras.Sequential()
    model.add(layers.Dense(7 * 7 * 16, use_bias=False, input_shape=(noise_dim,)))
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
    model = tf.keras.Sequential()
    model.add(layers.Conv2D(8, (5, 5), strides=(2, 2), padding="same", input_shape=[14, 14, 1]))
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
cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)


def discriminator_loss(real_output, fake_output):
    real_loss = cross_entropy(tf.ones_like(real_output), real_output)
    fake_loss = cross_entropy(tf.zeros_like(fake_output), fake_output)
    total_loss = real_loss + fake_loss
    return total_loss


def generator_loss(fake_output):
    return cross_entropy(tf.ones_like(fake_output), fake_output)


generator_optimizer = tf.keras.optimizers.Adam(1e-3)
discriminator_optimizer = tf.keras.optimizers.Adam(1e-3)

seed = tf.random.normal([num_examples_to_generate, noise_dim])


# Notice the use of `tf.function`
# This annotation causes the function to be "compiled".
@tf.function
def train_step(images):
    noise = tf.random.normal([BATCH_SIZE, noise_dim])

    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        generated_images = generator(noise, training=True)

        real_output = discriminator(images, training=True)
        fake_output = discriminator(generated_images, training=True)

        gen_loss = generator_loss(fake_output)
        disc_loss = discriminator_loss(real_output, fake_output)

    gradients_of_generator = gen_tape.gradient(gen_loss, generator.trainable_variables)
    gradients_of_discriminator = disc_tape.gradient(disc_loss, discriminator.trainable_variables)

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
