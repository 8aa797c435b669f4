"""jupyter_server extension: the Keras backend chosen for a kernel, and "explain this error".

`POST {base_url}keras-migrate/explain`  body `{"text": "<traceback text>"}`
answers `{"diagnosis": {...}, "diagnoses": [{...}, ...]}`: `diagnoses` has one
entry per traceback in the text (see `keras_migrate.recognize.explain_all`),
`diagnosis` is the first recognised one (else the last); each follows
src/catalog/diagnosis.schema.json. 400 for a body that is not a JSON object
with a string `text`, 413 for a body over `MAX_EXPLAIN_BODY` bytes (clients
send the head and tail of long outputs). The front end uses it for saved
outputs, so the one recognizer (Python) serves the kernel, the CLI and the UI.

`GET  {base_url}keras-migrate/kernels/{kernel_id}/backend`
`PUT  {base_url}keras-migrate/kernels/{kernel_id}/backend`  body `{"backend": "jax"}`

Both answer
`{"kernel_id", "backend", "chosen", "launched_with", "restart_required", "allowed",
"switchable"}`:

- `chosen`: the recorded choice, or null;
- `launched_with`: the KERAS_BACKEND the running kernel process was started
  with, or null when that start left it unset (Keras then reads keras.json or
  falls back to tensorflow; only the kernel can tell, see
  `keras_migrate.environment`);
- `backend`: `chosen` if there is one, else `launched_with` - the backend the
  kernel runs or will run after its next restart, as far as the server knows;
- `restart_required`: a choice was recorded that the running process does not
  have yet;
- `allowed`: the backends a PUT accepts;
- `switchable`: false when a PUT would get 409 (see below).

PUT only records the choice; the client restarts the kernel through the usual
`POST /api/kernels/{id}/restart`, and the provisioner applies the choice on that
and every later start. `{"backend": null}` clears the choice: the kernel then
starts with the server's own environment again.

Errors: 400 for a body that is not a JSON object with a `backend` that is an
allowed name or null; 404 for a kernel id the server does not run; 409 when the
kernel is not a Python kernel or was not started by `KerasBackendProvisioner`
(a kernel spec that names another provisioner, or remote kernels), because the
choice could not take effect.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from jupyter_client.provisioning.factory import KernelProvisionerFactory
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from .backends import CHOICES, supported_backends
from .provisioner import HOOK_STATUS, PROVISIONER_NAME, KerasBackendProvisioner, install_hint, is_python_spec

ROUTE = r"keras-migrate/kernels/(?P<kernel_id>[^/]+)/backend"
EXPLAIN_ROUTE = r"keras-migrate/explain"
MAX_EXPLAIN_BODY = 1024 * 1024
_DEFAULT_PROVISIONER = "local-provisioner"


def why_not_switchable(kernel_id: str, kernel_manager: Any) -> str | None:
    """Why a choice for this kernel could not take effect, or None if it can."""
    if not isinstance(getattr(kernel_manager, "provisioner", None), KerasBackendProvisioner):
        return "Kernel %s was not started by the %s provisioner" % (kernel_id, PROVISIONER_NAME)
    if not is_python_spec(getattr(kernel_manager, "kernel_spec", None)):
        return "Kernel %s is not a Python kernel" % kernel_id
    return None


def backend_model(kernel_id: str, kernel_manager: Any) -> dict[str, Any]:
    chosen = CHOICES.chosen(kernel_id)
    launched_with = CHOICES.launched(kernel_id)
    return {
        "kernel_id": kernel_id,
        "backend": chosen if chosen is not None else launched_with,
        "chosen": chosen,
        "launched_with": launched_with,
        "restart_required": chosen is not None and chosen != launched_with,
        "allowed": list(supported_backends()),
        "switchable": why_not_switchable(kernel_id, kernel_manager) is None,
        "launches": CHOICES.launches(kernel_id),
        # Whether the kernel's environment has keras_migrate (the hook); when not, what to run where.
        "hook": _hook_model(kernel_id),
    }


def _hook_model(kernel_id: str) -> dict[str, Any] | None:
    status = HOOK_STATUS.get(kernel_id)
    if status is None:
        return None
    return {
        "available": status["available"],
        "python": status["python"],
        "install": None if status["available"] else install_hint(status["python"]),
    }


class KernelBackendHandler(APIHandler):
    # Reading or changing how a kernel starts is a kernel operation, so the
    # server's authorizer sees it as such (GET -> read, PUT -> write).
    auth_resource = "kernels"

    def _kernel_manager_for(self, kernel_id: str) -> Any:
        multi_kernel_manager = self.kernel_manager
        if kernel_id not in multi_kernel_manager:
            raise web.HTTPError(404, "No such kernel: %s" % kernel_id)
        return multi_kernel_manager.get_kernel(kernel_id)

    @web.authenticated
    @authorized
    async def get(self, kernel_id: str) -> None:
        kernel_manager = self._kernel_manager_for(kernel_id)
        self.finish(json.dumps(backend_model(kernel_id, kernel_manager)))

    @web.authenticated
    @authorized
    async def put(self, kernel_id: str) -> None:
        kernel_manager = self._kernel_manager_for(kernel_id)
        backend = self._requested_backend()
        reason = why_not_switchable(kernel_id, kernel_manager)
        if reason is not None:
            raise web.HTTPError(409, "%s; its Keras backend cannot be chosen here" % reason)
        CHOICES.forget_all_but(self.kernel_manager.list_kernel_ids())
        CHOICES.choose(kernel_id, backend)
        self.log.info("keras-migrate: kernel %s backend chosen: %r", kernel_id, backend)
        self.finish(json.dumps(backend_model(kernel_id, kernel_manager)))

    def _requested_backend(self) -> str | None:
        try:
            body = json.loads(self.request.body or b"")
        except (ValueError, RecursionError):
            # RecursionError: JSON nested deeper than the parser's stack, still the client's error.
            raise web.HTTPError(400, "Body is not JSON") from None
        if not isinstance(body, dict) or "backend" not in body:
            raise web.HTTPError(400, 'Body must be a JSON object {"backend": name}')
        backend = body["backend"]
        allowed = supported_backends()
        if backend is not None and (not isinstance(backend, str) or backend not in allowed):
            raise web.HTTPError(
                400,
                "Unknown Keras backend %r; allowed: %s" % (backend, ", ".join(allowed)),
            )
        return backend


class ExplainHandler(APIHandler):
    """Diagnose traceback text with the kernel hook's recognizer; reads nothing, changes nothing."""

    auth_resource = "api"

    @web.authenticated
    @authorized(action="read")
    async def post(self) -> None:
        if len(self.request.body or b"") > MAX_EXPLAIN_BODY:
            raise web.HTTPError(413, "Body over %d bytes; send the head and tail of the text" % MAX_EXPLAIN_BODY)
        try:
            body = json.loads(self.request.body or b"")
        except ValueError:
            raise web.HTTPError(400, "Body is not JSON") from None
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            raise web.HTTPError(400, 'Body must be a JSON object {"text": "<traceback text>"}')
        from .recognize import explain_payload

        # Bounded and linear, but still CPU work: keep it off the event loop.
        payload = await asyncio.get_running_loop().run_in_executor(None, explain_payload, body["text"])
        self.finish(json.dumps(payload))


