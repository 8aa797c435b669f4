# A Metric whose result() returns its variable: JAX fails tracing it in fit(); TensorFlow and PyTorch train.
import numpy as np, keras


class Count(keras.metrics.Metric):
    def __init__(self, name="count", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_weight(name="total", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.total.assign_add(keras.ops.sum(keras.ops.ones_like(y_pred)))

    def result(self):
        return self.total


model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
model.compile("sgd", "mse", metrics=[Count()])
model.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), verbose=0)
