# `len(x)` of a layer's input in call(), the layer in a functional model (og46b repro_5): Keras 2 ran call()
# through AutoGraph, which made it tf.shape(x)[0]. Keras 3 does not: TensorFlow fails on the unknown batch size
# ("len is not well defined for a symbolic Tensor"), JAX on the symbolic batch of the functional build
# ("'_DimExpr' object cannot be interpreted as an integer"); PyTorch runs it (KM295 claims TensorFlow and JAX).
import numpy as np
import tensorflow as tf
import keras


class MeanScale(keras.layers.Layer):
    def call(self, x):
        n = len(x)
        return x / keras.ops.cast(n, x.dtype)


inputs = keras.Input(shape=(3,))
model = keras.Model(inputs, keras.layers.Dense(1)(MeanScale()(inputs)))
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(8, 3).astype("float32"), np.zeros((8, 1), "float32"), epochs=1, batch_size=4, verbose=0)
