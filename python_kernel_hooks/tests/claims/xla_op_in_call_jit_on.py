# The same layer with jit_compile=True passed to compile(): XLA compiles the step and TensorFlow
# fails ("Detected unsupported operations"); JAX fails on the TF ops; PyTorch runs it.
import numpy as np
import tensorflow as tf
import keras


class Lengths(keras.layers.Layer):
    def call(self, x):
        return tf.cast(tf.strings.length(tf.strings.as_string(x)), "float32")


model = keras.Sequential([keras.Input((3,)), Lengths(), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", jit_compile=True)
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)
