# TensorFlow CSV-loading tutorial: the Inputs are made in a loop over the columns, each dtype chosen
# in a branch (tf.string for object columns). The string Input runs on TensorFlow only.
import numpy as np
import tensorflow as tf
import keras

features = {"age": np.array([22.0, 38.0, 26.0]), "sex": np.array(["male", "female", "male"], dtype=object)}
inputs = {}
for name, column in features.items():
    dtype = column.dtype
    if dtype == object:
        dtype = tf.string
    else:
        dtype = tf.float32
    inputs[name] = keras.Input(shape=(1,), name=name, dtype=dtype)
lookup = keras.layers.StringLookup(vocabulary=np.unique(features["sex"]))
one_hot = keras.layers.CategoryEncoding(num_tokens=lookup.vocabulary_size())
x = keras.layers.Concatenate()([inputs["age"], one_hot(lookup(inputs["sex"]))])
model = keras.Model(inputs, keras.layers.Dense(1)(x))
model.compile(loss="mse", optimizer="adam")
model.fit(features, np.array([1.0, 0.0, 1.0]), epochs=1, verbose=0)
print("DONE")
