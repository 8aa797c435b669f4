# keras.ops.squeeze(x) without axis in call(), before a Dense: TensorFlow traces with a None batch and
# cannot tell the rank; JAX and PyTorch see concrete shapes and run.
import numpy as np, keras


class Head(keras.Model):
    def __init__(self):
        super().__init__()
        self.out = keras.layers.Dense(3)

    def call(self, x):
        picked = keras.ops.squeeze(x)
        return self.out(picked)


model = Head()
model.compile("sgd", "mse")
model.fit(np.ones((8, 1, 4), "float32"), np.ones((8, 3), "float32"), verbose=0)
