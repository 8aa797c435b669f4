"""Hand conversion of custom_step_logged_loss.py to multi-backend Keras 3.

The step becomes a compute_loss() override: Keras 3's own train_step differentiates what it
returns on every backend and logs it as "loss" (the compiled loss plus the penalty while training;
Keras 2's step logged the compiled loss alone, so the dry run compares with that sum), and a Mean
tracker logs the penalty. Keras's own test_step calls compute_loss() with training=False: the
compiled loss alone, as the Keras 2 test_step logged."""

import numpy as np
import keras
from keras import layers

NUM_CLASSES = 4
PENALTY = 0.05

rng = np.random.default_rng(7)
features = rng.normal(size=(256, 12)).astype("float32")
labels = (features[:, :NUM_CLASSES].argmax(axis=1)).astype("int64")


def negative_entropy(probabilities):
    return keras.ops.mean(keras.ops.sum(probabilities * keras.ops.log(probabilities + 1e-7), axis=-1))


class PenalizedClassifier(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.confidence_tracker = keras.metrics.Mean(name="confidence")

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = super().compute_loss(x, y, y_pred, sample_weight, training=training)
        if not training:
            return loss
        confidence = negative_entropy(y_pred)
        self.confidence_tracker.update_state(confidence)
        return loss + PENALTY * confidence


def build_model():
    inputs = keras.Input(shape=(12,))
    hidden = layers.Dense(32, activation="relu")(inputs)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax")(hidden)
    return PenalizedClassifier(inputs, outputs)


model = build_model()
loss_fn = keras.losses.SparseCategoricalCrossentropy()

# Dry run: nothing moves, so the logged loss must be the model's training loss on the data.
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss=loss_fn, metrics=["accuracy"])
dry = model.fit(features, labels, batch_size=32, epochs=1, verbose=0)
predicted = model.predict(features, verbose=0)
expected = float(loss_fn(labels, predicted)) + PENALTY * float(
    np.mean([float(negative_entropy(keras.ops.convert_to_tensor(predicted[i:i + 32]))) for i in range(0, len(predicted), 32)])
)
logged = float(dry.history["loss"][0])
print(f"dry run: logged loss {logged:.4f}, loss on the data {expected:.4f}")
assert abs(logged - expected) < 1e-3, "the step does not log the loss"

model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=loss_fn, metrics=["accuracy"])
history = model.fit(features, labels, batch_size=32, epochs=3, verbose=0)
print("training:", {k: [round(float(v), 4) for v in vs] for k, vs in history.history.items()})
results = model.evaluate(features, labels, batch_size=64, verbose=0, return_dict=True)
expected = float(loss_fn(labels, model.predict(features, verbose=0)))
print(f"evaluate: logged loss {float(results['loss']):.4f}, loss on the data {expected:.4f}")
assert abs(float(results["loss"]) - expected) < 1e-3, "the test step does not log the compiled loss"
assert history.history["loss"][-1] < logged, "training did not lower the loss"
