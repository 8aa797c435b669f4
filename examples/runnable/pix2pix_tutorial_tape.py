"""The TensorFlow pix2pix tutorial (tensorflow.org/tutorials/generative/pix2pix), miniature: a U-Net
generator built from downsample (Conv2D, BatchNormalization, LeakyReLU) and upsample
(Conv2DTranspose, BatchNormalization, Dropout, ReLU) blocks with skip connections, a PatchGAN
discriminator on concatenated (input, target) images, a generator loss of GAN + LAMBDA * L1
(tf.reduce_mean(tf.abs(...))) returning three values, and a module-level @tf.function
train_step(input_image, target, step) with two tapes in one `with` statement; synthetic 16x16
image pairs in a tf.data pipeline iterated with .enumerate()."""
import numpy as np
import tensorflow as tf

OUTPUT_CHANNELS = 3
LAMBDA = 100
IMG = 16

rng = np.random.RandomState(0)
inputs_np = rng.rand(32, IMG, IMG, 3).astype("float32") * 2 - 1
targets_np = np.clip(inputs_np[..., ::-1] * 0.8, -1, 1).astype("float32")
train_dataset = tf.data.Dataset.from_tensor_slices((inputs_np, targets_np)).shuffle(32).batch(4)
test_dataset = tf.data.Dataset.from_tensor_slices((inputs_np[:4], targets_np[:4])).batch(4)


def downsample(filters, size, apply_batchnorm=True):
    initializer = tf.random_normal_initializer(0.0, 0.02)

    result = tf.keras.Sequential()
    result.add(tf.keras.layers.Conv2D(filters, size, strides=2, padding="same", kernel_initializer=initializer, use_bias=False))

    if apply_batchnorm:
        result.add(tf.keras.layers.BatchNormalization())

    result.add(tf.keras.layers.LeakyReLU())

    return result


def upsample(filters, size, apply_dropout=False):
    initializer = tf.random_normal_initializer(0.0, 0.02)

    result = tf.keras.Sequential()
    result.add(tf.keras.layers.Conv2DTranspose(filters, size, strides=2, padding="same", kernel_initializer=initializer, use_bias=False))

    result.add(tf.keras.layers.BatchNormalization())

    if apply_dropout:
        result.add(tf.keras.layers.Dropout(0.5))

    result.add(tf.keras.layers.ReLU())

    return result


def Generator():
    inputs = tf.keras.layers.Input(shape=[IMG, IMG, 3])

    down_stack = [
        downsample(8, 4, apply_batchnorm=False),  # (batch_size, 8, 8, 8)
        downsample(16, 4),  # (batch_size, 4, 4, 16)
        downsample(16, 4),  # (batch_size, 2, 2, 16)
    ]

    up_stack = [
        upsample(16, 4, apply_dropout=True),  # (batch_size, 4, 4, 32)
        upsample(8, 4),  # (batch_size, 8, 8, 16)
    ]

    initializer = tf.random_normal_initializer(0.0, 0.02)
    last = tf.keras.layers.Conv2DTranspose(OUTPUT_CHANNELS, 4, strides=2, padding="same", kernel_initializer=initializer, activation="tanh")  # (batch_size, 16, 16, 3)

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
        x = tf.keras.layers.Concatenate()([x, skip])

    x = last(x)

    return tf.keras.Model(inputs=inputs, outputs=x)


def Discriminator():
    initializer = tf.random_normal_initializer(0.0, 0.02)

    inp = tf.keras.layers.Input(shape=[IMG, IMG, 3], name="input_image")
    tar = tf.keras.layers.Input(shape=[IMG, IMG, 3], name="target_image")

    x = tf.keras.layers.concatenate([inp, tar])  # (batch_size, 16, 16, channels*2)

    down1 = downsample(8, 4, False)(x)  # (batch_size, 8, 8, 8)
    down2 = downsample(16, 4)(down1)  # (batch_size, 4, 4, 16)

    zero_pad1 = tf.keras.layers.ZeroPadding2D()(down2)  # (batch_size, 6, 6, 16)
    conv = tf.keras.layers.Conv2D(16, 3, strides=1, kernel_initializer=initializer, use_bias=False)(zero_pad1)  # (batch_size, 4, 4, 16)

    batchnorm1 = tf.keras.layers.BatchNormalization()(conv)

    leaky_relu = tf.keras.layers.LeakyReLU()(batchnorm1)

    last = tf.keras.layers.Conv2D(1, 3, strides=1, padding="same", kernel_initializer=initializer)(leaky_relu)  # (batch_size, 4, 4, 1)

    return tf.keras.Model(inputs=[inp, tar], outputs=last)


generator = Generator()
discriminator = Discriminator()

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


generator_optimizer = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)
discriminator_optimizer = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)

history = []


@tf.function
def train_step(input_image, target, step):
    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        gen_output = generator(input_image, training=True)

        disc_real_output = discriminator([input_image, target], training=True)
        disc_generated_output = discriminator([input_image, gen_output], training=True)

        gen_total_loss, gen_gan_loss, gen_l1_loss = generator_loss(disc_generated_output, gen_output, target)
        disc_loss = discriminator_loss(disc_real_output, disc_generated_output)

    generator_gradients = gen_tape.gradient(gen_total_loss, generator.trainable_variables)
    discriminator_gradients = disc_tape.gradient(disc_loss, discriminator.trainable_variables)

    generator_optimizer.apply_gradients(zip(generator_gradients, generator.trainable_variables))
    discriminator_optimizer.apply_gradients(zip(discriminator_gradients, discriminator.trainable_variables))
    return gen_total_loss, gen_l1_loss, disc_loss


def fit(train_ds, test_ds, steps):
    example_input, example_target = next(iter(test_ds.take(1)))
    for step, (input_image, target) in train_ds.repeat().take(steps).enumerate():
        gen_total_loss, gen_l1_loss, disc_loss = train_step(input_image, target, step)
        if (int(step) + 1) % 8 == 0:
            history.append(float(gen_l1_loss))
            prediction = generator(example_input, training=True)
            print("step %d gen_total_loss %.4f gen_l1_loss %.4f disc_loss %.4f prediction %s"
                  % (int(step) + 1, float(gen_total_loss), float(gen_l1_loss), float(disc_loss), tuple(prediction.shape)))


bn = discriminator.layers[-3]
before = np.array(bn.moving_mean)
gen_bn_before = np.array(generator.layers[2].layers[1].moving_mean)
weights_before = [np.array(w) for w in (generator.trainable_variables[0], discriminator.trainable_variables[0])]
fit(train_dataset, test_dataset, steps=16)
assert len(history) == 2
# Both models trained; both models' BatchNormalization statistics were updated.
assert not np.allclose(weights_before[0], np.array(generator.trainable_variables[0])), "generator not trained"
assert not np.allclose(weights_before[1], np.array(discriminator.trainable_variables[0])), "discriminator not trained"
assert not np.allclose(before, np.array(bn.moving_mean)), "discriminator moving mean not updated"
assert not np.allclose(gen_bn_before, np.array(generator.layers[2].layers[1].moving_mean)), "generator moving mean not updated"
