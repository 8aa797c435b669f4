"""Kernel provisioner that applies the chosen Keras backend on every (re)start.

jupyter_client calls `pre_launch` before each launch of a kernel process: the
first start, a restart requested by a client (toolbar, sidebar, "Restart Kernel
and Run All Cells") and the restarter's automatic restart after the kernel
died. Setting `KERAS_BACKEND` here is therefore the one place that cannot lose
a race with user code: the variable is in the process environment before the
interpreter starts.

The server extension makes this the default provisioner for every kernel spec
that does not name its own (see `keras_migrate.server`).
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from jupyter_client.provisioning import LocalProvisioner
from traitlets import Bool, Unicode

from . import catalog
from .backends import CHOICES, ENV_VAR, is_allowed

PROVISIONER_NAME = "keras-migrate-provisioner"
EXTENSION_MODULE = "keras_migrate"
# IPython 9 / ipykernel 7: a list trait meant to be extended from the command
# line without replacing the `extensions` a user configured in ipython_config.
HOOK_ARGUMENT = f"--InteractiveShellApp.extra_extensions={EXTENSION_MODULE}"
_EXTENSION_TRAITS = (
    "--InteractiveShellApp.extra_extensions=",
    "--IPKernelApp.extra_extensions=",
    "--ext=",
)


def is_python_spec(kernel_spec: Any) -> bool:
    """Keras only exists for Python kernels; other languages are left alone."""
    return (getattr(kernel_spec, "language", "") or "").lower() == "python"


def is_ipykernel_spec(kernel_spec: Any, cmd: list[str]) -> bool:
    """A Python kernel that ipykernel runs, so IPython's command-line traits apply.

    Other Python kernels (xeus-python, ...) share the language but not the
    command line; passing them an unknown option could stop them from starting.
    """
    return is_python_spec(kernel_spec) and any("ipykernel" in part for part in cmd)


def with_hook_argument(cmd: list[str]) -> list[str]:
    """The launch command with the hook extension requested once."""
    for part in cmd:
        if part.startswith(_EXTENSION_TRAITS) and part.split("=", 1)[1] == EXTENSION_MODULE:
            return list(cmd)
    return [*cmd, HOOK_ARGUMENT]


# A one-line program that exits 0 when the interpreter can import the hook's package.
_PROBE = "import importlib.util, sys; sys.exit(importlib.util.find_spec('keras_migrate') is None)"
PROBE_TIMEOUT = 10.0

# kernel id -> {"python": interpreter, "available": bool}: what the last launch found.
HOOK_STATUS: dict[str, dict[str, Any]] = {}


def install_hint(python: str) -> str:
    """What to run so that a kernel's own environment gets the hook."""
    return f"{python} -m pip install jupyterlab-keras-migrate"


