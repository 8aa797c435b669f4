# TF ops under tests of keras.backend.backend(): only the backends a test lets through run them.
# A TensorFlow-only branch (and the TF path after the other backends returned) blocks nothing;
# under `!= "jax"` the op still meets tensors that require grad on PyTorch.
import numpy as np, keras, tensorflow as tf


class Gate(keras.layers.Layer):
    def call(self, x):
        if keras.backend.backend() == "tensorflow":
            return tf.nn.silu(x)
        return keras.ops.silu(x)


class Scale(keras.layers.Layer):
    def call(self, x):
        if keras.backend.backend() in ("jax", "torch"):
            return keras.ops.tanh(x)
        return tf.math.tanh(x)


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3), Gate(), Scale(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0, epochs=1)


class OffJax(keras.layers.Layer):
    def call(self, x):
        if keras.backend.backend() != "jax":
            return tf.math.softplus(x)
        return keras.ops.softplus(x)


other = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3), OffJax(), keras.layers.Dense(1)])
other.compile("sgd", "mse")
other.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0, epochs=1)
