"""StyleGAN grown progressively from 4x4 to 8x8 on random images (after the keras.io "Face image generation with
StyleGAN" example of the tf.keras era): equalized-learning-rate conv / dense layers, a minibatch standard-deviation
layer, pixel norm, AddNoise and AdaIN layers, a mapping network, Generator / Discriminator builders that grow
functional models with a fade-in alpha input, and a StyleGAN model with its own compile() and a WGAN-GP train_step.

Hand conversion to multi-backend Keras 3: keras.ops in the layers (ops.pad(mode="reflect"), ops.conv(padding=
"valid"), ops.matmul, ops.std, ops.tile, ops.concatenate); the equalized-lr scale is a Python float (math.sqrt: a
tensor made in build() while a parent layer traces its call() is out of scope later on TensorFlow and a leaked
tracer on JAX); the minibatch group size is a Python min() over static shapes (a tensor is not a shape on JAX or
PyTorch) and the layer gives its compute_output_shape; AdaIN builds its sub-layers in build(); tuple shapes for
Input; InputLayer(shape=); keras.Variable alpha and step counter; keras.random with a SeedGenerator. train_step
trains three networks with two optimizers and a gradient penalty, so it dispatches on keras.backend.backend():
GradientTape (an inner tape for the penalty) on TensorFlow; backward() and optimizer.apply under torch.no_grad with
torch.autograd.grad(create_graph=True) for the penalty on PyTorch; on JAX, un-jitted (compile(jit_compile=False)),
jax.value_and_grad over stateless_call with an inner jax.grad, the state read back. Images come from a generate()
method taking the example's dict of options (Python numbers among them: alpha=1.0, batch_size=2) rather than from
call() (Keras 3's Layer.__call__ takes only tensors positionally); it converts NumPy style codes and noise maps to
tensors (a functional model refuses a mix of the two) and the generated images with ops.convert_to_numpy before
NumPy clipping."""
import math

import numpy as np
import tensorflow as tf  # tf.data input pipeline and the TensorFlow train step only
import keras
from keras import layers, ops
from keras.models import Sequential

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
    return -ops.mean(y_true * y_pred)


class PixelNorm(layers.Layer):
    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def call(self, x):
        return x / ops.sqrt(ops.mean(ops.square(x), axis=-1, keepdims=True) + self.epsilon)


class MinibatchStd(layers.Layer):
    """Appends the average standard deviation over groups of samples as one more channel."""

    def __init__(self, group_size=4, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.group_size = group_size
        self.epsilon = epsilon

    def call(self, inputs):
        n, h, w, c = ops.shape(inputs)
        group = min(self.group_size, n) if isinstance(n, int) else self.group_size
        grouped = ops.reshape(inputs, (group, -1, h, w, c))
        group_std = ops.std(grouped, axis=0) + self.epsilon
        mean_std = ops.mean(group_std, axis=(1, 2, 3), keepdims=True)
        std_map = ops.tile(mean_std, (group, h, w, 1))
        return ops.concatenate([inputs, std_map], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] + 1)


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
        self.scale = math.sqrt(self.gain / (self.kernel * self.kernel * channels))

    def call(self, inputs):
        x = inputs
        if self.reflect:
            x = ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="reflect")
        return ops.conv(x, self.scale * self.w, strides=1, padding="valid") + self.b


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
        self.scale = math.sqrt(self.gain / fan_in)

    def call(self, inputs):
        out = ops.add(ops.matmul(inputs, self.scale * self.w), self.b)
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
        self.style_scale.build(w_shape)
        self.style_bias.build(w_shape)

    def call(self, inputs):
        x, w = inputs
        ys = ops.reshape(self.style_scale(w), (-1, 1, 1, self.channels))
        yb = ops.reshape(self.style_bias(w), (-1, 1, 1, self.channels))
        return ys * x + yb


