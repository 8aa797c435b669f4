"""The signature catalog: well-formed, within a portable regex subset, and covering the reference data."""

import csv
import json
import os
import re

import pytest

from keras_migrate import catalog
from keras_migrate.paste import for_matching
from keras_migrate.recognize import version_applies

SHARED_GUIDE = os.environ.get("KERAS_MIGRATE_SHARED_GUIDE", "/work/shared/guide")
SIGNATURES = catalog.signatures()
SECTIONS = catalog.sections()

# Constructs whose meaning differs between Python `re` and JavaScript RegExp (or that one lacks).
# Only Python runs the catalog now, but other tools may read it. Negative lookbehind
# is allowed: it keeps leading captures linear (see test_recognize_linear.py).
NOT_PORTABLE = [
    (r"\(\?P", "named group"),
    (r"\(\?<=", "positive lookbehind"),
    (r"\(\?<\w", "named group"),
    (r"\(\?[aiLmsux]+[):]", "inline flags"),
    (r"\\[AZz]", "\\A / \\Z anchors"),
    (r"(?<!\\)\$", "$ (Python also matches before a final newline)"),
    (r"\\[pPN]", "Unicode escapes"),
    (r"[*+?}]\+", "possessive quantifier"),
    (r"\(\?>", "atomic group"),
]


def read_tsv(name):
    path = os.path.join(SHARED_GUIDE, name)
    if not os.path.exists(path):
        pytest.skip("reference data not available: " + path)
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_catalog_is_found_in_the_source_tree():
    assert os.path.samefile(catalog.catalog_dir(), os.path.join(os.path.dirname(catalog.__file__), "..", "..", "src", "catalog"))


def test_signatures_are_well_formed():
    ids = [signature["id"] for signature in SIGNATURES]
    assert len(ids) == len(set(ids))
    for signature in SIGNATURES:
        assert signature["guide"] is None or signature["guide"] in SECTIONS, signature["id"]
        assert signature["kind"] in ("error", "warning")
        assert signature["exceptionTypes"] and all(re.fullmatch(r"[A-Za-z_]\w*", name) for name in signature["exceptionTypes"])
        assert set(signature.get("flags", "")) <= set("ism")
        regex = catalog.compile_regex(signature["regex"], signature.get("flags", ""))
        assert regex.groups == len(signature["captures"]), signature["id"]
        if "lineRegex" in signature:
            assert catalog.compile_regex(signature["lineRegex"]).groups == len(signature["lineCaptures"])
        for span in signature["versions"]:
            assert re.fullmatch(r"3\.\d+(\.\d+)?", span["from"])
            assert "until" not in span or re.fullmatch(r"3\.\d+(\.\d+)?", span["until"])
        for capture, rule in signature.get("knownNames", {}).items():
            assert capture in signature["captures"], signature["id"]
            assert catalog.known_names(rule["in"]), signature["id"]
            assert set(rule.get("except", ())) <= catalog.known_names(rule["in"]), signature["id"]
        # Prose lives in sections.json; a signature only overrides it to be more precise.
        if signature["guide"]:
            assert signature.get("title") != SECTIONS[signature["guide"]]["title"]
            assert signature.get("fix") != SECTIONS[signature["guide"]]["fix"]


@pytest.mark.parametrize("signature", SIGNATURES, ids=[s["id"] for s in SIGNATURES])
def test_regexes_use_the_portable_subset(signature):
    for pattern in filter(None, (signature["regex"], signature.get("lineRegex"))):
        unescaped = re.sub(r"\\\\", "", pattern)
        for construct, what in NOT_PORTABLE:
            assert not re.search(construct, unescaped), "%s uses %s" % (signature["id"], what)


def test_every_error_message_row_has_a_signature():
    rows = read_tsv("error_messages.tsv")
    sources = " ".join(signature.get("source", "") for signature in SIGNATURES)
    for row in rows:
        failure_mode = row["failure_mode"].split(" ")[0]
        if not row["exact_message_regexable_core"].strip() or failure_mode == "k_keras_call_wrapper":
            continue  # behaviour changes without a message; the call wrapper is handled by the recognizer
        assert re.search(r"\b%s\b" % re.escape(failure_mode), sources), failure_mode


def test_complete_reference_sentences_match_their_signature():
    """Where error_messages.tsv quotes a whole sentence, the signature citing the row matches it."""
    compiled = catalog.compiled_signatures()
    for row in read_tsv("error_messages.tsv"):
        failure_mode = row["failure_mode"].split(" ")[0]
        core = row["exact_message_regexable_core"].strip()
        if not core.endswith("."):
            continue
        citing = [regex for signature, regex, _ in compiled if re.search(r"\b%s\b" % re.escape(failure_mode), signature.get("source", ""))]
        assert any(regex.search(for_matching(core)) for regex in citing), failure_mode


def test_every_section_with_a_runtime_error_has_a_signature():
    guides = {signature["guide"] for signature in SIGNATURES}
    for row in read_tsv("sections.tsv"):
        if re.search(r"Error|Warning", row["what happens at run time"]):
            assert row["slug"] in guides, row["slug"]


def test_version_ranges():
    assert version_applies([{"from": "3.0", "until": "3.4"}], "3.3.3")
    assert not version_applies([{"from": "3.0", "until": "3.4"}], "3.4.0")
    assert version_applies([{"from": "3.0.2"}], "3.15.1")
    assert not version_applies([{"from": "3.0.2"}], "3.0.1")
    assert version_applies([{"from": "3.0"}], None)
    # packaging's parser: pre-releases count as their release, nonsense applies everywhere
    assert version_applies([{"from": "3.4"}], "3.4.0.dev2024061103")
    assert not version_applies([{"from": "3.0", "until": "3.4"}], "3.4.0rc1")
    assert version_applies([{"from": "3.0", "until": "3.4"}], "not-a-version")


def test_catalog_json_is_the_one_the_front_end_imports():
    with open(os.path.join(catalog.catalog_dir(), "signatures.json"), encoding="utf-8") as handle:
        assert tuple(json.load(handle)["signatures"]) == SIGNATURES


def test_catalog_is_found_inside_an_installed_package(tmp_path):
    """A wheel carries src/catalog as keras_migrate/catalog (pyproject force-include)."""
    import shutil
    import subprocess
    import sys

    package = os.path.dirname(catalog.__file__)
    installed = tmp_path / "site" / "keras_migrate"
    shutil.copytree(package, installed, ignore=shutil.ignore_patterns("__pycache__", "labextension", "catalog"))
    shutil.copytree(catalog.catalog_dir(), installed / "catalog")
    code = ("import json; from keras_migrate import catalog; "
            "print(json.dumps([catalog.catalog_dir(), len(catalog.signatures()), sorted(catalog.sections())]))")
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "site"))
    env.pop("KERAS_MIGRATE_CATALOG", None)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=str(tmp_path), check=True)
    directory, count, slugs = json.loads(done.stdout)
    assert directory == str(installed / "catalog")
    assert count == len(SIGNATURES)
    assert slugs == sorted(SECTIONS)


