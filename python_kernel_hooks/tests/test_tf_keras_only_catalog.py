"""src/catalog/tf_keras_only.json holds what the installed Keras 3 says, not what we remember.

TensorFlow's `tf.keras` is Keras 3 as `keras._tf_keras.keras`, which keeps some Keras 2 names
that Keras 3's own `keras` package does not have (`keras.losses.logcosh`, `keras.metrics.mae`,
`keras.layers.RandomHeight`). Rewriting `tf.keras.X` to `keras.X` for those names breaks a
program that ran, so the analyser needs the list; where Keras 3 binds the very same object
under another name in the same module (`keras.losses.log_cosh`), that name is the exact
replacement. The list is computed here by walking both namespaces; run with
KERAS_MIGRATE_UPDATE_CATALOG=1 to rewrite the file after a Keras upgrade.

`keras.backend.*` is left out: Keras 3 dropped almost every Keras 2 backend function, and
knowledge.ts's KEPT list (rule KM132) owns that knowledge.
"""

from __future__ import annotations

import importlib
import json
import os
import types
from pathlib import Path

import pytest

CATALOG = Path(__file__).resolve().parents[2] / "src" / "catalog" / "tf_keras_only.json"
# Program text: `get(keras, "keras.losses.logcosh")` follows a dotted name from a module.
GET_BY_DOTTED_NAME = (
    "def get(root, dotted):\n"
    "    for part in dotted.split('.')[1:]:\n"
    "        root = getattr(root, part)\n"
    "    return root\n"
)


def _public(module: object) -> list[str]:
    return sorted(n for n in dir(module) if not n.startswith("_"))


def _assert_catalog_field(field: str, computed: list[str], keras_version: str) -> None:
    """The catalog's FIELD is what the installed Keras says (KERAS_MIGRATE_UPDATE_CATALOG=1 writes it first)."""
    if os.environ.get("KERAS_MIGRATE_UPDATE_CATALOG"):
        document = json.loads(CATALOG.read_text())
        document[field] = computed
        CATALOG.write_text(json.dumps(document, indent=1) + "\n")
    catalog = json.loads(CATALOG.read_text())
    if catalog["keras"] != keras_version:
        pytest.skip(f"catalog computed on Keras {catalog['keras']}, installed {keras_version}")
    assert catalog[field] == computed


def _import_keras2():
    """Keras 2 (tf_keras) from the project's .tf-keras folder, where the set-up command installs it; skips without it."""
    import sys

    tf_keras_dir = Path(__file__).resolve().parents[2] / ".tf-keras"
    if str(tf_keras_dir) not in sys.path:
        sys.path.insert(0, str(tf_keras_dir))
    return pytest.importorskip("tf_keras")


def tf_keras_only_names() -> dict[str, str | None]:
    keras = importlib.import_module("keras")
    tf_keras = importlib.import_module("keras._tf_keras.keras")
    found: dict[str, str | None] = {}
    seen: set[int] = set()

    def walk(theirs: object, ours: object, prefix: str, depth: int) -> None:
        for name in _public(theirs):
            value = getattr(theirs, name, None)
            if not hasattr(ours, name):
                if prefix == "keras.backend.":
                    continue
                same = [n for n in _public(ours) if getattr(ours, n, None) is value and value is not None]
                found[prefix + name] = prefix + same[0] if len(same) == 1 else None
                continue
            if isinstance(value, types.ModuleType) and id(value) not in seen and depth < 4:
                seen.add(id(value))
                walk(value, getattr(ours, name), prefix + name + ".", depth + 1)

    walk(tf_keras, keras, "keras.", 0)
    return dict(sorted(found.items()))


def test_catalog_matches_the_installed_keras():
    keras = importlib.import_module("keras")
    names = tf_keras_only_names()
    # The walk must find the Keras 2 names it exists for, or it proves nothing.
    assert names.get("keras.losses.logcosh") == "keras.losses.log_cosh"
    assert names.get("keras.metrics.mae") == "keras.metrics.mean_absolute_error"
    assert "keras.layers.RandomHeight" in names and names["keras.layers.RandomHeight"] is None
    if os.environ.get("KERAS_MIGRATE_UPDATE_CATALOG"):
        document = {
            "$comment": (
                "Keras 2 names that TensorFlow's tf.keras (keras._tf_keras.keras) keeps and Keras 3's keras package "
                "lacks, each with the Keras 3 name bound to the very same object in the same module (null: none). "
                "Computed from the installed Keras by python_kernel_hooks/tests/test_tf_keras_only_catalog.py "
                "(KERAS_MIGRATE_UPDATE_CATALOG=1 rewrites this file); keras.backend functions are KM132's. "
                "missing_from_tf_keras: the reverse, Keras 2 names Keras 3's tf.keras lacks and its keras has "
                "(computed from tf_keras and Keras by the same test file). removed_in_keras3: Keras 2 names (tf_keras) "
                "that neither Keras 3's keras nor its tf.keras has (computed by the same test file; rule KM287). "
                "Read by src/analysis/catalog.ts."
            ),
            "keras": keras.__version__,
            "names": names,
            "missing_from_tf_keras": json.loads(CATALOG.read_text()).get("missing_from_tf_keras", []),
            "removed_in_keras3": json.loads(CATALOG.read_text()).get("removed_in_keras3", []),
        }
        CATALOG.write_text(json.dumps(document, indent=1) + "\n")
    catalog = json.loads(CATALOG.read_text())
    if catalog["keras"] != keras.__version__:
        pytest.skip(f"catalog computed on Keras {catalog['keras']}, installed {keras.__version__}")
    assert catalog["names"] == names


