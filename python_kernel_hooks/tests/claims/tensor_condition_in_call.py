# Python if on a tensor in call(): no AutoGraph on TensorFlow, no truth value of a traced JAX array; PyTorch runs it.
import numpy as np, keras
class L(keras.layers.Layer):
    def call(self, x):
        if keras.ops.sum(x) > 0:
            return x * 2
        return x
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2), L(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
