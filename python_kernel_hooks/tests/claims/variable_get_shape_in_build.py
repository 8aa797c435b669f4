# get_shape() on a weight the layer made with add_weight: Keras 3 variables have no get_shape() on
# any backend (AttributeError on TensorFlow, JAX and PyTorch); `.shape` runs on all three.
import numpy as np, keras


class Weighted(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 2))
        self.rows = self.w.get_shape()[0]

    def call(self, x):
        return x @ self.w


print(Weighted()(np.ones((2, 3), "float32")).shape)
