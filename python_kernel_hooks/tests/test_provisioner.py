"""KerasBackendProvisioner without launching kernels: the command and environment
it prepares for each (re)start, and the choices store it shares with the server.

The kernel specs are written to a temporary directory and name the provisioner
in their metadata, so the provisioner is found through its entry point, as a
running server finds it.
"""

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.factory import KernelProvisionerFactory

from keras_migrate import backends
from keras_migrate.backends import CHOICES, BackendChoices, supported_backends
from keras_migrate.provisioner import (
    HOOK_STATUS,
    HOOK_ARGUMENT,
    PROVISIONER_NAME,
    KerasBackendProvisioner,
    with_hook_argument,
)
from keras_migrate.server import backend_model, use_provisioner_by_default

IPYKERNEL_ARGV = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]


def write_spec(kernels_dir, name, argv, language):
    spec_dir = kernels_dir / name
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": argv,
        "display_name": name,
        "language": language,
        "metadata": {"kernel_provisioner": {"provisioner_name": PROVISIONER_NAME}},
    }))


@pytest.fixture
def kernel_specs(tmp_path):
    kernels_dir = tmp_path / "kernels"
    write_spec(kernels_dir, "py", IPYKERNEL_ARGV, "python")
    write_spec(kernels_dir, "xpy", ["xpython", "-f", "{connection_file}"], "python")
    write_spec(kernels_dir, "echo", ["/bin/echo", "{connection_file}"], "bash")
    return KernelSpecManager(kernel_dirs=[str(kernels_dir)])


class Launch:
    """Drives the provisioner's pre-launch steps for one kernel, as a (re)start would."""

    def __init__(self, kernel_specs, tmp_path, name, config=None):
        self.kernel_id = str(uuid.uuid4())
        kwargs = {"config": config} if config is not None else {}
        self.manager = AsyncKernelManager(
            kernel_name=name,
            kernel_spec_manager=kernel_specs,
            connection_file=str(tmp_path / f"kernel-{self.kernel_id}.json"),
            **kwargs,
        )

    def prepare(self, env):
        """(cmd, env) of the next launch."""
        cmd, kwargs = asyncio.run(
            self.manager._async_pre_start_kernel(kernel_id=self.kernel_id, env=dict(env))
        )
        return cmd, kwargs["env"]

    def shut_down(self, restart=False):
        asyncio.run(self.manager.provisioner.cleanup(restart=restart))


@pytest.fixture
def launches(kernel_specs, tmp_path):
    made = []

    def make(name, config=None):
        launch = Launch(kernel_specs, tmp_path, name, config)
        made.append(launch)
        return launch

    yield make
    for launch in made:
        if launch.manager.provisioner is not None:
            launch.shut_down()


def test_entry_point_gives_the_provisioner(launches):
    launch = launches("py")
    launch.prepare({})
    assert isinstance(launch.manager.provisioner, KerasBackendProvisioner)


def test_recorded_choice_sets_keras_backend(launches):
    launch = launches("py")
    CHOICES.choose(launch.kernel_id, "jax")
    _, env = launch.prepare({"KERAS_BACKEND": "tensorflow", "HOME": "/x"})
    assert env["KERAS_BACKEND"] == "jax"
    assert env["HOME"] == "/x"
    assert CHOICES.launched(launch.kernel_id) == "jax"


def test_without_choice_environment_is_untouched(launches):
    launch = launches("py")
    _, env = launch.prepare({"HOME": "/x"})
    assert "KERAS_BACKEND" not in env
    _, env = launch.prepare({"KERAS_BACKEND": "torch"})
    assert env["KERAS_BACKEND"] == "torch"
    assert CHOICES.launched(launch.kernel_id) == "torch"


def test_each_restart_reads_the_current_choice(launches):
    launch = launches("py")
    CHOICES.choose(launch.kernel_id, "jax")
    _, first = launch.prepare({})
    CHOICES.choose(launch.kernel_id, "torch")
    _, second = launch.prepare({})
    CHOICES.choose(launch.kernel_id, None)
    _, third = launch.prepare({})
    assert (first["KERAS_BACKEND"], second["KERAS_BACKEND"]) == ("jax", "torch")
    assert "KERAS_BACKEND" not in third


def test_ipykernel_command_loads_the_hook_once_per_launch(launches):
    launch = launches("py")
    first, _ = launch.prepare({})
    second, _ = launch.prepare({})  # a restart builds the command again
    for cmd in (first, second):
        assert cmd.count(HOOK_ARGUMENT) == 1
        assert cmd[:3] == [sys.executable, "-m", "ipykernel_launcher"]


