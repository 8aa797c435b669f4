"""Pix2Pix on tiny paired images (after the TensorFlow tutorial "pix2pix: Image-to-image translation
with a conditional GAN", wrapped in a keras.Model with train_step as Keras 2 users did): a U-Net
generator from downsample / upsample Sequential blocks, a PatchGAN discriminator on the
concatenated input and target, a generator loss with a L1 term, and two tapes opened in one
`with` statement."""
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tmp_dir = tempfile.mkdtemp()
IMG_SIZE = 16
OUTPUT_CHANNELS = 3
LAMBDA = 100
BATCH_SIZE = 4

# Paired synthetic images: the "input" is an edge-like map of the "real" image.
real_images = np.random.randint(0, 256, size=(8, 18, 18, 3)).astype("float32")
input_images = np.abs(np.diff(real_images, axis=1, append=0.0)).astype("float32")


def normalize(input_image, real_image):
    input_image = (input_image / 127.5) - 1
    real_image = (real_image / 127.5) - 1
    return input_image, real_image


def random_crop(input_image, real_image):
    stacked_image = tf.stack([input_image, real_image], axis=0)
    cropped_image = tf.image.random_crop(stacked_image, size=[2, IMG_SIZE, IMG_SIZE, 3])
    return cropped_image[0], cropped_image[1]


@tf.function()
def random_jitter(input_image, real_image):
    input_image, real_image = random_crop(input_image, real_image)
    if tf.random.uniform(()) > 0.5:
        # Random mirroring
        input_image = tf.image.flip_left_right(input_image)
        real_image = tf.image.flip_left_right(real_image)
    return input_image, real_image


def load_image_train(input_image, real_image):
    input_image, real_image = random_jitter(input_image, real_image)
    input_image, real_image = normalize(input_image, real_image)
    return input_image, real_image


train_dataset = tf.data.Dataset.from_tensor_slices((input_images, real_images))
train_dataset = train_dataset.map(load_image_train, num_parallel_calls=tf.data.AUTOTUNE)
train_dataset = train_dataset.shuffle(16).batch(BATCH_SIZE)


def downsample(filters, size, apply_batchnorm=True):
    initializer = tf.random_normal_initializer(0.0, 0.02)
    result = tf.keras.Sequential()
    result.add(layers.Conv2D(filters, size, strides=2, padding="same", kernel_initializer=initializer, use_bias=False))
    if apply_batchnorm:
        result.add(layers.BatchNormalization())
    result.add(layers.LeakyReLU())
    return result


def upsample(filters, size, apply_dropout=False):
    initializer = tf.random_normal_initializer(0.0, 0.02)
    result = tf.keras.Sequential()
    result.add(
        layers.Conv2DTranspose(filters, size, strides=2, padding="same", kernel_initializer=initializer, use_bias=False)
    )
    result.add(layers.BatchNormalization())
    if apply_dropout:
        result.add(layers.Dropout(0.5))
    result.add(layers.ReLU())
    return result


def Generator():
    inputs = layers.Input(shape=[IMG_SIZE, IMG_SIZE, 3])
    down_stack = [
        downsample(16, 4, apply_batchnorm=False),  # (batch_size, 8, 8, 16)
        downsample(32, 4),  # (batch_size, 4, 4, 32)
        downsample(32, 4),  # (batch_size, 2, 2, 32)
    ]
    up_stack = [
        upsample(32, 4, apply_dropout=True),  # (batch_size, 4, 4, 64)
        upsample(16, 4),  # (batch_size, 8, 8, 32)
    ]
    initializer = tf.random_normal_initializer(0.0, 0.02)
    last = layers.Conv2DTranspose(
        OUTPUT_CHANNELS, 4, strides=2, padding="same", kernel_initializer=initializer, activation="tanh"
    )
    x = inputs
    # Downsampling through the model
    skips = []
    for down in down_stack:
        x = down(x)
        skips.append(x)
    skips = reversed(skips[:-1])
    # Upsampling and establishing the skip connections
    for up, skip in zip(up_stack, skips):
        x = up(x)
        x = layers.Concatenate()([x, skip])
    x = last(x)
    return keras.Model(inputs=inputs, outputs=x)