def test_single_metric_in_compile_is_recognised_when_keras_raises_it(tmp_path):
    """Keras 3.15 raises it for a metric that is not in a list (Keras 2 accepted one); run it and explain it."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    program = (
        "import keras\n"
        "model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse', metrics='mae')\n"
    )
    script = tmp_path / "train.py"
    script.write_text(program, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, KERAS_BACKEND="jax"))
    assert "Expected `metrics` argument to be a list" in done.stderr, done.stderr[-1500:]
    diagnosis = explain_text(done.stderr)
    assert (diagnosis["guide"], diagnosis["signature"], diagnosis["names"]) == (
        "api-changes", "compile-metrics-not-a-list", {"argument": "metrics"})
    assert (diagnosis["file"], diagnosis["line"]) == (str(script), 3)
    assert diagnosis["cell_line_text"] == "model.compile(optimizer='adam', loss='mse', metrics='mae')"


KERAS_2_HABITS = '''
import json, sys, traceback
import keras
from keras_migrate.recognize import recognize_exception

def dense():
    layer = keras.layers.Dense(2)
    keras.Sequential([keras.Input((3,)), layer])
    return layer

class PositionalName(keras.layers.Layer):
    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", shape=(3, 2))

class StringShape(keras.layers.Layer):  # what Keras 3.0-3.13 made of Keras 2's add_weight("counter", dtype=...)
    def build(self, input_shape):
        self.counter = self.add_weight(shape="counter", dtype="int32", trainable=False)

class ShapeAsList(keras.layers.Layer):  # Keras 2 gave build() a TensorShape; Keras 3 gives a tuple
    def build(self, input_shape):
        self.units = input_shape.as_list()[-1]
    def call(self, inputs):
        return inputs

class KernelInCall(keras.layers.Dense):  # a Keras 2 Dense subclass that replaced its kernel
    def call(self, inputs):
        self.kernel = keras.ops.abs(self._kernel)
        return super().call(inputs)

class CountedBatches(keras.utils.Sequence):  # a Keras 2 generator told its batch count
    def __init__(self, num_batches):
        super().__init__()
        self.num_batches = num_batches
    def __len__(self):
        return self.num_batches

class HyperOptimizer(keras.optimizers.Optimizer):  # a Keras 2 (OptimizerV2) custom optimizer
    def __init__(self, learning_rate=0.01, name="HyperOptimizer", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self._set_hyper("decay", 0.0)

class SlotlessOptimizer(keras.optimizers.Optimizer):  # its update is Keras 2's, never called
    def _resource_apply_dense(self, grad, var, apply_state=None):
        return var.assign_sub(grad * 0.01)

class UpdatingLayer(keras.layers.Layer):  # a Keras 2 layer that kept a running mean with add_update
    def build(self, input_shape):
        self.mean = self.add_weight(shape=(input_shape[-1],), initializer="zeros", trainable=False)
    def call(self, inputs):
        self.add_update([self.mean.assign(keras.ops.mean(inputs, axis=0))])
        return inputs

def fit_with_labels_one_dimension_short():  # Keras 2 matched (n,) labels with an (n, 1) output in metrics too
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["binary_crossentropy"])
    model.fit(keras.ops.ones((2, 3)), keras.ops.ones((2,)), verbose=0)

def fit_with_tensor_schedule():  # TensorFlow's own example returns lr * tf.math.exp(-0.1), a tensor
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch, lr: keras.ops.multiply(lr, 0.9))
    model.fit(keras.ops.ones((2, 3)), keras.ops.ones((2, 1)), verbose=0, callbacks=[schedule])

def fit_with_keras2_update():
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile(optimizer=SlotlessOptimizer(learning_rate=0.01), loss="mse")
    model.fit(keras.ops.ones((2, 3)), keras.ops.ones((2, 1)), verbose=0)

def sequential_output_after_fit():
    model = keras.Sequential([keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(keras.ops.ones((2, 3)), keras.ops.ones((2, 2)), verbose=0)
    return model.output

def keras2_h5_with_tf_op_layer():
    import os, tempfile, h5py
    path = os.path.join(tempfile.mkdtemp(), "model.h5")
    keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]).save(path)
    with h5py.File(path, "r+") as saved:  # what Keras 2 wrote for tf.* ops called on Keras tensors
        config = json.loads(saved.attrs["model_config"])
        config["config"]["layers"][-1]["class_name"] = "TFOpLambda"
        saved.attrs["model_config"] = json.dumps(config)
    keras.models.load_model(path)

def slice_by_a_computed_index():  # Keras 2 sliced an Input by tf.shape(x)[1] // 2 (TensorFlow slicing)
    x = keras.Input(batch_shape=(1, None))
    length = keras.layers.Lambda(lambda t: keras.ops.convert_to_tensor(keras.ops.shape(t)))(x)[1]
    return x[:, length // 2]

def input_shape_of_model_built_with_a_list():  # Keras 2 gave the one KerasTensor, Keras 3 keeps [x]
    x = keras.Input((3,))
    return keras.Model(inputs=[x], outputs=keras.layers.Dense(2)(x)).input.shape

cases = {
    "output_shape": lambda: dense().output_shape,
    "get_output_at": lambda: dense().get_output_at(0),
    "int_positional": lambda: dense()(keras.ops.ones((1, 3)), 5),
    "backend_function": lambda: keras.backend.sigmoid,
    "tf_v1_layers": lambda: __import__("tensorflow").compat.v1.layers.conv2d,
    "utils_submodule": lambda: exec("from keras.utils import layer_utils"),
    "dropped_argument": lambda: keras.layers.DepthwiseConv2D(3, groups=1),
    "positional_name": lambda: PositionalName()(keras.ops.ones((1, 3))),
    "sequential_output": sequential_output_after_fit,
    "tf_op_lambda_h5": keras2_h5_with_tf_op_layer,
    "keras_history_layer": lambda: keras.layers.Dense(2)(keras.Input((3,)))._keras_history.layer,
    "optimizer_lr": lambda: keras.optimizers.Adam().lr,
    "backend_learning_phase": lambda: keras.backend.learning_phase(),
    "kernel_assigned": lambda: KernelInCall(2)(keras.ops.ones((1, 3))),
    "weights_argument": lambda: keras.layers.Dense(2, weights=[keras.ops.ones((3, 2)), keras.ops.ones((2,))]),
    "input_integer_shape": lambda: keras.Input(shape=10),
    "layers_experimental": lambda: keras.layers.experimental,
    "layers_experimental_import": lambda: exec("from tensorflow.keras.layers.experimental.preprocessing import RandomRotation"),
    "tf_saved_model_save": lambda: __import__("tensorflow").saved_model.save(
        keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]), __import__("tempfile").mkdtemp()),
    "preprocessing_text": lambda: exec("from keras.preprocessing.text import Tokenizer"),
    "checkpoint_period": lambda: keras.callbacks.ModelCheckpoint("best.keras", period=5),
    "tensorboard_write_grads": lambda: keras.callbacks.TensorBoard(write_grads=True),
    "add_weight_name_as_shape": lambda: StringShape()(keras.ops.ones((1, 3))),
    "tf_keras_loss_function": lambda: __import__("tensorflow").keras.losses.mean_squared_error,
    "tf_keras_loss_import": lambda: exec("from tensorflow.keras.losses import mean_absolute_error"),
    "build_shape_as_list": lambda: ShapeAsList()(keras.Input((3,))),
    "inbound_nodes": lambda: dense().inbound_nodes,
    "predict_list": lambda: keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).predict([10.0], verbose=0),
    "compile_sample_weight_mode": lambda: keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).compile(
        optimizer="sgd", loss="mse", sample_weight_mode="temporal"),
    "losses_reduction": lambda: keras.losses.Reduction.NONE,
    "keras_experimental": lambda: keras.experimental.CosineDecay(0.1, 100),
    "tf_keras_experimental": lambda: __import__("tensorflow").keras.experimental.CosineDecay(0.1, 100),
    "model_from_config_import": lambda: exec("from keras.models import model_from_config"),
    "model_from_config_attribute": lambda: keras.models.model_from_config,
    "functional_save_spec": lambda: (lambda i: keras.Model(i, keras.layers.Dense(2)(i)))(keras.Input((3,)))._get_save_spec(),
    "sequence_num_batches": lambda: CountedBatches(4),
    "kerastensor_get_shape": lambda: keras.Input((3,)).get_shape(),
    "optimizer_set_hyper": lambda: HyperOptimizer(),
    "optimizer_update_step": fit_with_keras2_update,
    "regularizer_l": lambda: keras.regularizers.l2(l=0.01),
    "numpy_strings": lambda: keras.Sequential([keras.layers.Dense(1)]).predict(__import__("numpy").array([["a"], ["b"]]), verbose=0),
    "lr_schedule_tensor": fit_with_tensor_schedule,
    "add_update": lambda: UpdatingLayer()(keras.Input((3,))),
    "metric_label_rank": fit_with_labels_one_dimension_short,
    "model_input_list": input_shape_of_model_built_with_a_list,
    "slice_by_keras_tensor": slice_by_a_computed_index,
    "submodules": lambda: keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]).submodules,
    "name_scope": lambda: dense().name_scope,
    "get_weight_paths": lambda: keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]).get_weight_paths(),
    "compute_output_signature": lambda: dense().compute_output_signature(None),
}
live = {}
for name, case in cases.items():
    try:
        case()
    except Exception as error:
        diagnosis = recognize_exception(error, keras_version=keras.__version__)
        live[name] = diagnosis and diagnosis["signature"]
        traceback.print_exc()
print(json.dumps(live))
'''


def test_keras_2_habits_are_recognised_when_keras_raises_them(tmp_path):
    """Layer shape attributes, non-tensor positional arguments, keras.backend functions, TF 1 layers,
    add_weight's positional name, a Sequential's output without Input, TFOpLambda in a Keras 2 .h5, KerasHistory.layer, optimizer.lr,
    keras.backend.learning_phase, a layer's kernel assigned, a layer's weights= argument, keras.Input(shape=10), keras.layers.experimental,
    keras.preprocessing.text, ModelCheckpoint(period=) and TensorBoard(write_grads=), tf.keras.losses.mean_squared_error,
    TensorShape's as_list() on the tuple build() gets, keras.models.model_from_config, a functional model's _get_save_spec,
    a layer's add_update(), tf.Module members (submodules, name_scope) and get_weight_paths(), (n,) labels for an (n, 1) output in a cross-entropy metric, model.input of a model built with [x], a KerasTensor sliced by a computed index:
    run Keras 3 (and TensorFlow with it), explain what it raised."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_all

    script = tmp_path / "habits.py"
    script.write_text(KERAS_2_HABITS, encoding="utf-8")
    env = dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu",
               PYTHONPATH=os.path.dirname(os.path.dirname(catalog.__file__)))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-1500:]
    expected = {
        "output_shape": "layer-shape-node-attributes",
        "get_output_at": "layer-shape-node-attributes",
        "int_positional": "non-tensor-positional-argument",
        "backend_function": "keras-backend-function",
        "tf_v1_layers": "tf-legacy-keras-unavailable",
        "utils_submodule": "keras-utils-internal-import",
        "dropped_argument": "keras2-layer-arguments",
        "positional_name": "add-weight-positional-name",
        "sequential_output": "sequential-no-symbolic-output",
        "tf_op_lambda_h5": "tf-op-lambda-in-saved-model",
        "keras_history_layer": "keras-history-layer",
        "optimizer_lr": "optimizer-lr-attribute",
        "backend_learning_phase": "keras-backend-removed",
        "kernel_assigned": "layer-read-only-attribute",
        "weights_argument": "keras2-layer-arguments",
        "input_integer_shape": "input-shape-integer",
        "layers_experimental": "layers-experimental-preprocessing",
        "layers_experimental_import": "layers-experimental-preprocessing",
        "tf_saved_model_save": "tf-saved-model-save-keras-model",
        "preprocessing_text": "image-data-generator",
        "checkpoint_period": "callback-removed-argument",
        "tensorboard_write_grads": "callback-removed-argument",
        "add_weight_name_as_shape": "add-weight-positional-name",
        "tf_keras_loss_function": "tf-keras-loss-function-alias",
        "tf_keras_loss_import": "tf-keras-loss-function-alias",
        "build_shape_as_list": "shape-tuple-not-tensorshape",
        "inbound_nodes": "layer-node-attributes",
        "predict_list": "data-list-of-scalars",
        "compile_sample_weight_mode": "compile-removed-argument",
        "losses_reduction": "losses-reduction-enum",
        "keras_experimental": "keras-experimental-module",
        "tf_keras_experimental": "keras-experimental-module",
        "model_from_config_import": "keras-models-model-from-config",
        "model_from_config_attribute": "keras-models-model-from-config",
        "functional_save_spec": "tflite-keras3-model",
        "sequence_num_batches": "sequence-num-batches-property",
        "kerastensor_get_shape": "kerastensor-keras2-method",
        "optimizer_set_hyper": "optimizer-v2-methods",
        "optimizer_update_step": "optimizer-update-step-missing",
        "regularizer_l": "regularizer-l-argument",
        "numpy_strings": "numpy-string-data",
        "lr_schedule_tensor": "lr-schedule-returns-tensor",
        "add_update": "layer-add-update",
        "metric_label_rank": "target-output-rank-mismatch",
        "model_input_list": "single-item-list-model-attribute",
        "slice_by_keras_tensor": "keras-tensor-sliced-by-keras-tensor",
        "submodules": "layer-module-members",
        "name_scope": "layer-module-members",
        "get_weight_paths": "layer-module-members",
        "compute_output_signature": "layer-module-members",
    }
    assert json.loads(done.stdout.strip().splitlines()[-1]) == expected
    # Standalone Keras 2.1.3-2.3 raised the inbound_nodes words too: the hook knows it runs Keras 3,
    # a paste of this traceback (no Keras 3 frame, no "Did you mean" suggestion) shows nothing of it.
    # The same holds for keras.losses.Reduction and keras.experimental, which standalone Keras 2.3 lacked.
    # An OptimizerV2 method missing raises from the user's own code (no Keras frame): TF 2.11-2.15's
    # new optimizer lacked them too, so only the running Keras 3 tells.
    # A tf.Module has `submodules` and `name_scope`, and standalone Keras 2.3 lacked all four: without Python's
    # "Did you mean" (which traceback.print_exc leaves out here), a paste of them is no claim.
    live_only = {"inbound_nodes", "losses_reduction", "keras_experimental", "optimizer_set_hyper",
                 "submodules", "name_scope", "get_weight_paths", "compute_output_signature"}
    pasted = [diagnosis["signature"] for diagnosis in explain_all(done.stderr) if diagnosis["signature"]]
    assert pasted == [signature for name, signature in expected.items() if name not in live_only], done.stderr[-1500:]
    assert "'Dense' object has no attribute 'inbound_nodes'" in done.stderr
    # A quote the paste lost still ends the quoted word: the message Keras 3 raised, its closing
    # quote dropped or taken by Markdown's _emphasis_, is still read; a longer attribute that only
    # starts with Keras 3's word (Keras 2.2's Node.output_masks) is not.
    raised = next(line for line in done.stderr.splitlines()
                  if line.startswith("AttributeError: 'Dense' object has no attribute 'output_shape'"))
    words = raised.split(": ", 1)[1]
    assert explain_all(raised[:-1])[0]["signature"] == "layer-shape-node-attributes"
    assert explain_all("   _%s_\n\n   Is there any way to solve this?" % words[1:-1])[0]["signature"] == "layer-shape-node-attributes"
    assert explain_all(raised.replace("'output_shape'", "'output_shapes'"))[0]["guide"] is None
    # Keras 3 names a functional model 'Functional': a 'Model' object without _get_save_spec is
    # standalone Keras 2.3 / TF 2.2's functional model (a 2020 TFLite title), not Keras 3's.
    assert "AttributeError: 'Functional' object has no attribute '_get_save_spec'" in done.stderr
    assert explain_all("AttributeError: 'Model' object has no attribute '_get_save_spec'")[0]["guide"] is None


