# keras.io PatchConvNet's convolutional stem: a layer config dict with "activation": tf.nn.gelu, splatted
# into Conv2D. TensorFlow runs it; JAX (traced) and PyTorch (tensors that require grad) fail in training.
import numpy as np
import tensorflow as tf
import keras

config = {"kernel_size": (3, 3), "strides": (2, 2), "activation": tf.nn.gelu, "padding": "same"}
model = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(4, **config), keras.layers.Flatten(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 8, 8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
print("trained")
