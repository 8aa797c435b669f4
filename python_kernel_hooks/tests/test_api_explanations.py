"""Cards explain the specific API (catalog: apis.json), not the api-changes section's paragraph about every API.

The errors come from running Keras 3 (never written by hand); one small subprocess on JAX.
"""

import os
import subprocess
import sys

from keras_migrate import catalog
from keras_migrate.recognize import explain_all

APIS = catalog._read_json("apis.json")["apis"]


def test_apis_name_existing_signatures_and_say_since_when():
    ids = {signature["id"] for signature in catalog.signatures()}
    for api in APIS:
        assert set(api.get("signatures", ())) <= ids, api["id"]
        assert api["since"].startswith("3."), api["id"]
        assert "Keras 2" in api["explanation"] or "Keras " + api["since"] in api["explanation"], api["id"]
    # Every signature of the api-changes section that has its own title has its own explanation.
    titled = [s["id"] for s in catalog.signatures() if s.get("guide") == "api-changes" and s.get("title")]
    explained = catalog.api_explanations()
    assert sum(1 for sid in titled if sid in explained) >= len(titled) // 2


def keras_error(code):
    env = dict(os.environ, KERAS_BACKEND="jax", TF_CPP_MIN_LOG_LEVEL="3")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode != 0, run.stdout
    return run.stderr


def test_card_of_a_real_error_explains_that_api_and_another_api_differently(tmp_path):
    stderr = keras_error(
        "import keras\n"
        "model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\n"
        "model.save_weights(%r)\n" % str(tmp_path / "weights.h5")
    )
    [diagnosis] = explain_all(stderr)
    assert diagnosis["signature"] == "save-weights-extension"
    section = catalog.sections()["api-changes"]["explanation"]
    assert diagnosis["explanation"] != section
    assert ".weights.h5" in diagnosis["explanation"] and "Keras 3.0" in diagnosis["explanation"]
    assert diagnosis["explanation"] == catalog.api_explanations()["save-weights-extension"]["explanation"]
    # A different API of the same section gets a different paragraph.
    assert catalog.api_explanations()["leaky-relu-alpha"]["explanation"] != diagnosis["explanation"]


def test_signature_without_an_api_entry_keeps_the_section_explanation():
    unexplained = [s for s in catalog.signatures() if s.get("guide") and s["id"] not in catalog.api_explanations()]
    assert unexplained  # sections with one subject need no per-API paragraph


def test_a_tf_module_member_of_a_keras_model_is_explained_from_a_paste_with_pythons_suggestion():
    """`model.get_weight_paths()` (a Keras 2 model member): the traceback Python prints on JAX carries
    "Did you mean: 'get_weights'?", which no Keras 2 lacking the member printed, so the paste is claimed."""
    stderr = keras_error(
        "import keras\n"
        "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
        "model.get_weight_paths()\n"
    )
    [diagnosis] = explain_all(stderr)
    assert diagnosis["signature"] == "layer-module-members"
    assert diagnosis["explanation"] == catalog.api_explanations()["layer-module-members"]["explanation"]
    # Without the suggestion (a tf.Module has `submodules`; standalone Keras 2.3 lacked these too): no claim.
    [bare] = explain_all(stderr.replace(". Did you mean: 'get_weights'?", ""))
    assert bare["guide"] is None
