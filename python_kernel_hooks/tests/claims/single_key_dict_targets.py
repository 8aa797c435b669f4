# Targets as a dict with one key for a single-output model (keras.io FNet text generation's
# `{"outputs": outputs[1:]}`): Keras 2 matched the key to the output's name; Keras 3 takes the dict
# as a structure of targets and fails on every backend.
import numpy as np
import tensorflow as tf
import keras

inputs = keras.Input((4,), name="features")
outputs = keras.layers.Dense(1, name="outputs")(inputs)
model = keras.Model(inputs, outputs)
model.compile("adam", "mse")


def split(features, target):
    return {"features": features}, {"outputs": target}


x = np.random.rand(16, 4).astype("float32")
y = np.random.rand(16, 1).astype("float32")
ds = tf.data.Dataset.from_tensor_slices((x, y)).map(split).batch(8)
model.fit(ds, epochs=1, verbose=0)
print("ok")