CUT_BEFORE_THE_MESSAGE = '''
import traceback
import keras
keras.config.disable_traceback_filtering()  # the frame that raised is shown, as in a full paste

def save_without_extension():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.save("tfmodel")

cases = {
    "save-invalid-extension": save_without_extension,
    "checkpoint-model-path": lambda: keras.callbacks.ModelCheckpoint("best.hdf5"),
    "checkpoint-weights-only-path": lambda: keras.callbacks.ModelCheckpoint("w.h5", save_weights_only=True),
}
for name, case in cases.items():
    try:
        case()
    except Exception:
        print("=== " + name)
        print(traceback.format_exc())
'''


def test_a_traceback_cut_before_or_inside_its_message_is_recognised_from_where_keras_raised(tmp_path):
    """Pastes often stop early. Run Keras 3, cut each traceback before its exception line and inside
    its message: the frame that raised (Keras raises that type there for one reason) or the user's
    line (model.save('name')) still tells the failure. With the frames removed, or with a finished
    message of another failure, nothing is claimed. (keras-core's unbuilt state: test_recognize_old_keras.)"""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    script = tmp_path / "cut.py"
    script.write_text(CUT_BEFORE_THE_MESSAGE, encoding="utf-8")
    env = dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-1500:]
    tracebacks = dict(part.split("\n", 1) for part in done.stdout.split("=== ")[1:])
    assert set(tracebacks) == {"save-invalid-extension", "checkpoint-model-path", "checkpoint-weights-only-path"}, \
        done.stdout[-1500:]
    for expected, text in tracebacks.items():
        assert explain_text(text)["signature"] == expected, text[-800:]  # whole: the message says it
        head, exception_line = text.rstrip().rsplit("\nValueError: ", 1)
        before = explain_text(head)  # cut before the exception line
        inside = explain_text(head + "\nValueError: " + " ".join(exception_line.split()[:3]))  # cut after 3 words
        assert (before["signature"], inside["signature"]) == (expected, expected), (expected, head[-600:])
        # Without the frames there is nothing to go on.
        assert explain_text("ValueError: " + " ".join(exception_line.split()[:3]))["guide"] is None
    # A finished message that matches nothing is not read as cut.
    head = tracebacks["checkpoint-model-path"].rstrip().rsplit("\nValueError: ", 1)[0]
    assert explain_text(head + "\nValueError: Unrecognized save_freq: 7.")["guide"] is None


CUT_INSIDE_THE_MESSAGE = '''
import json
import keras

class NotALayer:
    pass

cases = {
    "sequential_add": lambda: keras.Sequential().add(NotALayer()),
    "int_positional": lambda: keras.layers.Dense(2)(keras.ops.ones((1, 3)), 5),
    "load_folder": lambda: keras.models.load_model(__import__("tempfile").mkdtemp()),  # a TF SavedModel's folder
    "save_weights_h5": lambda: keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]).save_weights("w.h5"),
    "checkpoint_weights_only": lambda: keras.callbacks.ModelCheckpoint("cp-{epoch}", save_weights_only=True),
    "checkpoint_model": lambda: keras.callbacks.ModelCheckpoint("model_ckpt"),
    "learning_rate_type": lambda: keras.optimizers.Adam(learning_rate="fast"),
}
messages = {}
for name, case in cases.items():
    try:
        case()
    except Exception as error:
        messages[name] = [type(error).__name__, str(error)]
print(json.dumps(messages))
'''


