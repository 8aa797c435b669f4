"""A self-attention layer whose call() uses a module-level helper full of TF ops (matmul with
transpose_b, tf.range with start/limit/delta, keepdims reductions, concat with a positional axis)."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def scaled_dot_attention(query, key, value):
    scores = tf.matmul(query, key, transpose_b=True)
    scores = scores / tf.math.sqrt(tf.cast(tf.shape(key)[-1], tf.float32))
    weights = tf.nn.softmax(scores, axis=-1)
    return tf.matmul(weights, value)


def add_positions(x, length):
    positions = tf.range(start=0, limit=length, delta=1)
    positions = tf.cast(tf.expand_dims(positions, -1), x.dtype)
    return x + tf.clip_by_value(positions / 10.0, 0.0, 1.0)


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
        centred = attended - tf.reduce_mean(attended, axis=1, keepdims=True)
        return tf.concat([centred, tf.reduce_max(attended, 1, True) * tf.ones_like(centred)], -1)


class EveryOther(layers.Layer):
    def call(self, inputs):
        picked = tf.gather(inputs, tf.range(0, inputs.shape[1], 2), axis=1)
        return tf.reduce_sum(picked, axis=1)


inputs = keras.Input(shape=(6, 4))
x = SelfAttention(8)(inputs)
x = EveryOther()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
data = np.random.rand(32, 6, 4).astype("float32")
model.fit(data, np.random.rand(32, 1), epochs=1, batch_size=8, verbose=0)
print(model.predict(data[:2], verbose=0).shape)
