# TensorFlow time-series tutorial: a column of a Dense layer's kernel read with .numpy(). The
# variable itself has .numpy() on every backend, but a slice of it is a backend tensor: a JAX array
# has no .numpy(), and on PyTorch it requires grad, which .numpy() refuses.
import numpy as np
import keras

linear = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units=1)])
linear(np.zeros((2, 3), "float32"))
height = linear.layers[0].kernel[:, 0].numpy()
print(height)
