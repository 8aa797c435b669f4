# A TF op in a layer's call where the notebook runs the model only through its own functions: it is
# passed to `score(..., net=model)`, which hands it to `run(net, data)`, which calls it on data.
# That direct call runs with grad on PyTorch (only predict/evaluate run under no_grad), so the op
# fails there as in training; JAX traces the layer. predict alone would run on PyTorch.
import numpy as np
import keras
import tensorflow as tf


class Relu(keras.layers.Layer):
    def call(self, x):
        return tf.nn.relu(x)


def run(net, data):
    return net(data)


def score(data, net=None):
    return run(net, data)


model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), Relu()])
print(model.predict(np.ones((2, 4)), verbose=0))
print(score(np.ones((2, 4), "float32"), net=model))
