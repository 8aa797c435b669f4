# @tf.function on a keras.Model method that runs the model's layers (the TensorFlow CVAE tutorial's
# sample()): tf.function traces it with TensorFlow tensors, which the layers cannot take on JAX or
# PyTorch ("Cannot convert a symbolic tf.Tensor to a numpy array"); TensorFlow runs it.
import numpy as np
import tensorflow as tf
import keras


class CVAE(keras.Model):
    def __init__(self):
        super().__init__()
        self.decoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4)])

    @tf.function
    def sample(self, eps):
        return self.decode(eps)

    def decode(self, z):
        return self.decoder(z)


model = CVAE()
print(model.sample(np.ones((3, 2), "float32")).shape)
