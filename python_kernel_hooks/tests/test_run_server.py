"""Run jobs through a real `jupyter server`: start, progress, result, cancel, authentication.

The notebooks run on Keras's numpy backend, the quickest to start; what is
tested here is the job machinery, not Keras (test_runner.py covers that).
"""

import os
import time

import nbformat
import pytest

from conftest import HOOK_SOURCE_DIR
from keras_migrate.runner.server import _alive
from test_server_support import JupyterServer

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [HOOK_SOURCE_DIR, os.environ.get("PYTHONPATH")]))}
    with JupyterServer(tmp_path_factory.mktemp("runserver"), base_url="/km-runs/", extra_env=env) as running:
        yield running


def write(server, name, sources):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, str(server.workdir / "root" / name))
    return name


def wait_for(server, job_id, condition, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        model = server.request("GET", "keras-migrate/runs/" + job_id).json()
        if condition(model):
            return model
        time.sleep(0.5)
    raise AssertionError("condition not met: %r" % model)


def test_requests_need_credentials_and_a_valid_body(server):
    write(server, "small.ipynb", ["x = 1"])
    assert server.request("POST", "keras-migrate/runs", {"path": "small.ipynb"}, token=None).status in (401, 403)
    assert server.request("GET", "keras-migrate/runs/" + "0" * 32, token=None).status in (401, 403)
    assert server.request("POST", "keras-migrate/runs", raw_body=b"{").status == 400
    assert server.request("POST", "keras-migrate/runs", {"path": "small.ipynb", "backends": ["theano"]}).status == 400
    assert server.request("POST", "keras-migrate/runs", {"path": "../outside.ipynb"}).status == 403
    assert server.request("POST", "keras-migrate/runs", {"path": "missing.ipynb"}).status == 404
    assert server.request("GET", "keras-migrate/runs/" + "0" * 32).status == 404


def test_a_run_reports_every_cell_and_backend(server):
    path = write(server, "runs.ipynb", ["import keras\nprint(keras.backend.backend())", "raise ValueError('boom')", "y = 2"])
    started = server.request("POST", "keras-migrate/runs", {"path": path, "backends": ["numpy", "openvino"], "timeout": 120})
    assert started.status == 201, started
    job = started.json()
    assert job["status"] == "running" and job["progress"]["total"] == 2
    done = wait_for(server, job["id"], lambda m: m["status"] != "running")
    assert done["status"] == "done", done
    assert done["exit_code"] == 1
    report = done["report"]
    numpy_cells = [c["status"] for c in report["variants"]["original"]["backends"]["numpy"]["cells"]]
    assert numpy_cells == ["ok", "error", "ok"]
    assert report["variants"]["original"]["backends"]["openvino"]["status"] == "not-installed"
    assert done["progress"]["done"] == 2
    assert len(done["kernel_pids"]) == 1 and done["kernels_left"] == []


def test_cancel_stops_the_kernels(server):
    path = write(server, "slow.ipynb", ["import time", "time.sleep(600)", "print('never')"])
    job = server.request("POST", "keras-migrate/runs", {"path": path, "backends": ["numpy"]}).json()
    running = wait_for(server, job["id"], lambda m: m["kernel_pids"] and m["progress"]["running"].get("numpy") == "cell 2/3")
    pids = running["kernel_pids"]
    assert all(_alive(pid) for pid in pids)
    cancelled = server.request("DELETE", "keras-migrate/runs/" + job["id"]).json()
    assert cancelled["status"] == "cancelled"
    assert cancelled["kernels_left"] == []
    assert not any(_alive(pid) for pid in pids)
    assert server.request("GET", "keras-migrate/runs/" + job["id"]).json()["status"] == "cancelled"
