# TF ops in a Lambda right after keras.Input of a functional model a factory function returns
# (keras.io DDIM's get_network): the model is trained directly and held by a subclassed model that
# calls it on data it makes (no layer of another model), so on PyTorch the ops get tensors that need
# no grad and run; JAX traces them. (Used as a layer of another model: tf_op_in_lambda_nested_model.py.)
import numpy as np, keras, tensorflow as tf


def embed(t):
    return tf.concat([tf.sin(t), tf.cos(t)], axis=-1)


def get_network():
    inputs = keras.Input((4,))
    h = keras.layers.Lambda(embed)(inputs)
    return keras.Model(inputs, keras.layers.Dense(1)(h))


network = get_network()
network.compile("sgd", "mse")
network.fit(np.ones((8, 4), "float32"), np.ones((8, 1), "float32"), verbose=0)


class Wrapper(keras.Model):
    def __init__(self):
        super().__init__()
        self.network = get_network()

    def call(self, x):
        return self.network(x * 2.0)


wrapper = Wrapper()
wrapper.compile("sgd", "mse")
wrapper.fit(np.ones((8, 4), "float32"), np.ones((8, 1), "float32"), verbose=0)
