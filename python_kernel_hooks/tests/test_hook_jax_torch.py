"""The hook in real IPython kernels on the JAX and PyTorch backends."""

import pytest

from conftest import assert_unchanged_error, line_of
from keras_migrate.paste import strip_ansi
from keras_migrate.recognize import explain_text, recognize_records, records_from_text

pytestmark = pytest.mark.timeout(900)

SETUP = """\
import numpy as np
import keras
import tensorflow as tf
x = np.random.rand(8, 4).astype("float32")
y = np.random.rand(8, 1).astype("float32")
print(keras.backend.backend())
"""

TF_OP_LAYER = """\
class SquareWithTf(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(4)

    def call(self, inputs):
        hidden = self.dense(inputs)
        return tf.square(hidden)
"""

TF_OP_MODEL = """\
model = keras.Sequential([keras.Input((4,)), SquareWithTf(), keras.layers.Dense(1)])
model.compile("adam", "mse")
model.fit(x, y, epochs=1, verbose=0)
"""

TF_LOSS = """\
def tf_mse(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred))

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile("adam", tf_mse)
model.fit(x, y, epochs=1, verbose=0)
"""


def setup(pair, backend):
    hooked, plain = pair.run(SETUP)
    assert hooked.stdout.strip() == plain.stdout.strip() == backend


def define(pair, code):
    hooked, plain = pair.run(code)
    assert hooked.reply["status"] == plain.reply["status"] == "ok", hooked.outputs
    return hooked.reply["execution_count"]


def only_diagnosis(run):
    assert len(run.diagnoses) == 1, run.diagnoses
    return run.diagnoses[0]


@pytest.fixture(scope="module")
def jax_pair(jax_kernels):
    setup(jax_kernels, "jax")
    return jax_kernels


@pytest.fixture(scope="module")
def torch_pair(torch_kernels):
    setup(torch_kernels, "torch")
    return torch_kernels


def test_jax_unbuilt_state(jax_pair):
    define(jax_pair, """\
class TwoStage(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(3)
        self.out = keras.layers.Dense(1)

    def call(self, inputs):
        h = self.hidden(inputs)
        if keras.ops.sum(h) > 0:
            h = h * 2
        return self.out(h)
""")
    fit = 'model = keras.Sequential([TwoStage()])\nmodel.compile("adam", "mse")\nmodel.fit(x, y, epochs=1, verbose=0)\n'
    hooked, plain = jax_pair.run(fit)
    assert_unchanged_error(hooked, plain)
    # The 'unbuilt state' warnings are shown as before ...
    assert "looks like it has unbuilt state" in hooked.stderr
    assert hooked.stderr == plain.stderr
    # ... and the error gets the one card.
    diagnosis = only_diagnosis(hooked)
    assert diagnosis["guide"] == "state-building"
    assert diagnosis["exception_type"] == "RuntimeError"
    assert diagnosis["cell"] == hooked.reply["execution_count"]
    assert diagnosis["line"] == line_of(fit, "model.fit(")
    assert diagnosis["backend"] == "jax"

    # The warning text alone is recognised too, with the layer and the trace's error;
    # Keras 3.0.x spelt it "Exception encoutered" (error_messages.tsv).
    first_line = hooked.stderr.index("looks like it has unbuilt state")
    start = hooked.stderr.rfind("\n", 0, first_line) + 1
    end = hooked.stderr.index("warnings.warn(", first_line)
    warning = hooked.stderr[start:end]
    for text in (warning, warning.replace("Exception encountered:", "Exception encoutered:")):
        answer = explain_text(text)
        assert answer["guide"] == "state-building" and answer["kind"] == "warning"
        assert answer["names"]["layer"] == "two_stage"
        assert "boolean conversion of traced array" in answer["names"]["cause"]


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_tf_op_given_backend_tensor_in_layer(request, backend):
    pair = request.getfixturevalue(backend + "_pair")
    layer_cell = define(pair, TF_OP_LAYER)
    hooked, plain = pair.run(TF_OP_MODEL)
    assert_unchanged_error(hooked, plain)
    diagnosis = only_diagnosis(hooked)
    assert diagnosis["guide"] == "keras-ops"
    assert diagnosis["backend"] == backend
    assert diagnosis["names"]["op"] == "tf.square"
    assert diagnosis["names"]["layer"] == "SquareWithTf"
    # The line that needs changing is in call(), in the cell that defined the layer.
    assert diagnosis["cell"] == layer_cell
    assert diagnosis["line"] == line_of(TF_OP_LAYER, "tf.square(")


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_tf_op_given_backend_tensor_in_loss(request, backend):
    pair = request.getfixturevalue(backend + "_pair")
    hooked, plain = pair.run(TF_LOSS)
    assert_unchanged_error(hooked, plain)
    diagnosis = only_diagnosis(hooked)
    assert diagnosis["guide"] == "keras-ops"
    assert diagnosis["cell"] == hooked.reply["execution_count"]
    assert diagnosis["line"] == line_of(TF_LOSS, "tf.reduce_mean(")
    assert diagnosis["names"]["op"] == "tf.reduce_mean"


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_backend_errors_that_are_not_migration_problems(request, backend):
    pair = request.getfixturevalue(backend + "_pair")
    hooked, plain = pair.run("model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\n"
                             "model.compile('adam', 'mse')\nmodel.fit(np.zeros((8, 5)), y, verbose=0)\n")
    assert_unchanged_error(hooked, plain)
    assert hooked.diagnoses == []


