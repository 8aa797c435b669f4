# Layer.add_metric() is gone from Keras 3: NotImplementedError when the layer is called, on every backend.
import numpy as np, keras


class Probe(keras.layers.Layer):
    def call(self, x):
        self.add_metric(keras.ops.mean(x), name="activation_mean")
        return x


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), Probe()])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 2), "float32"), verbose=0)