def Mapping(num_stages, z_dim=Z_DIM, depth=3):
    z = layers.Input(shape=(z_dim,))
    w = PixelNorm()(z)
    for _ in range(depth):
        w = EqualizedDense(z_dim, learning_rate_multiplier=0.01)(w)
        w = layers.LeakyReLU(0.2)(w)
    w = ops.tile(ops.expand_dims(w, 1), (1, num_stages, 1))
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
                    [layers.InputLayer(shape=(res, res, filters)), EqualizedConv(3, 1, gain=1)],
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
        w = layers.Input(shape=(Z_DIM,))
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
        alpha = layers.Input(shape=(1,), name="g_alpha")
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
                        layers.InputLayer(shape=(res, res, 3), name=f"from_rgb_input_{res}"),
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
        alpha = layers.Input(shape=(1,), name="d_alpha")
        image = layers.Input(shape=(res, res, 3), name="input_image")
        x = self.d_blocks[idx](self.from_rgb[idx](image))
        if idx > 0:
            idx -= 1
            downsized = layers.AveragePooling2D((2, 2))(image)
            x = fade_in(alpha[0], x, self.from_rgb[idx](downsized))
            for i in range(idx, -1, -1):
                x = self.d_blocks[i](x)
        return keras.Model([image, alpha], x, name=f"discriminator_{res}x{res}")


