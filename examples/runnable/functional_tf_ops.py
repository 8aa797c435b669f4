"""A functional model that applies TensorFlow ops directly to Keras tensors (Keras 2 allowed it)."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

FEATURES = ["height", "weight", "age"]

inputs = {}
for name in FEATURES:
    inputs[name] = keras.Input(shape=(1,), name=name)

stacked = tf.concat([inputs[name] for name in FEATURES], axis=-1)
scaled = tf.math.log1p(tf.abs(stacked))
hidden = layers.Dense(8)(scaled)
hidden = tf.nn.relu(hidden)
hidden = tf.reshape(hidden, [-1, 2, 4])
pooled = tf.reduce_mean(hidden, axis=1)
output = layers.Dense(1, activation="sigmoid")(pooled)
model = keras.Model(inputs=inputs, outputs=output)
model.compile(optimizer="adam", loss="binary_crossentropy")

data = {name: np.random.rand(32, 1).astype("float32") for name in FEATURES}
target = np.random.randint(0, 2, size=(32, 1))
model.fit(data, target, epochs=1, verbose=0)
print(model.predict(data, verbose=0)[:3].ravel())
