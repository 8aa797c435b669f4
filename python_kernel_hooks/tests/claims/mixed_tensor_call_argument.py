# A Functional model called on a list that mixes a NumPy array with a TensorFlow tensor (the TF2 RL
# Cookbook's DDPG critic: `actions = tf.convert_to_tensor(actions)`, then `self.model([states, actions])`).
# Keras 3 refuses a nested call() argument that mixes tensors and non-tensors: on TensorFlow, where a TF
# tensor is a tensor. On JAX and PyTorch a TF tensor is a non-tensor like the array, and this runs.
import numpy as np
import tensorflow as tf
import keras

s_in = keras.Input((3,))
a_in = keras.Input((1,))
out = keras.layers.Dense(1)(keras.layers.concatenate([s_in, a_in]))
critic = keras.Model([s_in, a_in], out)

states = np.random.rand(4, 3).astype("float32")
actions = tf.convert_to_tensor(np.random.rand(4, 1).astype("float32"))
q = critic([states, actions])
print("q", q.shape)