class StyleGAN(keras.Model):
    def __init__(self, z_dim=Z_DIM, target_res=TARGET_RES, start_res=START_RES):
        super().__init__()
        self.z_dim = z_dim
        self.start_res_log2 = log2(start_res)
        self.target_res_log2 = log2(target_res)
        self.current_res_log2 = self.target_res_log2
        self.num_stages = self.target_res_log2 - self.start_res_log2 + 1
        self.alpha = keras.Variable(1.0, dtype="float32", trainable=False, name="alpha")
        self.train_step_counter = keras.Variable(0, dtype="int32", trainable=False, name="train_step_counter")
        self.seed_generator = keras.random.SeedGenerator(2021)
        self.mapping = Mapping(num_stages=self.num_stages)
        self.d_builder = Discriminator(self.start_res_log2, self.target_res_log2)
        self.g_builder = Generator(self.start_res_log2, self.target_res_log2)
        self.g_input_shape = self.g_builder.input_shape
        self.phase = None
        self.loss_weights = {"gradient_penalty": 10, "drift": 0.001}
        # No call() (generate() makes images): the networks are built already (functional), so is
        # this model; fit() must not try to build it from a batch.
        self.built = True

    def grow_model(self, res):
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
        if keras.backend.backend() == "jax":
            kwargs["jit_compile"] = False
        super().compile(*args, **kwargs)

    @property
    def metrics(self):
        return [self.d_loss_metric, self.g_loss_metric]

    def generate_noise(self, batch_size):
        return [
            keras.random.normal((batch_size, 2**res_log2, 2**res_log2, 1), seed=self.seed_generator)
            for res_log2 in range(self.start_res_log2, self.target_res_log2 + 1)
        ]

    def gradient_loss(self, grad):
        norm = ops.sqrt(ops.sum(ops.square(grad), axis=(1, 2, 3)))
        return ops.mean(ops.square(norm - 1.0))

    def _prepare(self, real_images):
        self.train_step_counter.assign_add(1)
        if self.phase == "TRANSITION":
            self.alpha.assign(ops.cast(self.train_step_counter, "float32") / self.steps_per_epoch)
        elif self.phase == "STABLE":
            self.alpha.assign(1.0)
        else:
            raise NotImplementedError(self.phase)
        alpha = ops.reshape(ops.convert_to_tensor(self.alpha), (1, 1))
        batch_size = ops.shape(real_images)[0]
        z = keras.random.normal((batch_size, self.z_dim), seed=self.seed_generator)
        const_input = ops.ones((batch_size, *self.g_input_shape))
        noise = self.generate_noise(batch_size)
        epsilon = keras.random.uniform((batch_size, 1, 1, 1), seed=self.seed_generator)
        return alpha, batch_size, z, const_input, noise, epsilon

    def _d_loss(self, pred_fake, pred_real, grads_interp):
        gradient_penalty = self.loss_weights["gradient_penalty"] * self.gradient_loss(grads_interp)
        all_pred = ops.concatenate([pred_fake, pred_real], axis=0)
        drift_loss = self.loss_weights["drift"] * ops.mean(all_pred**2)
        return -ops.mean(pred_real) + ops.mean(pred_fake) + gradient_penalty + drift_loss

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

    # wasserstein_loss(real_labels, p) is -mean(p); wasserstein_loss(fake_labels, p) is mean(p)
    def _tensorflow_train_step(self, real_images):
        alpha, batch_size, z, const_input, noise, epsilon = self._prepare(real_images)
        with tf.GradientTape() as g_tape:
            fake_images = self.generator([const_input, self.mapping(z), noise, alpha])
            g_loss = -ops.mean(self.discriminator([fake_images, alpha]))
        g_weights = self.mapping.trainable_weights + self.generator.trainable_weights
        self.g_optimizer.apply_gradients(zip(g_tape.gradient(g_loss, g_weights), g_weights))

        with tf.GradientTape() as d_tape:
            pred_fake = self.discriminator([fake_images, alpha])
            pred_real = self.discriminator([real_images, alpha])
            interpolates = epsilon * real_images + (1 - epsilon) * fake_images
            with tf.GradientTape() as gp_tape:
                gp_tape.watch(interpolates)
                loss_interp = ops.mean(self.discriminator([interpolates, alpha]))
            grads_interp = gp_tape.gradient(loss_interp, interpolates)
            d_loss = self._d_loss(pred_fake, pred_real, grads_interp)
        d_weights = self.discriminator.trainable_weights
        self.d_optimizer.apply_gradients(zip(d_tape.gradient(d_loss, d_weights), d_weights))
        return self._logs(d_loss, g_loss)

    def _torch_train_step(self, real_images):
        import torch

        alpha, batch_size, z, const_input, noise, epsilon = self._prepare(real_images)
        g_weights = self.mapping.trainable_weights + self.generator.trainable_weights
        d_weights = self.discriminator.trainable_weights
        self.zero_grad()
        fake_images = self.generator([const_input, self.mapping(z), noise, alpha])
        g_loss = -ops.mean(self.discriminator([fake_images, alpha]))
        g_loss.backward()
        with torch.no_grad():
            self.g_optimizer.apply([v.value.grad for v in g_weights], g_weights)

        self.zero_grad()
        fake_images = fake_images.detach()
        pred_fake = self.discriminator([fake_images, alpha])
        pred_real = self.discriminator([real_images, alpha])
        interpolates = (epsilon * real_images + (1 - epsilon) * fake_images).detach().requires_grad_(True)
        loss_interp = ops.mean(self.discriminator([interpolates, alpha]))
        (grads_interp,) = torch.autograd.grad(loss_interp, interpolates, create_graph=True)
        d_loss = self._d_loss(pred_fake, pred_real, grads_interp)
        d_loss.backward()
        with torch.no_grad():
            self.d_optimizer.apply([v.value.grad for v in d_weights], d_weights)
        return self._logs(d_loss.detach(), g_loss.detach())

    def _jax_train_step(self, state, real_images):
        import jax

        # Un-jitted: put the state fit() threads through the step back into the variables, update them
        # in place below, and read the state back at the end.
        trainable, non_trainable, optimizer_variables, metrics_variables = state
        for variables, values in (
            (self.trainable_variables, trainable),
            (self.non_trainable_variables, non_trainable),
            (self.optimizer.variables, optimizer_variables),
            (self.metrics_variables, metrics_variables),
        ):
            for v, value in zip(variables, values):
                v.assign(value)
        alpha, batch_size, z, const_input, noise, epsilon = self._prepare(real_images)
        m, g, d = self.mapping, self.generator, self.discriminator
        m_nt = [v.value for v in m.non_trainable_variables]
        g_nt = [v.value for v in g.non_trainable_variables]
        d_nt = [v.value for v in d.non_trainable_variables]

        def g_loss_fn(m_trainable, g_trainable):
            w, _ = m.stateless_call(m_trainable, m_nt, z, training=True)
            fake, _ = g.stateless_call(g_trainable, g_nt, [const_input, w, noise, alpha], training=True)
            return -ops.mean(d([fake, alpha])), fake

        (g_loss, fake_images), (m_grads, g_grads) = jax.value_and_grad(g_loss_fn, argnums=(0, 1), has_aux=True)(
            [v.value for v in m.trainable_variables], [v.value for v in g.trainable_variables]
        )
        g_weights = m.trainable_variables + g.trainable_variables
        self.g_optimizer.apply(list(m_grads) + list(g_grads), g_weights)

        interpolates = epsilon * real_images + (1 - epsilon) * fake_images

        def d_loss_fn(d_trainable):
            def critic(images):
                return d.stateless_call(d_trainable, d_nt, [images, alpha], training=True)[0]

            grads_interp = jax.grad(lambda x: ops.mean(critic(x)))(interpolates)
            return self._d_loss(critic(fake_images), critic(real_images), grads_interp)

        d_loss, d_grads = jax.value_and_grad(d_loss_fn)([v.value for v in d.trainable_variables])
        self.d_optimizer.apply(d_grads, d.trainable_variables)
        logs = self._logs(d_loss, g_loss)
        state = (
            [v.value for v in self.trainable_variables],
            [v.value for v in self.non_trainable_variables],
            [v.value for v in self.optimizer.variables],
            [v.value for v in self.metrics_variables],
        )
        return logs, state

    def generate(self, inputs):
        style_code = inputs.get("style_code", None)
        z = inputs.get("z", None)
        noise = inputs.get("noise", None)
        batch_size = inputs.get("batch_size", 1)
        alpha = ops.reshape(ops.convert_to_tensor(inputs.get("alpha", 1.0), "float32"), (1, 1))
        if style_code is None:
            if z is None:
                z = keras.random.normal((batch_size, self.z_dim), seed=self.seed_generator)
            style_code = self.mapping(z)
        if noise is None:
            noise = self.generate_noise(batch_size)
        # NumPy style codes and noise maps become tensors: a Keras 3 model takes no mix of the two
        style_code = ops.convert_to_tensor(style_code)
        noise = [ops.convert_to_tensor(n) for n in noise]
        const_input = ops.ones((batch_size, *self.g_input_shape))
        images = ops.convert_to_numpy(self.generator([const_input, style_code, noise, alpha]))
        return np.clip((images * 0.5 + 0.5) * 255, 0, 255).astype(np.uint8)


