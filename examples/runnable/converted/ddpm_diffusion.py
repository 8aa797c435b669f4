"""Hand conversion of ddpm_diffusion.py (keras.io DDPM) to multi-backend Keras 3.

The train_step became call() + compute_loss() (the EMA update runs in compute_loss when
training), the GaussianDiffusion utility and the layers use keras.ops, and the random draws
keras.random with SeedGenerators; tf.data stays as the input pipeline.
"""
import math

import numpy as np
import tensorflow as tf
import keras
from keras import layers

batch_size = 8
num_epochs = 1
total_timesteps = 4
norm_groups = 4
learning_rate = 2e-4

img_size = 8
img_channels = 3
clip_min = -1.0
clip_max = 1.0

first_conv_channels = 8
channel_multiplier = [1, 2]
widths = [first_conv_channels * mult for mult in channel_multiplier]
has_attention = [False, False]
num_res_blocks = 1


def preprocess(x):
    x = tf.cast(x, dtype=tf.float32)
    # Rescale the pixel values in the range [-1.0, 1.0]
    return tf.clip_by_value(x / 127.5 - 1.0, clip_min, clip_max)


images = np.random.randint(0, 256, size=(16, img_size, img_size, img_channels)).astype("uint8")
train_ds = (
    tf.data.Dataset.from_tensor_slices(images)
    .map(preprocess, num_parallel_calls=tf.data.AUTOTUNE)
    .batch(batch_size, drop_remainder=True)
    .shuffle(batch_size * 2)
    .prefetch(tf.data.AUTOTUNE)
)


