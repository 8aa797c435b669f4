"""KM273: a `@tf.function` outside a class that calls a Keras model (no tape: not a training loop).
tf.function traces it with symbolic TensorFlow tensors, which the model cannot take on JAX or
PyTorch ("Cannot convert a symbolic tf.Tensor (x:0) to a numpy array"); TensorFlow runs it."""
import numpy as np
import tensorflow as tf
import keras

model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])


@tf.function
def serve(x):
    return model(x, training=False)


print(serve(np.ones((2, 4), "float32")).shape)
