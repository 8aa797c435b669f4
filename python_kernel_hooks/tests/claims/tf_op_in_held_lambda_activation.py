# An activation held by a name (keras.io eikonal's `act = lambda z: tf.math.exp(-(z**2))`, then
# `Dense(4, activation=act)`): Keras calls it on the layer's tensors, which JAX traces and which require grad on
# PyTorch in training, so the TF op fails on both; TensorFlow runs it.
import numpy as np
import tensorflow as tf
import keras
from keras import layers

act = lambda z: tf.math.exp(-(z**2))
inputs = keras.Input(shape=(2,))
outputs = layers.Dense(1)(layers.Dense(4, activation=act)(inputs))
model = keras.Model(inputs, outputs)
model.compile("adam", "mse")
model.fit(np.ones((8, 2), "float32"), np.zeros((8, 1), "float32"), verbose=0)
