# A TF op in a helper that builds a Functional model: it gets KerasTensors, which TF functions
# refuse ("A KerasTensor cannot be used as input to a TensorFlow function") on every backend.
import keras
import tensorflow as tf


def block(t):
    t = keras.layers.Dense(4)(t)
    return tf.concat([t, t], axis=-1)


inputs = keras.Input((8,))
model = keras.Model(inputs, block(inputs))
