"""Custom RNN cells wrapped in keras.layers.RNN (the Keras 2 "writing your own cell" pattern)."""
import numpy as np
import keras
from keras import layers, ops


class MinimalRNNCell(layers.Layer):
    def __init__(self, units, **kwargs):
        self.units = units
        self.state_size = units
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units),
                                      initializer="uniform", name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units),
                                                initializer="uniform", name="recurrent_kernel")
        self.built = True

    def call(self, inputs, states):
        prev_output = states[0]
        h = ops.matmul(inputs, self.kernel)
        output = h + ops.matmul(prev_output, self.recurrent_kernel)
        return output, [output]

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config


class LeakyIntegratorCell(layers.Layer):
    """A cell with two states and its own initial state."""

    def __init__(self, units, leak=0.5, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.leak = leak
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform",
                                 name="w")
        self.u = self.add_weight(shape=(self.units, self.units), initializer="orthogonal", name="u")

    def call(self, inputs, states):
        h, trace = states
        candidate = ops.tanh(ops.matmul(inputs, self.w) + ops.matmul(h, self.u))
        new_h = self.leak * h + (1.0 - self.leak) * candidate
        new_trace = ops.maximum(trace * 0.9, ops.abs(new_h))
        return new_h, [new_h, new_trace]

    def get_initial_state(self, batch_size=None):
        zeros = ops.zeros((batch_size, self.units), dtype=self.compute_dtype)
        return [zeros, ops.ones_like(zeros)]


inputs = keras.Input((None, 5))
x = layers.RNN(MinimalRNNCell(16), return_sequences=True)(inputs)
x = layers.RNN([LeakyIntegratorCell(8), MinimalRNNCell(8)])(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")

data = np.random.rand(32, 6, 5).astype("float32")
target = data.sum(axis=(1, 2))[:, None]
model.fit(data, target, batch_size=8, epochs=1, verbose=0)

restored = keras.Model.from_config(
    model.get_config(),
    custom_objects={"MinimalRNNCell": MinimalRNNCell, "LeakyIntegratorCell": LeakyIntegratorCell},
)
restored.set_weights(model.get_weights())
np.testing.assert_allclose(restored.predict(data, verbose=0), model.predict(data, verbose=0),
                           rtol=1e-4, atol=1e-5)
print("ok")
