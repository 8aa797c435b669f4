# A TF op that makes a tensor from sizes and values alone (`tf.zeros((inputs.shape[0], 4))` in call(),
# the keras.io functional API guide's zero state) and hands it only to Keras layers and keras.ops:
# TensorFlow computes the constant eagerly on every backend (a JAX trace and PyTorch's autograd never
# reach it), and the layers take it as data, in fit() and in a direct call. Claimed nowhere.
import numpy as np
import tensorflow as tf
import keras
from keras import layers


class ZeroState(layers.Layer):
    def __init__(self):
        super().__init__()
        self.proj = layers.Dense(4)
        self.proj_state = layers.Dense(4)

    def call(self, inputs):
        state = tf.zeros(shape=(inputs.shape[0], 4))
        return keras.ops.add(self.proj(inputs), self.proj_state(state))


inputs = keras.Input(batch_shape=(2, 3))
model = keras.Model(inputs, ZeroState()(inputs))
model.compile(optimizer="adam", loss="mse")
model.fit(np.zeros((4, 3), "float32"), np.zeros((4, 4), "float32"), batch_size=2, epochs=1, verbose=0)
print(ZeroState()(np.zeros((1, 3), "float32")).shape)
