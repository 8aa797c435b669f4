"""A subclassed tf.keras Model whose call() reports its own losses and metrics the Keras 2 way (after the
tf.keras guide "Making new layers and models via subclassing"): self.add_loss of an L2 penalty on the
hidden activation and self.add_metric(value, name=...) of the batch mean prediction and of the penalty,
trained with fit() and evaluated with evaluate(return_dict=True).

Keras 3 conversion: keras.ops instead of tf ops; add_loss stays in call(); Keras 3 removed add_metric and
a metric updated inside call() fails on JAX (its call() runs statelessly without the metrics' variables),
so the two values are tracked by keras.metrics.Mean trackers updated in compute_loss(), which every
backend runs with the metrics' state (the penalty recomputed from the hidden layer)."""
import numpy as np
import keras
from keras import layers, ops


class Regressor(keras.Model):
    def __init__(self, units=16, penalty=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(units, activation="relu")
        self.out = layers.Dense(1)
        self.penalty = penalty
        self.penalty_tracker = keras.metrics.Mean(name="activation_penalty")
        self.prediction_tracker = keras.metrics.Mean(name="mean_prediction")

    def call(self, inputs):
        h = self.hidden(inputs)
        self.add_loss(self.activation_penalty(h))
        return self.out(h)

    def activation_penalty(self, h):
        return self.penalty * ops.mean(ops.square(h))

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = super().compute_loss(x, y, y_pred, sample_weight, training)
        self.penalty_tracker.update_state(self.activation_penalty(self.hidden(x)))
        self.prediction_tracker.update_state(ops.mean(y_pred))
        return loss


rng = np.random.default_rng(3)
x = rng.normal(size=(256, 6)).astype("float32")
y = (x @ rng.normal(size=(6, 1))).astype("float32")

model = Regressor()
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
history = model.fit(x, y, batch_size=32, epochs=3, verbose=0)
print(sorted(history.history))
assert history.history["loss"][-1] < history.history["loss"][0]
print(model.evaluate(x, y, verbose=0, return_dict=True))
