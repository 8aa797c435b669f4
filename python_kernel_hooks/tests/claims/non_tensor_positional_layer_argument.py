"""Python ints handed positionally to a notebook layer: a static shape entry returned by one layer and
passed on through another layer's call() parameters. Keras 2 passed them to call(); Keras 3 accepts only
tensors as positional arguments of a layer call ("Only input tensors may be passed as positional
arguments") on every backend. KM345 claims TensorFlow, JAX and PyTorch."""
import numpy as np
import keras


class Flatten2D(keras.layers.Layer):
    def call(self, images):
        rows = keras.ops.shape(images)[1]
        cols = keras.ops.shape(images)[2]
        return keras.ops.reshape(images, (-1, rows * cols, images.shape[-1])), rows, cols


class Unflatten(keras.layers.Layer):
    def call(self, tokens, rows, cols):
        return keras.ops.reshape(tokens, (-1, rows, cols, tokens.shape[-1]))


class Scaler(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.unflatten = Unflatten()

    def call(self, tokens, rows, cols):
        return self.unflatten(tokens * 2.0, rows, cols)


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.flat = Flatten2D()
        self.scale = Scaler()
        self.head = keras.layers.Dense(1)

    def call(self, images):
        tokens, rows, cols = self.flat(images)
        grid = self.scale(tokens, rows, cols)
        return self.head(keras.ops.mean(grid, axis=(1, 2)))


model = Net()
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3, 5, 2), "float32"), np.ones((4, 1), "float32"), epochs=1, verbose=0)
