"""keras.io "Writing Keras Models With TensorFlow NumPy" (Boston housing regression), tf.keras era:
tnp = tensorflow.experimental.numpy with tnp.experimental_enable_numpy_behavior(), data drawn with
tnp.random (seed / randn / uniform) and turned into NumPy; a TNPForwardFeedRegressionNetwork(keras.Model)
that validates a `blocks` list, creates its kernels in build() with add_weight into Python lists and calls
tnp.matmul / tnp.maximum in call(); a tnp_mse custom loss (tnp.mean, tnp.square); a TNPDense layer with a
tnp activation function in a Sequential, a mixed model with a Keras Dense; evaluate_model() reads
[loss, percent_error] from evaluate with a MeanAbsolutePercentageError metric; keras.backend.clear_session()
between models; a GPU-only MirroredStrategy branch; fit with a per-model log callback (CSVLogger here: TensorBoard is not installed on this machine)."""
import os
import tempfile

import numpy as np
import tensorflow as tf
import tensorflow.experimental.numpy as tnp
from tensorflow import keras
from tensorflow.keras import layers

tnp.experimental_enable_numpy_behavior()

# Synthetic stand-in for keras.datasets.boston_housing.load_data(path="boston_housing.npz").
tnp.random.seed(0)
true_w = tnp.random.uniform(size=(13, 1))
x_all = tnp.random.randn(128, 13).astype(tnp.float32)
y_all = tnp.matmul(x_all, true_w) + 0.1 * tnp.random.randn(128, 1) + 20.0
x_train, y_train = np.asarray(x_all[:96]), np.asarray(y_all[:96], dtype="float32")
x_test, y_test = np.asarray(x_all[96:]), np.asarray(y_all[96:], dtype="float32")
input_dim = x_train.shape[1]


def evaluate_model(model: keras.Model):
    [loss, percent_error] = model.evaluate(x_test, y_test, verbose=0)
    print("Mean absolute percent error before training: ", percent_error)
    model.fit(x_train, y_train, epochs=2, verbose=0)
    [loss, percent_error] = model.evaluate(x_test, y_test, verbose=0)
    print("Mean absolute percent error after training:", percent_error)


class TNPForwardFeedRegressionNetwork(keras.Model):
    def __init__(self, blocks=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(blocks, list):
            raise ValueError(f"blocks must be a list, got blocks={blocks}")
        self.blocks = blocks
        self.block_weights = None
        self.biases = None

    def build(self, input_shape):
        current_shape = input_shape[1]
        self.block_weights = []
        self.biases = []
        for i, block in enumerate(self.blocks):
            self.block_weights.append(
                self.add_weight(
                    shape=(current_shape, block),
                    trainable=True,
                    name=f"block-{i}",
                    initializer="glorot_normal",
                )
            )
            self.biases.append(
                self.add_weight(
                    shape=(block,),
                    trainable=True,
                    name=f"bias-{i}",
                    initializer="zeros",
                )
            )
            current_shape = block

        self.linear_layer = self.add_weight(
            shape=(current_shape, 1),
            name="linear_projector",
            trainable=True,
            initializer="glorot_normal",
        )

    def call(self, inputs):
        activations = inputs
        for w, b in zip(self.block_weights, self.biases):
            activations = tnp.matmul(activations, w) + b
            # ReLu activation function
            activations = tnp.maximum(activations, 0.0)

        return tnp.matmul(activations, self.linear_layer)


model = TNPForwardFeedRegressionNetwork(blocks=[3, 3])
model.compile(
    optimizer="adam",
    loss="mean_squared_error",
    metrics=[keras.metrics.MeanAbsolutePercentageError()],
)
evaluate_model(model)


def tnp_mse(y_true, y_pred):
    return tnp.mean(tnp.square(y_true - y_pred), axis=0)


keras.backend.clear_session()
model = TNPForwardFeedRegressionNetwork(blocks=[3, 3])
model.compile(
    optimizer="adam",
    loss=tnp_mse,
    metrics=[keras.metrics.MeanAbsolutePercentageError()],
)
evaluate_model(model)


class TNPDense(keras.layers.Layer):
    def __init__(self, units, activation=None):
        super().__init__()
        self.units = units
        self.activation = activation

    def build(self, input_shape):
        self.w = self.add_weight(
            name="weights",
            shape=(input_shape[1], self.units),
            initializer="uniform",
            trainable=True,
        )
        self.bias = self.add_weight(
            name="bias",
            shape=(self.units,),
            initializer="zeros",
            trainable=True,
        )

    def call(self, inputs):
        outputs = tnp.matmul(inputs, self.w) + self.bias
        if self.activation:
            return self.activation(outputs)
        return outputs


def create_layered_tnp_model():
    return keras.Sequential(
        [
            TNPDense(3, activation=tnp_relu),
            TNPDense(3, activation=tnp_relu),
            TNPDense(1),
        ]
    )


def tnp_relu(x):
    return tnp.maximum(x, 0)


model = create_layered_tnp_model()
model.compile(
    optimizer="adam",
    loss="mean_squared_error",
    metrics=[keras.metrics.MeanAbsolutePercentageError()],
)
model.build((None, input_dim))
model.summary()

evaluate_model(model)


def create_mixed_model():
    return keras.Sequential(
        [
            TNPDense(3, activation=tnp_relu),
            # The model will have no issue using a normal Dense layer
            layers.Dense(3, activation="relu"),
            # ... or switching back to tnp layers!
            TNPDense(1),
        ]
    )


model = create_mixed_model()
model.compile(
    optimizer="adam",
    loss="mean_squared_error",
    metrics=[keras.metrics.MeanAbsolutePercentageError()],
)
model.build((None, input_dim))
model.summary()
evaluate_model(model)

gpus = tf.config.list_logical_devices("GPU")
if not gpus:
    print("No GPU available, using CPU")
else:
    strategy = tf.distribute.MirroredStrategy(gpus)
    with strategy.scope():
        model = create_layered_tnp_model()
        model.compile(
            optimizer="adam",
            loss="mean_squared_error",
            metrics=[keras.metrics.MeanAbsolutePercentageError()],
        )
        model.build((None, input_dim))
        model.summary()
        evaluate_model(model)

models = [
    (TNPForwardFeedRegressionNetwork(blocks=[3, 3]), "TNPForwardFeedRegressionNetwork"),
    (create_layered_tnp_model(), "layered_tnp_model"),
    (create_mixed_model(), "mixed_model"),
]
log_root = tempfile.mkdtemp()
for model, model_name in models:
    model.compile(
        optimizer="adam",
        loss="mean_squared_error",
        metrics=[keras.metrics.MeanAbsolutePercentageError()],
    )
    model.fit(
        x_train,
        y_train,
        epochs=1,
        verbose=0,
        callbacks=[keras.callbacks.CSVLogger(os.path.join(log_root, model_name + ".csv"))],
    )
    print(model_name, "logged:", open(os.path.join(log_root, model_name + ".csv")).read().splitlines()[0])
