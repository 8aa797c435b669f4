# build() with a second parameter that is not named after a call() argument: Keras 3 checks the
# names and raises when the layer is first called, on every backend.
import numpy as np, keras


class Scale(keras.layers.Layer):
    def build(self, input_shape, extra=None):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

    def call(self, x):
        return x * self.w


model = keras.Sequential([keras.Input((3,)), Scale(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
