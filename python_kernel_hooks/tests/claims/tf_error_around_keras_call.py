# TensorFlow's intro-to-modules guide demonstrates a shape error: a layer built for 3 features called on 4, inside
# `except tf.errors.InvalidArgumentError`. TensorFlow raises that; JAX raises TypeError and PyTorch RuntimeError,
# which the handler does not catch, so the program stops there (KM294).
import numpy as np
import tensorflow as tf
import keras


class FlexibleDense(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 3), initializer="random_normal")

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.w)


layer = FlexibleDense()
layer(np.ones((2, 3), "float32"))
try:
    layer(np.ones((1, 4), "float32"))
except tf.errors.InvalidArgumentError as e:
    print("Failed:", type(e).__name__)
