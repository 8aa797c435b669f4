"""The hook in a real IPython kernel on the TensorFlow backend.

Every failure is produced by running Keras; each test checks the diagnosis
(guide, cell, line, names) and that the error output and execute reply are
exactly those of a kernel without the hook running the same cells.
"""

import os
import re

import pytest

from conftest import assert_unchanged_error, line_of
from keras_migrate.recognize import explain_text

pytestmark = pytest.mark.timeout(900)

SETUP = """\
import os, sys, tempfile, warnings
import numpy as np
import keras
import tensorflow as tf
x = np.random.rand(8, 4).astype("float32")
y = np.random.rand(8, 1).astype("float32")
workdir = tempfile.mkdtemp()
"""


@pytest.fixture(scope="module")
def tf_pair(tf_kernels):
    hooked, plain = tf_kernels.run(SETUP)
    assert hooked.reply["status"] == "ok", hooked.outputs
    assert plain.reply["status"] == "ok", plain.outputs
    return tf_kernels


def reference_variants(failure_mode, pattern):
    """Alternative wordings quoted in shared/guide/error_messages.tsv for one row."""
    path = os.path.join(os.environ.get("KERAS_MIGRATE_SHARED_GUIDE", "/work/shared/guide"), "error_messages.tsv")
    if not os.path.exists(path):
        pytest.skip("reference data not available")
    with open(path, encoding="utf-8") as handle:
        row = next(line for line in handle if line.startswith(failure_mode + "\t"))
    variants = re.findall(pattern, row.split("\t")[4])
    assert variants
    return variants


def only_diagnosis(run):
    assert len(run.diagnoses) == 1, run.diagnoses
    return run.diagnoses[0]


def run_failing(pair, code):
    hooked, plain = pair.run(code)
    assert_unchanged_error(hooked, plain)
    return hooked


def define(pair, code):
    hooked, plain = pair.run(code)
    assert hooked.reply["status"] == "ok", hooked.outputs
    assert plain.reply["status"] == "ok", plain.outputs
    return hooked.reply["execution_count"]


def test_xla_unsupported_op_with_jit_compile_on_cpu(tf_pair):
    define(tf_pair, """\
class TextRoundTrip(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)

    def call(self, inputs):
        as_text = tf.strings.as_string(inputs)
        return self.dense(tf.strings.to_number(as_text))
""")
    fit = """\
model = TextRoundTrip()
model.compile(optimizer="adam", loss="mse", jit_compile=True)
model.fit(x, y, epochs=1, verbose=0)
"""
    run = run_failing(tf_pair, fit)
    diagnosis = only_diagnosis(run)
    assert diagnosis["guide"] == "jit-compile"
    assert diagnosis["kind"] == "error"
    assert diagnosis["exception_type"] == "InvalidArgumentError"
    assert diagnosis["cell"] == run.reply["execution_count"]
    assert diagnosis["line"] == line_of(fit, "model.fit(")
    assert diagnosis["cell_line_text"] == "model.fit(x, y, epochs=1, verbose=0)"
    assert diagnosis["names"]["device"] == "XLA_CPU_JIT"
    assert diagnosis["names"]["op"] == "AsString"
    assert diagnosis["names"]["node"].endswith("/AsString")
    assert diagnosis["backend"] == "tensorflow"
    assert re.match(r"3\.\d+", diagnosis["keras_version"])

    # The same failure on a GPU says XLA_GPU_JIT (error_messages.tsv); the message
    # is otherwise identical, so swap the device name in the real text.
    gpu_text = "\n".join(run.error["traceback"]).replace("XLA_CPU_JIT", "XLA_GPU_JIT")
    gpu = explain_text(gpu_text)
    assert gpu["guide"] == "jit-compile" and gpu["names"]["device"] == "XLA_GPU_JIT"


