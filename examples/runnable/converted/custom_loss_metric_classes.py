"""Custom Loss and Metric classes with reduction and from_logits arguments, saved and loaded with the model.

In the style of the tf.keras guides on losses and metrics: a focal loss subclassing
keras.losses.Loss (reduction passed to the base class, get_config for saving), a loss built on a
per-sample BinaryCrossentropy(reduction=NONE) object with sample weighting, a stateful F1 metric,
built-in metrics with from_logits/threshold arguments, then an HDF5 round trip with custom_objects.
"""
import os
import tempfile

import numpy as np
import keras


class BinaryFocalLoss(keras.losses.Loss):
    def __init__(self, gamma=2.0, alpha=0.25, from_logits=False,
                 reduction="sum_over_batch_size", name="binary_focal_loss"):
        super().__init__(reduction=reduction, name=name)
        self.gamma = gamma
        self.alpha = alpha
        self.from_logits = from_logits

    def call(self, y_true, y_pred):
        y_true = keras.ops.cast(y_true, y_pred.dtype)
        if self.from_logits:
            y_pred = keras.ops.sigmoid(y_pred)
        epsilon = keras.backend.epsilon()
        y_pred = keras.ops.clip(y_pred, epsilon, 1.0 - epsilon)
        p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
        alpha_t = y_true * self.alpha + (1 - y_true) * (1 - self.alpha)
        loss = -alpha_t * keras.ops.power(1.0 - p_t, self.gamma) * keras.ops.log(p_t)
        return keras.ops.mean(loss, axis=-1)

    def get_config(self):
        config = super().get_config()
        config.update({"gamma": self.gamma, "alpha": self.alpha, "from_logits": self.from_logits})
        return config


class F1Score(keras.metrics.Metric):
    def __init__(self, threshold=0.5, name="f1_score", **kwargs):
        super(F1Score, self).__init__(name=name, **kwargs)
        self.threshold = threshold
        self.true_positives = self.add_weight(name="tp", initializer="zeros")
        self.false_positives = self.add_weight(name="fp", initializer="zeros")
        self.false_negatives = self.add_weight(name="fn", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = keras.ops.cast(y_pred > self.threshold, "float32")
        y_true = keras.ops.cast(y_true, "float32")
        self.true_positives.assign_add(keras.ops.sum(y_true * y_pred))
        self.false_positives.assign_add(keras.ops.sum((1.0 - y_true) * y_pred))
        self.false_negatives.assign_add(keras.ops.sum(y_true * (1.0 - y_pred)))

    def result(self):
        precision = keras.ops.divide_no_nan(self.true_positives, self.true_positives + self.false_positives)
        recall = keras.ops.divide_no_nan(self.true_positives, self.true_positives + self.false_negatives)
        return keras.ops.divide_no_nan(2.0 * precision * recall, precision + recall)

    def reset_state(self):
        for variable in self.variables:
            # keras.ops.zeros_like(variable) fails on JAX (a Keras Variable is not a JAX array).
            variable.assign(keras.ops.zeros(variable.shape, dtype=variable.dtype))

    def get_config(self):
        config = super().get_config()
        config["threshold"] = self.threshold
        return config


per_sample_bce = keras.losses.BinaryCrossentropy(from_logits=False, reduction="none")


def positive_weighted_bce(y_true, y_pred):
    weights = 1.0 + 2.0 * keras.ops.cast(y_true[:, 0], "float32")
    return per_sample_bce(y_true, y_pred) * weights


rng = np.random.RandomState(4)
x = rng.rand(200, 6).astype("float32")
y = (x[:, :1] + 0.3 * x[:, 1:2] > 0.8).astype("float32")

inputs = keras.Input(shape=(6,))
h = keras.layers.Dense(16, activation="relu")(inputs)
outputs = keras.layers.Dense(1, activation="sigmoid")(h)
model = keras.Model(inputs, outputs)
model.compile(
    optimizer="adam",
    loss=BinaryFocalLoss(gamma=2.0, reduction="sum_over_batch_size"),
    metrics=[F1Score(), keras.metrics.AUC(name="auc"), keras.metrics.BinaryAccuracy(threshold=0.5)],
)
model.fit(x, y, batch_size=32, epochs=3, verbose=0)
print(model.evaluate(x, y, verbose=0, return_dict=True))

focal = BinaryFocalLoss(from_logits=True, reduction="sum")
logits = keras.ops.convert_to_tensor([[2.0], [-1.0], [0.5]])
targets = keras.ops.convert_to_tensor([[1.0], [0.0], [1.0]])
print("summed focal loss on logits:", float(focal(targets, logits)))
print("per-sample weighted bce:", keras.ops.convert_to_numpy(positive_weighted_bce(targets, keras.ops.sigmoid(logits))))

auc_on_logits = keras.metrics.AUC(from_logits=True)
auc_on_logits.update_state(targets, logits)
print("auc from logits:", float(auc_on_logits.result()))

path = os.path.join(tempfile.mkdtemp(), "focal_model.keras")
model.save(path)
restored = keras.models.load_model(path, custom_objects={"BinaryFocalLoss": BinaryFocalLoss, "F1Score": F1Score})
np.testing.assert_allclose(restored.predict(x[:5], verbose=0), model.predict(x[:5], verbose=0), rtol=1e-5)
print("restored loss:", type(restored.loss).__name__, restored.loss.gamma)
restored.fit(x, y, batch_size=32, epochs=1, verbose=0)
