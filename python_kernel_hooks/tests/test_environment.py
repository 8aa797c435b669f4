"""keras_migrate.environment: the report the sidebar reads from the kernel.

In-process tests use the default (import_keras=False) so they import no backend; the cases
that import Keras run in a subprocess with their own KERAS_BACKEND/KERAS_HOME.
(A report from a real kernel started by the server is in test_server_backend.)
"""

import json
import subprocess
import sys
from importlib import metadata

import pytest

from keras_migrate import environment
from keras_migrate.backends import supported_backends

HEAVY_MODULES = ("keras", "tensorflow", "jax", "torch")


@pytest.fixture(autouse=True)
def keras_not_imported(monkeypatch):
    """Other test modules may import Keras in this process; describe() would then
    ask Keras instead of reading the configuration these tests are about."""
    monkeypatch.delitem(sys.modules, "keras", raising=False)


def run_python(code, tmp_path, **env_vars):
    import os

    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    env.update(KERAS_HOME=str(tmp_path / "keras"), TF_CPP_MIN_LOG_LEVEL="3", **env_vars)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_kernel_side_modules_import_no_backend(tmp_path):
    out = run_python(
        "import sys, keras_migrate, keras_migrate.environment, keras_migrate.backends\n"
        f"print([m for m in {HEAVY_MODULES!r} if m in sys.modules])",
        tmp_path,
    )
    assert out.strip() == "[]"


def test_report_without_importing_keras(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    report = environment.describe(import_keras=False)
    json.dumps(report)  # what describe_json sends must be plain JSON
    assert report["backend"] == "torch"
    assert report["backend_source"] == "KERAS_BACKEND"
    assert report["env_backend"] == "torch"
    assert report["hook_loaded"] is False  # no IPython shell in pytest
    assert set(report["backends"]) == set(supported_backends(report["keras_version"]))
    for name, entry in report["backends"].items():
        assert entry["active"] is (name == "torch")
        assert set(entry) >= {"installed", "version", "devices", "jit_compile"}


@pytest.mark.parametrize(
    "backend, distribution",
    [("tensorflow", None), ("jax", "jax"), ("torch", "torch"), ("numpy", "numpy")],
)
def test_installed_versions_come_from_package_metadata(backend, distribution):
    entry = environment.describe(import_keras=False)["backends"][backend]
    if distribution is None:  # tensorflow ships under several names
        candidates = [d for d in ("tensorflow", "tensorflow-cpu") if _version(d)]
        expected = _version(candidates[0]) if candidates else None
    else:
        expected = _version(distribution)
    assert entry["version"] == expected
    assert entry["installed"] is (expected is not None)


def _version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def test_jax_needs_jaxlib_to_count_as_installed(monkeypatch):
    real = environment.distribution_version
    monkeypatch.setattr(
        environment, "distribution_version", lambda name: None if name == "jaxlib" else real(name)
    )
    entry = environment.describe(import_keras=False)["backends"]["jax"]
    assert entry["installed"] is False
    assert "jaxlib" not in entry["packages"]


def test_backend_from_keras_json_when_env_is_unset(monkeypatch, tmp_path):
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "keras.json").write_text(json.dumps({"backend": "jax"}))
    report = environment.describe(import_keras=False)
    assert (report["backend"], report["backend_source"]) == ("jax", "keras.json")
    (tmp_path / "keras.json").unlink()
    report = environment.describe(import_keras=False)
    assert (report["backend"], report["backend_source"]) == ("tensorflow", "default")


def test_never_raises(monkeypatch):
    def broken(name):
        raise RuntimeError("metadata is broken")

    monkeypatch.setattr(environment, "distribution_version", broken)
    monkeypatch.setattr(environment, "configured_backend", lambda: 1 / 0)
    report = environment.describe(import_keras=False)
    assert report["backend"] is None
    assert "backend" in report["errors"]
    assert all(entry["installed"] is False for entry in report["backends"].values())
    assert json.loads(environment.describe_json(import_keras=False))["backend"] is None


def test_tensorflow_jit_note_follows_devices():
    cpu_only = environment._jit_compile("tensorflow", [{"type": "CPU", "name": "cpu"}])
    with_gpu = environment._jit_compile(
        "tensorflow", [{"type": "CPU", "name": "cpu"}, {"type": "GPU", "name": "gpu:0"}]
    )
    assert (cpu_only["auto"], with_gpu["auto"]) == (False, True)


def test_default_report_does_not_import_keras(tmp_path):
    out = run_python(
        "import sys; from keras_migrate.environment import describe_json; print(describe_json())\n"
        f"print([m for m in {HEAVY_MODULES!r} if m in sys.modules])",
        tmp_path,
        KERAS_BACKEND="jax",
    )
    report_line, imported_line = out.strip().splitlines()[-2:]
    assert imported_line == "[]"
    report = json.loads(report_line)
    assert (report["backend"], report["backend_source"]) == ("jax", "KERAS_BACKEND")
    assert report["keras_imported"] is False


def test_report_after_importing_keras_names_the_real_backend_and_devices(tmp_path):
    out = run_python(
        "from keras_migrate.environment import describe_json; print(describe_json(import_keras=True))",
        tmp_path,
        KERAS_BACKEND="torch",
    )
    report = json.loads(out.strip().splitlines()[-1])
    assert (report["backend"], report["backend_source"]) == ("torch", "keras")
    assert report["keras_imported"] is True and report["keras_error"] is None
    assert {"type": "CPU", "name": "cpu"} in report["backends"]["torch"]["devices"]
    assert report["backends"]["jax"]["devices"] is None


def test_a_backend_that_fails_to_import_is_reported_not_raised(tmp_path):
    if _version("openvino") is not None:
        pytest.skip("openvino is installed here; the failing import needs a missing backend")
    out = run_python(
        "from keras_migrate.environment import describe_json; print(describe_json(import_keras=True))",
        tmp_path,
        KERAS_BACKEND="openvino",
    )
    report = json.loads(out.strip().splitlines()[-1])
    assert report["backend"] == "openvino"
    assert report["backend_source"] == "KERAS_BACKEND"
    assert report["keras_imported"] is False
    assert "openvino" in report["keras_error"]