def test_tensor_used_as_python_bool_in_call(tf_pair):
    layer_code = """\
class PositiveOnly(keras.layers.Layer):
    def call(self, inputs):
        if tf.reduce_sum(inputs) > 0:
            return inputs * 2
        return inputs
"""
    layer_cell = define(tf_pair, layer_code)
    run = run_failing(tf_pair, "model = keras.Sequential([keras.Input((4,)), PositiveOnly(), keras.layers.Dense(1)])\n")
    diagnosis = only_diagnosis(run)
    assert diagnosis["guide"] == "autograph"
    # The offending line is in call(), in the cell that defined the layer.
    assert diagnosis["cell"] == layer_cell
    assert diagnosis["line"] == line_of(layer_code, "if tf.reduce_sum")
    assert diagnosis["names"]["layer"] == "PositiveOnly"
    # The ANSI-wrapped Keras message is unwrapped for the card.
    assert diagnosis["message"].startswith("Could not automatically infer the output shape")
    assert "\x1b" not in diagnosis["message"]

    # Older TensorFlow versions end the sentence differently (error_messages.tsv lists them).
    text = run.traceback_text()
    current_tail = "is not allowed. You can attempt the following resolutions to the problem:"
    assert current_tail in text
    for tail in reference_variants("tf_symbolic_tensor_as_bool", r"'(is not allowed[^']*)'"):
        assert explain_text(text.replace(current_tail, tail))["guide"] == "autograph", tail


def test_kerastensor_passed_to_tf_op(tf_pair):
    code = "inputs = keras.Input((4,))\nsquared = tf.square(inputs)\n"
    run = run_failing(tf_pair, code)
    diagnosis = only_diagnosis(run)
    assert diagnosis["guide"] == "kerastensor-tf-op"
    assert diagnosis["cell"] == run.reply["execution_count"]
    assert diagnosis["line"] == 2
    assert diagnosis["names"]["op"] == "tf.square"

    # Keras 3.0-3.8 named the namespace `keras.operations`, 3.9+ `keras.ops`
    # (error_messages.tsv); both wordings are recognised.
    text = "\n".join(run.error["traceback"])
    assert "`keras.ops`" in text
    assert explain_text(text.replace("`keras.ops`", "`keras.operations`"))["guide"] == "kerastensor-tf-op"


def test_tf_variable_not_tracked_warning(tf_pair):
    code = """\
class ScaleByVariable(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(tf.ones((4, 1)))

    def call(self, inputs):
        return tf.matmul(inputs, self.w)

model = keras.Sequential([keras.Input((4,)), ScaleByVariable()])
model.compile("adam", "mse")
history = model.fit(x, y, epochs=1, verbose=0)
"""
    hooked, plain = tf_pair.run(code)
    assert hooked.reply["status"] == plain.reply["status"] == "ok"
    # The warning is still shown as before ...
    assert "The model does not have any trainable weights" in hooked.stderr
    assert hooked.stderr == plain.stderr
    # ... and explained once.
    diagnosis = only_diagnosis(hooked)
    assert diagnosis["guide"] == "tf-variable-tracking"
    assert diagnosis["kind"] == "warning"
    assert diagnosis["exception_type"] == "UserWarning"
    assert diagnosis["cell"] == hooked.reply["execution_count"]
    assert diagnosis["line"] == line_of(code, "model.fit(")


def test_savedmodel_save_to_directory(tf_pair):
    define(tf_pair, 'saveable = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\n')
    run = run_failing(tf_pair, 'saveable.save(os.path.join(workdir, "my_model"))\n')
    diagnosis = only_diagnosis(run)
    assert diagnosis["guide"] == "savedmodel-save"
    assert diagnosis["line"] == 1
    assert diagnosis["names"]["path"].endswith("/my_model")


def test_savedmodel_load_from_directory(tf_pair):
    code = """\
export_dir = os.path.join(workdir, "exported")
saveable.export(export_dir, verbose=False)
restored = keras.models.load_model(export_dir)
"""
    run = run_failing(tf_pair, code)
    diagnosis = only_diagnosis(run)
    assert diagnosis["guide"] == "savedmodel-load"
    assert diagnosis["line"] == 3
    assert diagnosis["names"]["path"].endswith("/exported")

    # Keras 3.0-3.13 said "files and legacy H5", 3.14+ "files, legacy H5" (error_messages.tsv).
    text = "\n".join(run.error["traceback"])
    assert "`.keras` files, legacy H5" in text
    older = explain_text(text.replace("`.keras` files, legacy H5", "`.keras` files and legacy H5"))
    assert older["guide"] == "savedmodel-load"


