# keras.random without a seed in call() fails when JAX traces the model.
import numpy as np, keras, tensorflow as tf
class Noise(keras.layers.Layer):
    def call(self, x):
        return x + keras.random.normal(keras.ops.shape(x))
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2), Noise(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
