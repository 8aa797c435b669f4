"""Hand conversion: the pix2pix tutorial's step computed per backend. JAX differentiates one loss
function per model (its trainable values mapped under keras.StatelessScope, the other model's held
constant) and writes back both models' BatchNormalization statistics and the generator's Dropout
seed state; PyTorch takes torch.autograd.grad of each eager loss; TensorFlow keeps the two tapes
under tf.function. Batches come from NumPy."""
import numpy as np
import keras

OUTPUT_CHANNELS = 3
LAMBDA = 100
IMG = 16

rng = np.random.RandomState(0)
inputs_np = rng.rand(32, IMG, IMG, 3).astype("float32") * 2 - 1
targets_np = np.clip(inputs_np[..., ::-1] * 0.8, -1, 1).astype("float32")
train_dataset = [(inputs_np[i : i + 4], targets_np[i : i + 4]) for i in range(0, 32, 4)]
test_dataset = [(inputs_np[:4], targets_np[:4])]


def downsample(filters, size, apply_batchnorm=True):
    initializer = keras.initializers.RandomNormal(0.0, 0.02)

    result = keras.Sequential()
    result.add(keras.layers.Conv2D(filters, size, strides=2, padding="same", kernel_initializer=initializer, use_bias=False))

    if apply_batchnorm:
        result.add(keras.layers.BatchNormalization())

    result.add(keras.layers.LeakyReLU())

    return result


def upsample(filters, size, apply_dropout=False):
    initializer = keras.initializers.RandomNormal(0.0, 0.02)

    result = keras.Sequential()
    result.add(keras.layers.Conv2DTranspose(filters, size, strides=2, padding="same", kernel_initializer=initializer, use_bias=False))

    result.add(keras.layers.BatchNormalization())

    if apply_dropout:
        result.add(keras.layers.Dropout(0.5))

    result.add(keras.layers.ReLU())

    return result


def Generator():
    inputs = keras.layers.Input(shape=[IMG, IMG, 3])

    down_stack = [
        downsample(8, 4, apply_batchnorm=False),  # (batch_size, 8, 8, 8)
        downsample(16, 4),  # (batch_size, 4, 4, 16)
        downsample(16, 4),  # (batch_size, 2, 2, 16)
    ]

    up_stack = [
        upsample(16, 4, apply_dropout=True),  # (batch_size, 4, 4, 32)
        upsample(8, 4),  # (batch_size, 8, 8, 16)
    ]

    initializer = keras.initializers.RandomNormal(0.0, 0.02)
    last = keras.layers.Conv2DTranspose(OUTPUT_CHANNELS, 4, strides=2, padding="same", kernel_initializer=initializer, activation="tanh")  # (batch_size, 16, 16, 3)

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
        x = keras.layers.Concatenate()([x, skip])

    x = last(x)

    return keras.Model(inputs=inputs, outputs=x)


def Discriminator():
    initializer = keras.initializers.RandomNormal(0.0, 0.02)

    inp = keras.layers.Input(shape=[IMG, IMG, 3], name="input_image")
    tar = keras.layers.Input(shape=[IMG, IMG, 3], name="target_image")

    x = keras.layers.concatenate([inp, tar])  # (batch_size, 16, 16, channels*2)

    down1 = downsample(8, 4, False)(x)  # (batch_size, 8, 8, 8)
    down2 = downsample(16, 4)(down1)  # (batch_size, 4, 4, 16)

    zero_pad1 = keras.layers.ZeroPadding2D()(down2)  # (batch_size, 6, 6, 16)
    conv = keras.layers.Conv2D(16, 3, strides=1, kernel_initializer=initializer, use_bias=False)(zero_pad1)  # (batch_size, 4, 4, 16)

    batchnorm1 = keras.layers.BatchNormalization()(conv)

    leaky_relu = keras.layers.LeakyReLU()(batchnorm1)

    last = keras.layers.Conv2D(1, 3, strides=1, padding="same", kernel_initializer=initializer)(leaky_relu)  # (batch_size, 4, 4, 1)

    return keras.Model(inputs=[inp, tar], outputs=last)


generator = Generator()
discriminator = Discriminator()

