"""A non-TensorFlow metric evaluated in a Keras callback (after the keras.io "Evaluating and
exporting scikit-learn metrics in a Keras callback" recipe of the tf.keras era).

Hand conversion to multi-backend Keras 3: `import keras`; Keras 3 makes Callback.model a read-only
property, so the callback takes its model with set_model() (fit() sets it again); the metric's
result goes through keras.ops.convert_to_numpy() (a JAX array has no .numpy())."""
import csv
import os
import tempfile

import numpy as np
import keras
from keras import layers


def jaccard_per_class(y_pred, y_true, num_classes):
    """Intersection over union of each class's predicted and true sets (NaN-free: 0 when empty)."""
    scores = []
    for k in range(num_classes):
        pred_k = y_pred == k
        true_k = y_true == k
        union = np.logical_or(pred_k, true_k).sum()
        scores.append(np.logical_and(pred_k, true_k).sum() / union if union else 0.0)
    return np.array(scores, dtype="float32")


class JaccardScoreCallback(keras.callbacks.Callback):
    """Computes the mean Jaccard score on held data after each epoch and logs it to a CSV file."""

    def __init__(self, model, x_test, y_test, log_dir, num_classes):
        super().__init__()
        self.set_model(model)
        self.x_test = x_test
        self.y_test = y_test
        self.num_classes = num_classes
        self.keras_metric = keras.metrics.Mean("jaccard_score")
        self.epoch = 0
        self.log_path = os.path.join(log_dir, model.name + "_jaccard.csv")
        self.history = []

    def on_epoch_end(self, batch, logs=None):
        self.epoch += 1
        self.keras_metric.reset_state()
        predictions = self.model.predict(self.x_test, verbose=0)
        jaccard_value = jaccard_per_class(np.argmax(predictions, axis=-1), self.y_test, self.num_classes)
        self.keras_metric.update_state(jaccard_value)
        self._write_metric(self.keras_metric.name, float(keras.ops.convert_to_numpy(self.keras_metric.result())))

    def _write_metric(self, name, value):
        self.history.append(value)
        with open(self.log_path, "a", newline="") as f:
            csv.writer(f).writerow([self.epoch, name, value])


num_classes = 4
input_shape = (12, 12, 1)
rng = np.random.RandomState(0)


def make_images(n):
    labels = rng.randint(0, num_classes, n)
    images = rng.normal(scale=0.3, size=(n,) + input_shape).astype("float32")
    for i, label in enumerate(labels):
        # Each class lights up one quadrant.
        r, c = divmod(int(label), 2)
        images[i, r * 6 : r * 6 + 6, c * 6 : c * 6 + 6, 0] += 1.0
    return images, labels


x_train, y_train = make_images(256)
x_test, y_test = make_images(64)
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

model = keras.Sequential(
    [
        keras.Input(shape=input_shape),
        layers.Conv2D(8, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.2),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])

log_dir = tempfile.mkdtemp()
callback = JaccardScoreCallback(model, x_test, np.argmax(y_test, axis=-1), log_dir, num_classes)
model.fit(x_train, y_train, batch_size=32, epochs=3, validation_split=0.1, callbacks=[callback], verbose=2)

with open(callback.log_path) as f:
    rows = list(csv.reader(f))
print("logged rows:", rows)
assert len(rows) == 3 and all(0.0 <= float(r[2]) <= 1.0 for r in rows)
print("final jaccard: %.3f" % callback.history[-1])
