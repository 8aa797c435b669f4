"""A subclassed model with a custom train_step, a custom loss and hand-made metric trackers
(after the "Going lower-level" part of the Keras 2 guide "Customizing what happens in fit()").

Keras 3 conversion: the loss moves into compute_loss() and the logs into compute_metrics(), so
fit() runs its own training step on TensorFlow, JAX and PyTorch."""
import numpy as np
import keras

loss_tracker = keras.metrics.Mean(name="loss")
mae_metric = keras.metrics.MeanAbsoluteError(name="mae")


class Regressor(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(16, activation="relu")
        self.out = keras.layers.Dense(1)

    def call(self, inputs, training=False):
        return self.out(self.hidden(inputs))

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = keras.losses.mean_squared_error(y, y_pred)
        loss_tracker.update_state(loss)
        mae_metric.update_state(y, y_pred)
        return keras.ops.sum(loss)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
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
