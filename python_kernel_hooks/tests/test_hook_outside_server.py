"""Kernels started outside the Jupyter server (nbclient, papermill, nbconvert --execute)
load the hook with one documented line: JUPYTER_DEFAULT_PROVISIONER_NAME=keras-migrate-provisioner."""
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

PROBE = "print('keras_migrate' in get_ipython().extension_manager.loaded)"


def executed_output(tmp_path: Path, env_extra: dict) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    env = dict(os.environ, **env_extra)
    env.pop("KERAS_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--execute", "--to", "notebook", "--stdout", str(path)],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    cell = json.loads(done.stdout)["cells"][0]
    texts = [o.get("text", "") for o in cell["outputs"]]
    return "".join("".join(t) if isinstance(t, list) else t for t in texts).strip()


def test_nbconvert_execute_loads_the_hook_with_the_documented_line(tmp_path):
    assert executed_output(tmp_path, {"JUPYTER_DEFAULT_PROVISIONER_NAME": "local-provisioner"}) == "False"
    assert executed_output(tmp_path, {"JUPYTER_DEFAULT_PROVISIONER_NAME": "keras-migrate-provisioner"}) == "True"