def test_a_message_cut_by_a_title_or_the_paste_is_read_as_the_start_of_keras3s_message(tmp_path):
    """Issue titles end in an ellipsis ("... added to a Seque…") and pastes stop inside a value
    ("keyword argument: tf.RaggedTensor(values=tf.Ragged"). Run Keras 3 for its messages and cut
    them: the words Keras 3 wrote still tell the failure when every signature they can start
    agrees on the guide section. Too few words, or words two sections start with, or the
    whole message of another failure, tell nothing. A fragment from inside a message is read
    by its words that name Keras 3."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    script = tmp_path / "messages.py"
    script.write_text(CUT_INSIDE_THE_MESSAGE, encoding="utf-8")
    env = dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-1500:]
    messages = json.loads(done.stdout.strip().splitlines()[-1])
    kind, added = messages["sequential_add"]
    assert kind == "ValueError" and added.startswith("Only instances of `keras.Layer` can be added to a Sequential model.")
    # The whole message names an object of the user's own: no Keras 2 layer, nothing claimed.
    assert explain_text("%s: %s" % (kind, added))["guide"] is None
    cut_at = added.index("Sequential") + len("Seque")
    title = "fix %s: %s\u2026\n\nWrapping the layer in a Lambda fixed it." % (kind, added[:cut_at].replace("`", ""))
    diagnosis = explain_text(title)
    # hub.KerasLayer and tf_keras layers both start so: the section's own title, not one of theirs.
    assert (diagnosis["guide"], diagnosis["title"]) == ("api-changes", catalog.sections()["api-changes"]["title"])
    assert explain_text("%s: %s" % (kind, added[:cut_at]))["guide"] == "api-changes"  # the paste stops there
    assert explain_text("%s: %s\u2026" % (kind, added[:30]))["guide"] is None  # too few words to tell

    kind, positional = messages["int_positional"]
    head = positional.split("keyword argument: ", 1)[0] + "keyword argument: "
    diagnosis = explain_text("%s: %s" % (kind, positional[: len(head) + 3]))  # "5 (" of "5 (of type <class 'int'>)"
    assert diagnosis["signature"] == "non-tensor-positional-argument", diagnosis
    assert diagnosis["title"] == next(s for s in SIGNATURES if s["id"] == "non-tensor-positional-argument")["title"]
    # Cut before the value: a None there is another section's signature (none-positional-argument).
    assert explain_text("%s: %s" % (kind, head.rstrip()))["guide"] is None

    # A title quoting the middle of a message: words that name Keras 3 are its own wherever they start.
    kind, unsupported = messages["load_folder"]
    assert kind == "ValueError" and "Keras 3 only supports V3 `.keras` files" in unsupported
    start = unsupported.index("Keras 3 only")
    fragment = explain_text(unsupported[start : start + 52] + "\n\nline 7 of modelloader.py")
    # load_weights's checkpoint message starts with the same words: the section answers.
    assert (fragment["guide"], fragment["title"]) == ("savedmodel-load", catalog.sections()["savedmodel-load"]["title"])
    legacy = unsupported.index("legacy H5")
    assert explain_text(unsupported[legacy : legacy + 40])["guide"] is None  # no words naming Keras 3


def test_a_message_quoted_by_its_first_sentence_alone_is_read_as_keras3s_message(tmp_path):
    """Titles and pastes keep a message's first sentence and drop the value after it ("Only
    instances of `keras.Layer` can be added to a Sequential model." then the user's code). Run
    Keras 3 for its messages: the first sentence alone, its period lost, inside a backtick span or
    before other words, stands for the message when every signature it starts agrees on the
    section; the whole message with a value no signature names, or a sentence two sections'
    signatures start with, tells nothing."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    script = tmp_path / "messages.py"
    script.write_text(CUT_INSIDE_THE_MESSAGE, encoding="utf-8")
    env = dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-1500:]
    messages = json.loads(done.stdout.strip().splitlines()[-1])
    kind, added = messages["sequential_add"]
    sentence, rest = added.split(" Received: ", 1)
    assert sentence == "Only instances of `keras.Layer` can be added to a Sequential model." and rest
    assert explain_text("%s: %s" % (kind, added))["guide"] is None  # the user's own object: nothing claimed
    for quoted in (sentence + "\n\nmodel = tf.keras.Sequential([hub.KerasLayer(url)])",
                   "Resolves the `%s: %s`\nand related failures" % (kind, sentence[:-1].replace("`", ""))):
        diagnosis = explain_text(quoted)
        # hub.KerasLayer and tf_keras layers both start so: the section's own title, not one of theirs.
        assert (diagnosis["guide"], diagnosis["title"]) == ("api-changes", catalog.sections()["api-changes"]["title"]), quoted
    kind, weights = messages["save_weights_h5"]
    sentence = weights.split(" Received: ", 1)[0]
    assert sentence == "The filename must end in `.weights.h5`."
    title = "%s: %s after the updating tensorflow-probability" % (kind, sentence[:-1])
    assert explain_text(title)["signature"] == "save-weights-extension"
    kind, positional = messages["int_positional"]
    first = positional.split(". ", 1)[0] + "."
    assert first == "Only input tensors may be passed as positional arguments."
    assert explain_text("%s: %s" % (kind, first))["guide"] is None  # a None there is another section's signature
    # The words run to a sentence the signature skips, then Keras 3's value clause ("... (Keras weights
    # format). Received: filepath=cp-{epoch}"): a title keeping the sentence and dropping the clause.
    for name, signature in (("checkpoint_weights_only", "checkpoint-weights-only-path"),
                            ("checkpoint_model", "checkpoint-model-path"),
                            ("learning_rate_type", "optimizer-learning-rate-type")):
        kind, message = messages[name]
        sentence, value = message.split(" Received", 1)
        assert sentence.endswith(").") and value, message
        for quoted in ("%s: %s" % (kind, sentence), "%s: %s\n\nFile ~/train.py:181, in create_model()" % (kind, sentence)):
            assert explain_text(quoted)["signature"] == signature, quoted
        assert explain_text("%s: %s" % (kind, message))["signature"] == signature  # the whole message, as before
    # The words alone, a sentence of the user's own after them, are not the message's.
    kind, message = messages["checkpoint_model"]
    words = message.split(" (", 1)[0]
    assert explain_text("%s: %s, says the README. Then it crashed" % (kind, words[: words.index("must")]))["guide"] is None


TF_VARIABLE_IN_OPTIMIZER = '''
import json, sys, traceback
import tensorflow as tf
import keras
from keras_migrate.recognize import recognize_exception

dense = keras.layers.Dense(2)
dense.build((None, 3))
scale = tf.Variable(tf.ones((2,)))  # Keras 2 habit: a TensorFlow variable trained beside the layer's
variables = dense.trainable_variables + [scale]
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(dense(tf.ones((1, 3))) * scale)
try:
    keras.optimizers.Adam().apply_gradients(zip(tape.gradient(loss, variables), variables))
    live = None
except AttributeError as error:
    diagnosis = recognize_exception(error, keras_version=keras.__version__)
    live = diagnosis and diagnosis["signature"]
    traceback.print_exc()
print(json.dumps({"keras": keras.__version__, "live": live}))
'''


def test_a_tf_variable_given_to_the_optimizer_is_recognised_where_keras_36_raises(tmp_path):
    """Keras 3.3-3.6 optimizers read `overwrite_with_gradient` off every variable after the first
    (a tf.Variable has none); Keras 3.7+ accepts it. Run Keras 3.6.0 (.keras-3.6, made by .ci/setup)
    on TensorFlow: live and pasted, the error is the tf.Variable's; the environment's newer Keras
    raises nothing for the same program."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    keras36 = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(catalog.__file__))), ".keras-3.6")
    if not os.path.isfile(os.path.join(keras36, "keras", "__init__.py")):
        pytest.fail(".keras-3.6 is missing: run .ci/setup")
    script = tmp_path / "tf_variable.py"
    script.write_text(TF_VARIABLE_IN_OPTIMIZER, encoding="utf-8")
    hooks = os.path.dirname(os.path.dirname(catalog.__file__))
    runs = {}
    for name, path in (("3.6", keras36 + os.pathsep + hooks), ("current", hooks)):
        env = dict(os.environ, KERAS_BACKEND="tensorflow", PYTHONPATH=path)
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env)
        assert done.returncode == 0, done.stderr[-1500:]
        runs[name] = (json.loads(done.stdout.strip().splitlines()[-1]), done.stderr)
    old, old_stderr = runs["3.6"]
    assert old == {"keras": "3.6.0", "live": "tf-variable-in-keras3-optimizer"}
    assert "object has no attribute 'overwrite_with_gradient'" in old_stderr
    assert explain_text(old_stderr)["signature"] == "tf-variable-in-keras3-optimizer"
    current, _ = runs["current"]
    assert current["live"] is None and not current["keras"].startswith("3.6")


KERAS3_OBJECTS_IN_TF_KERAS = '''
import json, traceback
import numpy as np
import tf_keras
import keras
from keras_migrate.recognize import recognize_exception

def tf_keras_model():
    model = tf_keras.Sequential([tf_keras.Input((3,)), tf_keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model

class LossLogger(keras.callbacks.Callback):  # what a library's callback is under TF 2.16+
    def on_epoch_end(self, epoch, logs=None):
        pass

cases = {
    "layer_in_list": lambda: tf_keras.Sequential([keras.layers.Dense(2)]),
    "layer_added": lambda: tf_keras.Sequential([tf_keras.Input((3,))]).add(keras.layers.Dense(2)),
    "callback": lambda: tf_keras_model().fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0, callbacks=[LossLogger()]),
    "tf_keras_callback": lambda: tf_keras_model().fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0,
                                                      callbacks=[tf_keras.callbacks.Callback()]),
}
live = {}
for name, case in cases.items():
    try:
        case()
        live[name] = "ran"
    except Exception as error:
        diagnosis = recognize_exception(error, keras_version=keras.__version__)
        live[name] = diagnosis and diagnosis["signature"]
        print("=== " + name)
        print(traceback.format_exc())
print("=== live")
print(json.dumps(live))
'''


def test_keras3_layers_and_callbacks_given_to_tf_keras_are_recognised_where_tf_keras_raises(tmp_path):
    """The other way round from tf_keras objects in Keras 3: code kept on tf_keras (TF_USE_LEGACY_KERAS,
    transformers, tensorflow_hub) given a Keras 3 layer or a library's Keras 3 callback. Run tf_keras
    (.tf-keras, made by .ci/setup for .venv's TensorFlow) with Keras 3: live and pasted. A callback
    without tf_keras's frames (a title alone) shows no Keras 3: standalone Keras 2 callbacks in
    TF 2.2-2.5's tf.keras failed with the same words."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    root = os.path.dirname(os.path.dirname(os.path.dirname(catalog.__file__)))
    tf_keras_dir = os.path.join(root, ".tf-keras")
    if not os.path.isfile(os.path.join(tf_keras_dir, "tf_keras", "__init__.py")):
        pytest.fail(".tf-keras is missing: run .ci/setup")
    script = tmp_path / "tf_keras_mix.py"
    script.write_text(KERAS3_OBJECTS_IN_TF_KERAS, encoding="utf-8")
    env = dict(os.environ, KERAS_BACKEND="tensorflow",
               PYTHONPATH=tf_keras_dir + os.pathsep + os.path.dirname(os.path.dirname(catalog.__file__)))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-1500:]
    parts = dict(part.split("\n", 1) for part in done.stdout.split("=== ")[1:])
    expected = {
        "layer_in_list": "keras3-layer-in-tf-keras-model",
        "layer_added": "keras3-layer-in-tf-keras-model",
        "callback": "keras3-callback-in-tf-keras",
        "tf_keras_callback": "ran",
    }
    assert json.loads(parts["live"]) == expected
    for name in ("layer_in_list", "layer_added", "callback"):
        assert explain_text(parts[name])["signature"] == expected[name], parts[name][-800:]
    exception_line = parts["callback"].rstrip().rsplit("\n", 1)[-1]
    assert exception_line.startswith("AttributeError: 'LossLogger' object has no attribute '_implements_")
    assert explain_text(exception_line)["guide"] is None


