"""KM265 through a constructor argument: a Keras model keeps the decoder it is given
(`self.decoder = decoder`) and a `@tf.function` method calls it; the decoder passed is a Keras
layer, so the traced method fails on JAX and PyTorch ("Cannot convert a symbolic tf.Tensor")."""
import numpy as np
import tensorflow as tf
import keras


class Decoder(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(4)

    def call(self, z):
        return self.dense(z)


class Sampler(keras.Model):
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def call(self, x):
        return self.decoder(self.encoder(x))

    @tf.function
    def sample(self, eps=None):
        if eps is None:
            eps = tf.random.normal(shape=(8, 2))
        return self.decoder(eps)


model = Sampler(encoder=keras.layers.Dense(2), decoder=Decoder())
model(np.zeros((1, 3), "float32"))
print(tuple(model.sample(np.ones((8, 2), "float32")).shape))
