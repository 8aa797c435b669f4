"""Which Keras backends may be chosen, and the choice recorded for each kernel.

Imported by the kernel provisioner and the server extension (both in the
jupyter server process) and by `keras_migrate.environment` inside kernels, so
it uses the standard library only.

Allowlist
---------
`tensorflow`, `jax` and `torch` are always allowed: they are the backends the
migration guide is about. `numpy` is allowed for every Keras 3 (it has shipped
with Keras since 3.0, inference only). `openvino` is allowed when the installed
Keras is 3.8 or newer, the first release with that backend (also inference
only). When Keras is not installed in the server's environment the kernel's
Keras is unknown, so the rule assumes a Keras 3 older than 3.8. Whether a
backend is *installed* is a separate question answered inside the kernel by
`keras_migrate.environment`; a chosen backend that is not installed makes
`import keras` fail in the kernel, which the sidebar reports.

Choices
-------
`CHOICES` is one process-wide `BackendChoices`. The server extension writes it
(`PUT .../backend`); the provisioner reads it in `pre_launch`, which runs on
every start and restart of the kernel, the restarter's automatic restart
included. Kernel ids survive restarts, so a choice keyed by kernel id holds
until the kernel is shut down, when the provisioner forgets it.
"""

from __future__ import annotations

import threading
from importlib import metadata

from . import catalog as _catalog

ENV_VAR = _catalog.backend_settings()["environmentVariable"]

# The backends every Keras 3 supports for training, in the order runs and reports list them.
TRAINING_BACKENDS = tuple(_catalog.backend_settings()["trainingBackends"])

# First Keras version that ships each backend.
_FIRST_KERAS_WITH = {
    "tensorflow": (3, 0),
    "jax": (3, 0),
    "torch": (3, 0),
    "numpy": (3, 0),
    "openvino": (3, 8),
}

ALL_BACKENDS = tuple(_FIRST_KERAS_WITH)

# Distributions that provide each backend, in the order they are looked up.
# TensorFlow is published under several names; any one of them provides
# `import tensorflow`.
BACKEND_DISTRIBUTIONS = {
    "tensorflow": (
        "tensorflow",
        "tensorflow-cpu",
        "tensorflow-gpu",
        "tensorflow-macos",
        "tensorflow-intel",
        "tf-nightly",
        "tf-nightly-cpu",
    ),
    "jax": ("jax",),
    "torch": ("torch",),
    "numpy": ("numpy",),
    "openvino": ("openvino",),
}

# Distributions a backend needs besides its main one (JAX is unusable without jaxlib).
BACKEND_COMPANIONS = {"jax": ("jaxlib",)}


def parse_version(text: str | None) -> tuple[int, ...] | None:
    """The numeric release of a version string: '3.15.1rc0' -> (3, 15, 1) (keras_migrate.versions)."""
    from .versions import release

    return release(text)


def distribution_version(name: str) -> str | None:
    """Installed version of a distribution, without importing it; None if absent."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
    except Exception:  # a broken dist-info directory must not break the caller
        return None


def installed_keras_version() -> str | None:
    return distribution_version("keras")


def supported_backends(keras_version: str | None = None) -> tuple[str, ...]:
    """Backends the given Keras version can run (default: the installed Keras).

    Keras 2 (or no Keras at all) falls back to the Keras 3.0 set: the choice is
    recorded for a kernel whose Keras we cannot see from here.
    """
    if keras_version is None:
        keras_version = installed_keras_version()
    version = parse_version(keras_version)
    if version is None or version < (3, 0):
        version = (3, 0)
    return tuple(
        name for name, first in _FIRST_KERAS_WITH.items() if version >= first
    )


def is_allowed(backend: object, keras_version: str | None = None) -> bool:
    return isinstance(backend, str) and backend in supported_backends(keras_version)


class BackendChoices:
    """Per-kernel record of the chosen backend and the backend of the last launch.

    The chosen backend is what the user asked for; the launched backend is the
    `KERAS_BACKEND` the kernel process was last started with (None when that
    launch left it unset). The two differ between a `PUT` and the restart that
    applies it.
    """

    def __init__(self) -> None:
        # The server runs on one event loop, but a provisioner may be driven from
        # another thread (jupyter_client's blocking wrappers), hence the lock.
        self._lock = threading.Lock()
        self._chosen: dict[str, str] = {}
        self._launched: dict[str, str | None] = {}
        # Process launches per kernel (first start and every restart), reported by the
        # backend endpoint: a notebook reopened with a saved backend must start once.
        self._launches: dict[str, int] = {}

    def choose(self, kernel_id: str, backend: str | None) -> None:
        """Record the backend for the kernel's next launches; None clears the choice."""
        with self._lock:
            if backend is None:
                self._chosen.pop(kernel_id, None)
            else:
                self._chosen[kernel_id] = backend

    def chosen(self, kernel_id: str) -> str | None:
        with self._lock:
            return self._chosen.get(kernel_id)

    def record_launch(self, kernel_id: str, backend: str | None) -> None:
        with self._lock:
            self._launched[kernel_id] = backend
            self._launches[kernel_id] = self._launches.get(kernel_id, 0) + 1

    def launches(self, kernel_id: str) -> int:
        with self._lock:
            return self._launches.get(kernel_id, 0)

    def has_launched(self, kernel_id: str) -> bool:
        with self._lock:
            return kernel_id in self._launched

    def launched(self, kernel_id: str) -> str | None:
        with self._lock:
            return self._launched.get(kernel_id)

    def forget(self, kernel_id: str) -> None:
        """Drop everything about a kernel that was shut down."""
        with self._lock:
            self._chosen.pop(kernel_id, None)
            self._launched.pop(kernel_id, None)
            self._launches.pop(kernel_id, None)

    def forget_all_but(self, live_kernel_ids) -> None:
        """Drop records of kernels that are gone without a clean shutdown."""
        live = set(live_kernel_ids)
        with self._lock:
            for table in (self._chosen, self._launched, self._launches):
                for kernel_id in [k for k in table if k not in live]:
                    del table[kernel_id]


CHOICES = BackendChoices()
