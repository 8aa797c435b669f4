"""Custom loss function, custom Metric subclass, custom regularizer and constraint."""
import numpy as np
import keras
from keras import layers, ops, regularizers


def huber_like_loss(y_true, y_pred):
    error = y_true - y_pred
    is_small = ops.abs(error) < 1.0
    squared = ops.square(error) / 2
    linear = ops.abs(error) - 0.5
    return ops.mean(ops.where(is_small, squared, linear), axis=-1)


def weighted_mse(weight):
    def loss(y_true, y_pred):
        return weight * ops.mean(ops.square(y_true - y_pred), axis=-1)
    return loss


class L1Regularizer(regularizers.Regularizer):
    def __init__(self, strength=0.01):
        self.strength = strength

    def __call__(self, x):
        return self.strength * ops.sum(ops.abs(x))

    def get_config(self):
        return {"strength": self.strength}


class ClipConstraint(keras.constraints.Constraint):
    def __init__(self, clip_value):
        self.clip_value = clip_value

    def __call__(self, weights):
        return ops.clip(weights, -self.clip_value, self.clip_value)


class MeanAbsoluteErrorMetric(keras.metrics.Metric):
    def __init__(self, name="my_mae", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_weight(name="total", initializer="zeros")
        self.count = self.add_weight(name="count", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = ops.abs(ops.cast(y_true, "float32") - ops.cast(y_pred, "float32"))
        self.total.assign_add(ops.sum(values))
        self.count.assign_add(ops.cast(ops.size(values), "float32"))

    def result(self):
        return self.total / self.count

    def reset_state(self):
        self.total.assign(0.0)
        self.count.assign(0.0)


def rmse(y_true, y_pred):
    return ops.sqrt(ops.mean(ops.square(y_true - y_pred)))


x = np.random.randn(200, 5).astype("float32")
y = (x @ np.arange(5, dtype="float32").reshape(5, 1)) + 0.1

model = keras.Sequential([
    keras.Input(shape=(5,)),
    layers.Dense(16, activation="relu", kernel_regularizer=L1Regularizer(0.001),
                 kernel_constraint=ClipConstraint(2.0)),
    layers.Dense(1, kernel_regularizer=regularizers.l2(0.01)),
])
model.compile(optimizer="adam", loss=huber_like_loss, metrics=[MeanAbsoluteErrorMetric(), rmse])
model.fit(x, y, epochs=2, batch_size=20, verbose=0)
print(model.evaluate(x, y, verbose=0))

model.compile(optimizer="sgd", loss=weighted_mse(0.5))
model.fit(x, y, epochs=1, batch_size=20, verbose=0)
print("ok")
