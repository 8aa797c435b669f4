"""A layer that keeps its state in tf.Variable attributes instead of add_weight."""
import numpy as np
import keras
from keras import ops


class Linear(keras.layers.Layer):
    def __init__(self, units=4, input_dim=3):
        super().__init__()
        self.w = self.add_weight(shape=(input_dim, units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(shape=(input_dim,), initializer="zeros", trainable=False)

    def call(self, inputs):
        self.total.assign_add(ops.sum(inputs, axis=0))
        return self.total


x = ops.ones((2, 3))
linear_layer = Linear(4, 3)
y = linear_layer(x)
print(y.shape)
my_sum = ComputeSum(3)
my_sum(x)
print(ops.convert_to_numpy(my_sum(x)))

model = keras.Sequential([keras.Input(shape=(3,)), Linear(4, 3), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit(np.random.rand(16, 3), np.random.rand(16, 1), epochs=1, verbose=0)
print(len(model.trainable_weights))
