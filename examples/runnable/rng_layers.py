"""Layers that draw random numbers in call(), next to the built-in noise layers."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class RandomMask(layers.Layer):
    """Drops whole feature columns at train time."""

    def __init__(self, rate=0.2, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs, training=None):
        if not training:
            return inputs
        keep = tf.cast(tf.random.uniform(tf.shape(inputs)[-1:]) > self.rate, inputs.dtype)
        return inputs * keep


class GaussianJitter(layers.Layer):
    def __init__(self, stddev=0.1, **kwargs):
        super().__init__(**kwargs)
        self.stddev = stddev

    def call(self, inputs, training=False):
        if training:
            return inputs + tf.random.normal(tf.shape(inputs), stddev=self.stddev, seed=1)
        return inputs


model = keras.Sequential([
    keras.Input(shape=(12,)),
    RandomMask(0.25),
    GaussianJitter(0.05),
    layers.GaussianNoise(0.1),
    layers.Dense(8, activation="relu"),
    layers.Dropout(0.3),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
x = np.random.rand(64, 12).astype("float32")
y = np.random.randint(0, 2, size=(64, 1)).astype("float32")
model.fit(x, y, epochs=2, batch_size=16, verbose=0)
print(model.predict(x[:4], verbose=0).ravel())
