"""Losses and metrics added to a Functional model the Keras 2 way (the tf.keras "Training & evaluation
with the built-in methods" guide and keras.io examples of 2020-2022): an activity-regularization layer
whose call() does self.add_loss(rate * tf.reduce_sum(tf.square(inputs))), model.add_loss on a symbolic
tensor (an L1 penalty on a hidden activation computed with tf ops on KerasTensors), and
model.add_metric(tensor, name=..., aggregation="mean") on a symbolic tensor at model level."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class ActivityRegularization(layers.Layer):
    """Adds rate * sum(x^2) of its inputs to the model's losses."""

    def __init__(self, rate=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * tf.reduce_sum(tf.square(inputs)))
        return inputs


rng = np.random.default_rng(7)
x_train = rng.normal(size=(256, 10)).astype("float32")
y_train = (x_train[:, :3].sum(axis=1, keepdims=True) > 0).astype("float32")

inputs = keras.Input(shape=(10,), name="features")
hidden = layers.Dense(32, activation="relu")(inputs)
hidden = ActivityRegularization(1e-4)(hidden)
hidden = layers.Dense(16, activation="relu", name="hidden2")(hidden)
outputs = layers.Dense(1, activation="sigmoid")(hidden)
model = keras.Model(inputs, outputs)

# Keras 2: losses and metrics added to the model from symbolic tensors.
model.add_loss(1e-4 * tf.reduce_sum(tf.abs(hidden)))
model.add_metric(tf.reduce_mean(hidden), name="mean_activation", aggregation="mean")

model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=32, epochs=3, verbose=0)
print(sorted(history.history))
print("final loss %.4f" % history.history["loss"][-1])
print("losses tracked:", len(model.losses))
print(model.evaluate(x_train, y_train, verbose=0))
