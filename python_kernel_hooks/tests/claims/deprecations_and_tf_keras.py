# Deprecated arguments warn; tf.keras is Keras 3 on the configured backend while TensorFlow is installed.
import numpy as np
import tensorflow as tf
import keras

model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,)), keras.layers.LeakyReLU(alpha=0.2), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
model = keras.Sequential([keras.layers.InputLayer(input_shape=(3,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
model.compile(tf.keras.optimizers.SGD(), tf.keras.losses.MeanSquaredError())
model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