class GaussianDiffusion:
    """Gaussian diffusion utility.

    Args:
        beta_start: Start value of the scheduled variance
        beta_end: End value of the scheduled variance
        timesteps: Number of time steps in the forward process
    """

    def __init__(self, beta_start=1e-4, beta_end=0.02, timesteps=1000, clip_min=-1.0, clip_max=1.0):
        self.beta_start = beta_start
        self.beta_end = beta_end
        self.timesteps = timesteps
        self.clip_min = clip_min
        self.clip_max = clip_max
        self.seed_generator = keras.random.SeedGenerator(0)

        # Define the linear variance schedule
        self.betas = betas = np.linspace(beta_start, beta_end, timesteps, dtype=np.float64)
        self.num_timesteps = int(timesteps)

        alphas = 1.0 - betas
        alphas_cumprod = np.cumprod(alphas, axis=0)
        alphas_cumprod_prev = np.append(1.0, alphas_cumprod[:-1])

        self.betas = keras.ops.convert_to_tensor(betas, dtype="float32")
        self.alphas_cumprod = keras.ops.convert_to_tensor(alphas_cumprod, dtype="float32")
        self.alphas_cumprod_prev = keras.ops.convert_to_tensor(alphas_cumprod_prev, dtype="float32")

        # Calculations for diffusion q(x_t | x_{t-1}) and others
        self.sqrt_alphas_cumprod = keras.ops.convert_to_tensor(np.sqrt(alphas_cumprod), dtype="float32")
        self.sqrt_one_minus_alphas_cumprod = keras.ops.convert_to_tensor(np.sqrt(1.0 - alphas_cumprod), dtype="float32")
        self.log_one_minus_alphas_cumprod = keras.ops.convert_to_tensor(np.log(1.0 - alphas_cumprod), dtype="float32")
        self.sqrt_recip_alphas_cumprod = keras.ops.convert_to_tensor(np.sqrt(1.0 / alphas_cumprod), dtype="float32")
        self.sqrt_recipm1_alphas_cumprod = keras.ops.convert_to_tensor(np.sqrt(1.0 / alphas_cumprod - 1), dtype="float32")

        # Calculations for posterior q(x_{t-1} | x_t, x_0)
        posterior_variance = betas * (1.0 - alphas_cumprod_prev) / (1.0 - alphas_cumprod)
        self.posterior_variance = keras.ops.convert_to_tensor(posterior_variance, dtype="float32")

        # Log calculation clipped because the posterior variance is 0 at the beginning
        # of the diffusion chain
        self.posterior_log_variance_clipped = keras.ops.convert_to_tensor(
            np.log(np.maximum(posterior_variance, 1e-20)), dtype="float32"
        )
        self.posterior_mean_coef1 = keras.ops.convert_to_tensor(
            betas * np.sqrt(alphas_cumprod_prev) / (1.0 - alphas_cumprod), dtype="float32"
        )
        self.posterior_mean_coef2 = keras.ops.convert_to_tensor(
            (1.0 - alphas_cumprod_prev) * np.sqrt(alphas) / (1.0 - alphas_cumprod), dtype="float32"
        )

    def _extract(self, a, t, x_shape):
        """Extract some coefficients at specified timesteps, then reshape to
        [batch_size, 1, 1, 1, 1, ...] for broadcasting purposes."""
        batch_size = x_shape[0]
        out = keras.ops.take(a, t)
        return keras.ops.reshape(out, [batch_size, 1, 1, 1])

    def q_mean_variance(self, x_start, t):
        x_start_shape = keras.ops.shape(x_start)
        mean = self._extract(self.sqrt_alphas_cumprod, t, x_start_shape) * x_start
        variance = self._extract(1.0 - self.alphas_cumprod, t, x_start_shape)
        log_variance = self._extract(self.log_one_minus_alphas_cumprod, t, x_start_shape)
        return mean, variance, log_variance

    def q_sample(self, x_start, t, noise):
        """Diffuse the data."""
        x_start_shape = keras.ops.shape(x_start)
        return (
            self._extract(self.sqrt_alphas_cumprod, t, keras.ops.shape(x_start)) * x_start
            + self._extract(self.sqrt_one_minus_alphas_cumprod, t, x_start_shape) * noise
        )

    def predict_start_from_noise(self, x_t, t, noise):
        x_t_shape = keras.ops.shape(x_t)
        return (
            self._extract(self.sqrt_recip_alphas_cumprod, t, x_t_shape) * x_t
            - self._extract(self.sqrt_recipm1_alphas_cumprod, t, x_t_shape) * noise
        )

    def q_posterior(self, x_start, x_t, t):
        x_t_shape = keras.ops.shape(x_t)
        posterior_mean = (
            self._extract(self.posterior_mean_coef1, t, x_t_shape) * x_start
            + self._extract(self.posterior_mean_coef2, t, x_t_shape) * x_t
        )
        posterior_variance = self._extract(self.posterior_variance, t, x_t_shape)
        posterior_log_variance_clipped = self._extract(self.posterior_log_variance_clipped, t, x_t_shape)
        return posterior_mean, posterior_variance, posterior_log_variance_clipped

    def p_mean_variance(self, pred_noise, x, t, clip_denoised=True):
        x_recon = self.predict_start_from_noise(x, t=t, noise=pred_noise)
        if clip_denoised:
            x_recon = keras.ops.clip(x_recon, self.clip_min, self.clip_max)

        model_mean, posterior_variance, posterior_log_variance = self.q_posterior(x_start=x_recon, x_t=x, t=t)
        return model_mean, posterior_variance, posterior_log_variance

    def p_sample(self, pred_noise, x, t, clip_denoised=True):
        """Sample from the diffusion model."""
        model_mean, _, model_log_variance = self.p_mean_variance(pred_noise, x=x, t=t, clip_denoised=clip_denoised)
        noise = keras.random.normal(shape=keras.ops.shape(x), dtype=x.dtype, seed=self.seed_generator)
        # No noise when t == 0
        nonzero_mask = keras.ops.reshape(1 - keras.ops.cast(keras.ops.equal(t, 0), "float32"), [keras.ops.shape(x)[0], 1, 1, 1])
        return model_mean + nonzero_mask * keras.ops.exp(0.5 * model_log_variance) * noise


# Kernel initializer to use
def kernel_init(scale):
    scale = max(scale, 1e-10)
    return keras.initializers.VarianceScaling(scale, mode="fan_avg", distribution="uniform")