loss_object = keras.losses.BinaryCrossentropy(from_logits=True)


def generator_loss(disc_generated_output, gen_output, target):
    gan_loss = loss_object(keras.ops.ones_like(disc_generated_output), disc_generated_output)

    # Mean absolute error
    l1_loss = keras.ops.mean(keras.ops.abs(target - gen_output))

    total_gen_loss = gan_loss + (LAMBDA * l1_loss)

    return total_gen_loss, gan_loss, l1_loss


def discriminator_loss(disc_real_output, disc_generated_output):
    real_loss = loss_object(keras.ops.ones_like(disc_real_output), disc_real_output)

    generated_loss = loss_object(keras.ops.zeros_like(disc_generated_output), disc_generated_output)

    total_disc_loss = real_loss + generated_loss

    return total_disc_loss


generator_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
discriminator_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)

history = []


def gan_losses(input_image, target):
    gen_output = generator(input_image, training=True)

    disc_real_output = discriminator([input_image, target], training=True)
    disc_generated_output = discriminator([input_image, gen_output], training=True)

    gen_total_loss, gen_gan_loss, gen_l1_loss = generator_loss(disc_generated_output, gen_output, target)
    disc_loss = discriminator_loss(disc_real_output, disc_generated_output)
    return gen_total_loss, disc_loss, gen_l1_loss


# TensorFlow keeps the tutorial's compiled step with its two tapes.
if keras.backend.backend() in ("jax", "torch"):
    tf_step = None
else:
    import tensorflow as tf

    @tf.function
    def tf_step(input_image, target):
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            gen_total_loss, disc_loss, gen_l1_loss = gan_losses(input_image, target)
        generator_gradients = gen_tape.gradient(gen_total_loss, generator.trainable_variables)
        discriminator_gradients = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
        generator_optimizer.apply_gradients(zip(generator_gradients, generator.trainable_variables))
        discriminator_optimizer.apply_gradients(zip(discriminator_gradients, discriminator.trainable_variables))
        return gen_total_loss, gen_l1_loss, disc_loss


def train_step(input_image, target, step):
    if tf_step is not None:
        return tf_step(input_image, target)
    # discriminator([input_image, gen_output]) takes tensors, not a NumPy array mixed with a tensor.
    input_image, target = keras.ops.convert_to_tensor(input_image), keras.ops.convert_to_tensor(target)
    state = generator.non_trainable_variables + discriminator.non_trainable_variables
    if keras.backend.backend() == "jax":
        import jax

        def loss_of(values, variables, which):
            with keras.StatelessScope(state_mapping=list(zip(variables, values))) as scope:
                losses = gan_losses(input_image, target)
            return losses[which], (losses, [scope.get_current_value(v) for v in state])

        generator_gradients, ((gen_total_loss, disc_loss, gen_l1_loss), updates) = jax.grad(loss_of, has_aux=True)(
            [v.value for v in generator.trainable_variables], generator.trainable_variables, 0)
        discriminator_gradients, _ = jax.grad(loss_of, has_aux=True)(
            [v.value for v in discriminator.trainable_variables], discriminator.trainable_variables, 1)
        for v, value in zip(state, updates):
            if value is not None:
                v.assign(value)
    else:
        import torch

        gen_total_loss, disc_loss, gen_l1_loss = gan_losses(input_image, target)
        generator_gradients = torch.autograd.grad(gen_total_loss, [v.value for v in generator.trainable_variables], retain_graph=True)
        discriminator_gradients = torch.autograd.grad(disc_loss, [v.value for v in discriminator.trainable_variables])
        gen_total_loss, disc_loss, gen_l1_loss = (t.detach() for t in (gen_total_loss, disc_loss, gen_l1_loss))
    generator_optimizer.apply_gradients(zip(generator_gradients, generator.trainable_variables))
    discriminator_optimizer.apply_gradients(zip(discriminator_gradients, discriminator.trainable_variables))
    return gen_total_loss, gen_l1_loss, disc_loss


def fit(train_ds, test_ds, steps):
    example_input, example_target = test_ds[0]
    for step in range(steps):
        input_image, target = train_ds[step % len(train_ds)]
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
