# TF ops in Lambda functions that only ever get the model's inputs (right after keras.Input, after
# weightless layers, first in a Sequential): on PyTorch those tensors need no grad, so the ops run
# in training too; JAX traces them. (A Lambda behind a Dense fails on PyTorch: tf_random_in_lambda.py.)
import numpy as np, keras, tensorflow as tf


def squared(t):
    return tf.math.square(t)


inputs = keras.Input((4,))
scaled = keras.layers.Rescaling(0.5)(inputs)
norm = keras.layers.Lambda(lambda t: t / tf.norm(t, axis=-1, keepdims=True))(scaled)
sq = keras.layers.Lambda(squared)(inputs)
out = keras.layers.Dense(1)(keras.layers.Concatenate()([norm, sq]))
model = keras.Model(inputs, out)
model.compile("sgd", "mse")
model.fit(np.ones((8, 4), "float32"), np.ones((8, 1), "float32"), verbose=0)

seq = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda t: tf.nn.relu(t) + 1.0), keras.layers.Dense(1)])
seq.compile("sgd", "mse")
seq.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
