# float()/int() of a variable of one element in two dimensions: a Keras variable (add_weight,
# keras.Variable) converts only scalars on every backend, and a tf.Variable goes through NumPy, which
# since NumPy 2 refuses the same: fails on TensorFlow, JAX and PyTorch.
import numpy as np, keras, tensorflow as tf


class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.alpha = self.add_weight(name="alpha", shape=(1, 1), initializer="ones")

    def call(self, x):
        return x * self.alpha

    def get_config(self):
        return {**super().get_config(), "alpha": float(self.alpha)}


layer = Scale()
layer.build((None, 2))
print(layer.get_config())
v = tf.Variable(tf.zeros((1, 1)))
print(float(v))
