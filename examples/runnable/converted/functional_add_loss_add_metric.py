"""Losses and metrics added to a Functional model the Keras 2 way (the tf.keras "Training & evaluation
with the built-in methods" guide and keras.io examples of 2020-2022): an activity-regularization layer
whose call() does self.add_loss(rate * tf.reduce_sum(tf.square(inputs))), model.add_loss on a symbolic
tensor (an L1 penalty on a hidden activation computed with tf ops on KerasTensors), and
model.add_metric(tensor, name=..., aggregation="mean") on a symbolic tensor at model level.

Keras 3 conversion: keras.ops instead of tf ops; Keras 3 has no symbolic model.add_loss, so the penalty
goes through a small layer whose call() does self.add_loss and the model is rebuilt on its output; Keras 3
removed add_metric (and a metric updated inside call() fails on JAX), so the mean activation is measured
after training with a sub-model."""
import numpy as np
import keras
from keras import layers, ops


class ActivityRegularization(layers.Layer):
    """Adds rate * sum(x^2) of its inputs to the model's losses."""

    def __init__(self, rate=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.sum(ops.square(inputs)))
        return inputs


class AddLoss(layers.Layer):
    """Adds a loss computed from the model's tensors (Keras 3 has no symbolic model.add_loss)."""

    def call(self, outputs, loss):
        self.add_loss(loss)
        return outputs


rng = np.random.default_rng(7)
x_train = rng.normal(size=(256, 10)).astype("float32")
y_train = (x_train[:, :3].sum(axis=1, keepdims=True) > 0).astype("float32")

inputs = keras.Input(shape=(10,), name="features")
hidden = layers.Dense(32, activation="relu")(inputs)
hidden = ActivityRegularization(1e-4)(hidden)
hidden = layers.Dense(16, activation="relu", name="hidden2")(hidden)
outputs = layers.Dense(1, activation="sigmoid")(hidden)
model = keras.Model(inputs, outputs)

model = keras.Model(model.inputs, AddLoss()(model.outputs, 1e-4 * ops.sum(ops.abs(hidden))), name=model.name)

model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=32, epochs=3, verbose=0)
print(sorted(history.history))
print("final loss %.4f" % history.history["loss"][-1])
print("losses tracked:", len(model.losses))
print(model.evaluate(x_train, y_train, verbose=0))
hidden_model = keras.Model(model.inputs, hidden)
print("mean_activation %.4f" % float(np.mean(hidden_model.predict(x_train, verbose=0))))