@pytest.mark.parametrize("backend", ["tensorflow", "jax", "torch"])
def test_replacements_are_the_same_objects_on_every_backend(backend, tmp_path):
    """The replacement is safe on each backend: the tf.keras name and the Keras 3 name are one object."""
    import subprocess
    import sys

    catalog = json.loads(CATALOG.read_text())
    pairs = [(old, new) for old, new in catalog["names"].items() if new]
    program = tmp_path / "same.py"
    program.write_text(
        "import importlib, sys\n"
        "import keras\n"
        "import tensorflow as tf\n"
        + GET_BY_DOTTED_NAME +
        f"pairs = {pairs!r}\n"
        "bad = [old for old, new in pairs if get(tf.keras, old) is not get(keras, new)]\n"
        "print('BACKEND', keras.backend.backend(), 'CHECKED', len(pairs), 'BAD', bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    env = {**os.environ, "KERAS_BACKEND": backend}
    done = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert f"BACKEND {backend} CHECKED {len(pairs)} BAD []" in done.stdout


def tf_keras_missing_names() -> list[str]:
    """Names Keras 2's tf.keras had (tf_keras) that Keras 3's tf.keras (keras._tf_keras.keras) lacks and
    Keras 3's own keras has: through tf.keras they raise AttributeError on every backend, `keras.X` works."""
    keras2 = _import_keras2()
    keras = importlib.import_module("keras")
    tf_keras = importlib.import_module("keras._tf_keras.keras")
    found: list[str] = []
    seen: set[int] = set()

    def walk(old: object, theirs: object, ours: object, prefix: str, depth: int) -> None:
        for name in _public(old):
            # `src` is each package's implementation, not an API Keras 2 code names.
            if name == "src" or not hasattr(ours, name):
                continue
            value = getattr(ours, name)
            if not hasattr(theirs, name):
                found.append(prefix + name)
                continue
            if isinstance(value, types.ModuleType) and isinstance(getattr(old, name, None), types.ModuleType) and id(value) not in seen and depth < 4:
                seen.add(id(value))
                walk(getattr(old, name), getattr(theirs, name), value, prefix + name + ".", depth + 1)

    walk(keras2, tf_keras, keras, "keras.", 0)
    return sorted(found)


def test_missing_from_tf_keras_matches_keras_2_and_3():
    keras = importlib.import_module("keras")
    missing = tf_keras_missing_names()
    # The walk must find what it exists for (a Keras 2 loss function tf.keras no longer has), or it proves nothing.
    assert "keras.losses.mean_squared_error" in missing and "keras.layers.Dense" not in missing
    _assert_catalog_field("missing_from_tf_keras", missing, keras.__version__)


IDENTIFIERS = CATALOG.with_name("keras2_identifiers.json")
# compile() resolves these metric strings itself, in Keras 2 and 3 alike.
COMPILE_METRIC_STRINGS = {"accuracy", "acc", "crossentropy", "ce"}


def keras2_identifiers() -> dict[str, dict[str, str | None]]:
    """Function names Keras 2's losses/metrics get() accepts and Keras 3's rejects, with a Keras 3 string for the same function."""
    import inspect

    tf_keras = _import_keras2()
    keras = importlib.import_module("keras")
    found: dict[str, dict[str, str | None]] = {}
    for kind, theirs, ours in (("loss", tf_keras.losses, keras.losses), ("metric", tf_keras.metrics, keras.metrics)):
        rejected: dict[str, str | None] = {}
        for name in _public(theirs):
            value = getattr(theirs, name)
            if name in COMPILE_METRIC_STRINGS or name in ("get", "serialize", "deserialize") or not inspect.isfunction(value):
                continue
            try:
                theirs.get(name)
            except Exception:
                continue
            try:
                ours.get(name)
                continue
            except Exception:
                pass
            same = {n for n in _public(theirs) if getattr(theirs, n, None) is value} | {getattr(value, "__name__", name)}
            # The spelled-out lower-case names first (what Keras 3 documents).
            candidates = [a + suffix for suffix in ("", "_error") for a in sorted(same, key=lambda n: (not n.islower(), -len(n), n))]
            replacement = None
            for candidate in candidates:
                try:
                    ours.get(candidate)
                except Exception:
                    continue
                replacement = candidate
                break
            rejected[name] = replacement
        found[kind] = rejected
    return found


def test_identifier_catalog_matches_keras_2_and_3():
    keras = importlib.import_module("keras")
    found = keras2_identifiers()
    assert found["loss"].get("logcosh") == "log_cosh"
    assert found["metric"].get("kld") == "kl_divergence"
    tf_keras = importlib.import_module("tf_keras")
    if os.environ.get("KERAS_MIGRATE_UPDATE_CATALOG"):
        document = json.loads(IDENTIFIERS.read_text())
        document.update({"tf_keras": tf_keras.__version__, "keras": keras.__version__, **found})
        IDENTIFIERS.write_text(json.dumps(document, indent=1) + "\n")
    catalog = json.loads(IDENTIFIERS.read_text())
    if (catalog["keras"], catalog["tf_keras"]) != (keras.__version__, tf_keras.__version__):
        pytest.skip(f"catalog computed on Keras {catalog['keras']} / tf_keras {catalog['tf_keras']}")
    assert {"loss": catalog["loss"], "metric": catalog["metric"]} == found


def test_identifier_replacements_train_on_keras_3(tmp_path):
    """compile() with each replacement string trains (one backend: compile resolves strings the same way on all)."""
    import subprocess
    import sys

    catalog = json.loads(IDENTIFIERS.read_text())
    program = tmp_path / "strings.py"
    program.write_text(
        "import numpy as np, keras\n"
        f"losses = {sorted(set(v for v in catalog['loss'].values() if v))!r}\n"
        f"metrics = {sorted(set(v for v in catalog['metric'].values() if v))!r}\n"
        "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation='softmax')])\n"
        "for loss in losses:\n"
        "    model.compile(optimizer='sgd', loss=loss, metrics=metrics)\n"
        "    model.fit(np.ones((8, 3)), np.full((8, 2), 0.5), verbose=0)\n"
        "print('TRAINED', len(losses), len(metrics))\n"
    )
    done = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "KERAS_BACKEND": "jax"})
    assert "TRAINED 2 2" in done.stdout, done.stdout + done.stderr[-2000:]


