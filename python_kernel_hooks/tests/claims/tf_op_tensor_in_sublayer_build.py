# A TF tensor kept in the build() of a sublayer (`self.scale = tf.range(n) / 10.0`) that only keras.ops
# calls read: the parent layer, called on a functional model's inputs, builds it inside the graph Keras
# traces for that call, so on TensorFlow the kept tensor is "out of scope" later; JAX and PyTorch take
# it as data (a TF tensor is concrete there). Met by an operator instead, it fails on every backend.
import numpy as np, keras, tensorflow as tf


class PosScale(keras.layers.Layer):
    def build(self, input_shape):
        self.scale = tf.range(input_shape[-1], dtype=tf.float32) / 10.0

    def call(self, x):
        return keras.ops.multiply(x, self.scale)


class Block(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(8)
        self.scale = PosScale()

    def call(self, x):
        return self.scale(self.dense(x))


inputs = keras.Input((4,))
model = keras.Model(inputs, keras.layers.Dense(1)(Block()(inputs)))
model.compile("adam", "mse")
model.fit(np.ones((16, 4), "float32"), np.ones((16, 1), "float32"), epochs=2, batch_size=8, verbose=0)