def test_tensorflow_is_missing_only_when_python_cannot_find_tensorflow_itself(tmp_path):
    """Without TensorFlow (Python started without site-packages) `from tensorflow.keras...` fails on
    'tensorflow'; with it, a module tf.keras never had fails on its own dotted name, which is no
    sign of a missing TensorFlow (a TF 2.8 notebook's tensorflow.keras.layers.core)."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    script = tmp_path / "imports.py"
    script.write_text("from tensorflow.keras.layers.core import Dense\n", encoding="utf-8")
    without_site = subprocess.run([sys.executable, "-S", str(script)], capture_output=True, text=True, timeout=120)
    with_tensorflow = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                                     env=dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu"))
    assert "No module named 'tensorflow'" in without_site.stderr
    assert "No module named 'tensorflow.keras.layers.core'" in with_tensorflow.stderr
    assert explain_text(without_site.stderr)["signature"] == "tensorflow-keras-import"
    assert explain_text(with_tensorflow.stderr)["guide"] is None


def test_keras2_backend_functions_are_what_keras3_keeps_only_for_tf_keras():
    """ops.json `tfKerasLegacyBackend` (names a keras.backend AttributeError may be about) is checked
    against Keras 3 itself: each is in keras._tf_keras.keras.backend (Keras 2's API, kept for
    tf.keras code) and none is in keras.backend; a keras.ops name Keras 2's backend never had
    (is_tensor) is not in the list."""
    import subprocess
    import sys

    names = json.load(open(os.path.join(catalog.catalog_dir(), "ops.json"), encoding="utf-8"))["tfKerasLegacyBackend"]
    code = (
        "import json, sys, keras\n"
        "names = json.loads(sys.argv[1])\n"
        "print(json.dumps([[n for n in names if not hasattr(keras._tf_keras.keras.backend, n)],"
        " [n for n in names if hasattr(keras.backend, n)], hasattr(keras.ops, 'is_tensor')]))\n"
    )
    env = dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu")
    done = subprocess.run([sys.executable, "-c", code, json.dumps(names)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-1500:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [[], [], True]
    assert len(names) > 100 and "sigmoid" in names and "is_tensor" not in names
    assert "is_tensor" not in catalog.known_names("kerasBackendFunctions")


def test_a_keras2_sequence_without_super_init_is_recognised_from_keras3s_warning(tmp_path):
    """Keras 2's keras.utils.Sequence needed no constructor call; Keras 3's (PyDataset) warns."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    program = (
        "import numpy as np, keras\n"
        "class Batches(keras.utils.Sequence):\n"
        "    def __init__(self, x, y):\n"
        "        self.x, self.y = x, y\n"
        "    def __len__(self):\n"
        "        return 2\n"
        "    def __getitem__(self, index):\n"
        "        return self.x[index * 4:(index + 1) * 4], self.y[index * 4:(index + 1) * 4]\n"
        "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n"
        "model.compile(optimizer='sgd', loss='mse')\n"
        "model.fit(Batches(np.ones((8, 3)), np.ones((8, 1))), epochs=1, verbose=0)\n"
    )
    script = tmp_path / "sequence.py"
    script.write_text(program, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu"))
    assert done.returncode == 0 and "Your `PyDataset` class should call" in done.stderr, done.stderr[-1500:]
    assert explain_text(done.stderr)["signature"] == "pydataset-super-init", done.stderr[-1500:]


def test_dict_data_with_a_key_the_model_does_not_take_is_recognised_from_keras3s_warning(tmp_path):
    """Keras 2 picked a Functional model's dict inputs by name; Keras 3 matches a different dict by position and warns."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_all

    program = (
        "import numpy as np, keras, tensorflow as tf\n"
        "inputs = {'age': keras.Input((1,), name='age'), 'city': keras.Input((1,), name='city', dtype='int32')}\n"
        "city = keras.ops.squeeze(keras.layers.Embedding(4, 2)(inputs['city']), 1)\n"
        "model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Concatenate()([inputs['age'], city])))\n"
        "model.compile(optimizer='sgd', loss='mse')\n"
        "features = {'age': np.ones((8, 1), 'float32'), 'city': np.ones((8, 1), 'int32'), 'bonus': np.full((8, 1), 50.0, 'float32')}\n"
        "model.fit(tf.data.Dataset.from_tensor_slices((features, np.ones((8, 1), 'float32'))).batch(4), verbose=0)\n"
    )
    script = tmp_path / "extra_column.py"
    script.write_text(program, encoding="utf-8")
    done = subprocess.run([sys.executable, "-W", "always", str(script)], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu"))
    # On JAX it trains, on the shifted columns: the warning is all the user sees.
    assert done.returncode == 0 and "doesn't match the expected structure" in done.stderr, done.stderr[-1500:]
    # Keras's other warning there (shuffle ignored for a Dataset) gets its own card.
    pasted = [diagnosis["signature"] for diagnosis in explain_all(done.stderr)]
    assert "dict-inputs-matched-by-position" in pasted, done.stderr[-1500:]


def test_keras3_variables_given_to_a_gradient_tape_are_recognised_when_tensorflow_raises_it(tmp_path):
    """Keras 2's variables were tf.Variables; TF-style training code watching Keras 3's fails."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    program = (
        "import tensorflow as tf, keras\n"
        "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
        "with tf.GradientTape() as tape:\n"
        "    tape.watch(model.trainable_variables)\n"
    )
    script = tmp_path / "tape.py"
    script.write_text(program, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, KERAS_BACKEND="tensorflow"))
    assert "not tf.Tensor or tf.Variable or ExtensionType" in done.stderr, done.stderr[-1500:]
    diagnosis = explain_text(done.stderr)
    assert (diagnosis["signature"], diagnosis["line"]) == ("keras-variable-in-gradient-tape", 4), done.stderr[-1500:]