def removed_in_keras3() -> list[str]:
    """Names Keras 2 (tf_keras) exposed that neither Keras 3's keras nor its tf.keras (keras._tf_keras.keras)
    has: `keras.models.model_from_yaml`, `keras.utils.OrderedEnqueuer`, `keras.applications.RegNetX002`.
    Written either way, they raise AttributeError or ImportError on every backend (keras.backend is KM132's)."""
    keras2 = _import_keras2()
    keras = importlib.import_module("keras")
    tf_keras = importlib.import_module("keras._tf_keras.keras")
    found: list[str] = []
    seen: set[int] = set()
    absent = types.ModuleType("absent")

    def walk(old: object, ours: object, theirs: object, prefix: str, depth: int) -> None:
        for name in _public(old):
            if name == "src" or prefix == "keras.backend.":
                continue
            if not hasattr(ours, name) and not hasattr(theirs, name):
                found.append(prefix + name)
                continue
            value = getattr(old, name, None)
            if isinstance(value, types.ModuleType) and id(value) not in seen and depth < 4:
                seen.add(id(value))
                walk(value, getattr(ours, name, absent), getattr(theirs, name, absent), prefix + name + ".", depth + 1)

    walk(keras2, keras, tf_keras, "keras.", 0)
    return sorted(found)


def test_removed_in_keras3_matches_keras_2_and_3():
    keras = importlib.import_module("keras")
    removed = removed_in_keras3()
    # The walk must find what it exists for, or it proves nothing.
    assert "keras.models.model_from_yaml" in removed and "keras.utils.SidecarEvaluator" in removed
    assert "keras.models.model_from_json" not in removed and "keras.layers.Dense" not in removed
    _assert_catalog_field("removed_in_keras3", removed, keras.__version__)


def test_removed_names_fail_on_keras_3(tmp_path):
    """Each removed name raises through both spellings (one backend: the namespaces are the same on all)."""
    import subprocess
    import sys

    removed = json.loads(CATALOG.read_text())["removed_in_keras3"]
    program = tmp_path / "removed.py"
    program.write_text(
        "import keras\n"
        "import tensorflow as tf\n"
        + GET_BY_DOTTED_NAME +
        f"names = {removed!r}\n"
        "found = []\n"
        "for name in names:\n"
        "    for root in (keras, tf.keras):\n"
        "        try:\n"
        "            get(root, name)\n"
        "            found.append(name)\n"
        "        except AttributeError:\n"
        "            pass\n"
        "print('CHECKED', len(names), 'FOUND', found)\n"
    )
    done = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "KERAS_BACKEND": "jax"})
    assert f"CHECKED {len(removed)} FOUND []" in done.stdout, done.stdout + done.stderr[-2000:]
