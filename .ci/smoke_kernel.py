"""Wheel smoke test, last step: a kernel started through the Jupyter server loads the hook.

Run with the clean venv's Python and PYTHONPATH=python_kernel_hooks/tests (for the
server helper only; keras_migrate itself must come from the installed wheel).
"""
import sys
import tempfile
from pathlib import Path

from test_server_support import JupyterServer

import keras_migrate

assert "site-packages" in keras_migrate.__file__, keras_migrate.__file__

with tempfile.TemporaryDirectory() as work:
    server = JupyterServer(Path(work)).start()
    try:
        kernel = server.start_kernel()
        result = server.execute(kernel, "print('keras_migrate' in get_ipython().extension_manager.loaded)")
        if result.stdout.strip() != "True":
            sys.exit(f"hook not loaded in a kernel started through the server: {result.stdout!r} {result.error}\n{server.log_text()}")
        backend = server.request("GET", server.backend_path(kernel)).json()
        if not (backend.get("hook") or {}).get("available"):
            sys.exit(f"backend endpoint does not report the hook: {backend}")
        server.shutdown_kernel(kernel)
    finally:
        server.stop()
print("smoke: the hook loads in a kernel started through the server")
