"""The Trainer pattern (in the style of the keras.io "Trainer pattern" recipe, TF 2 era): two plain
models wrapped by a MyTrainer keras.Model that owns the loss function and an accuracy metric.

Hand conversion to multi-backend Keras 3: the tf.GradientTape train_step becomes a compute_loss()
override (the loss of the wrapped model's prediction; fit() takes the gradient on every backend) and
the metric updates a compute_metrics() override, which serves both the train and the test step, so
test_step goes; call() passes training on to the wrapped model; the Sequential model starts with
keras.Input instead of input_shape=."""
import numpy as np
import keras

rng = np.random.default_rng(7)
x_train = rng.uniform(size=(256, 28, 28)).astype("float32")
y_train = rng.integers(0, 10, size=(256,))
x_test = rng.uniform(size=(64, 28, 28)).astype("float32")
y_test = rng.integers(0, 10, size=(64,))

# Model a: a Sequential model.
model_a = keras.Sequential(
    [
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
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

    def call(self, x, training=False):
        # Equivalent to `call()` of the wrapped keras.Model
        return self.model(x, training=training)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        # Compute loss value
        return self.loss_fn(y, y_pred)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        # Update metrics
        for metric in self.metrics:
            metric.update_state(y, y_pred)
        # Return a dict mapping metric names to current value.
        return {m.name: m.result() for m in self.metrics}


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
