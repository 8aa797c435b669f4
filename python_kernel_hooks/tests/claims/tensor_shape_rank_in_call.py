# keras.io Swin Transformer's DropPath (tf.keras era): `x.shape.rank` on the tensor reaching call().
# A TensorFlow tensor's TensorShape has it; JAX and PyTorch shapes are tuples (AttributeError).
import numpy as np, keras


class DropPath(keras.layers.Layer):
    def call(self, x):
        rank = x.shape.rank
        return x * float(rank)


model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2), DropPath(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