class AttentionBlock(layers.Layer):
    """Applies self-attention."""

    def __init__(self, units, groups=8, **kwargs):
        self.units = units
        self.groups = groups
        super().__init__(**kwargs)

        self.norm = layers.GroupNormalization(groups=groups)
        self.query = layers.Dense(units, kernel_initializer=kernel_init(1.0))
        self.key = layers.Dense(units, kernel_initializer=kernel_init(1.0))
        self.value = layers.Dense(units, kernel_initializer=kernel_init(1.0))
        self.proj = layers.Dense(units, kernel_initializer=kernel_init(0.0))

    def call(self, inputs):
        batch_size = keras.ops.shape(inputs)[0]
        height = keras.ops.shape(inputs)[1]
        width = keras.ops.shape(inputs)[2]
        scale = keras.ops.cast(self.units, "float32") ** (-0.5)

        inputs = self.norm(inputs)
        q = self.query(inputs)
        k = self.key(inputs)
        v = self.value(inputs)

        attn_score = keras.ops.einsum("bhwc, bHWc->bhwHW", q, k) * scale
        attn_score = keras.ops.reshape(attn_score, [batch_size, height, width, height * width])

        attn_score = keras.ops.softmax(attn_score, -1)
        attn_score = keras.ops.reshape(attn_score, [batch_size, height, width, height, width])

        proj = keras.ops.einsum("bhwHW,bHWc->bhwc", attn_score, v)
        proj = self.proj(proj)
        return inputs + proj


class TimeEmbedding(layers.Layer):
    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.half_dim = dim // 2
        self.emb = math.log(10000) / (self.half_dim - 1)
        self.emb = keras.ops.exp(keras.ops.arange(self.half_dim, dtype="float32") * -self.emb)

    def call(self, inputs):
        inputs = keras.ops.cast(inputs, dtype="float32")
        emb = inputs[:, None] * self.emb[None, :]
        emb = keras.ops.concatenate([keras.ops.sin(emb), keras.ops.cos(emb)], axis=-1)
        return emb


def ResidualBlock(width, groups=8, activation_fn=keras.activations.swish):
    def apply(inputs):
        x, t = inputs
        input_width = x.shape[3]

        if input_width == width:
            residual = x
        else:
            residual = layers.Conv2D(width, kernel_size=1, kernel_initializer=kernel_init(1.0))(x)

        temb = activation_fn(t)
        temb = layers.Dense(width, kernel_initializer=kernel_init(1.0))(temb)[:, None, None, :]

        x = layers.GroupNormalization(groups=groups)(x)
        x = activation_fn(x)
        x = layers.Conv2D(width, kernel_size=3, padding="same", kernel_initializer=kernel_init(1.0))(x)

        x = layers.Add()([x, temb])
        x = layers.GroupNormalization(groups=groups)(x)
        x = activation_fn(x)

        x = layers.Conv2D(width, kernel_size=3, padding="same", kernel_initializer=kernel_init(0.0))(x)
        x = layers.Add()([x, residual])
        return x

    return apply


def DownSample(width):
    def apply(x):
        x = layers.Conv2D(width, kernel_size=3, strides=2, padding="same", kernel_initializer=kernel_init(1.0))(x)
        return x

    return apply


def UpSample(width, interpolation="nearest"):
    def apply(x):
        x = layers.UpSampling2D(size=2, interpolation=interpolation)(x)
        x = layers.Conv2D(width, kernel_size=3, padding="same", kernel_initializer=kernel_init(1.0))(x)
        return x

    return apply


def TimeMLP(units, activation_fn=keras.activations.swish):
    def apply(inputs):
        temb = layers.Dense(units, activation=activation_fn, kernel_initializer=kernel_init(1.0))(inputs)
        temb = layers.Dense(units, kernel_initializer=kernel_init(1.0))(temb)
        return temb

    return apply


def build_model(img_size, img_channels, widths, has_attention, num_res_blocks=2, norm_groups=8,
                interpolation="nearest", activation_fn=keras.activations.swish):
    image_input = layers.Input(shape=(img_size, img_size, img_channels), name="image_input")
    time_input = keras.Input(shape=(), dtype="int64", name="time_input")

    x = layers.Conv2D(first_conv_channels, kernel_size=(3, 3), padding="same",
                      kernel_initializer=kernel_init(1.0))(image_input)

    temb = TimeEmbedding(dim=first_conv_channels * 4)(time_input)
    temb = TimeMLP(units=first_conv_channels * 4, activation_fn=activation_fn)(temb)

    skips = [x]

    # DownBlock
    for i in range(len(widths)):
        for _ in range(num_res_blocks):
            x = ResidualBlock(widths[i], groups=norm_groups, activation_fn=activation_fn)([x, temb])
            if has_attention[i]:
                x = AttentionBlock(widths[i], groups=norm_groups)(x)
            skips.append(x)

        if widths[i] != widths[-1]:
            x = DownSample(widths[i])(x)
            skips.append(x)

    # MiddleBlock
    x = ResidualBlock(widths[-1], groups=norm_groups, activation_fn=activation_fn)([x, temb])
    x = AttentionBlock(widths[-1], groups=norm_groups)(x)
    x = ResidualBlock(widths[-1], groups=norm_groups, activation_fn=activation_fn)([x, temb])

    # UpBlock
    for i in reversed(range(len(widths))):
        for _ in range(num_res_blocks + 1):
            x = layers.Concatenate(axis=-1)([x, skips.pop()])
            x = ResidualBlock(widths[i], groups=norm_groups, activation_fn=activation_fn)([x, temb])
            if has_attention[i]:
                x = AttentionBlock(widths[i], groups=norm_groups)(x)

        if i != 0:
            x = UpSample(widths[i], interpolation=interpolation)(x)

    # End block
    x = layers.GroupNormalization(groups=norm_groups)(x)
    x = activation_fn(x)
    x = layers.Conv2D(3, (3, 3), padding="same", kernel_initializer=kernel_init(0.0))(x)
    return keras.Model([image_input, time_input], x, name="unet")


