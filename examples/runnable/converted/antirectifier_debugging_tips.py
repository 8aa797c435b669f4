"""keras.io "Simple custom layer example: Antirectifier" with "Keras debugging tips", hand-converted to Keras 3.

Keras 3 conversion: `import keras` and keras.ops in the layers (`inputs = inputs - ops.mean(...)`); the model is
saved and reloaded in the `.keras` format with custom_objects; `keras.name_scope` for tf.name_scope; static-shape
Python checks and print for tf.debugging / tf.print; the gradient statistics the train_step printed move into an
optimizer subclass's apply() (every backend's train step calls it with the gradients; run_eagerly=True keeps the
values concrete), so the model needs no train_step.
"""
import os
import tempfile

import numpy as np
import keras
from keras import layers, ops


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
        inputs = inputs - ops.mean(inputs, axis=-1, keepdims=True)
        pos = ops.relu(inputs)
        neg = ops.relu(-inputs)
        concatenated = ops.concatenate([pos, neg], axis=-1)
        mixed = ops.matmul(concatenated, self.kernel)
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
path = os.path.join(tempfile.mkdtemp(), "antirectifier.keras")
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
        with keras.name_scope(self.name):
            self.kernel = self.add_weight(
                shape=(output_dim * 2, output_dim),
                initializer="he_normal",
                name="kernel",
                trainable=True,
            )

    def call(self, inputs):
        assert len(inputs.shape) == 2, "MyAntirectifier expects 2D inputs"
        # Take the positive part of the input
        pos = ops.relu(inputs)
        # Take the negative part of the input
        neg = ops.relu(-inputs)
        print("pos.shape:", pos.shape)
        print("neg.shape:", neg.shape)
        # Concatenate the positive and negative parts
        concatenated = ops.concatenate([pos, neg], axis=1)
        print("concatenated.shape:", concatenated.shape)
        # Project the concatenation down to the same dimensionality as the input
        print("kernel.shape:", self.kernel.shape)
        print("mean activation:", ops.mean(concatenated))
        return ops.matmul(concatenated, self.kernel)


x = keras.random.normal(shape=(2, 5))
y = MyAntirectifier()(x)
assert tuple(y.shape) == (2, 5)
print("y.shape:", y.shape)


# Tip 4: if your code misbehaves in fit(), run it eagerly and print what happens in the step:
# the optimizer receives the gradients on every backend.
class GradientStatsSGD(keras.optimizers.SGD):
    def apply(self, grads, trainable_variables=None):
        # Print the max / min / mean of the first gradient
        print("Max of dl_dw[0]: %.4f" % float(ops.max(grads[0])))
        print("Min of dl_dw[0]: %.4f" % float(ops.min(grads[0])))
        print("Mean of dl_dw[0]: %.4f" % float(ops.mean(grads[0])))
        print("-")
        return super().apply(grads, trainable_variables)


def get_model():
    inputs = keras.Input(shape=(784,))
    x = layers.Dense(64)(inputs)
    x = MyAntirectifier()(x)
    x = layers.Dense(32)(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs)


debug_model = get_model()
debug_model.compile(
    optimizer=GradientStatsSGD(learning_rate=1e-2),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
    run_eagerly=True,
)
debug_model.fit(x_train[:256], y_train[:256], epochs=1, batch_size=64, validation_split=0.25, verbose=0)
print(debug_model.evaluate(x_test, y_test, verbose=0))
