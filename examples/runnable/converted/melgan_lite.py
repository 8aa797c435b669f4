"""MelGAN spectrogram inversion on tiny synthetic audio (after the keras.io example "MelGAN-based
spectrogram inversion using feature matching", tf.keras era): a MelSpec layer on tf.signal.stft /
tf.signal.linear_to_mel_weight_matrix that only transforms when training, a Conv1DTranspose
generator with dilated residual stacks, a multi-scale discriminator returning lists of feature
maps, feature-matching and least-squares losses reduced with tf.reduce_mean over Python lists, and
a MelGAN model whose train_step opens two tapes in one `with` statement. (The original wraps the
convolutions in tfa.layers.WeightNormalization; TensorFlow Addons is gone, so they are plain.)

Hand conversion to multi-backend Keras 3. MelSpec computes its spectrogram with keras.ops:
ops.stft (center=False, Hann window, the end zero-padded as tf.signal.stft(pad_end=True) does)
gives the real and imaginary parts, the magnitude is their hypot; the mel filterbank is a NumPy
constant made once in __init__ (tf.signal.linear_to_mel_weight_matrix evaluated eagerly; TensorFlow
is installed for tf.data whatever the backend); ops.log / ops.maximum / ops.max for the dB scale.
The losses reduce their Python lists with ops.mean(ops.stack(...)) and use ops.ones_like /
ops.zeros_like. AveragePooling1D needs its pool_size in Keras 3. The step trains two networks with
two optimizers from one forward pass, so train_step dispatches on keras.backend.backend() to one
step per backend ("Customizing what happens in fit()" with TensorFlow / JAX / PyTorch): the two
tapes on TensorFlow; torch.autograd.grad of each loss on PyTorch; jax.value_and_grad over
stateless_call on JAX, un-jitted (compile(jit_compile=False)) with the variables updated in place,
because the two optimizers' states are not part of the state fit() threads through a jitted step.
MelSpec declares compute_output_shape (JAX cannot trace ops.stft on a dynamic length when the functional
model is built). The model has no call(), so it marks itself built."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

SAMPLES = 512
SAMPLING_RATE = 8000
BATCH_SIZE = 4

# Synthetic "speech": sums of sines, as decoded by tf.audio.decode_wav (float32, [-1, 1], 1 channel).
t = np.arange(SAMPLES) / SAMPLING_RATE
freqs = np.random.uniform(100, 1000, size=(8, 2))
wavs = (0.4 * np.sin(2 * np.pi * freqs[:, :1] * t) + 0.3 * np.sin(2 * np.pi * freqs[:, 1:] * t)).astype("float32")


def preprocess(audio):
    audio = tf.expand_dims(audio, -1)
    return audio, audio


train_dataset = tf.data.Dataset.from_tensor_slices(wavs)
train_dataset = train_dataset.map(preprocess, num_parallel_calls=tf.data.AUTOTUNE)
train_dataset = train_dataset.batch(BATCH_SIZE, drop_remainder=True).prefetch(tf.data.AUTOTUNE)


# Custom keras layer for on-the-fly audio to spectrogram conversion
class MelSpec(layers.Layer):
    def __init__(
        self,
        frame_length=64,
        frame_step=16,
        fft_length=None,
        sampling_rate=SAMPLING_RATE,
        num_mel_channels=20,
        freq_min=125,
        freq_max=3800,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.frame_length = frame_length
        self.frame_step = frame_step
        self.fft_length = fft_length
        self.sampling_rate = sampling_rate
        self.num_mel_channels = num_mel_channels
        self.freq_min = freq_min
        self.freq_max = freq_max
        # Defining mel filter. This filter will be multiplied with the STFT output
        self.mel_filterbank = tf.signal.linear_to_mel_weight_matrix(
            num_mel_bins=self.num_mel_channels,
            num_spectrogram_bins=self.frame_length // 2 + 1,
            sample_rate=self.sampling_rate,
            lower_edge_hertz=self.freq_min,
            upper_edge_hertz=self.freq_max,
        ).numpy()

    def call(self, audio, training=True):
        # We will only perform the transformation during training.
        if training:
            # Taking the Short Time Fourier Transform. Ensure that the audio is padded
            # (at the end, as tf.signal.stft(pad_end=True) does).
            audio = ops.squeeze(audio, -1)
            audio = ops.pad(audio, [[0, 0], [0, self.frame_length - self.frame_step]])
            real, imag = ops.stft(
                audio,
                self.frame_length,
                self.frame_step,
                self.fft_length or self.frame_length,
                window="hann",
                center=False,
            )
            # Taking the magnitude of the STFT output
            magnitude = ops.sqrt(ops.square(real) + ops.square(imag))
            # Multiply the mel filterbank with the magnitude and scale it using the db scale
            mel = ops.matmul(ops.square(magnitude), self.mel_filterbank)
            log_mel_spec = 10.0 * ops.log(ops.maximum(mel, 1e-10)) / np.log(10.0)
            log_mel_spec = ops.maximum(log_mel_spec, ops.max(log_mel_spec) - 80.0)
            return log_mel_spec
        else:
            return audio

    def compute_output_shape(self, input_shape):
        # The functional model is built on the training branch (the spectrogram); JAX cannot infer
        # the number of frames of a dynamic-length input by tracing ops.stft.
        frames = None if input_shape[1] is None else input_shape[1] // self.frame_step
        return (input_shape[0], frames, self.num_mel_channels)

    def get_config(self):
        config = super(MelSpec, self).get_config()
        config.update(
            {
                "frame_length": self.frame_length,
                "frame_step": self.frame_step,
                "fft_length": self.fft_length,
                "sampling_rate": self.sampling_rate,
                "num_mel_channels": self.num_mel_channels,
                "freq_min": self.freq_min,
                "freq_max": self.freq_max,
            }
        )
        return config


# Creating the residual stack block
def residual_stack(input, filters):
    """Convolutional residual stack with dilated convolutions."""
    c1 = layers.Conv1D(filters, 3, dilation_rate=1, padding="same")(input)
    lrelu1 = layers.LeakyReLU()(c1)
    c2 = layers.Conv1D(filters, 3, dilation_rate=1, padding="same")(lrelu1)
    add1 = layers.Add()([c2, input])
    lrelu2 = layers.LeakyReLU()(add1)
    c3 = layers.Conv1D(filters, 3, dilation_rate=3, padding="same")(lrelu2)
    lrelu3 = layers.LeakyReLU()(c3)
    c4 = layers.Conv1D(filters, 3, dilation_rate=1, padding="same")(lrelu3)
    add2 = layers.Add()([add1, c4])
    return add2


def conv_block(input, conv_dim, upsampling_factor):
    """Dilated convolutional block consisting of the Residual stack."""
    conv_t = layers.Conv1DTranspose(conv_dim, 8, upsampling_factor, padding="same")(input)
    lrelu1 = layers.LeakyReLU()(conv_t)
    res_stack = residual_stack(lrelu1, conv_dim)
    lrelu2 = layers.LeakyReLU()(res_stack)
    return lrelu2


def discriminator_block(input):
    conv1 = layers.Conv1D(8, 15, 1, "same")(input)
    lrelu1 = layers.LeakyReLU()(conv1)
    conv2 = layers.Conv1D(16, 11, 4, "same", groups=4)(lrelu1)
    lrelu2 = layers.LeakyReLU()(conv2)
    conv3 = layers.Conv1D(16, 5, 1, "same")(lrelu2)
    lrelu3 = layers.LeakyReLU()(conv3)
    conv4 = layers.Conv1D(1, 3, 1, "same")(lrelu3)
    return [lrelu1, lrelu2, lrelu3, conv4]


def create_generator(input_shape):
    inp = keras.Input(input_shape)
    x = MelSpec()(inp)
    x = layers.Conv1D(32, 7, padding="same")(x)
    x = layers.LeakyReLU()(x)
    x = conv_block(x, 16, 4)
    x = conv_block(x, 8, 4)
    x = layers.Conv1D(1, 7, padding="same", activation="tanh")(x)
    return keras.Model(inp, x)


def create_discriminator(input_shape):
    inp = keras.Input(input_shape)
    out_map1 = discriminator_block(inp)
    pool1 = layers.AveragePooling1D(pool_size=2)(inp)
    out_map2 = discriminator_block(pool1)
    pool2 = layers.AveragePooling1D(pool_size=2)(pool1)
    out_map3 = discriminator_block(pool2)
    return keras.Model(inp, [out_map1, out_map2, out_map3])


generator = create_generator((None, 1))
discriminator = create_discriminator((None, 1))

# Generator loss
mse = keras.losses.MeanSquaredError()
mae = keras.losses.MeanAbsoluteError()


def generator_loss(real_pred, fake_pred):
    """Loss function for the generator."""
    gen_loss = []
    for i in range(len(fake_pred)):
        gen_loss.append(mse(ops.ones_like(fake_pred[i][-1]), fake_pred[i][-1]))
    return ops.mean(ops.stack(gen_loss))


def feature_matching_loss(real_pred, fake_pred):
    """Implements the feature matching loss."""
    fm_loss = []
    for i in range(len(fake_pred)):
        for j in range(len(fake_pred[i]) - 1):
            fm_loss.append(mae(real_pred[i][j], fake_pred[i][j]))
    return ops.mean(ops.stack(fm_loss))


def discriminator_loss(real_pred, fake_pred):
    """Implements the discriminator loss."""
    real_loss, fake_loss = [], []
    for i in range(len(real_pred)):
        real_loss.append(mse(ops.ones_like(real_pred[i][-1]), real_pred[i][-1]))
        fake_loss.append(mse(ops.zeros_like(fake_pred[i][-1]), fake_pred[i][-1]))
    # Calculating the final discriminator loss after scaling
    disc_loss = ops.mean(ops.stack(real_loss)) + ops.mean(ops.stack(fake_loss))
    return disc_loss


class MelGAN(keras.Model):
    def __init__(self, generator, discriminator, **kwargs):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        # No call(): the two networks are built already (keras.Input), so is this model.
        self.built = True

    def compile(self, gen_optimizer, disc_optimizer, generator_loss, feature_matching_loss, discriminator_loss):
        super().compile(jit_compile=False if keras.backend.backend() == "jax" else "auto")
        # Optimizers
        self.gen_optimizer = gen_optimizer
        self.disc_optimizer = disc_optimizer
        # Losses
        self.generator_loss = generator_loss
        self.feature_matching_loss = feature_matching_loss
        self.discriminator_loss = discriminator_loss
        # Trackers
        self.gen_loss_tracker = keras.metrics.Mean(name="gen_loss")
        self.disc_loss_tracker = keras.metrics.Mean(name="disc_loss")

    def _gan_losses(self, generated_audio, real_pred, fake_pred):
        gen_loss = self.generator_loss(real_pred, fake_pred)
        fm_loss = self.feature_matching_loss(real_pred, fake_pred)
        gen_fm_loss = gen_loss + 10 * fm_loss
        disc_loss = self.discriminator_loss(real_pred, fake_pred)
        return gen_fm_loss, disc_loss

    def _logs(self, gen_fm_loss, disc_loss):
        self.gen_loss_tracker.update_state(gen_fm_loss)
        self.disc_loss_tracker.update_state(disc_loss)
        return {
            "gen_loss": self.gen_loss_tracker.result(),
            "disc_loss": self.disc_loss_tracker.result(),
        }

    def train_step(self, *args, **kwargs):
        if keras.backend.backend() == "jax":
            return self._jax_train_step(*args, **kwargs)
        if keras.backend.backend() == "torch":
            return self._torch_train_step(*args, **kwargs)
        return self._tensorflow_train_step(*args, **kwargs)

    def _tensorflow_train_step(self, batch):
        x_batch_train, y_batch_train = batch
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            generated_audio = self.generator(x_batch_train, training=True)
            real_pred = self.discriminator(y_batch_train)
            fake_pred = self.discriminator(generated_audio)
            gen_fm_loss, disc_loss = self._gan_losses(generated_audio, real_pred, fake_pred)
        grads_gen = gen_tape.gradient(gen_fm_loss, self.generator.trainable_weights)
        grads_disc = disc_tape.gradient(disc_loss, self.discriminator.trainable_weights)
        self.gen_optimizer.apply_gradients(zip(grads_gen, self.generator.trainable_weights))
        self.disc_optimizer.apply_gradients(zip(grads_disc, self.discriminator.trainable_weights))
        return self._logs(gen_fm_loss, disc_loss)

    def _torch_train_step(self, batch):
        import torch

        x_batch_train, y_batch_train = batch
        generated_audio = self.generator(x_batch_train, training=True)
        real_pred = self.discriminator(y_batch_train)
        fake_pred = self.discriminator(generated_audio)
        gen_fm_loss, disc_loss = self._gan_losses(generated_audio, real_pred, fake_pred)
        gen_vars = self.generator.trainable_weights
        disc_vars = self.discriminator.trainable_weights
        grads_gen = torch.autograd.grad(gen_fm_loss, [v.value for v in gen_vars], retain_graph=True)
        grads_disc = torch.autograd.grad(disc_loss, [v.value for v in disc_vars])
        with torch.no_grad():
            self.gen_optimizer.apply(list(grads_gen), gen_vars)
            self.disc_optimizer.apply(list(grads_disc), disc_vars)
        return self._logs(gen_fm_loss, disc_loss)

    def _jax_train_step(self, state, batch):
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
        x_batch_train, y_batch_train = batch
        g, d = self.generator, self.discriminator
        g_values = ([v.value for v in g.trainable_variables], [v.value for v in g.non_trainable_variables])
        d_values = ([v.value for v in d.trainable_variables], [v.value for v in d.non_trainable_variables])

        def forward(g_trainable, d_trainable):
            generated_audio, _ = g.stateless_call(g_trainable, g_values[1], x_batch_train, training=True)
            real_pred, _ = d.stateless_call(d_trainable, d_values[1], y_batch_train)
            fake_pred, _ = d.stateless_call(d_trainable, d_values[1], generated_audio)
            return self._gan_losses(generated_audio, real_pred, fake_pred)

        def gen_loss_fn(g_trainable):
            gen_fm_loss, disc_loss = forward(g_trainable, d_values[0])
            return gen_fm_loss, disc_loss

        def disc_loss_fn(d_trainable):
            return forward(g_values[0], d_trainable)[1]

        (gen_fm_loss, disc_loss), grads_gen = jax.value_and_grad(gen_loss_fn, has_aux=True)(g_values[0])
        grads_disc = jax.grad(disc_loss_fn)(d_values[0])
        self.gen_optimizer.apply(grads_gen, g.trainable_variables)
        self.disc_optimizer.apply(grads_disc, d.trainable_variables)
        logs = self._logs(gen_fm_loss, disc_loss)
        state = (
            [v.value for v in self.trainable_variables],
            [v.value for v in self.non_trainable_variables],
            [v.value for v in self.optimizer.variables],
            [v.value for v in self.metrics_variables],
        )
        return logs, state


gen_optimizer = keras.optimizers.Adam(learning_rate=1e-4, beta_1=0.5, clipvalue=1)
disc_optimizer = keras.optimizers.Adam(learning_rate=1e-4, beta_1=0.5, clipvalue=1)

mel_gan = MelGAN(generator, discriminator)
mel_gan.compile(gen_optimizer, disc_optimizer, generator_loss, feature_matching_loss, discriminator_loss)
history = mel_gan.fit(train_dataset, epochs=1, verbose=0)
print({k: round(float(v[-1]), 4) for k, v in history.history.items()})

# Sampling a random tensor to mimic a batch of mel spectrograms (MelSpec passes it through at inference).
audio_sample = keras.random.uniform([8, 32, 20])
pred = generator.predict(audio_sample, batch_size=4, verbose=0)
print("generated audio", pred.shape)
