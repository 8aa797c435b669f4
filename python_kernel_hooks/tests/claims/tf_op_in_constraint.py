# A TF op in a layer's constraint (`kernel_constraint=lambda w: tf.clip_by_value(...)`): Keras runs constraints
# after the optimizer's step. JAX traces that step, so the TF op fails there; PyTorch runs it without grad, and
# TensorFlow converts the tensor, so it runs and clips (KM131 claims JAX only).
import numpy as np
import tensorflow as tf
import keras
from keras import layers

inputs = keras.Input(shape=(2,))
clip = lambda w: tf.clip_by_value(w, -0.5, 0.5)
dense = layers.Dense(1, kernel_constraint=clip, kernel_initializer="ones")
model = keras.Model(inputs, dense(inputs))
model.compile(keras.optimizers.SGD(0.01), "mse")
model.fit(np.ones((8, 2), "float32"), np.full((8, 1), 5.0, "float32"), epochs=2, verbose=0)
kernel = keras.ops.convert_to_numpy(dense.kernel)
assert np.all(np.abs(kernel) <= 0.5 + 1e-6), kernel
