"""What the kernel runs: Keras backend and version, installed backends, devices.

Evaluated inside the kernel by the sidebar as a silent user expression:

    __import__('keras_migrate.environment').environment.describe_json()

`describe()` answers a dict (`describe_json()` the same as a JSON string):

    {
      "backend": "jax" | ... | null,      # the backend Keras runs (see backend_source)
      "backend_source": "keras" | "KERAS_BACKEND" | "keras.json" | "default" | null,
      "keras_version": "3.15.1" | null,
      "keras_imported": bool,             # keras is imported in the kernel
      "keras_error": str | null,          # why `import keras` failed, e.g. backend missing
      "env_backend": str | null,          # KERAS_BACKEND in the kernel's environment
      "backends": {
        name: {
          "installed": bool, "version": str | null,
          "packages": {distribution: version},     # e.g. jax and jaxlib
          "active": bool,
          "devices": [{"type": "CPU" | "GPU" | "TPU" | ..., "name": str}] | null,
          "jit_compile": {"auto": bool | null, "note": str},
        }
      },
      "hook_loaded": bool,
      "python": "3.11.9",
      "elapsed_ms": float,
    }

Cost and intrusion. Installed versions come from package metadata; no backend
is imported for them. By default Keras is not imported either: a notebook may
still set `os.environ["KERAS_BACKEND"]` in its first cell, and importing Keras
behind its back would fix the backend before that line runs. So, by default:

- if the notebook has imported Keras, the backend is `keras.backend.backend()`
  (source "keras") and the active backend's devices are listed;
- otherwise the backend is the one Keras will pick on import: KERAS_BACKEND,
  else keras.json, else tensorflow, and devices are `null` (not probed).

`describe(import_keras=True)` imports Keras (and with it the active backend,
which the notebook is about to import anyway): the sidebar asks for that right
after a switch the user requested, to show the real backend and devices, or in
`keras_error` why the chosen backend does not import. Devices are only ever
listed for a framework that is already imported.

It never raises: every part that fails is reported as unknown.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from .backends import (
    BACKEND_COMPANIONS,
    BACKEND_DISTRIBUTIONS,
    ENV_VAR,
    distribution_version,
    supported_backends,
)

KERAS_DEFAULT_BACKEND = "tensorflow"

# The module each backend imports as, to tell whether it is loaded already.
_FRAMEWORK_MODULES = {
    "tensorflow": "tensorflow",
    "jax": "jax",
    "torch": "torch",
    "numpy": "numpy",
    "openvino": "openvino",
}


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _keras_config_path() -> str:
    """keras.json where Keras looks for it (KERAS_HOME, else ~/.keras, else /tmp/.keras)."""
    if "KERAS_HOME" in os.environ:
        keras_dir = os.environ["KERAS_HOME"]
    else:
        home = os.path.expanduser("~")
        keras_dir = os.path.join(home if os.access(home, os.W_OK) else "/tmp", ".keras")
    return os.path.expanduser(os.path.join(keras_dir, "keras.json"))


def configured_backend() -> tuple[str, str]:
    """The backend Keras would choose on import, and where that choice comes from."""
    from_env = os.environ.get(ENV_VAR)
    if from_env:  # Keras ignores an empty value
        return from_env, ENV_VAR
    try:
        with open(_keras_config_path(), encoding="utf-8") as config_file:
            from_file = json.load(config_file).get("backend")
        if isinstance(from_file, str) and from_file:
            return from_file, "keras.json"
    except (OSError, ValueError, AttributeError):
        pass
    return KERAS_DEFAULT_BACKEND, "default"


def _installed(name: str) -> dict[str, Any]:
    packages: dict[str, str] = {}
    main_version = None
    for dist in BACKEND_DISTRIBUTIONS.get(name, (name,)):
        version = distribution_version(dist)
        if version is not None:
            packages[dist] = version
            main_version = version
            break
    companions_present = True
    for dist in BACKEND_COMPANIONS.get(name, ()):
        version = distribution_version(dist)
        if version is None:
            companions_present = False
        else:
            packages[dist] = version
    return {
        "installed": main_version is not None and companions_present,
        "version": main_version,
        "packages": packages,
    }


def _device_type(name: str) -> str:
    head = name.split(".")[0].split(":")[0].upper()
    return head or "UNKNOWN"


def _devices(name: str) -> list[dict[str, str]] | None:
    """Devices a framework that is already imported can see; None if it is not imported."""
    module_name = _FRAMEWORK_MODULES[name]
    if module_name not in sys.modules:
        return None
    if name == "tensorflow":
        tf = sys.modules["tensorflow"]
        return [
            {"type": device.device_type, "name": device.name}
            for device in tf.config.list_physical_devices()
        ]
    if name == "jax":
        jax = sys.modules["jax"]
        return [{"type": device.platform.upper(), "name": str(device)} for device in jax.devices()]
    if name == "torch":
        torch = sys.modules["torch"]
        devices = [{"type": "CPU", "name": "cpu"}]
        if torch.cuda.is_available():
            devices += [
                {"type": "GPU", "name": f"cuda:{index} ({torch.cuda.get_device_name(index)})"}
                for index in range(torch.cuda.device_count())
            ]
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            devices.append({"type": "GPU", "name": "mps"})
        return devices
    if name == "numpy":
        return [{"type": "CPU", "name": "cpu"}]
    if name == "openvino":
        core = sys.modules["openvino"].Core()
        return [{"type": _device_type(device), "name": device} for device in core.available_devices]
    return None


def _jit_compile(name: str, devices: list[dict[str, str]] | None) -> dict[str, Any]:
    """What `model.compile(jit_compile="auto")`, the default, does on this backend here."""
    if name == "tensorflow":
        if devices is None:
            return {
                "auto": None,
                "note": "XLA is used by default only when TensorFlow sees a GPU or TPU.",
            }
        accelerated = any(device["type"] != "CPU" for device in devices)
        if accelerated:
            return {
                "auto": True,
                "note": "TensorFlow sees an accelerator, so jit_compile='auto' compiles with XLA "
                "(a model with ops XLA cannot compile falls back to jit_compile=False).",
            }
        return {
            "auto": False,
            "note": "TensorFlow sees only CPUs, so jit_compile='auto' does not use XLA; "
            "jit_compile=True forces it.",
        }
    if name == "jax":
        return {
            "auto": True,
            "note": "JAX always compiles train and predict steps with XLA; "
            "jit_compile=False runs them eagerly, for debugging.",
        }
    if name == "torch":
        return {
            "auto": False,
            "note": "jit_compile='auto' runs PyTorch eagerly; jit_compile=True uses torch.compile.",
        }
    if name == "numpy":
        return {"auto": None, "note": "No compilation; the NumPy backend runs inference only (no fit)."}
    if name == "openvino":
        return {"auto": None, "note": "Inference only; OpenVINO compiles the model itself."}
    return {"auto": None, "note": ""}


def _hook_loaded() -> bool:
    if "IPython" not in sys.modules:
        return False
    shell = sys.modules["IPython"].get_ipython()
    if shell is None:
        return False
    return "keras_migrate" in shell.extension_manager.loaded


def _attempt(report: dict[str, Any], key: str, compute, default=None):
    """Run one part of the report; a failure is recorded, never raised."""
    try:
        return compute()
    except Exception as error:
        report.setdefault("errors", {})[key] = _error_text(error)
        return default


def describe(import_keras: bool = False) -> dict[str, Any]:
    started = time.perf_counter()
    report: dict[str, Any] = {
        "backend": None,
        "backend_source": None,
        "keras_version": None,
        "keras_imported": False,
        "keras_error": None,
        "env_backend": os.environ.get(ENV_VAR) or None,
        "backends": {},
        "hook_loaded": False,
        "python": sys.version.split()[0],
    }
    try:
        report["keras_version"] = _attempt(report, "keras_version", lambda: distribution_version("keras"))

        if import_keras or "keras" in sys.modules:
            try:
                import keras

                report["backend"] = keras.backend.backend()
                report["backend_source"] = "keras"
                report["keras_imported"] = True
                report["keras_version"] = getattr(keras, "__version__", report["keras_version"])
            except Exception as error:
                # Typically the chosen backend is not installed or fails to import.
                report["keras_error"] = _error_text(error)
        if report["backend"] is None:
            configured = _attempt(report, "backend", configured_backend)
            if configured:
                report["backend"], report["backend_source"] = configured

        names = _attempt(
            report, "backends", lambda: supported_backends(report["keras_version"]), ()
        )
        for name in names:
            entry = _attempt(report, name, lambda name=name: _installed(name), None) or {
                "installed": False, "version": None, "packages": {},
            }
            entry["active"] = name == report["backend"]
            entry["devices"] = (
                _attempt(report, f"{name}.devices", lambda name=name: _devices(name))
                if entry["active"] and entry["installed"]
                else None
            )
            entry["jit_compile"] = _jit_compile(name, entry["devices"])
            report["backends"][name] = entry

        report["hook_loaded"] = bool(_attempt(report, "hook_loaded", _hook_loaded, False))
    except Exception as error:  # the report must come back whatever happened
        report.setdefault("errors", {})["describe"] = _error_text(error)
    report["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return report


def describe_json(import_keras: bool = False) -> str:
    try:
        return json.dumps(describe(import_keras=import_keras), default=str)
    except Exception as error:
        return json.dumps({"backend": None, "errors": {"describe_json": _error_text(error)}})
