"""The backend switcher end to end: a real `jupyter server` subprocess with a
base_url and a token, real ipykernel kernels, the provisioner found through the
installed entry point and made the default by the server extension.

Kernel starts are slow on a shared machine, so the module starts two kernels and
every test works with them; each test sets the backend it needs first.
"""

import json
import os
import signal
import uuid

import pytest

from keras_migrate.provisioner import HOOK_ARGUMENT
from test_server_support import JupyterServer, wait_until

BASE_URL = "/keras-migrate-test/"
RESTART_TIMEOUT = 180.0

ENV_BACKEND = "__import__('os').environ.get('KERAS_BACKEND')"
KERNEL_PID = "__import__('os').getpid()"
HOOK_LOADED = "'keras_migrate' in get_ipython().extension_manager.loaded"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with JupyterServer(tmp_path_factory.mktemp("server"), base_url=BASE_URL) as running:
        yield running


@pytest.fixture(scope="module")
def kernel_a(server):
    kernel_id = server.start_kernel()
    yield kernel_id
    server.shutdown_kernel(kernel_id)


@pytest.fixture(scope="module")
def kernel_b(server):
    kernel_id = server.start_kernel()
    yield kernel_id
    server.shutdown_kernel(kernel_id)


def put_backend(server, kernel_id, backend, **kwargs):
    return server.request("PUT", server.backend_path(kernel_id), {"backend": backend}, **kwargs)


def switch(server, kernel_id, backend):
    """What the sidebar does: record the choice, then restart the kernel."""
    answer = put_backend(server, kernel_id, backend)
    assert answer.status == 200, answer
    restarted = server.restart_kernel(kernel_id)
    assert restarted.status == 200, (restarted, server.log_text())


# -- the endpoint ------------------------------------------------------------


def test_put_records_choice_and_get_returns_it(server, kernel_a):
    answer = put_backend(server, kernel_a, "torch")
    assert answer.status == 200, answer
    body = answer.json()
    assert body["kernel_id"] == kernel_a
    assert body["backend"] == "torch"
    assert body["chosen"] == "torch"
    assert body["switchable"] is True

    again = server.request("GET", server.backend_path(kernel_a))
    assert again.status == 200
    assert again.json()["backend"] == "torch"
    assert again.json()["kernel_id"] == kernel_a


def test_get_reports_pending_restart_until_the_kernel_restarts(server, kernel_a):
    switch(server, kernel_a, "jax")
    assert server.request("GET", server.backend_path(kernel_a)).json()["restart_required"] is False
    assert put_backend(server, kernel_a, "torch").json()["restart_required"] is True
    switch(server, kernel_a, "torch")
    after = server.request("GET", server.backend_path(kernel_a)).json()
    assert (after["launched_with"], after["restart_required"]) == ("torch", False)


@pytest.mark.parametrize("method", ["GET", "PUT"])
@pytest.mark.parametrize("token", [None, "not-the-token"])
def test_requests_without_valid_credentials_are_refused(server, kernel_a, method, token):
    before = server.request("GET", server.backend_path(kernel_a)).json()["chosen"]
    body = {"backend": "numpy"} if method == "PUT" else None
    answer = server.request(method, server.backend_path(kernel_a), body, token=token)
    assert answer.status in (401, 403), answer
    assert server.request("GET", server.backend_path(kernel_a)).json()["chosen"] == before


