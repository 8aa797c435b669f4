"""A subclassed model with a custom train_step, a custom loss and hand-made metric trackers
(after the "Going lower-level" part of the Keras 2 guide "Customizing what happens in fit()")."""
import numpy as np
import tensorflow as tf
from tensorflow import keras

loss_tracker = keras.metrics.Mean(name="loss")
mae_metric = keras.metrics.MeanAbsoluteError(name="mae")


class Regressor(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(16, activation="relu")
        self.out = keras.layers.Dense(1)

    def call(self, inputs, training=False):
        return self.out(self.hidden(inputs))

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)  # Forward pass
            loss = keras.losses.mean_squared_error(y, y_pred)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        loss_tracker.update_state(loss)
        mae_metric.update_state(y, y_pred)
        return {"loss": loss_tracker.result(), "mae": mae_metric.result()}

    @property
    def metrics(self):
        return [loss_tracker, mae_metric]


x = np.random.random((64, 8)).astype("float32")
y = np.random.random((64, 1)).astype("float32")
model = Regressor()
model.compile(optimizer="adam")
history = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
assert sorted(history.history) == ["loss", "mae"], history.history
print(model.predict(x[:2], verbose=0).shape)
