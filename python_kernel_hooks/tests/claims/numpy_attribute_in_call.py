# A float32 NumPy mask kept as a layer attribute and combined with tensors in call() (keras.io Real
# NVP's coupling masks): TensorFlow and JAX convert the array; PyTorch refuses the operator
# ("unsupported operand type(s) for *: 'numpy.ndarray' and 'Tensor'").
import numpy as np
import keras


class Masked(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(2)
        self.mask = np.array([1.0, 0.0], dtype="float32")

    def call(self, x):
        return (1 - self.mask) * self.dense(x) + x * self.mask


model = keras.Sequential([keras.Input((2,)), Masked()])
model.compile("adam", "mse")
model.fit(np.ones((8, 2), "float32"), np.zeros((8, 2), "float32"), epochs=1, verbose=0)
print("ok")
