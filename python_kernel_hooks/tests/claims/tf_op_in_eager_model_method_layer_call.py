# A TF op in a model's own eager method that calls a sublayer directly: JAX's eager arrays convert to
# TensorFlow, but on PyTorch the sublayer's output requires grad ("Can't call numpy() on Tensor that
# requires grad") even outside fit, so only PyTorch fails.
import numpy as np
import keras
import tensorflow as tf


class Classifier(keras.Model):
    def __init__(self):
        super().__init__()
        self.net = keras.layers.Dense(3)

    def call(self, x):
        return self.net(x)

    def classify(self, x):
        return tf.argmax(self.net(x), axis=-1)


model = Classifier()
model.compile("adam", "mse")
model.fit(np.ones((8, 4)), np.ones((8, 3)), epochs=1, verbose=0)
print(model.classify(np.ones((2, 4), "float32")))
