# A TF string op XLA cannot compile, in a layer's call(), with Keras 3's default jit_compile: on a
# CPU the default does not compile with XLA, so TensorFlow trains it; JAX fails on the TF ops.
import numpy as np
import tensorflow as tf
import keras


class Lengths(keras.layers.Layer):
    def call(self, x):
        return tf.cast(tf.strings.length(tf.strings.as_string(x)), "float32")


model = keras.Sequential([keras.Input((3,)), Lengths(), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)
