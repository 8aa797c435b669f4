# A TF op in a helper that model code calls with shape values only (a mask built from the batch
# size), its result going into keras.ops: nothing there requires grad, so PyTorch trains it
# behind a trainable layer; JAX traces it and fails.
import numpy as np, keras, tensorflow as tf
def mask(batch, n):
    m = keras.ops.reshape(keras.ops.arange(n), [1, n])
    reps = keras.ops.stack([batch, 1])
    return tf.tile(m, reps)
class L(keras.layers.Layer):
    def call(self, x):
        shape = keras.ops.shape(x)
        m = mask(shape[0], shape[1])
        return x + keras.ops.cast(keras.ops.sum(m), x.dtype) * 0.0
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3), L(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0, epochs=1)
