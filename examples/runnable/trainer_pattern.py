"""The Trainer pattern (in the style of the keras.io "Trainer pattern" recipe, TF 2 era): two plain
models (a Sequential and a functional one) are each wrapped by a MyTrainer keras.Model that stores
the wrapped model as self.model, owns its loss function and a SparseCategoricalAccuracy metric, lists
it in a metrics property, and overrides train_step (tf.GradientTape over self.model(x,
training=True), apply_gradients on self.trainable_variables, metric.update_state for each metric in
self.metrics) and test_step delegating to the wrapped model; call() returns self.model(x). The two
trainers are compiled with different optimizers, fit with validation_data, evaluated, and the wrapped
models predict on their own."""
import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.default_rng(7)
x_train = rng.uniform(size=(256, 28, 28)).astype("float32")
y_train = rng.integers(0, 10, size=(256,))
x_test = rng.uniform(size=(64, 28, 28)).astype("float32")
y_test = rng.integers(0, 10, size=(64,))

# Model a: a Sequential model.
model_a = keras.Sequential(
    [
        keras.layers.Flatten(input_shape=(28, 28)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)

# Model b: a functional model.
inputs = keras.Input(shape=(28, 28))
x = keras.layers.Flatten()(inputs)
x = keras.layers.Dense(32, activation="relu")(x)
outputs = keras.layers.Dense(10, activation="softmax")(x)
model_b = keras.Model(inputs, outputs)


class MyTrainer(keras.Model):
    def __init__(self, model):
        super().__init__()
        self.model = model
        # Create loss and metrics here.
        self.loss_fn = keras.losses.SparseCategoricalCrossentropy()
        self.accuracy_metric = keras.metrics.SparseCategoricalAccuracy()

    @property
    def metrics(self):
        # List metrics here.
        return [self.accuracy_metric]

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self.model(x, training=True)  # Forward pass
            # Compute loss value
            loss = self.loss_fn(y, y_pred)

        # Compute gradients
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)

        # Update weights
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))

        # Update metrics
        for metric in self.metrics:
            metric.update_state(y, y_pred)

        # Return a dict mapping metric names to current value.
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y = data

        # Inference step
        y_pred = self.model(x, training=False)

        # Update metrics
        for metric in self.metrics:
            metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def call(self, x):
        # Equivalent to `call()` of the wrapped keras.Model
        x = self.model(x)
        return x


trainer_1 = MyTrainer(model_a)
trainer_2 = MyTrainer(model_b)

trainer_1.compile(optimizer=keras.optimizers.SGD())
history_1 = trainer_1.fit(
    x_train, y_train, epochs=1, batch_size=64, validation_data=(x_test, y_test), verbose=2
)

trainer_2.compile(optimizer=keras.optimizers.Adam())
history_2 = trainer_2.fit(
    x_train, y_train, epochs=1, batch_size=64, validation_data=(x_test, y_test), verbose=2
)

for history in (history_1, history_2):
    assert "val_sparse_categorical_accuracy" in history.history, history.history.keys()

results = trainer_2.evaluate(x_test, y_test, verbose=0, return_dict=True)
print("trainer_2 evaluate", results)
predictions = model_b.predict(x_test[:4], verbose=0)
assert predictions.shape == (4, 10)
assert np.allclose(predictions, trainer_2.predict(x_test[:4], verbose=0), atol=1e-5)
print("trainer pattern ok")
