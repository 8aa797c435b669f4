"""A functional model whose inputs are kept in a dict filled by subscript, with TF ops applied
to the KerasTensors inside helper functions (Keras 2 turned them into TFOpLambda layers)."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

NUMERIC = ["rooms", "area", "age"]


def log_scale(t):
    return tf.math.log1p(tf.abs(t))


def combine(columns):
    return tf.concat(columns, axis=-1)


def dense_block(x, units):
    x = layers.Dense(units)(x)
    return tf.nn.relu(x)


inputs = {}
for name in NUMERIC:
    inputs[name] = keras.Input(shape=(1,), name=name)

scaled = [log_scale(inputs[name]) for name in NUMERIC]
x = combine(scaled)
x = dense_block(x, 8)
x = tf.clip_by_value(x, 0.0, 6.0)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer="adam", loss="mse")

data = {name: np.random.rand(32, 1).astype("float32") * 100 for name in NUMERIC}
model.fit(data, np.random.rand(32, 1), epochs=1, verbose=0)
print(model.predict(data, verbose=0)[:2].ravel())
