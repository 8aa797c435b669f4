# A TF constant held by a name, compared with an eager model output at the top level. TensorFlow's
# operator converts the other side through NumPy: on PyTorch the output requires grad ("Can't call
# numpy() on Tensor that requires grad"); TensorFlow and JAX run it.
import numpy as np
import tensorflow as tf
import keras

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
threshold = tf.constant(0.5)
scores = model(np.ones((2, 4), "float32"))
hits = scores > threshold
print(hits)
