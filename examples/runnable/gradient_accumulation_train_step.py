"""Gradient accumulation in a custom train_step (tf.keras era), the widely copied Stack Overflow /
GitHub "CustomTrainStep" recipe, on synthetic MNIST-like digits.

A functional model subclass CustomTrainStep(tf.keras.Model) taking n_gradients plus the functional
*args/**kwargs; __init__ makes tf.constant(n_gradients), a tf.Variable step counter
(dtype=tf.int32, trainable=False) and one tf.Variable(tf.zeros_like(v)) accumulator per
trainable variable; train_step unpacks with tf.keras.utils.unpack_x_y_sample_weight, runs
self.compiled_loss(y, y_pred, sample_weight, regularization_losses=self.losses) under a tape,
assign_add()s each gradient into its accumulator and applies them with
tf.cond(tf.equal(self.n_acum_step, self.n_gradients), self.apply_accu_gradients, lambda: None),
whose branch calls self.optimizer.apply_gradients and resets the accumulators with assign();
self.compiled_metrics.update_state(y, y_pred, sample_weight) and
`{m.name: m.result() for m in self.metrics}`; fit() with per-sample weights, evaluate(),
save_weights to .h5 and load_weights into a fresh model."""
import os
import tempfile

import numpy as np
import tensorflow as tf

np.random.seed(2)
tf.random.set_seed(2)

num_classes = 10
x_train = np.random.rand(1200, 28, 28).astype("float32")
y_train = np.random.randint(0, num_classes, 1200)
x_train[np.arange(1200), y_train * 2, :] += 2.0  # learnable signal: a bright row per class
x_test = x_train[:200]
y_test = y_train[:200]
sample_weight = np.where(y_train < 5, 1.0, 0.5).astype("float32")


class CustomTrainStep(tf.keras.Model):
    def __init__(self, n_gradients, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.n_gradients = tf.constant(n_gradients, dtype=tf.int32)
        self.n_acum_step = tf.Variable(0, dtype=tf.int32, trainable=False)
        self.gradient_accumulation = [tf.Variable(tf.zeros_like(v, dtype=tf.float32), trainable=False)
                                      for v in self.trainable_variables]

    def train_step(self, data):
        self.n_acum_step.assign_add(1)

        x, y, sample_weight = tf.keras.utils.unpack_x_y_sample_weight(data)
        # Gradient Tape
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compiled_loss(y, y_pred, sample_weight, regularization_losses=self.losses)
        # Calculate batch gradients
        gradients = tape.gradient(loss, self.trainable_variables)
        # Accumulate batch gradients
        for i in range(len(self.gradient_accumulation)):
            self.gradient_accumulation[i].assign_add(gradients[i])

        # If n_acum_step reach the n_gradients then we apply accumulated gradients to update
        # the variables otherwise do nothing
        tf.cond(tf.equal(self.n_acum_step, self.n_gradients), self.apply_accu_gradients, lambda: None)

        # update metrics
        self.compiled_metrics.update_state(y, y_pred, sample_weight)
        return {m.name: m.result() for m in self.metrics}

    def apply_accu_gradients(self):
        # apply accumulated gradients
        self.optimizer.apply_gradients(zip(self.gradient_accumulation, self.trainable_variables))

        # reset
        self.n_acum_step.assign(0)
        for i in range(len(self.gradient_accumulation)):
            self.gradient_accumulation[i].assign(tf.zeros_like(self.trainable_variables[i], dtype=tf.float32))


def build_model():
    input = tf.keras.Input(shape=(28, 28))
    base_maps = tf.keras.layers.Flatten(input_shape=(28, 28))(input)
    base_maps = tf.keras.layers.Dense(128, activation='relu')(base_maps)
    base_maps = tf.keras.layers.Dense(num_classes, activation='softmax', name='primary')(base_maps)
    return CustomTrainStep(n_gradients=4, inputs=[input], outputs=[base_maps])


custom_model = build_model()

# bind all
custom_model.compile(
    loss=tf.keras.losses.SparseCategoricalCrossentropy(),
    metrics=['accuracy'],
    optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3))

# fit
history = custom_model.fit(x_train, y_train, sample_weight=sample_weight, batch_size=32,
                           epochs=3, verbose=2)
print({k: [round(float(v), 4) for v in vals] for k, vals in history.history.items()})

test_loss, test_acc = custom_model.evaluate(x_test, y_test, verbose=0)
print("test loss %.4f accuracy %.4f" % (test_loss, test_acc))

weights_path = os.path.join(tempfile.mkdtemp(), "accumulated.h5")
custom_model.save_weights(weights_path)
restored = build_model()
restored.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(), metrics=['accuracy'],
                 optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3))
restored.load_weights(weights_path)
np.testing.assert_allclose(restored.predict(x_test[:8], verbose=0),
                           custom_model.predict(x_test[:8], verbose=0), rtol=1e-5, atol=1e-6)
print("restored predictions match")