def use_provisioner_by_default(server_app: Any) -> None:
    """Make KerasBackendProvisioner start every kernel spec that names no provisioner.

    Done here rather than in the shipped server config so that a stale config
    file cannot name a provisioner whose package is gone (kernels would then
    fail to start), and so that disabling the extension disables both. An
    explicit choice of another default provisioner (config or
    JUPYTER_DEFAULT_PROVISIONER_NAME) is respected.
    """
    factory = KernelProvisionerFactory.instance(parent=server_app)
    current = factory.default_provisioner_name
    if current == PROVISIONER_NAME:
        return
    section = server_app.config.get("KernelProvisionerFactory") or {}
    explicit = "default_provisioner_name" in section or bool(
        os.environ.get(KernelProvisionerFactory.default_provisioner_name_env)
    )
    if explicit or current != _DEFAULT_PROVISIONER:
        server_app.log.warning(
            "keras-migrate: default kernel provisioner is %r, so kernels ignore "
            "the Keras backend switcher unless their kernel spec names %r",
            current,
            PROVISIONER_NAME,
        )
        return
    factory.default_provisioner_name = PROVISIONER_NAME


def _load_jupyter_server_extension(server_app: Any) -> None:
    use_provisioner_by_default(server_app)
    web_app = server_app.web_app
    base_url = web_app.settings["base_url"]
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base_url, ROUTE), KernelBackendHandler),
            (url_path_join(base_url, EXPLAIN_ROUTE), ExplainHandler),
        ],
    )
    from .runner.server import setup_handlers as setup_run_handlers

    setup_run_handlers(server_app)
    server_app.log.info(
        "keras-migrate: backend switcher at %s", url_path_join(base_url, ROUTE)
    )
