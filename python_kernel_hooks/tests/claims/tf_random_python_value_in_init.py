# tf.random in a layer's __init__, made a Python number: it never meets the backend's tensors and
# runs on every backend.
import numpy as np, keras, tensorflow as tf


class Scale(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.factor = float(tf.random.uniform((), 0.5, 1.5).numpy())

    def call(self, x):
        return x * self.factor


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), Scale(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