BLOCKER = """
import importlib.abc, sys

class _NoKerasMigrate(importlib.abc.MetaPathFinder):
    # This interpreter stands for another environment: keras_migrate is not installed there.
    def find_spec(self, name, path=None, target=None):
        if name == "keras_migrate" or name.startswith("keras_migrate."):
            raise ModuleNotFoundError("No module named %r" % name, name=name)
        return None

sys.meta_path.insert(0, _NoKerasMigrate())
"""


def test_kernel_whose_environment_lacks_keras_migrate_starts_without_the_hook(kernel_specs, tmp_path):
    blocker = tmp_path / "other-env-site"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(BLOCKER)
    kernels_dir = Path(kernel_specs.kernel_dirs[0])
    write_spec(kernels_dir, "other", IPYKERNEL_ARGV, "python")
    spec = json.loads((kernels_dir / "other" / "kernel.json").read_text())
    spec["env"] = {"PYTHONPATH": str(blocker)}
    (kernels_dir / "other" / "kernel.json").write_text(json.dumps(spec))
    launch = Launch(kernel_specs, tmp_path, "other")
    try:
        cmd, env = launch.prepare({})
        assert HOOK_ARGUMENT not in cmd
        # That interpreter, in that environment, really cannot import it.
        probe = subprocess.run([cmd[0], "-c", "import keras_migrate"], env=env, capture_output=True, text=True)
        assert "No module named 'keras_migrate'" in probe.stderr
        status = HOOK_STATUS[launch.kernel_id]
        assert status == {"python": cmd[0], "available": False}
        model = backend_model(launch.kernel_id, launch.manager)
        assert model["hook"] == {"available": False, "python": cmd[0], "install": f"{cmd[0]} -m pip install jupyterlab-keras-migrate"}
    finally:
        launch.shut_down()
    assert launch.kernel_id not in HOOK_STATUS


def test_kernel_in_the_server_environment_reports_the_hook_available(launches):
    launch = launches("py")
    cmd, _ = launch.prepare(dict(os.environ))
    assert HOOK_ARGUMENT in cmd
    assert HOOK_STATUS[launch.kernel_id]["available"] is True


def test_python_kernel_not_run_by_ipykernel_gets_no_ipython_option(launches):
    launch = launches("xpy")
    CHOICES.choose(launch.kernel_id, "jax")
    cmd, env = launch.prepare({})
    assert HOOK_ARGUMENT not in cmd
    assert cmd[0] == "xpython"
    assert env["KERAS_BACKEND"] == "jax"


def test_non_python_kernel_is_left_untouched(launches):
    launch = launches("echo")
    CHOICES.choose(launch.kernel_id, "jax")
    cmd, env = launch.prepare({"PATH": "/bin"})
    assert cmd == ["/bin/echo", launch.manager.connection_file]
    assert "KERAS_BACKEND" not in env


def test_server_configured_default_backend_applies_without_choice(launches):
    from traitlets.config import Config

    config = Config({"KerasBackendProvisioner": {"default_backend": "torch"}})
    launch = launches("py", config=config)
    _, env = launch.prepare({})
    assert env["KERAS_BACKEND"] == "torch"
    CHOICES.choose(launch.kernel_id, "jax")
    _, env = launch.prepare({})
    assert env["KERAS_BACKEND"] == "jax"


def test_invalid_default_backend_is_ignored(launches):
    from traitlets.config import Config

    config = Config({"KerasBackendProvisioner": {"default_backend": "theano"}})
    launch = launches("py", config=config)
    _, env = launch.prepare({})
    assert "KERAS_BACKEND" not in env


def test_restart_keeps_choice_and_shutdown_forgets_it(launches):
    launch = launches("py")
    CHOICES.choose(launch.kernel_id, "jax")
    launch.prepare({})
    launch.shut_down(restart=True)
    assert CHOICES.chosen(launch.kernel_id) == "jax"
    launch.shut_down(restart=False)
    assert CHOICES.chosen(launch.kernel_id) is None
    assert not CHOICES.has_launched(launch.kernel_id)


def write_notebook(path, metadata):
    path.write_text(json.dumps({"cells": [], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}))
    return str(path)


def test_first_start_uses_the_backend_the_notebook_saved(launches, tmp_path):
    from traitlets.config import Config

    # The session names the notebook file; its saved choice beats the server's default.
    notebook = write_notebook(tmp_path / "saved.ipynb", {"keras_migrate": {"backend": "jax"}})
    launch = launches("py", config=Config({"KerasBackendProvisioner": {"default_backend": "torch"}}))
    _, env = launch.prepare({"JPY_SESSION_NAME": notebook})
    assert env["KERAS_BACKEND"] == "jax"
    # It became the kernel's choice: a restart keeps it, and it was one launch.
    assert CHOICES.chosen(launch.kernel_id) == "jax"
    assert CHOICES.launches(launch.kernel_id) == 1
    assert backend_model(launch.kernel_id, launch.manager)["launches"] == 1
    _, env = launch.prepare({"JPY_SESSION_NAME": notebook})
    assert env["KERAS_BACKEND"] == "jax"
    assert CHOICES.launches(launch.kernel_id) == 2


