# compile(metrics=[...]) handed on by a compile() override, a `metrics` property extending
# super().metrics, and a train_step that never updates the compiled metrics (only test_step does:
# keras.io's knowledge distillation guide): on TensorFlow, fit() reads every metric's result at the
# end of the epoch, "Cannot get result() since the metric has not yet been built" (JAX and PyTorch
# build them first, and fail on the GradientTape step instead).
import numpy as np
import tensorflow as tf
import keras


class Scorer(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(3)
        self.loss_tracker = keras.metrics.Mean(name="score")

    def call(self, x):
        return self.dense(x)

    @property
    def metrics(self):
        metrics = super().metrics
        metrics.append(self.loss_tracker)
        return metrics

    def compile(self, optimizer, metrics):
        super().compile(optimizer=optimizer, metrics=metrics)

    def train_step(self, data):
        x, _ = data
        with tf.GradientTape() as tape:
            loss = keras.ops.mean(self(x) ** 2)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        return {"score": self.loss_tracker.result()}

    def test_step(self, data):
        x, y = data
        predictions = self(x)
        self.compiled_metrics.update_state(y, predictions)
        return {m.name: m.result() for m in self.metrics}


model = Scorer()
model.compile(optimizer="adam", metrics=[keras.metrics.SparseCategoricalAccuracy()])
x = np.random.rand(16, 4).astype("float32")
y = np.random.randint(0, 3, size=(16,))
model.fit(x, y, epochs=1, batch_size=8, verbose=0)
print("trained")
