# A layer that creates its sublayer inside call() (Keras 2's lazy pattern): Keras 3 has built the
# layer before the first real call, so adding state there fails on every backend.
import numpy as np, keras


class Block(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = None

    def call(self, x):
        if self.dense is None:
            self.dense = keras.layers.Dense(4)
        return self.dense(x)


model = keras.Sequential([keras.Input((3,)), Block(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
