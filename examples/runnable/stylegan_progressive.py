"""keras.io "Face image generation with StyleGAN", tf.keras era, shrunk to random 8x8 "faces" and grown from 4x4
to 8x8 with tiny filter counts: equalized-learning-rate EqualizedConv / EqualizedDense layers (add_weight kernels,
self.scale = tf.sqrt(gain / fan_in) in build, tf.pad(mode="REFLECT") + tf.nn.conv2d, tf.matmul + tf.add); a
MinibatchStd layer (tf.shape, tf.reshape into groups, tf.math.reduce_std, tf.tile, tf.concat); a PixelNorm layer;
AddNoise (a per-channel weight from input_shape[0]) and AdaIN (EqualizedDense sub-layers made in build(), tf.reshape);
a functional mapping network on keras.Input(shape=(Z_DIM)) (an int shape) ending in tf.tile(tf.expand_dims(w, 1)) on
a KerasTensor; plain Python Generator / Discriminator builders whose Sequential to_rgb / from_rgb blocks start with
layers.InputLayer(input_shape=...), whose blocks are functional models per resolution, and whose grow() wires a
fade-in with an alpha Input(shape=(1)) sliced as alpha[0]; a StyleGAN(tf.keras.Model) with tf.Variable alpha and
step counter, its own compile(steps_per_epoch, phase, res, d_optimizer, g_optimizer, ...) that grows the models
(keras.backend.clear_session()), Mean trackers in a metrics property, and a WGAN-GP train_step (tf.random.normal
latents and noise maps, a generator tape, a discriminator tape with an inner tape for the gradient penalty, a drift
term, two Adam optimizers); fit() for one epoch per phase, then images from call() on a dict and style mixing."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.models import Sequential

START_RES = 4
TARGET_RES = 8
Z_DIM = 16
BATCH_SIZE = 4
STEPS_PER_EPOCH = 2


def log2(x):
    return int(np.log2(x))


# Random "faces" in [0, 255]; each resolution gets its own downsized copy in [-1, 1]
rng = np.random.default_rng(2021)
face_pixels = rng.uniform(0, 255, size=(32, TARGET_RES, TARGET_RES, 3)).astype("float32")


def face_dataset(res):
    def to_resolution(image):
        image = tf.image.resize(image, (res, res), method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)
        return tf.cast(image, tf.float32) / 127.5 - 1.0

    ds = tf.data.Dataset.from_tensor_slices(face_pixels).map(to_resolution)
    return ds.shuffle(32).batch(BATCH_SIZE, drop_remainder=True).repeat()


def fade_in(alpha, new, old):
    return alpha * new + (1.0 - alpha) * old


def wasserstein_loss(y_true, y_pred):
    return -tf.reduce_mean(y_true * y_pred)


class PixelNorm(layers.Layer):
    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def call(self, x):
        return x / tf.math.sqrt(tf.reduce_mean(tf.square(x), axis=-1, keepdims=True) + self.epsilon)


class MinibatchStd(layers.Layer):
    """Appends the average standard deviation over groups of samples as one more channel."""

    def __init__(self, group_size=4, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.group_size = group_size
        self.epsilon = epsilon

    def call(self, inputs):
        shape = tf.shape(inputs)
        n, h, w, c = shape[0], shape[1], shape[2], shape[3]
        group = tf.minimum(self.group_size, n)
        grouped = tf.reshape(inputs, [group, -1, h, w, c])
        group_std = tf.math.reduce_std(grouped, axis=0) + self.epsilon
        mean_std = tf.reduce_mean(group_std, axis=[1, 2, 3], keepdims=True)
        std_map = tf.tile(mean_std, [group, h, w, 1])
        return tf.concat([inputs, std_map], axis=-1)


class EqualizedConv(layers.Layer):
    def __init__(self, filters, kernel=3, gain=2, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel = kernel
        self.gain = gain
        self.reflect = kernel != 1

    def build(self, input_shape):
        channels = input_shape[-1]
        self.w = self.add_weight(
            name="kernel",
            shape=[self.kernel, self.kernel, channels, self.filters],
            initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
            trainable=True,
        )
        self.b = self.add_weight(name="bias", shape=(self.filters,), initializer="zeros", trainable=True)
        self.scale = tf.sqrt(self.gain / (self.kernel * self.kernel * channels))

    def call(self, inputs):
        x = inputs
        if self.reflect:
            x = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
        return tf.nn.conv2d(x, self.scale * self.w, strides=1, padding="VALID") + self.b


class EqualizedDense(layers.Layer):
    def __init__(self, units, gain=2, learning_rate_multiplier=1, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.gain = gain
        self.learning_rate_multiplier = learning_rate_multiplier

    def build(self, input_shape):
        fan_in = input_shape[-1]
        self.w = self.add_weight(
            name="kernel",
            shape=[fan_in, self.units],
            initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0 / self.learning_rate_multiplier),
            trainable=True,
        )
        self.b = self.add_weight(name="bias", shape=(self.units,), initializer="zeros", trainable=True)
        self.scale = tf.sqrt(self.gain / fan_in)

    def call(self, inputs):
        out = tf.add(tf.matmul(inputs, self.scale * self.w), self.b)
        return out * self.learning_rate_multiplier


class AddNoise(layers.Layer):
    def build(self, input_shape):
        n, h, w, c = input_shape[0]
        self.noise_weight = self.add_weight(
            name="kernel",
            shape=[1, 1, 1, c],
            initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
            trainable=True,
        )

    def call(self, inputs):
        x, noise = inputs
        return x + self.noise_weight * noise


class AdaIN(layers.Layer):
    def build(self, input_shapes):
        x_shape, w_shape = input_shapes
        self.channels = x_shape[-1]
        self.style_scale = EqualizedDense(self.channels, gain=1)
        self.style_bias = EqualizedDense(self.channels, gain=1)

    def call(self, inputs):
        x, w = inputs
        ys = tf.reshape(self.style_scale(w), (-1, 1, 1, self.channels))
        yb = tf.reshape(self.style_bias(w), (-1, 1, 1, self.channels))
        return ys * x + yb


def Mapping(num_stages, z_dim=Z_DIM, depth=3):
    z = layers.Input(shape=(z_dim))
    w = PixelNorm()(z)
    for _ in range(depth):
        w = EqualizedDense(z_dim, learning_rate_multiplier=0.01)(w)
        w = layers.LeakyReLU(0.2)(w)
    w = tf.tile(tf.expand_dims(w, 1), (1, num_stages, 1))
    return keras.Model(z, w, name="mapping")


# Channels per log2(resolution), tiny
FILTERS = {1: 16, 2: 16, 3: 8}


class Generator:
    def __init__(self, start_res_log2, target_res_log2):
        self.start_res_log2 = start_res_log2
        self.target_res_log2 = target_res_log2
        self.num_stages = target_res_log2 - start_res_log2 + 1
        self.g_blocks = []
        self.to_rgb = []
        self.noise_inputs = []

        start_res = 2**start_res_log2
        self.input_shape = (start_res, start_res, FILTERS[start_res_log2])
        self.g_input = layers.Input(self.input_shape, name="generator_input")

        for res_log2 in range(start_res_log2, target_res_log2 + 1):
            res = 2**res_log2
            filters = FILTERS[res_log2]
            self.noise_inputs.append(layers.Input(shape=(res, res, 1), name=f"noise_{res}x{res}"))
            self.to_rgb.append(
                Sequential(
                    [layers.InputLayer(input_shape=(res, res, filters)), EqualizedConv(3, 1, gain=1)],
                    name=f"to_rgb_{res}x{res}",
                )
            )
            is_base = res_log2 == start_res_log2
            prev = res if is_base else res // 2
            block_input_shape = (prev, prev, FILTERS[res_log2 - 1])
            self.g_blocks.append(self.build_block(filters, res, block_input_shape, is_base))

    def build_block(self, filters, res, input_shape, is_base):
        features = layers.Input(shape=input_shape, name=f"g_{res}")
        noise = layers.Input(shape=(res, res, 1), name=f"noise_{res}")
        w = layers.Input(shape=Z_DIM)
        x = features
        if not is_base:
            x = layers.UpSampling2D((2, 2))(x)
            x = EqualizedConv(filters, 3)(x)
        for second in (False, True):
            if second:
                x = EqualizedConv(filters, 3)(x)
            x = AddNoise()([x, noise])
            x = layers.LeakyReLU(0.2)(x)
            x = layers.GroupNormalization(groups=-1)(x)
            x = AdaIN()([x, w])
        return keras.Model([features, w, noise], x, name=f"genblock_{res}x{res}")

    def grow(self, res_log2):
        res = 2**res_log2
        num_stages = res_log2 - self.start_res_log2 + 1
        w = layers.Input(shape=(self.num_stages, Z_DIM), name="w")
        alpha = layers.Input(shape=(1), name="g_alpha")
        x = self.g_blocks[0]([self.g_input, w[:, 0], self.noise_inputs[0]])
        if num_stages == 1:
            rgb = self.to_rgb[0](x)
        else:
            for i in range(1, num_stages - 1):
                x = self.g_blocks[i]([x, w[:, i], self.noise_inputs[i]])
            old_rgb = layers.UpSampling2D((2, 2))(self.to_rgb[num_stages - 2](x))
            last = num_stages - 1
            x = self.g_blocks[last]([x, w[:, last], self.noise_inputs[last]])
            rgb = fade_in(alpha[0], self.to_rgb[last](x), old_rgb)
        return keras.Model([self.g_input, w, self.noise_inputs, alpha], rgb, name=f"generator_{res}x{res}")


class Discriminator:
    def __init__(self, start_res_log2, target_res_log2):
        self.start_res_log2 = start_res_log2
        self.target_res_log2 = target_res_log2
        self.d_blocks = []
        self.from_rgb = []
        for res_log2 in range(start_res_log2, target_res_log2 + 1):
            res = 2**res_log2
            filters = FILTERS[res_log2]
            self.from_rgb.append(
                Sequential(
                    [
                        layers.InputLayer(input_shape=(res, res, 3), name=f"from_rgb_input_{res}"),
                        EqualizedConv(filters, 1),
                        layers.LeakyReLU(0.2),
                    ],
                    name=f"from_rgb_{res}",
                )
            )
            if not self.d_blocks:
                self.d_blocks.append(self.build_base(filters, res))
            else:
                self.d_blocks.append(self.build_block(filters, FILTERS[res_log2 - 1], res))

    def build_base(self, filters, res):
        features = layers.Input(shape=(res, res, filters), name=f"d_{res}")
        x = MinibatchStd()(features)
        x = EqualizedConv(filters, 3)(x)
        x = layers.LeakyReLU(0.2)(x)
        x = layers.Flatten()(x)
        x = EqualizedDense(filters)(x)
        x = layers.LeakyReLU(0.2)(x)
        x = EqualizedDense(1)(x)
        return keras.Model(features, x, name=f"d_{res}")

    def build_block(self, filters, next_filters, res):
        features = layers.Input(shape=(res, res, filters), name=f"d_{res}")
        x = EqualizedConv(filters, 3)(features)
        x = layers.LeakyReLU(0.2)(x)
        x = EqualizedConv(next_filters)(x)
        x = layers.LeakyReLU(0.2)(x)
        x = layers.AveragePooling2D((2, 2))(x)
        return keras.Model(features, x, name=f"d_{res}")

    def grow(self, res_log2):
        res = 2**res_log2
        idx = res_log2 - self.start_res_log2
        alpha = layers.Input(shape=(1), name="d_alpha")
        image = layers.Input(shape=(res, res, 3), name="input_image")
        x = self.d_blocks[idx](self.from_rgb[idx](image))
        if idx > 0:
            idx -= 1
            downsized = layers.AveragePooling2D((2, 2))(image)
            x = fade_in(alpha[0], x, self.from_rgb[idx](downsized))
            for i in range(idx, -1, -1):
                x = self.d_blocks[i](x)
        return keras.Model([image, alpha], x, name=f"discriminator_{res}x{res}")


class StyleGAN(tf.keras.Model):
    def __init__(self, z_dim=Z_DIM, target_res=TARGET_RES, start_res=START_RES):
        super().__init__()
        self.z_dim = z_dim
        self.start_res_log2 = log2(start_res)
        self.target_res_log2 = log2(target_res)
        self.current_res_log2 = self.target_res_log2
        self.num_stages = self.target_res_log2 - self.start_res_log2 + 1
        self.alpha = tf.Variable(1.0, dtype=tf.float32, trainable=False, name="alpha")
        self.train_step_counter = tf.Variable(0, dtype=tf.int32, trainable=False)
        self.mapping = Mapping(num_stages=self.num_stages)
        self.d_builder = Discriminator(self.start_res_log2, self.target_res_log2)
        self.g_builder = Generator(self.start_res_log2, self.target_res_log2)
        self.g_input_shape = self.g_builder.input_shape
        self.phase = None
        self.loss_weights = {"gradient_penalty": 10, "drift": 0.001}

    def grow_model(self, res):
        keras.backend.clear_session()
        res_log2 = log2(res)
        self.generator = self.g_builder.grow(res_log2)
        self.discriminator = self.d_builder.grow(res_log2)
        self.current_res_log2 = res_log2
        print(f"Model resolution: {res}x{res}")

    def compile(self, steps_per_epoch, phase, res, d_optimizer, g_optimizer, *args, **kwargs):
        self.loss_weights = kwargs.pop("loss_weights", self.loss_weights)
        self.steps_per_epoch = steps_per_epoch
        if res != 2**self.current_res_log2:
            self.grow_model(res)
            self.d_optimizer = d_optimizer
            self.g_optimizer = g_optimizer
        self.train_step_counter.assign(0)
        self.phase = phase
        self.d_loss_metric = keras.metrics.Mean(name="d_loss")
        self.g_loss_metric = keras.metrics.Mean(name="g_loss")
        super().compile(*args, **kwargs)

    @property
    def metrics(self):
        return [self.d_loss_metric, self.g_loss_metric]

    def generate_noise(self, batch_size):
        return [
            tf.random.normal((batch_size, 2**res_log2, 2**res_log2, 1))
            for res_log2 in range(self.start_res_log2, self.target_res_log2 + 1)
        ]

    def gradient_loss(self, grad):
        norm = tf.sqrt(tf.reduce_sum(tf.square(grad), axis=[1, 2, 3]))
        return tf.reduce_mean(tf.square(norm - 1.0))

    def train_step(self, real_images):
        self.train_step_counter.assign_add(1)
        if self.phase == "TRANSITION":
            self.alpha.assign(tf.cast(self.train_step_counter / self.steps_per_epoch, tf.float32))
        elif self.phase == "STABLE":
            self.alpha.assign(1.0)
        else:
            raise NotImplementedError(self.phase)
        alpha = tf.expand_dims(self.alpha, 0)
        batch_size = tf.shape(real_images)[0]
        real_labels = tf.ones(batch_size)
        fake_labels = -tf.ones(batch_size)

        z = tf.random.normal((batch_size, self.z_dim))
        const_input = tf.ones(tuple([batch_size] + list(self.g_input_shape)))
        noise = self.generate_noise(batch_size)

        # Generator step
        with tf.GradientTape() as g_tape:
            w = self.mapping(z)
            fake_images = self.generator([const_input, w, noise, alpha])
            g_loss = wasserstein_loss(real_labels, self.discriminator([fake_images, alpha]))
        g_weights = self.mapping.trainable_weights + self.generator.trainable_weights
        g_grads = g_tape.gradient(g_loss, g_weights)
        self.g_optimizer.apply_gradients(zip(g_grads, g_weights))

        # Discriminator step with a gradient penalty on interpolated images
        with tf.GradientTape() as d_tape:
            pred_fake = self.discriminator([fake_images, alpha])
            pred_real = self.discriminator([real_images, alpha])
            epsilon = tf.random.uniform((batch_size, 1, 1, 1))
            interpolates = epsilon * real_images + (1 - epsilon) * fake_images
            with tf.GradientTape() as gp_tape:
                gp_tape.watch(interpolates)
                pred_interp = self.discriminator([interpolates, alpha])
                loss_interp = wasserstein_loss(fake_labels, pred_interp)
            grads_interp = gp_tape.gradient(loss_interp, interpolates)
            gradient_penalty = self.loss_weights["gradient_penalty"] * self.gradient_loss(grads_interp)
            all_pred = tf.concat([pred_fake, pred_real], axis=0)
            drift_loss = self.loss_weights["drift"] * tf.reduce_mean(all_pred**2)
            d_loss = (
                wasserstein_loss(fake_labels, pred_fake)
                + wasserstein_loss(real_labels, pred_real)
                + gradient_penalty
                + drift_loss
            )
        d_weights = self.discriminator.trainable_weights
        d_grads = d_tape.gradient(d_loss, d_weights)
        self.d_optimizer.apply_gradients(zip(d_grads, d_weights))

        self.d_loss_metric.update_state(d_loss)
        self.g_loss_metric.update_state(g_loss)
        return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}

    def call(self, inputs: dict):
        style_code = inputs.get("style_code", None)
        z = inputs.get("z", None)
        noise = inputs.get("noise", None)
        batch_size = inputs.get("batch_size", 1)
        alpha = tf.expand_dims(inputs.get("alpha", 1.0), 0)
        if style_code is None:
            if z is None:
                z = tf.random.normal((batch_size, self.z_dim))
            style_code = self.mapping(z)
        if noise is None:
            noise = self.generate_noise(batch_size)
        const_input = tf.ones(tuple([batch_size] + list(self.g_input_shape)))
        images = self.generator([const_input, style_code, noise, alpha])
        return np.clip((images * 0.5 + 0.5) * 255, 0, 255).astype(np.uint8)


style_gan = StyleGAN(start_res=START_RES, target_res=TARGET_RES)


def train(start_res=START_RES, target_res=TARGET_RES, steps_per_epoch=STEPS_PER_EPOCH):
    opt_cfg = {"learning_rate": 1e-3, "beta_1": 0.0, "beta_2": 0.99, "epsilon": 1e-8}
    val_batch_size = 4
    val_z = tf.random.normal((val_batch_size, style_gan.z_dim))
    val_noise = style_gan.generate_noise(val_batch_size)
    for res_log2 in range(log2(start_res), log2(target_res) + 1):
        res = 2**res_log2
        for phase in ["TRANSITION", "STABLE"]:
            if res == start_res and phase == "TRANSITION":
                continue
            style_gan.compile(
                d_optimizer=tf.keras.optimizers.Adam(**opt_cfg),
                g_optimizer=tf.keras.optimizers.Adam(**opt_cfg),
                loss_weights={"gradient_penalty": 10, "drift": 0.001},
                steps_per_epoch=steps_per_epoch,
                res=res,
                phase=phase,
                run_eagerly=False,
            )
            print(phase, res)
            history = style_gan.fit(face_dataset(res), epochs=1, steps_per_epoch=steps_per_epoch, verbose=2)
            assert np.isfinite(history.history["d_loss"][-1]), history.history
            images = style_gan({"z": val_z, "noise": val_noise, "alpha": 1.0})
            print("images", images.shape, images.dtype)
            assert images.shape == (val_batch_size, res, res, 3), images.shape


train()

# Generate from style codes, then mix two styles
tf.random.set_seed(196)
z = tf.random.normal((2, style_gan.z_dim))
w = style_gan.mapping(z)
noise = style_gan.generate_noise(batch_size=2)
images = style_gan({"style_code": w, "noise": noise, "alpha": 1.0, "batch_size": 2})
mix = 0.4
w_mix = np.expand_dims(mix * w[0] + (1 - mix) * w[1], 0)
noise_a = [np.expand_dims(n[0], 0) for n in noise]
mix_images = style_gan({"style_code": w_mix, "noise": noise_a})
row = np.hstack([images[0], images[1], mix_images[0]])
print("style mixing row", row.shape)
assert row.shape == (TARGET_RES, 3 * TARGET_RES, 3)