def explain_failing_run(argv, backend, cwd):
    """Runs a Python program on `backend`, which must fail, and returns what the explainer makes of its
    stderr pasted whole, with the stderr."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    env = dict(os.environ, KERAS_BACKEND=backend, JAX_PLATFORMS="cpu", TF_CPP_MIN_LOG_LEVEL="3", MPLBACKEND="Agg")
    done = subprocess.run([sys.executable, *argv], capture_output=True, text=True, timeout=600, env=env, cwd=str(cwd))
    assert done.returncode != 0, done.stdout[-500:]
    return explain_text(done.stderr), done.stderr


TF_HABITS_IN_MODEL_CODE = '''
import sys, traceback
import numpy as np
import tensorflow as tf
import keras

class ValueScaled(keras.layers.Layer):  # TF 2 eager habit: read the tensor's value
    def call(self, x):
        return x * float(np.sum(x.numpy()))

class TapeStep(keras.Model):  # Keras 2's train_step
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(3)
    def call(self, x):
        return self.dense(x)
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = keras.ops.mean((self(x) - y) ** 2)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}

class SignFlip(keras.layers.Layer):  # a Python if on a tensor's value, as TF 2 eager code does
    def call(self, x):
        if keras.ops.sum(x) > 0:
            return x
        return -x

x = np.ones((4, 3), "float32")
if sys.argv[1] == "numpy":
    model = keras.Sequential([keras.Input((3,)), ValueScaled()])
elif sys.argv[1] == "bool":
    model = keras.Sequential([keras.Input((3,)), SignFlip()])
else:
    model = TapeStep()
model.compile("sgd", "mse")
model.fit(x, x, verbose=0)
'''


@pytest.mark.parametrize("backend, case, signature", [
    ("jax", "numpy", ("numpy-method-on-jax-tracer", "keras-ops")),
    # Keras masks JAX's error with "'str' object has no attribute '_error_repr'"; JAX's line names it.
    ("jax", "bool", ("jax-tracer-as-bool-masked", "autograph")),
    ("torch", "tape", ("gradient-tape-on-torch", "custom-train-step")),
])
def test_tf_habits_on_jax_and_torch_are_recognised(tmp_path, backend, case, signature):
    """TF 2 habits in model code that fail with the backend's own words: `.numpy()` on a JAX tracer
    (Keras traces call() to build the model), a tf.GradientTape train_step given a torch loss."""
    script = tmp_path / "habit.py"
    script.write_text(TF_HABITS_IN_MODEL_CODE, encoding="utf-8")
    diagnosis, stderr = explain_failing_run([str(script), case], backend, tmp_path)
    assert (diagnosis["guide"], diagnosis["signature"]) == (signature[1], signature[0]), stderr[-1500:]


from conftest import CLAIMS_DIR  # noqa: E402 - the claims programs, one definition


@pytest.mark.parametrize("program, backend, signature", [
    ("callback_submodel_numpy.py", "jax", "numpy-method-on-jax-array"),
    ("gradient_tape_loop.py", "jax", "gradient-tape-on-jax"),
    ("gradient_tape_loop.py", "torch", "gradient-tape-on-torch"),
    ("float_of_nonscalar_tensor.py", "jax", "python-scalar-of-jax-array"),
    ("callback_model_assignment.py", "jax", "callback-model-property"),
    ("build_extra_argument.py", "jax", "build-arguments-shape-suffix"),
    ("call_training_required.py", "jax", "sequential-layer-required-arguments"),
    ("average_pooling_without_pool_size.py", "jax", "pooling-without-pool-size"),
    ("bce_noisy_targets.py", "torch", "binary-targets-out-of-range-torch"),
    ("hand_called_train_step.py", "jax", "jax-train-step-called-by-hand"),
    ("keras2_metric_string.py", "jax", "keras2-compile-identifier"),
    ("keras2_loss_alias_on_keras3.py", "jax", "keras2-loss-metric-alias"),
    ("loss_reduction_auto_string.py", "jax", "loss-reduction-auto"),
    ("loss_scale_optimizer_methods.py", "jax", "loss-scale-optimizer-keras2-methods"),
    ("distribute_strategy_run.py", "jax", "keras-model-in-tf-function"),
    ("tf_function_on_model_method.py", "torch", "keras-model-in-tf-function"),
    ("tensor_get_shape_in_call.py", "jax", "tf-tensor-method-on-backend-tensor"),
    ("tensor_get_shape_in_call.py", "torch", "tf-tensor-method-on-backend-tensor"),
    ("unseeded_random_in_call.py", "jax", "unseeded-random-on-jax"),
    ("state_created_in_call.py", "jax", "state-created-after-build"),
    ("layer_name_slash.py", "jax", "name-with-slash"),
    ("layer_size_not_int.py", "jax", "dense-units-not-int"),
    ("super_init_passes_self.py", "jax", "layer-init-positional-arguments"),
    ("disable_eager_execution.py", "tensorflow", "graph-mode-iteration"),
    ("sublayer_before_super_init.py", "torch", "torch-sublayer-before-super-init"),
    ("keras_tensor_dtype_name.py", "jax", "dtype-is-a-string"),
    ("tf_keras_set_value_learning_rate.py", "jax", "dtype-is-a-string"),
    ("history_lr_key.py", "jax", "history-lr-key"),
    ("input_layer_input.py", "jax", "input-layer-input-empty"),
    ("float_steps_per_epoch.py", "jax", "float-steps-per-epoch"),
    ("tf_op_numpy_array_in_eager_methods.py", "torch", "numpy-of-torch-tensor-in-model-code"),
    ("variable_get_shape_in_build.py", "jax", "keras-variable-get-shape"),
    ("tf_train_checkpoint.py", "jax", "keras3-object-not-trackable"),
    ("to_categorical_dtype.py", "jax", "to-categorical-dtype"),
    ("weights_legacy_arguments.py", "jax", "weights-legacy-arguments"),
    ("tf_tensor_to_on_batch.py", "jax", "tf-tensor-into-jax-step"),
    ("single_target_for_multi_output_model.py", "jax", "one-target-for-several-outputs"),
    ("metrics_list_for_multi_output_model.py", "jax", "metrics-not-matching-outputs"),
    ("rnn_cell_state_size_shape.py", "jax", "rnn-state-size-not-int"),
    ("layer_on_constant_in_functional_model.py", "torch", "torch-graph-reused-across-steps"),
    ("position_embedding_on_range_in_functional_model.py", "torch", "torch-graph-reused-across-steps"),
    ("tf_keras_backend_in_loss.py", "jax", "tf-op-on-jax-tracer"),
    ("tf_keras_backend_in_loss.py", "torch", "tf-op-on-torch-tensor"),
    ("py_function_in_dataset_map.py", "tensorflow", "unknown-rank-in-keras3-layer"),
    ("squeeze_without_axis.py", "tensorflow", "unknown-rank-in-keras3-layer"),
    ("bool_labels_with_class_weight.py", "jax", "class-weight-bool-labels"),
    ("compile_outside_strategy_scope.py", "tensorflow", "compile-outside-strategy-scope"),
    ("one_hot_cumsum_overflow.py", "torch", "one-hot-past-depth-torch"),
    ("pixelwise_sparse_crossentropy_on_torch.py", "torch", "pixelwise-sparse-crossentropy-torch"),
    ("pixelwise_sparse_crossentropy_activation_head.py", "torch", "pixelwise-sparse-crossentropy-torch"),
    ("stateful_rnn.py", "torch", "inplace-state-update-torch"),
    ("h5_round_trip_compiled.py", "jax", "legacy-h5-loss-alias"),
    ("h5_round_trip_trained_without_recompile.py", "jax", "optimizer-never-built-for-model"),
    ("h5_round_trip_trained_without_recompile.py", "tensorflow", "optimizer-unknown-variable"),
    ("custom_activation_name.py", "jax", "custom-activation-name"),
    ("unbuilt_model_weights_save.py", "torch", "unbuilt-model-weights-save"),
    ("inverted_string_lookup_on_numpy.py", "jax", "string-lookup-output-on-jax"),
    ("tf_variable_graph_initial_value.py", "tensorflow", "tf-variable-initial-value-in-traced-build"),
    ("tf_function_assign_to_variable_list.py", "tensorflow", "keras-variable-assign-in-tf-function"),
    ("tf_op_tensor_in_sublayer_build.py", "tensorflow", "tf-tensor-kept-from-traced-build"),
    ("metric_result_variable.py", "jax", "keras-variable-as-jax-array"),
    ("feature_space_string_inputs_model.py", "jax", "string-input-model-on-jax"),
    ("export_on_torch.py", "torch", "export-on-torch"),
    ("exported_savedmodel_called.py", "tensorflow", "exported-savedmodel-called"),
    ("exported_savedmodel_called.py", "jax", "exported-savedmodel-called"),
    ("load_weights_status_check.py", "torch", "load-weights-status-none"),
    ("metrics_names_index.py", "jax", "metrics-names-index"),
    ("lookup_vocab_size.py", "torch", "lookup-vocab-size"),
    ("python_number_model_input.py", "tensorflow", "python-value-model-input"),
    ("python_number_layer_call.py", "jax", "python-number-layer-call"),
    ("adapt_pandas_data.py", "torch", "adapt-pandas-data"),
    ("feature_space_cross_three_features.py", "jax", "hashed-crossing-more-than-two"),
    ("tflite_from_keras_model.py", "torch", "tflite-keras3-model"),
    ("removed_layer_members.py", "jax", "layer-shape-node-attributes"),
    ("tensorboard_profile_batch.py", "torch", "tensorboard-profiling-on-torch"),
    ("tf_dtype_in_layer_arguments.py", "jax", "layer-config-not-serializable"),
    ("dunder_call_override.py", "torch", "unbuilt-model-weights-save"),
    ("mixed_tensor_call_argument.py", "tensorflow", "nested-call-argument-mixes-tensors"),
    ("mixed_keras_tensor_call_argument.py", "torch", "nested-call-argument-mixes-tensors"),
    ("mixed_tf_and_keras_tensor_call_argument.py", "jax", "nested-call-argument-mixes-tensors"),
    ("numpy_array_operator_in_loss.py", "torch", "numpy-array-operator-on-torch-tensor"),
    ("numpy_array_operator_in_lambda.py", "torch", "numpy-of-torch-tensor-in-model-code"),
])
def test_claims_failures_are_explained(claims_runs, program, backend, signature):
    """What a rule claims fails (its claims program, run where it fails) is what the explainer recognises
    in the traceback: the lint and the card tell one story. The runs are test_finding_claims' (conftest's
    claims_runs: a fork of a warm interpreter per run, the traceback as Python prints it)."""
    from keras_migrate.recognize import explain_text

    run = claims_runs[(program, backend)]
    assert not run.ok, f"{program} ran on {backend}"
    assert explain_text(run.output)["signature"] == signature, run.output[-1500:]


RUN_UNDER_THE_HOOKS_RECOGNIZER = """
import json, runpy, sys
import keras
from keras_migrate.recognize import recognize_exception
try:
    runpy.run_path(sys.argv[1], run_name="__main__")
    print(json.dumps({"ran": True}))
except Exception as error:
    diagnosis = recognize_exception(error, keras_version=keras.__version__, backend=keras.backend.backend())
    print(json.dumps({"signature": diagnosis and diagnosis["signature"]}))
