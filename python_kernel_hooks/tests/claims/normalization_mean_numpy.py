# TensorFlow regression tutorial: the mean an adapted Normalization layer learned, read with
# .numpy(). Keras 3 keeps it as a backend tensor: a JAX array has no .numpy() (PyTorch's tensor,
# without grad, converts).
import numpy as np
import keras

normalizer = keras.layers.Normalization()
normalizer.adapt(np.array([[1.0, 2.0], [3.0, 4.0]], "float32"))
print(normalizer.mean.numpy())
