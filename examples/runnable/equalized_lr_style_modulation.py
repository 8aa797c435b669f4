"""Style-modulated convolutions with equalized learning rate (after the keras.io "Face image
generation with StyleGAN" example of the tf.keras era), shrunk to a denoising task on synthetic
8x8 images: a mapping network (pixel_norm written with tf ops on the functional input, then
equalized Dense layers) turns a latent code into a style vector; a synthesis block applies an
equalized convolution (tf.pad REFLECT and tf.nn.conv2d with the weight scaled by a constant
tf.sqrt(gain / fan_in) made in build()), per-channel learned noise, and AdaIN whose two equalized
Dense sublayers are made in its build(); the whole model is trained with compile/fit and used
through predict and a direct call."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def pixel_norm(x, epsilon=1e-8):
    return x / tf.math.sqrt(tf.reduce_mean(x**2, axis=-1, keepdims=True) + epsilon)


class EqualizedConv(layers.Layer):
    def __init__(self, out_channels, kernel=3, gain=2, **kwargs):
        super(EqualizedConv, self).__init__(**kwargs)
        self.kernel = kernel
        self.out_channels = out_channels
        self.gain = gain
        self.pad = kernel != 1

    def build(self, input_shape):
        self.in_channels = input_shape[-1]
        initializer = keras.initializers.RandomNormal(mean=0.0, stddev=1.0)
        self.w = self.add_weight(
            shape=[self.kernel, self.kernel, self.in_channels, self.out_channels],
            initializer=initializer,
            trainable=True,
            name="kernel",
        )
        self.b = self.add_weight(shape=(self.out_channels,), initializer="zeros", trainable=True, name="bias")
        fan_in = self.kernel * self.kernel * self.in_channels
        self.scale = tf.sqrt(self.gain / fan_in)

    def call(self, inputs):
        if self.pad:
            x = tf.pad(inputs, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
        else:
            x = inputs
        return tf.nn.conv2d(x, self.scale * self.w, strides=1, padding="VALID") + self.b


class EqualizedDense(layers.Layer):
    def __init__(self, units, gain=2, learning_rate_multiplier=1, **kwargs):
        super(EqualizedDense, self).__init__(**kwargs)
        self.units = units
        self.gain = gain
        self.learning_rate_multiplier = learning_rate_multiplier

    def build(self, input_shape):
        self.in_channels = input_shape[-1]
        initializer = keras.initializers.RandomNormal(mean=0.0, stddev=1.0 / self.learning_rate_multiplier)
        self.w = self.add_weight(shape=[self.in_channels, self.units], initializer=initializer, trainable=True, name="kernel")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True, name="bias")
        fan_in = self.in_channels
        self.scale = tf.sqrt(self.gain / fan_in)

    def call(self, inputs):
        output = tf.add(tf.matmul(inputs, self.scale * self.w), self.b)
        return output * self.learning_rate_multiplier


class AddNoise(layers.Layer):
    def build(self, input_shape):
        n, h, w, c = input_shape[0]
        initializer = keras.initializers.RandomNormal(mean=0.0, stddev=1.0)
        self.b = self.add_weight(shape=[1, 1, 1, c], initializer=initializer, trainable=True, name="kernel")

    def call(self, inputs):
        x, noise = inputs
        return x + self.b * noise


class AdaIN(layers.Layer):
    def __init__(self, gain=1, **kwargs):
        super(AdaIN, self).__init__(**kwargs)
        self.gain = gain

    def build(self, input_shapes):
        x_shape = input_shapes[0]
        w_shape = input_shapes[1]
        self.w_channels = w_shape[-1]
        self.x_channels = x_shape[-1]
        self.dense_1 = EqualizedDense(self.x_channels, gain=1)
        self.dense_2 = EqualizedDense(self.x_channels, gain=1)

    def call(self, inputs):
        x, w = inputs
        ys = tf.reshape(self.dense_1(w), (-1, 1, 1, self.x_channels))
        yb = tf.reshape(self.dense_2(w), (-1, 1, 1, self.x_channels))
        return ys * x + yb


def Mapping(num_layers=2, input_shape=16):
    z = layers.Input(shape=(input_shape))
    w = pixel_norm(z)
    for i in range(num_layers):
        w = EqualizedDense(16, learning_rate_multiplier=0.1)(w)
        w = layers.LeakyReLU(0.2)(w)
    return keras.Model(z, w, name="mapping")


def synthesis_block(res=8, filters=8):
    image = layers.Input(shape=(res, res, 3), name="noisy_image")
    noise = layers.Input(shape=(res, res, 1), name="noise")
    w = layers.Input(shape=16, name="style")
    x = EqualizedConv(filters, 3)(image)
    x = AddNoise()([x, noise])
    x = layers.LeakyReLU(0.2)(x)
    x = AdaIN()([x, w])
    x = EqualizedConv(filters, 3)(x)
    x = layers.LeakyReLU(0.2)(x)
    x = EqualizedConv(3, 1, gain=1)(x)
    return keras.Model([image, noise, w], x, name="synthesis")


mapping = Mapping()
synthesis = synthesis_block()
z_in = layers.Input(shape=(16,), name="z")
image_in = layers.Input(shape=(8, 8, 3), name="image")
noise_in = layers.Input(shape=(8, 8, 1), name="noise_map")
out = synthesis([image_in, noise_in, mapping(z_in)])
model = keras.Model([z_in, image_in, noise_in], out, name="style_denoiser")
model.compile(optimizer=keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.99), loss="mse")

rng = np.random.RandomState(0)
clean = np.tanh(rng.normal(size=(128, 8, 8, 3))).astype("float32")
noisy = (clean + 0.3 * rng.normal(size=clean.shape)).astype("float32")
z = rng.normal(size=(128, 16)).astype("float32")
noise = rng.normal(size=(128, 8, 8, 1)).astype("float32")

history = model.fit([z, noisy, noise], clean, batch_size=16, epochs=3, verbose=2)
assert np.isfinite(history.history["loss"][-1])
pred = model.predict([z[:4], noisy[:4], noise[:4]], verbose=0)
direct = model([z[:4], noisy[:4], noise[:4]])
print("predict:", pred.shape, "direct call:", tuple(direct.shape))
print("final loss: %.4f" % history.history["loss"][-1])