"""


@pytest.mark.parametrize("program, backend, signature", [
    ("numpy_of_model_call_slice.py", "torch", "numpy-function-on-torch-tensor"),
    ("numpy_of_model_parameter_output.py", "torch", "numpy-function-on-torch-tensor"),
    ("loss_reduction_enum.py", "jax", "losses-reduction-enum"),
    ("predict_classes.py", "jax", "predict-classes-removed"),
])
def test_claims_failures_are_explained_live(claims_runs, tmp_path, program, backend, signature):
    """Failures whose words plain PyTorch (or TF 2) code raises too are answered only where the hook
    knows Keras 3 runs: the claims program run under the live recognizer gets the card, its pasted
    stderr does not."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    env = dict(os.environ, KERAS_BACKEND=backend, JAX_PLATFORMS="cpu", TF_CPP_MIN_LOG_LEVEL="3", MPLBACKEND="Agg")
    script = tmp_path / "live.py"
    script.write_text(RUN_UNDER_THE_HOOKS_RECOGNIZER, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), os.path.join(CLAIMS_DIR, program)], capture_output=True,
                          text=True, timeout=600, env=env, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr[-1500:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"signature": signature}, done.stdout[-1500:]
    pasted = claims_runs[(program, backend)]
    assert not pasted.ok and explain_text(pasted.output)["guide"] is None, pasted.output[-1500:]


def test_keras_builtin_layers_are_keras_3_layers_that_run_no_user_code():
    """signatures.json `kerasBuiltinLayers` (where an error of call() code is Keras's, not the user's) is
    checked against Keras 3 itself: each name is a keras.layers Layer class; the wrappers that run user
    code (Lambda, TimeDistributed, Bidirectional, RNN, Wrapper, ...) are not in it."""
    import subprocess
    import sys

    names = sorted(catalog.keras_builtin_layers())
    code = (
        "import json, sys, keras\n"
        "names = json.loads(sys.argv[1])\n"
        "bad = [n for n in names if not (isinstance(getattr(keras.layers, n, None), type)"
        " and issubclass(getattr(keras.layers, n), keras.layers.Layer))]\n"
        "print(json.dumps(bad))\n"
    )
    env = dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu")
    done = subprocess.run([sys.executable, "-c", code, json.dumps(names)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-1500:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    assert len(names) > 100 and "SpectralNormalization" in names and "Dense" in names
    assert not {"Lambda", "TimeDistributed", "Bidirectional", "RNN", "Wrapper", "StackedRNNCells", "Layer"} & set(names)


def test_python_loop_over_a_symbolic_tensor_in_the_users_layer_is_recognised(tmp_path):
    """tf.keras code looping over a tensor in call() fails in Keras 3's traced fit step on TensorFlow;
    the call wrapper names the user's layer, so the autograph diagnosis stands (a Keras layer's own
    failure would not be claimed: pastes/not_migration_spectral_normalization_keras305.txt)."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    program = (
        "import numpy as np, keras\n"
        "class RowSum(keras.layers.Layer):\n"
        "    def call(self, x):\n"
        "        return keras.ops.stack([keras.ops.sum(row) for row in x])\n"
        "model = keras.Sequential([keras.Input((3,)), RowSum()])\n"
        "model.compile(optimizer='sgd', loss='mse')\n"
        "model.fit(np.ones((4, 3)), np.ones((4,)), epochs=1, verbose=0)\n"
    )
    script = tmp_path / "loop.py"
    script.write_text(program, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, KERAS_BACKEND="tensorflow"))
    assert "Iterating over a symbolic `tf.Tensor` is not allowed" in done.stderr, done.stderr[-1500:]
    assert "RowSum" in done.stderr and "RowSum" not in catalog.keras_builtin_layers()
    assert explain_text(done.stderr)["signature"] == "tf-symbolic-tensor-iteration", done.stderr[-1500:]


def test_tensorshape_methods_on_keras3_shapes_are_recognised_when_keras_raises_them(tmp_path):
    """Keras 2 code reading a tensor's shape as a TensorShape (x.shape.rank in call()) fails on PyTorch,
    where Keras 3 traces call() with torch tensors ('torch.Size' object ...), inside Keras 3's own call
    wrapper; that wrapper's argument list shows Keras 3's KerasTensor, which is not taken for a Keras 2
    layer's (signature tf-keras-layer-on-keras3-tensor reads Keras 2's "Call arguments received by layer")."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    program = (
        "import keras\n"
        "class Flatten2D(keras.layers.Layer):\n"
        "    def call(self, x):\n"
        "        return x if x.shape.rank == 2 else keras.ops.reshape(x, (-1, x.shape[-1]))\n"
        "print(repr(keras.Input((3,))))\n"
        "Flatten2D()(keras.Input((2, 3)))\n"
    )
    script = tmp_path / "rank.py"
    script.write_text(program, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, KERAS_BACKEND="torch"))
    assert "'torch.Size' object has no attribute 'rank'" in done.stderr, done.stderr[-1500:]
    # The form of Keras 3's KerasTensor that the Keras 2 wrapper signature looks for, as Keras 3 prints it.
    assert done.stdout.startswith("<KerasTensor shape=(None, 3), dtype=float32"), done.stdout
    assert "<KerasTensor shape=(None, 2, 3)" in done.stderr
    diagnosis = explain_text(done.stderr)
    assert (diagnosis["signature"], diagnosis["names"]["attribute"], diagnosis["line"]) == (
        "shape-tuple-not-tensorshape", "rank", 4), done.stderr[-1500:]
    assert "x.shape.rank" in diagnosis["cell_line_text"]
    tf_keras = next(s for s in SIGNATURES if s["id"] == "tf-keras-layer-on-keras3-tensor")
    assert "<KerasTensor shape=" in tf_keras["regex"] and "Call arguments received by layer" in tf_keras["regex"]


