# test_step(self, data) and predict_step(self, data) overrides (the TensorFlow/PyTorch signature):
# Keras 3's JAX trainer calls test_step(state, data) and predict_step(state, data), so evaluate()
# and predict() raise TypeError on JAX only.
import numpy as np, keras


class M(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(1)
        self.tracker = keras.metrics.Mean(name="l")

    def call(self, x):
        return self.d(x)

    def test_step(self, data):
        x, y = data
        loss = keras.ops.mean(keras.ops.square(y - self(x, training=False)))
        self.tracker.update_state(loss)
        return {"l": self.tracker.result()}

    def predict_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        return keras.ops.sigmoid(self(x, training=False))


m = M()
m.compile("sgd", "mse")
x, y = np.ones((8, 3), "float32"), np.ones((8, 1), "float32")
m.fit(x, y, verbose=0)
print(m.evaluate(x, y, verbose=0, return_dict=True), m.predict(x, verbose=0).shape)
