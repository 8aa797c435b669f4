# tf.debugging.assert_rank in a layer's call() behind a Dense, under fit(): it reads its tensor, which fails
# on a JAX tracer and on a torch tensor that requires grad; tf.print beside it runs on every backend.
import numpy as np, keras
import tensorflow as tf


class Checked(keras.layers.Layer):
    def call(self, x):
        tf.debugging.assert_rank(x, 2, message="expects (batch, features)")
        tf.print("shape:", keras.ops.shape(x))
        return x * 2


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), Checked(), keras.layers.Dense(1)])
model.compile("adam", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), epochs=1, verbose=0)
