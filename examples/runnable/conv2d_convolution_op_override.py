"""Customizing the convolution operation of a Conv2D layer (after the keras.io example, tf.keras
era): weight standardization by overriding Conv2D.convolution_op with tf.nn.moments and
tf.nn.conv2d (strides=list(self.strides), padding="VALID"), and a second layer overriding call()
that standardizes self.kernel and calls self.convolution_op itself, adding self.bias. Both train on
MNIST-shaped random data (the original loads MNIST) and are compared with a plain Conv2D."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class StandardizedConv2DWithOverride(layers.Conv2D):
    def convolution_op(self, inputs, kernel):
        mean, var = tf.nn.moments(kernel, axes=[0, 1, 2], keepdims=True)
        return tf.nn.conv2d(
            inputs,
            (kernel - mean) / tf.sqrt(var + 1e-10),
            padding="VALID",
            strides=list(self.strides),
            name=self.__class__.__name__,
        )


class StandardizedConv2DWithCall(layers.Conv2D):
    def call(self, inputs):
        mean, var = tf.nn.moments(self.kernel, axes=[0, 1, 2], keepdims=True)
        result = self.convolution_op(
            inputs, (self.kernel - mean) / tf.sqrt(var + 1e-10)
        )
        if self.use_bias:
            result = result + self.bias
        return result


num_classes = 10
input_shape = (28, 28, 1)

# Random data standing in for MNIST: (x_train, y_train), (x_test, y_test) = mnist.load_data()
rng = np.random.default_rng(0)
x_train = rng.integers(0, 256, size=(256, 28, 28)).astype("uint8")
y_train = rng.integers(0, num_classes, size=(256,))
x_test = rng.integers(0, 256, size=(64, 28, 28)).astype("uint8")
y_test = rng.integers(0, num_classes, size=(64,))

# Scale images to the [0, 1] range
x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255
# Make sure images have shape (28, 28, 1)
x_train = np.expand_dims(x_train, -1)
x_test = np.expand_dims(x_test, -1)

# convert class vectors to binary class matrices
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = keras.Sequential(
    [
        keras.layers.InputLayer(input_shape=input_shape),
        StandardizedConv2DWithCall(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        StandardizedConv2DWithOverride(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ]
)

model.summary()

batch_size = 128
epochs = 2

model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])

history = model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_split=0.1)
score = model.evaluate(x_test, y_test, verbose=0)
print("Test loss:", score[0], "Test accuracy:", score[1])

# The standardized kernel has zero mean and unit variance per output filter.
layer = model.layers[0]
kernel = layer.kernel
mean, var = tf.nn.moments(kernel, axes=[0, 1, 2])
standardized = (kernel - mean) / tf.sqrt(var + 1e-10)
print("standardized kernel mean", float(tf.reduce_mean(standardized)), "shape", standardized.shape)
plain = layers.Conv2D(32, kernel_size=(3, 3))
plain.build((None, 28, 28, 1))
plain.set_weights(layer.get_weights())
print("plain vs standardized", float(tf.reduce_max(tf.abs(plain(x_test[:2]) - layer.convolution_op(x_test[:2], kernel)))))
