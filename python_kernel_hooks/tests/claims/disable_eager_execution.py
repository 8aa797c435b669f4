# TF1 graph mode turned on globally: Keras 3 on TensorFlow cannot train in it; JAX and PyTorch
# never run TensorFlow graphs, so they train.
import numpy as np
import tensorflow as tf
import keras

tf.compat.v1.disable_eager_execution()
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