TF_TRAIN_STEP = """\
class TapeModel(keras.Model):
    def train_step(self, data):
        features, targets = data
        with tf.GradientTape() as tape:
            predictions = self(features, training=True)
            loss = self.compiled_loss(targets, predictions)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        return {"loss": loss}
"""


@pytest.mark.parametrize("backend, needle", [("jax", "model.fit("), ("torch", "self.compiled_loss(")])
def test_tensorflow_style_train_step(request, backend, needle):
    pair = request.getfixturevalue(backend + "_pair")
    model_cell = define(pair, TF_TRAIN_STEP)
    fit = 'inputs = keras.Input((4,))\nmodel = TapeModel(inputs, keras.layers.Dense(1)(inputs))\nmodel.compile("adam", "mse")\nmodel.fit(x, y, epochs=1, verbose=0)\n'
    hooked, plain = pair.run(fit)
    assert_unchanged_error(hooked, plain)
    diagnosis = only_diagnosis(hooked)
    assert diagnosis["guide"] == "custom-train-step"
    # JAX fails calling train_step (the fit line); torch inside it (the compiled_loss line).
    source = fit if needle == "model.fit(" else TF_TRAIN_STEP
    assert diagnosis["cell"] == (hooked.reply["execution_count"] if source is fit else model_cell)
    assert diagnosis["line"] == line_of(source, needle)


SEQUENTIAL_IN_TF_DATA = """\
projection = keras.Sequential([keras.layers.Dense(3)])
pairs = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
pairs = pairs.map(lambda features, targets: (projection(features), targets))
"""


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_keras_layer_in_tf_data_map(request, backend):
    pair = request.getfixturevalue(backend + "_pair")
    hooked, plain = pair.run(SEQUENTIAL_IN_TF_DATA)
    assert_unchanged_error(hooked, plain)
    assert "Cannot convert a symbolic tf.Tensor" in hooked.error["evalue"]
    diagnosis = only_diagnosis(hooked)
    assert diagnosis["signature"] == "keras-layer-in-tf-data"
    assert diagnosis["guide"] == "api-changes"
    assert "Pipeline" in diagnosis["fix"]
    # The line the user wrote (the map), not AutoGraph's generated copy of the lambda.
    assert diagnosis["cell"] == hooked.reply["execution_count"]
    assert diagnosis["line"] == line_of(SEQUENTIAL_IN_TF_DATA, "pairs.map(")

    # The same traceback, told that the kernel runs TensorFlow (where this cannot be the cause), is no diagnosis.
    text = strip_ansi(hooked.traceback_text())
    assert explain_text(text)["signature"] == "keras-layer-in-tf-data"
    assert recognize_records(records_from_text(text), keras_version="3.15.1", backend="tensorflow") is None
    assert recognize_records(records_from_text(text), keras_version="3.15.1", backend=backend)["signature"] == "keras-layer-in-tf-data"
