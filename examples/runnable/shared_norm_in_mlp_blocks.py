# A tabular regressor whose MLP blocks are built by one helper that is handed a normalization
# layer object: the helper puts that same object before every Dense of the block.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def dense_block(widths, norm, dropout, name):
    parts = []
    for width in widths:
        parts.append(norm)
        parts.append(layers.Dense(width, activation="relu"))
        parts.append(layers.Dropout(dropout))
    return keras.Sequential(parts, name=name)


rng = np.random.default_rng(3)
features = rng.normal(size=(256, 6)).astype("float32")
target = (features @ rng.normal(size=(6, 1))).astype("float32")

inputs = keras.Input(shape=(6,))
x = dense_block([12, 24], layers.LayerNormalization(epsilon=1e-5), 0.1, "body")(inputs)
x = dense_block([8], layers.BatchNormalization(), 0.0, "head")(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
history = model.fit(features, target, batch_size=32, epochs=2, verbose=0)
print("layers in body:", len(model.get_layer("body").layers))
print("loss:", history.history["loss"][-1])
print("prediction:", model.predict(features[:2], verbose=0).ravel())
