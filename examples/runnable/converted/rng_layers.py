"""Layers that draw random numbers in call(), next to the built-in noise layers."""
import numpy as np
import keras
from keras import layers, ops


class RandomMask(layers.Layer):
    """Drops whole feature columns at train time."""

    def __init__(self, rate=0.2, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        if not training:
            return inputs
        keep = ops.cast(keras.random.uniform(ops.shape(inputs)[-1:], seed=self.seed_generator) > self.rate, inputs.dtype)
        return inputs * keep


class GaussianJitter(layers.Layer):
    def __init__(self, stddev=0.1, **kwargs):
        super().__init__(**kwargs)
        self.stddev = stddev
        self.seed_generator = keras.random.SeedGenerator(1)

    def call(self, inputs, training=False):
        if training:
            return inputs + keras.random.normal(ops.shape(inputs), stddev=self.stddev, seed=self.seed_generator)
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