def test_save_format_warning_logged_through_absl(tf_pair):
    hooked, plain = tf_pair.run('saveable.save(os.path.join(workdir, "model.keras"), save_format="tf")\n')
    assert hooked.reply["status"] == "ok"
    assert "WARNING:absl:The `save_format` argument is deprecated" in hooked.stderr
    assert hooked.stderr == plain.stderr
    diagnosis = only_diagnosis(hooked)
    assert diagnosis["guide"] == "savedmodel-save"
    assert diagnosis["kind"] == "warning"
    assert diagnosis["names"] == {"format": "tf"}


@pytest.mark.parametrize(
    "code, names",
    [
        ("layer = keras.layers.ThresholdedReLU(theta=1.0)\n", {"attribute": "ThresholdedReLU"}),
        ("from keras.layers import LocallyConnected2D\n", {"attribute": "LocallyConnected2D"}),
        ("rnn = keras.layers.LSTM(3, time_major=True)\n", {"layer": "LSTM", "argument": "time_major"}),
        ("saveable.train_on_batch(x, y, reset_metrics=True)\n", {"argument": "reset_metrics"}),
    ],
)
def test_removed_layers_and_arguments(tf_pair, code, names):
    run = run_failing(tf_pair, code)
    diagnosis = only_diagnosis(run)
    assert diagnosis["guide"] == "removed-features"
    assert diagnosis["line"] == 1
    assert names.items() <= diagnosis["names"].items()


@pytest.mark.parametrize(
    "code, needle, names",
    [
        ("opt = keras.optimizers.Adam(lr=0.01)\n", "Adam(", {"argument": "lr"}),
        ("opt = keras.optimizers.legacy.Adam(learning_rate=0.01)\n", "legacy", {}),
        ('saveable.compile("adam", "mse")\nsaveable.fit_generator(iter([(x, y)]), steps_per_epoch=1)\n',
         "fit_generator", {"attribute": "fit_generator"}),
        ("saveable.fit(x, y, workers=4, verbose=0)\n", "fit(", {"argument": "workers"}),
        ("from keras.engine import base_layer\n", "keras.engine", {"module": "keras.engine"}),
        ("from keras.layers.experimental import preprocessing\n", "experimental", {}),
        ('saveable.save_weights(os.path.join(workdir, "weights.h5"))\n', "save_weights", {}),
    ],
)
def test_api_changes(tf_pair, code, needle, names):
    run = run_failing(tf_pair, code)
    diagnosis = only_diagnosis(run)
    assert diagnosis["guide"] == "api-changes"
    assert diagnosis["line"] == line_of(code, needle)
    assert names.items() <= diagnosis["names"].items()


def test_input_shape_warning(tf_pair):
    hooked, plain = tf_pair.run("dense = keras.layers.Dense(3, input_shape=(4,))\n")
    assert hooked.reply["status"] == "ok"
    assert hooked.stderr == plain.stderr
    diagnosis = only_diagnosis(hooked)
    assert (diagnosis["guide"], diagnosis["kind"], diagnosis["line"]) == ("api-changes", "warning", 1)


@pytest.mark.parametrize(
    "code",
    [
        "saveable.fit(np.zeros((8, 5)), y, verbose=0)\n",  # shape mismatch
        'open(os.path.join(workdir, "missing.csv"))\n',  # file not found
        'keras.models.load_model(os.path.join(workdir, "missing.keras"))\n',  # file not found, Keras wording
        'clf = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])\n'
        'clf.compile("adam", "sparse_categorical_crossentropy")\n'
        "clf.fit(x, np.full((8,), 7), verbose=0)\n",  # labels out of range
        "keras.layers.Dense(3, kernel_initialiser='ones')\n",  # a misspelt argument
    ],
    ids=["shape-mismatch", "file-not-found", "keras-file-not-found", "wrong-labels", "misspelt-argument"],
)
def test_errors_that_are_not_migration_problems_get_no_diagnosis(tf_pair, code):
    run = run_failing(tf_pair, code)
    assert run.diagnoses == []
    assert explain_text(run.traceback_text())["guide"] is None


