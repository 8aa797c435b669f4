# A TF op on the tensors reaching call(), behind a trainable layer.
import numpy as np, keras, tensorflow as tf
class L(keras.layers.Layer):
    def call(self, x):
        return tf.reduce_sum(x, axis=-1, keepdims=True)
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3), L(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0, epochs=1)
