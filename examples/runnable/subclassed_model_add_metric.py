"""A subclassed tf.keras Model whose call() reports its own losses and metrics the Keras 2 way (after the
tf.keras guide "Making new layers and models via subclassing"): self.add_loss of an L2 penalty on the
hidden activation and self.add_metric(value, name=...) of the batch mean prediction and of the penalty,
trained with fit() and evaluated with evaluate(return_dict=True)."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class Regressor(keras.Model):
    def __init__(self, units=16, penalty=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(units, activation="relu")
        self.out = layers.Dense(1)
        self.penalty = penalty

    def call(self, inputs):
        h = self.hidden(inputs)
        l2 = self.penalty * tf.reduce_mean(tf.square(h))
        self.add_loss(l2)
        self.add_metric(l2, name="activation_penalty")
        y = self.out(h)
        self.add_metric(tf.reduce_mean(y), name="mean_prediction", aggregation="mean")
        return y


rng = np.random.default_rng(3)
x = rng.normal(size=(256, 6)).astype("float32")
y = (x @ rng.normal(size=(6, 1))).astype("float32")

model = Regressor()
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
history = model.fit(x, y, batch_size=32, epochs=3, verbose=0)
print(sorted(history.history))
assert history.history["loss"][-1] < history.history["loss"][0]
print(model.evaluate(x, y, verbose=0, return_dict=True))
