# A Python `for` loop over `tf.range(2)` in a model's call() (a TensorFlow issue's model): Keras 2 ran call()
# through AutoGraph, which made it a tf.while_loop. Keras 3 does not: TensorFlow iterates a symbolic tensor
# ("Iterating over a symbolic `tf.Tensor` is not allowed"); JAX iterates the concrete range and PyTorch runs
# eagerly (KM293 claims TensorFlow only: of Python integers the range is an eager constant JAX and PyTorch iterate).
import numpy as np
import tensorflow as tf
import keras


class Repeat(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)

    def call(self, inputs):
        x = inputs
        for _ in tf.range(2):
            x = self.dense(x)
        return x


model = Repeat()
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(8, 1).astype("float32"), np.zeros((8, 1), "float32"), epochs=1, verbose=0)
