# A TF op of plain data handed straight to keras.ops, behind a trainable layer: keras.ops converts it
# like NumPy data, also inside a jit-compiled JAX step, so it runs on every backend.
import numpy as np, keras, tensorflow as tf
class L(keras.layers.Layer):
    def call(self, x):
        sizes = keras.ops.concatenate([keras.ops.expand_dims(keras.ops.shape(x)[0], -1), tf.constant([1, 1], dtype=tf.int32)], 0)
        return x + keras.ops.cast(keras.ops.sum(sizes), x.dtype) * 0.0
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3), L(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0, epochs=1)
