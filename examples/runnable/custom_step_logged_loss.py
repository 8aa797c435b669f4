"""A classifier with an auxiliary confidence penalty trained by its own train_step (Keras 2).

The step adds a penalty to self.compiled_loss inside a GradientTape, updates self.compiled_metrics
and returns the penalty beside every metric's result; the test_step evaluates the same way. A dry
run with a zero learning rate checks that what fit() and evaluate() log as "loss" is the model's
compiled loss on the data (Keras 2's compiled_loss fed that metric), before the real training."""

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

NUM_CLASSES = 4
PENALTY = 0.05

rng = np.random.default_rng(7)
features = rng.normal(size=(256, 12)).astype("float32")
labels = (features[:, :NUM_CLASSES].argmax(axis=1)).astype("int64")


class PenalizedClassifier(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            probabilities = self(x, training=True)
            loss = self.compiled_loss(y, probabilities)
            # Penalise over-confident outputs (negative entropy of the predicted distribution).
            confidence = tf.reduce_mean(tf.reduce_sum(probabilities * tf.math.log(probabilities + 1e-7), axis=-1))
            total_loss = loss + PENALTY * confidence
        gradients = tape.gradient(total_loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.compiled_metrics.update_state(y, probabilities)
        return {"confidence": confidence, **{m.name: m.result() for m in self.metrics}}

    def test_step(self, data):
        x, y = data
        probabilities = self(x, training=False)
        loss = self.compiled_loss(y, probabilities)
        self.compiled_metrics.update_state(y, probabilities)
        return {m.name: m.result() for m in self.metrics}


def build_model():
    inputs = keras.Input(shape=(12,))
    hidden = layers.Dense(32, activation="relu")(inputs)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax")(hidden)
    return PenalizedClassifier(inputs, outputs)


model = build_model()
loss_fn = keras.losses.SparseCategoricalCrossentropy()

# Dry run: nothing moves, so the logged loss must be the model's loss on the data.
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss=loss_fn, metrics=["accuracy"])
dry = model.fit(features, labels, batch_size=32, epochs=1, verbose=0)
expected = float(loss_fn(labels, model.predict(features, verbose=0)))
logged = float(dry.history["loss"][0])
print(f"dry run: logged loss {logged:.4f}, loss on the data {expected:.4f}")
assert abs(logged - expected) < 1e-3, "the step does not log the compiled loss"

model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=loss_fn, metrics=["accuracy"])
history = model.fit(features, labels, batch_size=32, epochs=3, verbose=0)
print("training:", {k: [round(float(v), 4) for v in vs] for k, vs in history.history.items()})
results = model.evaluate(features, labels, batch_size=64, verbose=0, return_dict=True)
expected = float(loss_fn(labels, model.predict(features, verbose=0)))
print(f"evaluate: logged loss {float(results['loss']):.4f}, loss on the data {expected:.4f}")
assert abs(float(results["loss"]) - expected) < 1e-3, "the test step does not log the compiled loss"
assert history.history["loss"][-1] < logged, "training did not lower the loss"
