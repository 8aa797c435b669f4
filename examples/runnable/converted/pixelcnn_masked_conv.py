"""Hand conversion to multi-backend Keras 3 (as the Keras team converted the keras.io example):
ops.shape of the kernel, keras.ops.conv with padding="same", keras.random.categorical.

PixelCNN on tiny synthetic binary images (in the style of the tf.keras-era keras.io "PixelCNN"
example): a PixelConvLayer that wraps Conv2D, builds it in build(), reads kernel.get_shape() to
make a NumPy mask and multiplies the kernel by the mask with kernel.assign() in call(); a Conv2D
subclass that masks its kernel through tf.nn.conv2d(..., padding="SAME") and tf.nn.bias_add;
residual blocks; and pixel-by-pixel sampling with tf.random.categorical on the model's logits."""
import numpy as np
import keras
from keras import layers, ops

np.random.seed(3)
keras.utils.set_random_seed(3)

num_classes = 2
input_shape = (6, 6, 1)
n_residual_blocks = 2


class PixelConvLayer(layers.Layer):
    def __init__(self, mask_type, **kwargs):
        super(PixelConvLayer, self).__init__()
        self.mask_type = mask_type
        self.conv = layers.Conv2D(**kwargs)

    def build(self, input_shape):
        # Build the conv2d layer to initialize kernel variables
        self.conv.build(input_shape)
        # Use the initialized kernel to create the mask
        kernel_shape = ops.shape(self.conv.kernel)
        self.mask = np.zeros(shape=kernel_shape)
        self.mask[: kernel_shape[0] // 2, ...] = 1.0
        self.mask[kernel_shape[0] // 2, : kernel_shape[1] // 2, ...] = 1.0
        if self.mask_type == "B":
            self.mask[kernel_shape[0] // 2, kernel_shape[1] // 2, ...] = 1.0

    def call(self, inputs):
        self.conv.kernel.assign(self.conv.kernel * self.mask)
        return self.conv(inputs)


class MaskedConv2D(layers.Conv2D):
    """Type-B masked convolution written as a Conv2D subclass."""

    def build(self, input_shape):
        super().build(input_shape)
        kh, kw = self.kernel_size
        mask = np.ones(self.kernel.shape, dtype="float32")
        mask[kh // 2, kw // 2 + 1:, ...] = 0.0
        mask[kh // 2 + 1:, ...] = 0.0
        self.kernel_mask = ops.convert_to_tensor(mask)

    def call(self, inputs):
        outputs = ops.conv(inputs, self.kernel * self.kernel_mask, strides=1, padding="same")
        if self.use_bias:
            outputs = outputs + self.bias
        return self.activation(outputs)


class ResidualBlock(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super(ResidualBlock, self).__init__(**kwargs)
        self.conv1 = keras.layers.Conv2D(filters=filters, kernel_size=1, activation="relu")
        self.pixel_conv = PixelConvLayer(mask_type="B", filters=filters // 2, kernel_size=3,
                                         activation="relu", padding="same")
        self.conv2 = keras.layers.Conv2D(filters=filters, kernel_size=1, activation="relu")

    def call(self, inputs):
        x = self.conv1(inputs)
        x = self.pixel_conv(x)
        x = self.conv2(x)
        return keras.layers.add([inputs, x])


data = (np.random.rand(64, *input_shape) > 0.5).astype(np.float32)

inputs = keras.Input(shape=input_shape)
x = PixelConvLayer(mask_type="A", filters=16, kernel_size=5, activation="relu", padding="same")(inputs)
for _ in range(n_residual_blocks):
    x = ResidualBlock(filters=16)(x)
x = MaskedConv2D(filters=16, kernel_size=3, activation="relu")(x)
out = keras.layers.Conv2D(filters=1, kernel_size=1, strides=1, activation="sigmoid", padding="valid")(x)

pixel_cnn = keras.Model(inputs, out)
adam = keras.optimizers.Adam(learning_rate=0.001)
pixel_cnn.compile(optimizer=adam, loss="binary_crossentropy")
pixel_cnn.fit(x=data, y=data, batch_size=16, epochs=2, validation_split=0.25, verbose=0)

# Generate images pixel by pixel.
batch = 2
pixels = np.zeros(shape=(batch,) + (pixel_cnn.input_shape)[1:])
batch, rows, cols, channels = pixels.shape
for row in range(rows):
    for col in range(cols):
        for channel in range(channels):
            probs = pixel_cnn.predict(pixels, verbose=0)[:, row, col, channel]
            logits = ops.log(ops.stack([1.0 - probs, probs], axis=-1) + 1e-7)
            pixels[:, row, col, channel] = ops.convert_to_numpy(
                ops.squeeze(keras.random.categorical(logits, 1), axis=-1))
assert set(np.unique(pixels)) <= {0.0, 1.0}
print("generated", pixels.shape, "ones:", int(pixels.sum()))