def Discriminator():
    initializer = tf.random_normal_initializer(0.0, 0.02)
    inp = layers.Input(shape=[IMG_SIZE, IMG_SIZE, 3], name="input_image")
    tar = layers.Input(shape=[IMG_SIZE, IMG_SIZE, 3], name="target_image")
    x = layers.concatenate([inp, tar])  # (batch_size, 16, 16, channels*2)
    down1 = downsample(16, 4, False)(x)  # (batch_size, 8, 8, 16)
    down2 = downsample(32, 4)(down1)  # (batch_size, 4, 4, 32)
    zero_pad1 = layers.ZeroPadding2D()(down2)  # (batch_size, 6, 6, 32)
    conv = layers.Conv2D(64, 3, strides=1, kernel_initializer=initializer, use_bias=False)(zero_pad1)
    batchnorm1 = layers.BatchNormalization()(conv)
    leaky_relu = layers.LeakyReLU()(batchnorm1)
    zero_pad2 = layers.ZeroPadding2D()(leaky_relu)  # (batch_size, 6, 6, 64)
    last = layers.Conv2D(1, 3, strides=1, kernel_initializer=initializer)(zero_pad2)  # (batch_size, 4, 4, 1)
    return keras.Model(inputs=[inp, tar], outputs=last)


loss_object = tf.keras.losses.BinaryCrossentropy(from_logits=True)


def generator_loss(disc_generated_output, gen_output, target):
    gan_loss = loss_object(tf.ones_like(disc_generated_output), disc_generated_output)
    # Mean absolute error
    l1_loss = tf.reduce_mean(tf.abs(target - gen_output))
    total_gen_loss = gan_loss + (LAMBDA * l1_loss)
    return total_gen_loss, gan_loss, l1_loss


def discriminator_loss(disc_real_output, disc_generated_output):
    real_loss = loss_object(tf.ones_like(disc_real_output), disc_real_output)
    generated_loss = loss_object(tf.zeros_like(disc_generated_output), disc_generated_output)
    total_disc_loss = real_loss + generated_loss
    return total_disc_loss


class Pix2Pix(keras.Model):
    def __init__(self, generator, discriminator):
        super(Pix2Pix, self).__init__()
        self.generator = generator
        self.discriminator = discriminator

    def compile(self, generator_optimizer, discriminator_optimizer):
        super(Pix2Pix, self).compile()
        self.generator_optimizer = generator_optimizer
        self.discriminator_optimizer = discriminator_optimizer
        self.gen_loss_tracker = keras.metrics.Mean(name="gen_total_loss")
        self.l1_loss_tracker = keras.metrics.Mean(name="gen_l1_loss")
        self.disc_loss_tracker = keras.metrics.Mean(name="disc_loss")

    @property
    def metrics(self):
        return [self.gen_loss_tracker, self.l1_loss_tracker, self.disc_loss_tracker]

    def train_step(self, data):
        input_image, target = data
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            gen_output = self.generator(input_image, training=True)

            disc_real_output = self.discriminator([input_image, target], training=True)
            disc_generated_output = self.discriminator([input_image, gen_output], training=True)

            gen_total_loss, gen_gan_loss, gen_l1_loss = generator_loss(disc_generated_output, gen_output, target)
            disc_loss = discriminator_loss(disc_real_output, disc_generated_output)

        generator_gradients = gen_tape.gradient(gen_total_loss, self.generator.trainable_variables)
        discriminator_gradients = disc_tape.gradient(disc_loss, self.discriminator.trainable_variables)

        self.generator_optimizer.apply_gradients(zip(generator_gradients, self.generator.trainable_variables))
        self.discriminator_optimizer.apply_gradients(
            zip(discriminator_gradients, self.discriminator.trainable_variables)
        )
        self.gen_loss_tracker.update_state(gen_total_loss)
        self.l1_loss_tracker.update_state(gen_l1_loss)
        self.disc_loss_tracker.update_state(disc_loss)
        return {m.name: m.result() for m in self.metrics}


generator = Generator()
discriminator = Discriminator()
pix2pix = Pix2Pix(generator, discriminator)
pix2pix.compile(
    generator_optimizer=tf.keras.optimizers.Adam(2e-4, beta_1=0.5),
    discriminator_optimizer=tf.keras.optimizers.Adam(2e-4, beta_1=0.5),
)
before = generator.get_weights()[0].copy()
history = pix2pix.fit(train_dataset, epochs=2, verbose=0)
print({k: round(float(v[-1]), 3) for k, v in history.history.items()})
assert not np.allclose(before, generator.get_weights()[0]), "generator not trained"


def generate_images(model, test_input, tar):
    prediction = model(test_input, training=True)
    display_list = [test_input[0], tar[0], prediction[0]]
    # Getting the pixel values in the [0, 1] range to plot.
    return [(image.numpy() * 0.5 + 0.5) for image in display_list]


for example_input, example_target in train_dataset.take(1):
    shown = generate_images(generator, example_input, example_target)
    print("generated", shown[2].shape, float(shown[2].min()) >= 0.0)

generator.save_weights(os.path.join(tmp_dir, "pix2pix_generator.h5"))
restored = Generator()
restored.load_weights(os.path.join(tmp_dir, "pix2pix_generator.h5"))
print("restored", restored.predict(example_input, verbose=0).shape)
