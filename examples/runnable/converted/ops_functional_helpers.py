"""Hand conversion of ops_functional_helpers.py to multi-backend Keras 3."""
import numpy as np
import keras
from keras import layers, ops

NUMERIC = ["rooms", "area", "age"]


def log_scale(t):
    return ops.log1p(ops.absolute(t))


def combine(columns):
    return ops.concatenate(columns, axis=-1)


def dense_block(x, units):
    x = layers.Dense(units)(x)
    return ops.relu(x)


inputs = {}
for name in NUMERIC:
    inputs[name] = keras.Input(shape=(1,), name=name)

scaled = [log_scale(inputs[name]) for name in NUMERIC]
x = combine(scaled)
x = dense_block(x, 8)
x = ops.clip(x, 0.0, 6.0)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer="adam", loss="mse")

data = {name: np.random.rand(32, 1).astype("float32") * 100 for name in NUMERIC}
model.fit(data, np.random.rand(32, 1), epochs=1, verbose=0)
print(model.predict(data, verbose=0)[:2].ravel())