def test_saved_backend_is_read_only_at_first_start_and_only_when_valid(launches, tmp_path):
    from traitlets.config import Config

    notebook = tmp_path / "later.ipynb"
    launch = launches("py")
    _, env = launch.prepare({"JPY_SESSION_NAME": str(tmp_path / "missing.ipynb")})
    assert "KERAS_BACKEND" not in env
    # Saved after the first start: a restart goes by the kernel's choice, not the file.
    write_notebook(notebook, {"keras_migrate": {"backend": "jax"}})
    _, env = launch.prepare({"JPY_SESSION_NAME": str(notebook)})
    assert "KERAS_BACKEND" not in env
    for bad in ({"keras_migrate": {"backend": "theano"}}, {"keras_migrate": "jax"}, {}):
        fresh = launches("py")
        _, env = fresh.prepare({"JPY_SESSION_NAME": write_notebook(tmp_path / "bad.ipynb", bad)})
        assert "KERAS_BACKEND" not in env
    (tmp_path / "broken.ipynb").write_text("{not json")
    broken = launches("py")
    _, env = broken.prepare({"JPY_SESSION_NAME": str(tmp_path / "broken.ipynb")})
    assert "KERAS_BACKEND" not in env
    # Switched off by configuration.
    off = launches("py", config=Config({"KerasBackendProvisioner": {"apply_saved_backend": False}}))
    _, env = off.prepare({"JPY_SESSION_NAME": write_notebook(tmp_path / "off.ipynb", {"keras_migrate": {"backend": "jax"}})})
    assert "KERAS_BACKEND" not in env


def test_with_hook_argument_keeps_an_existing_request():
    already = ["python", "-m", "ipykernel_launcher", "--IPKernelApp.extra_extensions=keras_migrate"]
    assert with_hook_argument(already) == already
    other = ["python", "-m", "ipykernel_launcher", "--InteractiveShellApp.extra_extensions=other"]
    assert with_hook_argument(other) == [*other, HOOK_ARGUMENT]


def test_choices_store_is_per_kernel():
    store = BackendChoices()
    store.choose("a", "jax")
    store.choose("b", "torch")
    store.record_launch("a", None)
    assert (store.chosen("a"), store.chosen("b")) == ("jax", "torch")
    assert store.has_launched("a") and store.launched("a") is None
    store.forget_all_but(["b"])
    assert store.chosen("a") is None and not store.has_launched("a")
    assert store.chosen("b") == "torch"


@pytest.mark.parametrize(
    "keras_version, expected",
    [
        ("3.0.0", ("tensorflow", "jax", "torch", "numpy")),
        ("3.7.0", ("tensorflow", "jax", "torch", "numpy")),
        ("3.8.0", ("tensorflow", "jax", "torch", "numpy", "openvino")),
        ("3.15.1", ("tensorflow", "jax", "torch", "numpy", "openvino")),
        ("2.15.0", ("tensorflow", "jax", "torch", "numpy")),
    ],
)
def test_allowlist_follows_keras_version(keras_version, expected):
    assert supported_backends(keras_version) == expected


def test_allowlist_without_keras(monkeypatch):
    monkeypatch.setattr(backends, "installed_keras_version", lambda: None)
    assert supported_backends() == ("tensorflow", "jax", "torch", "numpy")


# -- default provisioner ----------------------------------------------------


@pytest.fixture
def fresh_factory(monkeypatch):
    """An unconfigured provisioner factory singleton, restored afterwards."""
    monkeypatch.delenv("JUPYTER_DEFAULT_PROVISIONER_NAME", raising=False)
    saved = KernelProvisionerFactory._instance
    KernelProvisionerFactory._instance = None
    yield
    KernelProvisionerFactory._instance = saved


def server_app(config=None):
    """Stands in for ServerApp: the factory only needs its config and log."""
    from traitlets.config import Config, LoggingConfigurable

    return LoggingConfigurable(config=Config(config or {}))


def test_extension_makes_the_provisioner_the_default(fresh_factory):
    use_provisioner_by_default(server_app())
    factory = KernelProvisionerFactory.instance()
    assert factory.default_provisioner_name == PROVISIONER_NAME


def test_explicitly_configured_default_provisioner_is_respected(fresh_factory):
    use_provisioner_by_default(
        server_app({"KernelProvisionerFactory": {"default_provisioner_name": "local-provisioner"}})
    )
    assert KernelProvisionerFactory.instance().default_provisioner_name == "local-provisioner"
