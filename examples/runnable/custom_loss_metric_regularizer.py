"""Custom loss function, custom Metric subclass, custom regularizer and constraint."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, regularizers


def huber_like_loss(y_true, y_pred):
    error = y_true - y_pred
    is_small = tf.abs(error) < 1.0
    squared = tf.square(error) / 2
    linear = tf.abs(error) - 0.5
    return tf.reduce_mean(tf.where(is_small, squared, linear), axis=-1)


def weighted_mse(weight):
    def loss(y_true, y_pred):
        return weight * tf.reduce_mean(tf.math.squared_difference(y_true, y_pred), axis=-1)
    return loss


class L1Regularizer(regularizers.Regularizer):
    def __init__(self, strength=0.01):
        self.strength = strength

    def __call__(self, x):
        return self.strength * tf.reduce_sum(tf.abs(x))

    def get_config(self):
        return {"strength": self.strength}


class ClipConstraint(keras.constraints.Constraint):
    def __init__(self, clip_value):
        self.clip_value = clip_value

    def __call__(self, weights):
        return tf.clip_by_value(weights, -self.clip_value, self.clip_value)


class MeanAbsoluteErrorMetric(keras.metrics.Metric):
    def __init__(self, name="my_mae", **kwargs):
        super(MeanAbsoluteErrorMetric, self).__init__(name=name, **kwargs)
        self.total = self.add_weight(name="total", initializer="zeros")
        self.count = self.add_weight(name="count", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = tf.abs(tf.cast(y_true, tf.float32) - tf.cast(y_pred, tf.float32))
        self.total.assign_add(tf.reduce_sum(values))
        self.count.assign_add(tf.cast(tf.size(values), tf.float32))

    def result(self):
        return self.total / self.count

    def reset_state(self):
        self.total.assign(0.0)
        self.count.assign(0.0)


def rmse(y_true, y_pred):
    return tf.sqrt(tf.reduce_mean(tf.square(y_true - y_pred)))


x = np.random.randn(200, 5).astype("float32")
y = (x @ np.arange(5, dtype="float32").reshape(5, 1)) + 0.1

model = keras.Sequential([
    layers.Dense(16, activation="relu", input_shape=(5,), kernel_regularizer=L1Regularizer(0.001),
                 kernel_constraint=ClipConstraint(2.0)),
    layers.Dense(1, kernel_regularizer=regularizers.l2(0.01)),
])
model.compile(optimizer="adam", loss=huber_like_loss, metrics=[MeanAbsoluteErrorMetric(), rmse])
model.fit(x, y, epochs=2, batch_size=20, verbose=0)
print(model.evaluate(x, y, verbose=0))

model.compile(optimizer="sgd", loss=weighted_mse(0.5))
model.fit(x, y, epochs=1, batch_size=20, verbose=0)
print("ok")