style_gan = StyleGAN(start_res=START_RES, target_res=TARGET_RES)


def train(start_res=START_RES, target_res=TARGET_RES, steps_per_epoch=STEPS_PER_EPOCH):
    opt_cfg = {"learning_rate": 1e-3, "beta_1": 0.0, "beta_2": 0.99, "epsilon": 1e-8}
    val_batch_size = 4
    val_z = keras.random.normal((val_batch_size, style_gan.z_dim), seed=1)
    val_noise = style_gan.generate_noise(val_batch_size)
    for res_log2 in range(log2(start_res), log2(target_res) + 1):
        res = 2**res_log2
        for phase in ["TRANSITION", "STABLE"]:
            if res == start_res and phase == "TRANSITION":
                continue
            style_gan.compile(
                d_optimizer=keras.optimizers.Adam(**opt_cfg),
                g_optimizer=keras.optimizers.Adam(**opt_cfg),
                loss_weights={"gradient_penalty": 10, "drift": 0.001},
                steps_per_epoch=steps_per_epoch,
                res=res,
                phase=phase,
                run_eagerly=False,
            )
            print(phase, res)
            history = style_gan.fit(face_dataset(res), epochs=1, steps_per_epoch=steps_per_epoch, verbose=2)
            assert np.isfinite(history.history["d_loss"][-1]), history.history
            images = style_gan.generate({"z": val_z, "noise": val_noise, "alpha": 1.0})
            print("images", images.shape, images.dtype)
            assert images.shape == (val_batch_size, res, res, 3), images.shape


train()

# Generate from style codes, then mix two styles
z = keras.random.normal((2, style_gan.z_dim), seed=196)
w = ops.convert_to_numpy(style_gan.mapping(z))
noise = [ops.convert_to_numpy(n) for n in style_gan.generate_noise(batch_size=2)]
images = style_gan.generate({"style_code": w, "noise": noise, "alpha": 1.0, "batch_size": 2})
mix = 0.4
w_mix = np.expand_dims(mix * w[0] + (1 - mix) * w[1], 0)
noise_a = [np.expand_dims(n[0], 0) for n in noise]
mix_images = style_gan.generate({"style_code": w_mix, "noise": noise_a})
row = np.hstack([images[0], images[1], mix_images[0]])
print("style mixing row", row.shape)
assert row.shape == (TARGET_RES, 3 * TARGET_RES, 3)
