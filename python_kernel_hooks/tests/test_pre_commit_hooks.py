"""The hooks `.pre-commit-hooks.yaml` offers run as pre-commit runs them: the entry, then the
staged file names, on .py and .ipynb files (pre-commit's `python` and `jupyter` types)."""
import shlex
import sys
import tomllib
from pathlib import Path

import yaml

from test_cli import FLAGGED, keras_migrate_cli, notebook

ROOT = Path(__file__).resolve().parents[2]
HOOKS = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def run_hook(hook, files, cwd):
    """pre-commit's call: the entry's words, then the file names; `keras-migrate` is the console script."""
    command, *args = shlex.split(hook["entry"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert command in scripts, (command, scripts)
    return keras_migrate_cli(*args, *files, cwd=cwd)


def test_both_hooks_are_python_hooks_on_py_and_ipynb_files():
    assert set(HOOKS) == {"keras-migrate", "keras-migrate-fix"}
    for hook in HOOKS.values():
        assert hook["language"] == "python"
        assert set(hook["types_or"]) == {"python", "jupyter"}


def test_check_hook_fails_on_findings_with_one_clickable_line_each(tmp_path):
    (tmp_path / "model.py").write_text(FLAGGED)
    (tmp_path / "clean.ipynb").write_text(notebook(["import keras\n", "m = keras.Sequential()"]))
    flagged = run_hook(HOOKS["keras-migrate"], ["model.py", "clean.ipynb"], tmp_path)
    assert flagged.returncode == 1, flagged.stderr
    lines = [line for line in flagged.stdout.splitlines() if line]
    assert lines and all(line.startswith("model.py:") and " KM" in line for line in lines), flagged.stdout
    clean = run_hook(HOOKS["keras-migrate"], ["clean.ipynb"], tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_fix_hook_rewrites_the_staged_files_and_says_what_remains(tmp_path):
    (tmp_path / "nb.ipynb").write_text(notebook(["import tensorflow as tf\n", "m = tf.keras.Sequential()"]))
    fixed = run_hook(HOOKS["keras-migrate-fix"], ["nb.ipynb"], tmp_path)
    assert "m = keras.Sequential()" in (tmp_path / "nb.ipynb").read_text()
    assert "tf.keras" not in (tmp_path / "nb.ipynb").read_text()
    # The exit status is the check's on what the fix left (as `ruff --fix`).
    after = run_hook(HOOKS["keras-migrate"], ["nb.ipynb"], tmp_path)
    assert fixed.returncode == after.returncode, (fixed.stdout, fixed.stderr, after.stdout)