@pytest.mark.parametrize(
    "raw_body",
    [
        b'{"backend": "theano"}',
        b'{"backend": "JAX"}',
        b'{"backend": 3}',
        b'{"backend": ["jax"]}',
        b'{"name": "jax"}',
        b'["jax"]',
        b'"jax"',
        b"backend=jax",
        b"",
        pytest.param(b'{"backend": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", id="nested-100000-deep"),
    ],
)
def test_bad_values_get_400_and_change_nothing(server, kernel_a, raw_body):
    assert put_backend(server, kernel_a, "tensorflow").status == 200
    answer = server.request("PUT", server.backend_path(kernel_a), raw_body=raw_body)
    assert answer.status == 400, answer
    assert "message" in answer.json()
    assert server.request("GET", server.backend_path(kernel_a)).json()["chosen"] == "tensorflow"


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_unknown_kernel_gets_404(server, method):
    body = {"backend": "jax"} if method == "PUT" else None
    answer = server.request(method, server.backend_path(str(uuid.uuid4())), body)
    assert answer.status == 404, answer


def test_endpoint_lives_under_base_url(server, kernel_a):
    assert server.request("GET", server.backend_path(kernel_a)).status == 200
    outside = server.request("GET", server.backend_path(kernel_a), base_url="/")
    assert outside.status == 404, outside


def test_null_clears_the_choice(server, kernel_a):
    switch(server, kernel_a, "jax")
    answer = put_backend(server, kernel_a, None)
    assert answer.status == 200, answer
    assert answer.json()["chosen"] is None
    server.restart_kernel(kernel_a)
    # The server was started without KERAS_BACKEND, so the kernel has none.
    assert server.expression(kernel_a, ENV_BACKEND) == "None"
    assert server.request("GET", server.backend_path(kernel_a)).json()["backend"] is None


# -- restarts apply the choice ---------------------------------------------------


def test_restart_starts_the_kernel_on_the_chosen_backend(server, kernel_a):
    switch(server, kernel_a, "jax")
    assert server.expression(kernel_a, ENV_BACKEND) == "'jax'"
    assert server.expression(kernel_a, "__import__('keras').backend.backend()") == "'jax'"

    switch(server, kernel_a, "torch")
    assert server.expression(kernel_a, ENV_BACKEND) == "'torch'"


def test_environment_report_in_the_kernel(server, kernel_a):
    switch(server, kernel_a, "jax")
    module = "__import__('keras_migrate.environment').environment"

    def report(call):
        # text/plain is the repr of the JSON string
        return json.loads(eval(server.expression(kernel_a, f"{module}.{call}")))

    before = report("describe_json()")
    assert (before["backend"], before["backend_source"]) == ("jax", "KERAS_BACKEND")
    assert before["hook_loaded"] is True
    assert server.expression(kernel_a, "'keras' in __import__('sys').modules") == "False"

    after = report("describe_json(import_keras=True)")
    assert (after["backend"], after["backend_source"]) == ("jax", "keras")
    assert after["backends"]["jax"]["active"] is True
    assert any(device["type"] == "CPU" for device in after["backends"]["jax"]["devices"])
    assert after["backends"]["torch"]["devices"] is None  # not imported, not probed


def test_automatic_restart_after_the_kernel_dies_keeps_the_choice(server, kernel_a):
    switch(server, kernel_a, "torch")
    old_pid = int(server.expression(kernel_a, KERNEL_PID))
    os.kill(old_pid, signal.SIGKILL)

    def restarted_pid():
        pid = int(server.expression(kernel_a, KERNEL_PID, timeout=30))
        return pid if pid != old_pid else None

    wait_until(restarted_pid, RESTART_TIMEOUT, interval=1.0, what="automatic restart")
    assert server.expression(kernel_a, ENV_BACKEND) == "'torch'"
    assert server.expression(kernel_a, HOOK_LOADED) == "True"


def test_two_kernels_run_two_backends_at_once(server, kernel_a, kernel_b):
    switch(server, kernel_a, "jax")
    switch(server, kernel_b, "torch")
    assert server.expression(kernel_a, ENV_BACKEND) == "'jax'"
    assert server.expression(kernel_b, ENV_BACKEND) == "'torch'"
    assert server.request("GET", server.backend_path(kernel_a)).json()["backend"] == "jax"
    assert server.request("GET", server.backend_path(kernel_b)).json()["backend"] == "torch"


# -- the hook ---------------------------------------------------------------------


def test_kernel_command_requests_the_hook_once(server, kernel_b):
    server.restart_kernel(kernel_b)
    argv = eval(server.expression(kernel_b, "__import__('sys').argv"))
    assert argv.count(HOOK_ARGUMENT) == 1


def test_hook_extension_is_loaded_in_kernels_started_by_the_server(server, kernel_b):
    server.restart_kernel(kernel_b)
    assert server.expression(kernel_b, HOOK_LOADED) == "True"


def test_shut_down_kernel_is_unknown_afterwards(server):
    kernel_id = server.start_kernel()
    assert put_backend(server, kernel_id, "jax").status == 200
    server.shutdown_kernel(kernel_id)
    assert server.request("GET", server.backend_path(kernel_id)).status == 404


def test_explicit_other_default_provisioner_is_respected_and_put_says_409(tmp_path):
    configured = JupyterServer(
        tmp_path,
        extra_args=["--KernelProvisionerFactory.default_provisioner_name=local-provisioner"],
    ).start()
    try:
        kernel_id = configured.start_kernel()
        assert configured.request("GET", configured.backend_path(kernel_id)).json()["switchable"] is False
        answer = put_backend(configured, kernel_id, "jax")
        assert answer.status == 409, answer
        assert "provisioner" in answer.json()["message"]
        configured.shutdown_kernel(kernel_id)
    finally:
        configured.stop()