class DiffusionModel(keras.Model):
    def __init__(self, network, ema_network, timesteps, gdf_util, ema=0.999):
        super().__init__()
        self.seed_generator = keras.random.SeedGenerator()
        self.network = network
        self.ema_network = ema_network
        self.ema_network.trainable = False  # updated by assignment, not trained
        self.timesteps = timesteps
        self.gdf_util = gdf_util
        self.ema = ema

    def call(self, images, training=False):
        batch_size = keras.ops.shape(images)[0]
        t = keras.random.randint(minval=0, maxval=self.timesteps, shape=(batch_size,), dtype="int64", seed=self.seed_generator)
        noise = keras.random.normal(shape=keras.ops.shape(images), dtype=images.dtype, seed=self.seed_generator)
        images_t = self.gdf_util.q_sample(images, t, noise)
        pred_noise = self.network([images_t, t], training=training)
        return noise, pred_noise

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        noise, pred_noise = y_pred
        loss = self.loss(noise, pred_noise)
        if training:
            for weight, ema_weight in zip(self.network.weights, self.ema_network.weights):
                ema_weight.assign(self.ema * ema_weight + (1 - self.ema) * weight)
        return keras.ops.sum(loss)

    def generate_images(self, num_images=4):
        # 1. Randomly sample noise (starting point for reverse process)
        samples = keras.random.normal(shape=(num_images, img_size, img_size, img_channels), dtype="float32", seed=self.seed_generator)
        # 2. Sample from the model iteratively
        for t in reversed(range(0, self.timesteps)):
            tt = keras.ops.cast(keras.ops.full((num_images,), t), dtype="int64")
            pred_noise = self.ema_network.predict([samples, tt], verbose=0, batch_size=num_images)
            samples = self.gdf_util.p_sample(pred_noise, samples, tt, clip_denoised=True)
        # 3. Return generated samples
        return samples

    def plot_images(self, epoch=None, logs=None, num_rows=1, num_cols=4):
        """Utility to generate images using the diffusion model during training."""
        generated_samples = self.generate_images(num_images=num_rows * num_cols)
        generated_samples = (
            keras.ops.convert_to_numpy(keras.ops.clip(generated_samples * 127.5 + 127.5, 0.0, 255.0)).astype(np.uint8)
        )
        assert generated_samples.shape == (num_rows * num_cols, img_size, img_size, img_channels)


# Build the unet model
network = build_model(img_size=img_size, img_channels=img_channels, widths=widths, has_attention=has_attention,
                      num_res_blocks=num_res_blocks, norm_groups=norm_groups, activation_fn=keras.activations.swish)
ema_network = build_model(img_size=img_size, img_channels=img_channels, widths=widths,
                          has_attention=has_attention, num_res_blocks=num_res_blocks, norm_groups=norm_groups,
                          activation_fn=keras.activations.swish)
ema_network.set_weights(network.get_weights())  # Initially the weights are the same

# Get an instance of the Gaussian Diffusion utilities
gdf_util = GaussianDiffusion(timesteps=total_timesteps)

# Get the model
model = DiffusionModel(network=network, ema_network=ema_network, gdf_util=gdf_util, timesteps=total_timesteps)

# Compile the model
model.compile(
    loss=keras.losses.MeanSquaredError(),
    optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
)

# Train the model
model.fit(
    train_ds,
    epochs=num_epochs,
    batch_size=batch_size,
    verbose=0,
    callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=model.plot_images)],
)
print("done")
