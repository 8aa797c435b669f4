# TF ops whose values become Python values in __init__, build and get_config run on every
# backend while TensorFlow is installed.
import numpy as np
import tensorflow as tf
import keras


class Scaled(keras.layers.Layer):
    def __init__(self, units, rate=0.5, **kwargs):
        super().__init__(**kwargs)
        self.units = int(tf.math.ceil(units / 2))
        self.rate = rate

    def build(self, input_shape):
        limit = float(tf.sqrt(6.0 / input_shape[-1]))
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer=keras.initializers.RandomUniform(-limit, limit))

    def call(self, x):
        return keras.ops.matmul(x, self.w) * self.rate

    def get_config(self):
        return {**super().get_config(), "units": self.units * 2, "rate": float(tf.constant(self.rate).numpy())}


model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3), Scaled(5), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0, epochs=1)
print(Scaled.from_config(model.layers[1].get_config()).units)
