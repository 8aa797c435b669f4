"""Keras 3.0.5 and keras-core 0.1.7 raise their own wordings (and exception types) for the
migration failures; the recognizer knows them, live (the hook, told the version) and pasted.

The errors come from running the old packages in .venv-old-keras (made by .ci/setup):
tests/old_keras/probe.py makes each failure happen there and reports what was raised.
"""

import json
import os
import subprocess

import pytest

from conftest import HOOK_SOURCE_DIR
from keras_migrate.recognize import explain_text

REPO_ROOT = os.path.dirname(HOOK_SOURCE_DIR)
OLD_PYTHON = os.path.join(REPO_ROOT, ".venv-old-keras", "bin", "python")
PROBE = os.path.join(HOOK_SOURCE_DIR, "tests", "old_keras", "probe.py")

# probe -> (guide, signature). Every probe must raise on both, except where noted.
EXPECTED = {
    "unbuilt_state": ("state-building", "unbuilt-state-trace-failed-error"),
    "save_without_extension": ("savedmodel-save", "save-invalid-extension"),
    "nested_dict_inputs": ("nested-inputs", "functional-nested-dict"),
    "optimizer_lr": ("api-changes", "optimizer-lr-argument"),
    "load_savedmodel_folder": ("savedmodel-load", "load-model-savedmodel"),
    "save_weights_h5": ("api-changes", "save-weights-extension"),
    "checkpoint_weights_only_h5": ("api-changes", "checkpoint-weights-only-path"),
    "keras_tensor_into_jax": ("kerastensor-tf-op", "kerastensor-jax-function"),
    "compile_sample_weight_mode": ("api-changes", "compile-removed-argument"),
    "losses_reduction": ("api-changes", "losses-reduction-enum"),
    "keras_experimental": ("api-changes", "keras-experimental-module"),
    "add_metric_positional": ("removed-features", "layer-add-metric-bare"),  # the failing line shows .add_metric(
    "add_metric_keyword": ("removed-features", "layer-add-metric-arguments"),
    "batchnorm_renorm": ("api-changes", "batchnorm-renorm-argument"),
    "model_from_config_import": ("api-changes", "keras-models-model-from-config"),
}
# keras-core's ModelCheckpoint accepted a plain .h5 path with save_weights_only=True.
RAISES_NOTHING = {"keras_core": {"checkpoint_weights_only_h5"}}
# Keras 3.0.5 only warns about the unbuilt state and re-raises the call's own error (here JAX's
# TypeError about a traced shape): not a migration signature, and it must not be misread as one.
NOT_A_SIGNATURE = {"keras": {"unbuilt_state"}}
# Words standalone Keras 2.3 raised too ('keras.losses' has no Reduction, 'keras' no experimental): the hook
# knows the running Keras; a paste needs Keras 3's evidence, which keras-core's module name gives.
LIVE_ONLY = {"keras": {"losses_reduction", "keras_experimental"}}


@pytest.fixture(scope="module", params=["keras", "keras_core"])
def probed(request):
    if not os.path.isfile(OLD_PYTHON):
        pytest.fail(".venv-old-keras is missing: run .ci/setup")
    env = dict(os.environ, PYTHONPATH=HOOK_SOURCE_DIR, KERAS_BACKEND="jax", JAX_PLATFORMS="cpu")
    done = subprocess.run([OLD_PYTHON, PROBE, request.param], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    # keras-core prints "Using JAX backend." on stdout first.
    return request.param, json.loads(done.stdout.strip().splitlines()[-1])


def test_the_old_packages_really_ran(probed):
    module, result = probed
    version = result["keras_version"]
    assert version.startswith("3.0.") if module == "keras" else version.startswith("0.1.")


def test_each_failure_is_recognised_live_and_pasted(probed):
    module, result = probed
    for name, (guide, signature) in EXPECTED.items():
        raised = result["probes"][name]
        if name in RAISES_NOTHING.get(module, ()):
            assert raised is None, (module, name, raised)
            continue
        assert raised is not None, "%s did not raise %s" % (module, name)
        if name in NOT_A_SIGNATURE.get(module, ()):
            assert raised["diagnosis"] is None and explain_text(raised["traceback"])["guide"] is None, (module, name)
            continue
        assert raised["diagnosis"] == {"guide": guide, "signature": signature}, (module, name, raised["traceback"][-600:])
        pasted = explain_text(raised["traceback"])
        if name in LIVE_ONLY.get(module, ()):
            assert pasted["guide"] is None, (module, name, raised["traceback"][-600:])
            continue
        assert (pasted["guide"], pasted["signature"]) == (guide, signature), (module, name, raised["traceback"][-600:])


def test_keras_30_exception_types(probed):
    """Keras 3.0.5 raises these as ValueError (3.15 accepts nested dict inputs altogether)."""
    module, result = probed
    if module != "keras":
        pytest.skip("the types below are Keras 3.0.5's")
    assert result["probes"]["optimizer_lr"]["type"] == "ValueError"
    assert result["probes"]["nested_dict_inputs"]["type"] == "ValueError"


def test_an_unbuilt_state_error_cut_inside_its_message_is_recognised_from_where_it_was_raised(probed):
    """keras-core raises it in Layer._maybe_build, for that reason only: a paste that stops after
    the message's first words still tells it; the same words without the frames do not."""
    module, result = probed
    if module != "keras_core":
        pytest.skip("Keras 3.0.5 only warns (see NOT_A_SIGNATURE)")
    head, message = result["probes"]["unbuilt_state"]["traceback"].rstrip().rsplit("\nValueError: ", 1)
    words = " ".join(message.split()[:3])
    assert explain_text(head + "\nValueError: " + words)["signature"] == "unbuilt-state-trace-failed-error"
    assert explain_text(head)["signature"] == "unbuilt-state-trace-failed-error"
    assert explain_text("ValueError: " + words)["guide"] is None


def test_add_metric_with_keras2_arguments_is_told_by_its_message_alone(probed):
    """Keras 3.0-3.4's argument-less Layer.add_metric(): Python's TypeError names Keras's Layer, so the
    message tells it without the failing line (a paste wrapped in 'Exception encountered when calling')."""
    module, result = probed
    for name in ("add_metric_positional", "add_metric_keyword"):
        message = result["probes"][name]["traceback"].rstrip().rsplit("\n", 1)[-1]
        assert message.startswith("TypeError: Layer.add_metric() "), (module, message)
        assert explain_text(message)["signature"] == "layer-add-metric-arguments", (module, message)
