# self.drop(x, training): Keras 3 layers take only tensors positionally, ValueError on every backend.
import numpy as np, keras


class Block(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.drop = keras.layers.Dropout(0.1)

    def call(self, x, training=None):
        return self.drop(x, training)


model = keras.Sequential([keras.Input((3,)), Block(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
