"""Hand conversion of ops_attention_helpers.py to multi-backend Keras 3."""
import numpy as np
import keras
from keras import layers, ops


def scaled_dot_attention(query, key, value):
    scores = ops.matmul(query, ops.swapaxes(key, -1, -2))
    scores = scores / ops.sqrt(ops.cast(ops.shape(key)[-1], "float32"))
    weights = ops.softmax(scores, axis=-1)
    return ops.matmul(weights, value)


def add_positions(x, length):
    positions = ops.arange(start=0, stop=length, step=1)
    positions = ops.cast(ops.expand_dims(positions, -1), x.dtype)
    return x + ops.clip(positions / 10.0, 0.0, 1.0)


class SelfAttention(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.q = layers.Dense(units)
        self.k = layers.Dense(units)
        self.v = layers.Dense(units)

    def call(self, inputs):
        x = add_positions(inputs, inputs.shape[1])
        attended = scaled_dot_attention(self.q(x), self.k(x), self.v(x))
        centred = attended - ops.mean(attended, axis=1, keepdims=True)
        return ops.concatenate([centred, ops.max(attended, 1, True) * ops.ones_like(centred)], -1)


class EveryOther(layers.Layer):
    def call(self, inputs):
        picked = ops.take(inputs, ops.arange(0, inputs.shape[1], 2), axis=1)
        return ops.sum(picked, axis=1)


inputs = keras.Input(shape=(6, 4))
x = SelfAttention(8)(inputs)
x = EveryOther()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
data = np.random.rand(32, 6, 4).astype("float32")
model.fit(data, np.random.rand(32, 1), epochs=1, batch_size=8, verbose=0)
print(model.predict(data[:2], verbose=0).shape)
