# A sublayer assigned before super().__init__(): PyTorch refuses a module before Module.__init__();
# TensorFlow and JAX track it anyway.
import numpy as np, keras


class Router(keras.layers.Layer):
    def __init__(self, num_experts):
        self.num_experts = num_experts
        self.route = keras.layers.Dense(num_experts)
        super().__init__()

    def call(self, x):
        return self.route(x)


model = keras.Sequential([keras.Input((3,)), Router(2), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
