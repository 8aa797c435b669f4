"""keras.io "Simple custom layer example: Antirectifier" with "Keras debugging tips", as written for tf.keras.

An Antirectifier layer (tf.reduce_mean, tf.nn.relu, tf.concat, tf.matmul on an add_weight kernel,
an `inputs -=` in call) with get_config serializing its initializer, a model saved to .h5 and
reloaded with custom_objects; the debugging tips: a layer built under tf.name_scope(self.name),
print() and tf.print in call, tf.debugging asserts, a layer tested eagerly on tf.random.normal,
compile(run_eagerly=True) and a train_step printing gradient statistics. Synthetic MNIST-like data.
"""
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class Antirectifier(layers.Layer):
    def __init__(self, initializer="he_normal", **kwargs):
        super(Antirectifier, self).__init__(**kwargs)
        self.initializer = keras.initializers.get(initializer)

    def build(self, input_shape):
        output_dim = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(output_dim * 2, output_dim),
            initializer=self.initializer,
            name="kernel",
            trainable=True,
        )

    def call(self, inputs):
        inputs -= tf.reduce_mean(inputs, axis=-1, keepdims=True)
        pos = tf.nn.relu(inputs)
        neg = tf.nn.relu(-inputs)
        concatenated = tf.concat([pos, neg], axis=-1)
        mixed = tf.matmul(concatenated, self.kernel)
        return mixed

    def get_config(self):
        # Implement get_config to enable serialization. This is optional.
        base_config = super(Antirectifier, self).get_config()
        config = {"initializer": keras.initializers.serialize(self.initializer)}
        return dict(list(base_config.items()) + list(config.items()))


# Training parameters
batch_size = 128
num_classes = 10
epochs = 2

# Synthetic stand-in for keras.datasets.mnist.load_data()
rng = np.random.default_rng(3)
x_train = rng.uniform(0, 255, size=(512, 28, 28)).astype("uint8")
y_train = rng.integers(0, num_classes, size=(512,))
x_test = rng.uniform(0, 255, size=(128, 28, 28)).astype("uint8")
y_test = rng.integers(0, num_classes, size=(128,))

x_train = x_train.reshape(-1, 784)
x_test = x_test.reshape(-1, 784)
x_train = x_train.astype("float32")
x_test = x_test.astype("float32")
x_train /= 255
x_test /= 255
print(x_train.shape[0], "train samples")
print(x_test.shape[0], "test samples")

# Build the model
model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(256),
        Antirectifier(),
        layers.Dense(256),
        Antirectifier(),
        layers.Dropout(0.5),
        layers.Dense(10),
    ]
)

# Compile the model
model.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    optimizer=keras.optimizers.RMSprop(),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)

# Train the model
model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_split=0.15, verbose=2)

# Test the model
print(model.evaluate(x_test, y_test, verbose=0))

# Serialization round trip with the custom layer
path = os.path.join(tempfile.mkdtemp(), "antirectifier.h5")
model.save(path)
reloaded = keras.models.load_model(path, custom_objects={"Antirectifier": Antirectifier})
np.testing.assert_allclose(
    reloaded.predict(x_test[:8], verbose=0), model.predict(x_test[:8], verbose=0), atol=1e-5
)
config = model.layers[1].get_config()
clone = Antirectifier.from_config(config)
print("initializer:", config["initializer"])


# Debugging tips, tip 1: test each part before you test the whole
class MyAntirectifier(layers.Layer):
    def build(self, input_shape):
        output_dim = input_shape[-1]
        with tf.name_scope(self.name):
            self.kernel = self.add_weight(
                shape=(output_dim * 2, output_dim),
                initializer="he_normal",
                name="kernel",
                trainable=True,
            )

    def call(self, inputs):
        tf.debugging.assert_rank(inputs, 2, message="MyAntirectifier expects 2D inputs")
        # Take the positive part of the input
        pos = tf.nn.relu(inputs)
        # Take the negative part of the input
        neg = tf.nn.relu(-inputs)
        print("pos.shape:", pos.shape)
        print("neg.shape:", neg.shape)
        # Concatenate the positive and negative parts
        concatenated = tf.concat([pos, neg], axis=1)
        print("concatenated.shape:", concatenated.shape)
        # Project the concatenation down to the same dimensionality as the input
        print("kernel.shape:", self.kernel.shape)
        tf.print("mean activation:", tf.reduce_mean(concatenated))
        return tf.matmul(concatenated, self.kernel)


x = tf.random.normal(shape=(2, 5))
y = MyAntirectifier()(x)
tf.debugging.assert_equal(tf.shape(y), tf.constant([2, 5]))
print("y.shape:", y.shape)


# Tip 4: if your code misbehaves in fit(), run it eagerly and print what happens in train_step
class MyModel(keras.Model):
    def train_step(self, data):
        inputs, targets = data
        trainable_vars = self.trainable_variables
        with tf.GradientTape() as tape:
            preds = self(inputs, training=True)  # Forward pass
            # Compute the loss value
            loss = self.compiled_loss(targets, preds)
        # Compute first-order gradients
        dl_dw = tape.gradient(loss, trainable_vars)

        # Print the max / min / mean of the first gradient
        print("Max of dl_dw[0]: %.4f" % tf.reduce_max(dl_dw[0]))
        print("Min of dl_dw[0]: %.4f" % tf.reduce_min(dl_dw[0]))
        print("Mean of dl_dw[0]: %.4f" % tf.reduce_mean(dl_dw[0]))
        print("-")

        # Update weights
        self.optimizer.apply_gradients(zip(dl_dw, trainable_vars))

        # Update metrics (includes the metric that tracks the loss)
        self.compiled_metrics.update_state(targets, preds)
        # Return a dict mapping metric names to current value
        return {m.name: m.result() for m in self.metrics}


def get_model():
    inputs = keras.Input(shape=(784,))
    x = layers.Dense(64)(inputs)
    x = MyAntirectifier()(x)
    x = layers.Dense(32)(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return MyModel(inputs, outputs)


debug_model = get_model()
debug_model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=1e-2),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
    run_eagerly=True,
)
debug_model.fit(x_train[:256], y_train[:256], epochs=1, batch_size=64, validation_split=0.25, verbose=0)
print(debug_model.evaluate(x_test, y_test, verbose=0))
