# `.numpy()` on the outputs of layer classes of the program: a layer whose call() returns a
# tf.Variable gives a TF tensor on every backend (runs everywhere); a layer without Keras weights
# gives a tensor without grad on PyTorch (fails on JAX only).
import numpy as np
import tensorflow as tf
import keras


class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = tf.Variable(initial_value=tf.zeros((input_dim,)), trainable=False)

    def call(self, inputs):
        self.total.assign_add(tf.reduce_sum(inputs, axis=0))
        return self.total


class Double(keras.layers.Layer):
    def call(self, inputs):
        return inputs * 2.0


my_sum = ComputeSum(3)
print(my_sum(tf.ones((2, 3))).numpy())
double = Double()
print(double(np.ones((2, 3), "float32")).numpy())
