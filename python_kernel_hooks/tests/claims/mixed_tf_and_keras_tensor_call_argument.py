# A Functional model called on a list that mixes a TensorFlow tensor with a keras.ops value: on TensorFlow
# both are tensors and it runs; on JAX and PyTorch the TF tensor is a non-tensor beside the backend's
# tensor, and Keras 3 refuses the mixed nested call() argument.
import numpy as np
import tensorflow as tf
import keras

s_in = keras.Input((3,))
a_in = keras.Input((1,))
critic = keras.Model([s_in, a_in], keras.layers.Dense(1)(keras.layers.concatenate([s_in, a_in])))

states = keras.ops.convert_to_tensor(np.random.rand(4, 3).astype("float32"))
actions = tf.constant(np.random.rand(4, 1).astype("float32"))
q = critic([states, actions])
print("q", q.shape)