def test_a_traceback_cut_inside_its_message_is_recognised_from_the_import_that_raised(tmp_path):
    """A library importing Keras 2's keras.engine under Keras 3: a paste cut inside its message (or, in
    IPython's form, inside the exception name: pastes/keras_engine_classification_models_3d_colab_cut.txt)
    is answered from the innermost frame's own line (it imports keras.engine itself); the line that
    imports a keras.engine submodule is not evidence enough (standalone Keras 2 lacked some of those)."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    def cut_traceback(import_line):
        (tmp_path / "oldlib.py").write_text("import keras\n" + import_line + "\n", encoding="utf-8")
        (tmp_path / "main.py").write_text("import oldlib\n", encoding="utf-8")
        done = subprocess.run([sys.executable, str(tmp_path / "main.py")], capture_output=True, text=True, timeout=300,
                              cwd=str(tmp_path), env=dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu"))
        assert "ModuleNotFoundError: No module named 'keras.engine'" in done.stderr, done.stderr[-1500:]
        return done.stderr.rsplit("ModuleNotFoundError: ", 1)[0]

    head = cut_traceback("from keras.engine import training")
    assert explain_text(head + "ModuleNotFoundError: No mod")["signature"] == "keras-engine-import", head[-800:]
    # Plain Python names the type only on the exception line: cut inside the name, nothing tells it.
    assert explain_text(head + "ModuleNotFou")["guide"] is None
    submodule = cut_traceback("from keras.engine.topology import get_source_inputs")
    assert explain_text(submodule + "ModuleNotFoundError: No mod")["guide"] is None


KERAS2_OPTIMIZER_AND_MODEL_HABITS = '''
import json, sys, traceback
import numpy as np
import tensorflow as tf
import keras
from keras_migrate.recognize import recognize_exception

class NamedFirst(keras.optimizers.Optimizer):  # Keras 2's OptimizerV2 took the name first
    def __init__(self, name="NamedFirst", **kwargs):
        super().__init__(name, **kwargs)

def optimizer_reused():
    opt = keras.optimizers.Adam()
    for _ in range(2):
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile(optimizer=opt, loss="mse")
        model.fit(np.zeros((4, 2)), np.zeros((4, 1)), verbose=0)

def tf_python_keras_model():  # what retinaface and other libraries still import
    from tensorflow.python.keras.engine import functional
    inputs = keras.Input((3,))
    functional.Functional(inputs, keras.layers.Dense(2)(inputs))

def tf_python_keras_lambda():
    from tensorflow.python.keras import layers
    layers.Lambda(lambda x: tf.nn.relu(x))(keras.Input((3,)))

cases = {
    "learning_rate_variable": lambda: keras.optimizers.Adam(tf.Variable(0.001)),
    "name_as_learning_rate": NamedFirst,
    "optimizer_reused": optimizer_reused,
    "sequential_output_names": lambda: keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]).output_names,
    "tf_python_keras_model": tf_python_keras_model,
    "tf_python_keras_lambda": tf_python_keras_lambda,
}
live = {}
for name, case in cases.items():
    try:
        case()
        live[name] = "ran"
    except Exception as error:
        diagnosis = recognize_exception(error, keras_version=keras.__version__)
        live[name] = diagnosis and diagnosis["signature"]
        print("=== " + name)
        print(traceback.format_exc())
print("=== live")
print(json.dumps(live))
'''

TF_KERAS_TAKES_THEM = '''
import json
import numpy as np
import tensorflow as tf
import tf_keras

class NamedFirst(tf_keras.optimizers.legacy.Optimizer):
    def __init__(self, name="NamedFirst", **kwargs):
        super().__init__(name, **kwargs)

opt = tf_keras.optimizers.legacy.Adam()
for _ in range(2):
    model = tf_keras.Sequential([tf_keras.Input((2,)), tf_keras.layers.Dense(1)])
    model.compile(optimizer=opt, loss="mse")
    model.fit(np.zeros((4, 2)), np.zeros((4, 1)), verbose=0)
tf_keras.optimizers.Adam(tf.Variable(0.001))
NamedFirst()
print(json.dumps(model.output_names))
'''


def test_keras2_optimizer_and_model_habits_are_recognised_where_keras3_raises(tmp_path):
    """A tf.Variable learning rate, an optimizer subclass passing its name first, one optimizer reused
    for a second model, a Sequential's output_names: what Keras 2 (tf_keras) took, Keras 3 refuses.
    And Keras 3 tensors given to TF's private tensorflow.python.keras (Keras 2): its frames make the
    traceback look like Keras 2's, but only Keras 3's KerasHistory lacks `layer` and only Keras 3's
    KerasTensor refuses TF functions in these words (keras3Only). Run both Kerases; live and pasted."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text, raised_by_keras2, records_from_text

    root = os.path.dirname(os.path.dirname(os.path.dirname(catalog.__file__)))
    hooks = os.path.dirname(os.path.dirname(catalog.__file__))
    script = tmp_path / "habits.py"
    script.write_text(KERAS2_OPTIMIZER_AND_MODEL_HABITS, encoding="utf-8")
    env = dict(os.environ, KERAS_BACKEND="tensorflow", PYTHONPATH=hooks)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-1500:]
    parts = dict(part.split("\n", 1) for part in done.stdout.split("=== ")[1:])
    expected = {
        "learning_rate_variable": "optimizer-learning-rate-type",
        "name_as_learning_rate": "optimizer-learning-rate-type",
        "optimizer_reused": "optimizer-unknown-variable",
        "sequential_output_names": "sequential-output-names",
        "tf_python_keras_model": "keras-history-layer",
        "tf_python_keras_lambda": "kerastensor-tf-function",
    }
    assert json.loads(parts["live"]) == expected
    for name, signature in expected.items():
        assert explain_text(parts[name])["signature"] == signature, parts[name][-800:]
    assert "learning_rate=NamedFirst" in parts["name_as_learning_rate"]
    for name in ("tf_python_keras_model", "tf_python_keras_lambda"):
        assert raised_by_keras2(records_from_text(parts[name])), parts[name][-800:]
    # Keras 2 (tf_keras, made by .ci/setup for .venv's TensorFlow) runs the same habits.
    tf_keras_dir = os.path.join(root, ".tf-keras")
    if not os.path.isfile(os.path.join(tf_keras_dir, "tf_keras", "__init__.py")):
        pytest.fail(".tf-keras is missing: run .ci/setup")
    keras2 = tmp_path / "keras2.py"
    keras2.write_text(TF_KERAS_TAKES_THEM, encoding="utf-8")
    done = subprocess.run([sys.executable, str(keras2)], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=tf_keras_dir))
    assert done.returncode == 0, done.stderr[-1500:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == ["dense_1"]


def tf_keras_and_keras36_dirs():
    """The folders .ci/setup installs tf_keras (Keras 2 for .venv's TensorFlow) and Keras 3.6 into."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(catalog.__file__)))
    tf_keras_dir, keras36 = os.path.join(root, ".tf-keras"), os.path.join(root, ".keras-3.6")
    for path, name in ((tf_keras_dir, "tf_keras"), (keras36, "keras")):
        if not os.path.isfile(os.path.join(path, name, "__init__.py")):
            pytest.fail(path + " is missing: run .ci/setup")
    return tf_keras_dir, keras36


def test_a_keras_file_saved_by_keras2_is_recognised_where_keras3_cannot_import_its_classes(tmp_path):
    """A .keras file written by tf_keras (as by Keras 2.13-2.15) names its classes' Keras 2 modules
    (tf_keras.src.engine.functional; keras.src.engine.functional for Keras 2.15). Keras 3.6 cannot
    import them; Keras 3.15 words the same failure as an unregistered class (one guide section).
    The reverse, a Keras 3 file in Keras 2 (keras.src.models.functional), is not matched: real pastes
    of it are in pastes/ (not_migration_keras3_file_in_*)."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    tf_keras_dir, keras36 = tf_keras_and_keras36_dirs()
    saved = tmp_path / "model.keras"
    save = ("import tf_keras\ninputs = tf_keras.Input((3,))\n"
            "tf_keras.Model(inputs, tf_keras.layers.Dense(2)(inputs)).save(%r)\n" % str(saved))
    done = subprocess.run([sys.executable, "-c", save], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=tf_keras_dir))
    assert done.returncode == 0, done.stderr[-1500:]
    load = "import keras\nkeras.models.load_model(%r)\n" % str(saved)
    answers = {}
    for name, path in (("3.6", keras36), ("current", "")):
        done = subprocess.run([sys.executable, "-c", load], capture_output=True, text=True, timeout=300,
                              env=dict(os.environ, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu", PYTHONPATH=path))
        assert done.returncode != 0 and "tf_keras.src.engine.functional" in done.stderr, done.stderr[-1500:]
        diagnosis = explain_text(done.stderr)
        answers[name] = (diagnosis["guide"], diagnosis["signature"], diagnosis["names"].get("module"))
    assert answers == {
        "3.6": ("api-changes", "keras2-keras-file-class-module", "tf_keras.src.engine.functional"),
        "current": ("api-changes", "custom-object-not-registered", None),
    }


SAVE_COMPILED_H5_WITH_TF_KERAS = '''
import sys
import numpy as np
import tf_keras

folder = sys.argv[1]
for name, loss, metrics in (("alias", "mse", []), ("metrics", "mean_squared_error", ["mae"]), ("plain", "mean_squared_error", []),
                            ("object", tf_keras.losses.MeanSquaredError(), [])):
    model = tf_keras.Sequential([tf_keras.Input((3,)), tf_keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss=loss, metrics=metrics)
    model.fit(np.ones((8, 3)), np.ones((8, 2)), verbose=0)
    model.save(folder + "/" + name + ".h5")
'''

TRAIN_LOADED_H5 = '''
import sys
import numpy as np
import keras

model = keras.models.load_model(sys.argv[1])
print(model.predict(np.ones((2, 3)), verbose=0).shape)
model.fit(np.ones((8, 3)), np.ones((8, 2)), verbose=0)
'''


def test_a_compiled_h5_model_saved_by_keras2_and_trained_again_is_recognised(tmp_path):
    """A compiled model saved to `.h5` by Keras 2 (tf_keras) loads in Keras 3 with its compile settings
    only in part: a short loss name or a loss object (its config holds an `fn` Keras 3 refuses) does not load at all, and a loaded model trained without compile()
    fails in fit(), in words that differ by Keras version and backend (a metric wrapping a string, an
    optimizer not built for the model, the metrics as a list of lists in Keras 3.6). Each is produced here
    by running, and pasted whole it gets the card for a legacy .h5 model (recompile after
    `load_model(path, compile=False)`), not the unrelated cause its words share."""
    import subprocess
    import sys

    from keras_migrate.recognize import explain_text

    tf_keras_dir, keras36 = tf_keras_and_keras36_dirs()
    save = tmp_path / "save.py"
    save.write_text(SAVE_COMPILED_H5_WITH_TF_KERAS, encoding="utf-8")
    done = subprocess.run([sys.executable, str(save), str(tmp_path)], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=tf_keras_dir, TF_CPP_MIN_LOG_LEVEL="3"))
    assert done.returncode == 0, done.stderr[-1500:]
    # Each load-and-train runs in a fork of one warm interpreter per Keras and backend (a fresh process's
    # output, without its import time).
    from conftest import bench_migrate_module

    answers = {}
    for keras_name, path, backend in (("current", "", "tensorflow"), ("current", "", "jax"), ("current", "", "torch"),
                                      ("3.6", keras36, "jax")):
        server = bench_migrate_module().ForkServer(backend, env={"PYTHONPATH": path, "PYTHONWARNINGS": ""})
        try:
            # A loss object fails in load_model, before anything that depends on the backend: once per Keras.
            for name in ("alias", "metrics", "plain", *(("object",) if backend != "torch" and (keras_name, backend) != ("current", "jax") else ())):
                train = tmp_path / ("train_" + name + ".py")
                train.write_text(TRAIN_LOADED_H5.replace("sys.argv[1]", repr(str(tmp_path / (name + ".h5")))), encoding="utf-8")
                work = tmp_path / "-".join(("run", keras_name, backend, name))
                work.mkdir()
                code, output = server.run(train, str(work), 300)
                assert code != 0, (keras_name, backend, name, output[-500:])
                answers[(keras_name, backend, name)] = explain_text(output)["signature"]
        finally:
            server.close()
    assert answers == {
        ("current", "tensorflow", "alias"): "legacy-h5-loss-alias",
        ("current", "tensorflow", "metrics"): "optimizer-unknown-variable",
        ("current", "tensorflow", "plain"): "optimizer-unknown-variable",
        ("current", "jax", "alias"): "legacy-h5-loss-alias",
        ("current", "jax", "metrics"): "legacy-h5-metric-function-string",
        ("current", "jax", "plain"): "optimizer-never-built-for-model",
        ("current", "torch", "alias"): "legacy-h5-loss-alias",
        ("current", "torch", "metrics"): "legacy-h5-metric-function-string",
        ("current", "torch", "plain"): "optimizer-unknown-variable",
        ("3.6", "jax", "alias"): "legacy-h5-loss-alias",
        ("3.6", "jax", "metrics"): "legacy-h5-metrics-nested",
        ("3.6", "jax", "plain"): "legacy-h5-metrics-nested",
        ("current", "tensorflow", "object"): "legacy-h5-loss-object-config",
        ("3.6", "jax", "object"): "legacy-h5-loss-object-config",
    }