async def kernel_can_import_hook(python: str, env: dict[str, str] | None = None) -> bool:
    """Whether the kernel's interpreter, in the kernel's environment, has keras_migrate.

    Another conda env or venv (`ipykernel install --user` from there) may not. The
    interpreter is asked on every launch, with the environment the kernel gets (its
    PYTHONPATH counts), for tens of milliseconds beside a kernel start: a package
    installed there later is seen at the next restart. An interpreter that cannot be
    asked is treated as lacking it, so that its kernel starts without the hook rather
    than with a traceback.
    """
    try:
        process = await asyncio.create_subprocess_exec(
            python, "-c", _PROBE, env=env,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        return await asyncio.wait_for(process.wait(), PROBE_TIMEOUT) == 0
    except (OSError, asyncio.TimeoutError):
        return False


# A notebook larger than this is not read for its saved backend (bounded work at start).
SAVED_BACKEND_MAX_BYTES = 20 * 1024 * 1024
METADATA_KEY = catalog.backend_settings()["notebookMetadataKey"]


def saved_backend(notebook_path: str | None) -> str | None:
    """The backend a notebook file saved in its metadata (`keras_migrate.backend`), or None."""
    if not notebook_path or not notebook_path.endswith(".ipynb"):
        return None
    try:
        if os.path.getsize(notebook_path) > SAVED_BACKEND_MAX_BYTES:
            return None
        with open(notebook_path, encoding="utf-8") as file:
            metadata = json.load(file).get("metadata", {})
        backend = metadata.get(METADATA_KEY, {}).get("backend")
    except (OSError, ValueError, AttributeError):
        return None
    return backend if isinstance(backend, str) and is_allowed(backend) else None


class KerasBackendProvisioner(LocalProvisioner):
    """LocalProvisioner that sets KERAS_BACKEND and loads the migration hook."""

    default_backend = Unicode(
        "",
        config=True,
        help="""Backend for kernels without a recorded choice; empty leaves the
        kernel's KERAS_BACKEND as the server environment and kernel spec give it.""",
    )

    load_hook = Bool(
        True,
        config=True,
        help="Load the keras_migrate IPython extension in ipykernel kernels.",
    )

    apply_saved_backend = Bool(
        True,
        config=True,
        help="""Start a notebook's kernel on the backend the notebook saved (metadata
        keras_migrate.backend), read from the file the session names (JPY_SESSION_NAME).
        Starting on it directly spares a second start: without it, the kernel would start
        on the default backend and the sidebar would then restart it on the saved one.""",
    )

    def backend_for_launch(self) -> str | None:
        chosen = CHOICES.chosen(self.kernel_id) if self.kernel_id else None
        if chosen:
            return chosen
        if self.default_backend:
            if is_allowed(self.default_backend):
                return self.default_backend
            self.log.warning(
                "keras-migrate: ignoring default_backend %r, not a Keras backend",
                self.default_backend,
            )
        return None

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        kwargs = await super().pre_launch(**kwargs)
        if not is_python_spec(self.kernel_spec):
            return kwargs
        # The base class hands back a copy of the environment, so changing it
        # here does not leak into the launch arguments kept for restarts.
        env = kwargs["env"]
        if (
            self.apply_saved_backend
            and self.kernel_id
            and not CHOICES.has_launched(self.kernel_id)
            and CHOICES.chosen(self.kernel_id) is None
        ):
            # First start of a notebook's kernel: its saved backend becomes the kernel's
            # choice, so this start and every restart use it.
            # Reading (up to 20 MB of) the notebook is kept off the server's event loop.
            saved = await asyncio.get_running_loop().run_in_executor(None, saved_backend, env.get("JPY_SESSION_NAME"))
            if saved:
                CHOICES.choose(self.kernel_id, saved)
        backend = self.backend_for_launch()
        if backend:
            env[ENV_VAR] = backend
        if self.kernel_id:
            # Keras ignores an empty KERAS_BACKEND, so record that as unset.
            CHOICES.record_launch(self.kernel_id, env.get(ENV_VAR) or None)
        if self.load_hook and is_ipykernel_spec(self.kernel_spec, kwargs["cmd"]):
            # Asking a kernel to load an extension it cannot import prints a traceback at
            # every start: load it only where it exists, and say where it is missing.
            python = kwargs["cmd"][0]
            available = await kernel_can_import_hook(python, env)
            if self.kernel_id:
                HOOK_STATUS[self.kernel_id] = {"python": python, "available": available}
            if available:
                kwargs["cmd"] = with_hook_argument(kwargs["cmd"])
            else:
                self.log.info(
                    "keras-migrate: kernel %s runs %s, which cannot import keras_migrate; "
                    "starting it without the hook (install it there: %s)",
                    self.kernel_id, python, install_hint(python),
                )
        self.log.debug(
            "keras-migrate: kernel %s launches with %s=%r",
            self.kernel_id,
            ENV_VAR,
            env.get(ENV_VAR),
        )
        return kwargs

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart=restart)
        if not restart and self.kernel_id:
            CHOICES.forget(self.kernel_id)
            HOOK_STATUS.pop(self.kernel_id, None)