def test_sys_last_values_unchanged(tf_pair):
    run_failing(tf_pair, "opt = keras.optimizers.Adam(lr=0.01)\n")
    probe = "print(type(sys.last_value).__name__, sys.last_value, sys.last_traceback.tb_next.tb_lineno)\n"
    hooked, plain = tf_pair.run(probe)
    assert hooked.stdout == plain.stdout
    assert hooked.stdout.startswith("ValueError Argument(s) not recognized")


def test_fault_inside_hook_never_reaches_the_user(tf_pair):
    break_hook = """\
import keras_migrate.recognize as _recognize
_saved = (_recognize.recognize_exception, _recognize.recognize_records)
def _broken(*args, **kwargs):
    raise RuntimeError("hook bug")
_recognize.recognize_exception = _recognize.recognize_records = _broken
"""
    define(tf_pair, break_hook)
    try:
        run = run_failing(tf_pair, "opt = keras.optimizers.Adam(lr=0.01)\n")
        assert run.diagnoses == []
        assert "hook bug" not in run.stderr and "callback" not in run.stderr
        # The warning path is covered by the same guard; the warning itself still shows.
        hooked, plain = tf_pair.run("dense = keras.layers.Dense(3, input_shape=(4,))\n")
        assert hooked.reply["status"] == "ok"
        assert hooked.diagnoses == []
        assert hooked.stderr == plain.stderr
    finally:
        define(tf_pair, "_recognize.recognize_exception, _recognize.recognize_records = _saved\n")
    run = run_failing(tf_pair, "opt = keras.optimizers.Adam(lr=0.01)\n")
    assert only_diagnosis(run)["guide"] == "api-changes"


def test_unload_restores_everything(tf_pair):
    probe = """\
import logging
ip = get_ipython()
print(warnings.showwarning is warnings._showwarning_orig,
      len(ip.events.callbacks["pre_run_cell"]), len(ip.events.callbacks["post_run_cell"]),
      [type(h).__name__ for h in logging.getLogger("absl").handlers])
"""
    hooked, plain = tf_pair.run("%unload_ext keras_migrate\n", "pass\n")
    assert hooked.reply["status"] == "ok"
    try:
        hooked, plain = tf_pair.run(probe)
        assert hooked.stdout == plain.stdout
        assert hooked.stdout.startswith("True ")
        run = run_failing(tf_pair, "opt = keras.optimizers.Adam(lr=0.01)\n")
        assert run.diagnoses == []
    finally:
        tf_pair.run("%load_ext keras_migrate\n", "pass\n")
    run = run_failing(tf_pair, "opt = keras.optimizers.Adam(lr=0.01)\n")
    assert only_diagnosis(run)["guide"] == "api-changes"


def test_line_is_the_innermost_frame_of_user_code(tf_pair):
    helper = """\
def build_squared_model():
    inputs = keras.Input((4,))
    squared = tf.square(inputs)
    return keras.Model(inputs, squared)
"""
    helper_cell = define(tf_pair, helper)
    run = run_failing(tf_pair, "# build it\nmodel = build_squared_model()\n")
    diagnosis = only_diagnosis(run)
    assert diagnosis["guide"] == "kerastensor-tf-op"
    assert (diagnosis["cell"], diagnosis["line"]) == (helper_cell, line_of(helper, "tf.square("))
    assert diagnosis["cell_line_text"] == "squared = tf.square(inputs)"
    # The text of the same traceback points at the same place.
    answer = explain_text(run.traceback_text())
    assert (answer["cell"], answer["line"]) == (helper_cell, line_of(helper, "tf.square("))
