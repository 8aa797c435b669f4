"""A layer that keeps its state in tf.Variable attributes instead of add_weight."""
import numpy as np
import tensorflow as tf
from tensorflow import keras


class Linear(keras.layers.Layer):
    def __init__(self, units=4, input_dim=3):
        super(Linear, self).__init__()
        w_init = tf.random_normal_initializer()
        self.w = tf.Variable(initial_value=w_init(shape=(input_dim, units), dtype="float32"), trainable=True)
        b_init = tf.zeros_initializer()
        self.b = tf.Variable(initial_value=b_init(shape=(units,), dtype="float32"), trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b


class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim):
        super(ComputeSum, self).__init__()
        self.total = tf.Variable(initial_value=tf.zeros((input_dim,)), trainable=False)

    def call(self, inputs):
        self.total.assign_add(tf.reduce_sum(inputs, axis=0))
        return self.total


x = tf.ones((2, 3))
linear_layer = Linear(4, 3)
y = linear_layer(x)
print(y.shape)
my_sum = ComputeSum(3)
my_sum(x)
print(my_sum(x).numpy())

model = keras.Sequential([keras.Input(shape=(3,)), Linear(4, 3), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit(np.random.rand(16, 3), np.random.rand(16, 1), epochs=1, verbose=0)
print(len(model.trainable_weights))
