"""What the hook costs in work: heavy imports, and nothing done for successful cells.

Times are measured by python_kernel_hooks/benchmarks/bench_hook.py (jlpm bench), not
asserted here: a test on a shared machine must not fail on load.
"""

import json
import os
import subprocess
import sys
import textwrap

from conftest import HOOK_SOURCE_DIR

HEAVY = ("keras", "tensorflow", "jax", "torch", "jupyter_server", "numpy")


def in_fresh_python(code):
    env = dict(os.environ, PYTHONPATH=HOOK_SOURCE_DIR)
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    # The shell prints tracebacks to stdout too; the answer is the last line.
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_import_is_light():
    result = in_fresh_python("""\
        import json, sys
        import keras_migrate
        import keras_migrate.hook, keras_migrate.recognize, keras_migrate.catalog, keras_migrate.locate
        print(json.dumps({"modules": sorted(name.split(".")[0] for name in sys.modules)}))
        """)
    # Loading the extension pulls in the recognizer, still without any backend.
    for name in HEAVY:
        assert name not in result["modules"], name


def test_successful_cells_do_no_work():
    result = in_fresh_python("""\
        import json, sys
        from IPython.core.interactiveshell import InteractiveShell
        shell = InteractiveShell.instance()
        shell.extension_manager.load_extension("keras_migrate")
        from keras_migrate import catalog
        for index in range(50):
            shell.run_cell("value = %d * 2" % index, store_history=True)
        untouched = catalog.signatures.cache_info().currsize == 0

        shell.run_cell("1 / 0")
        print(json.dumps({"untouched": untouched,
                          "loaded_after_error": catalog.signatures.cache_info().currsize,
                          "heavy": [m for m in ("keras", "tensorflow", "jax", "torch") if m in sys.modules]}))
        """)
    # The catalog is not even read while cells succeed ...
    assert result["untouched"]
    # ... and a failing cell does read it, without importing any backend.
    assert result["loaded_after_error"] == 1
    assert result["heavy"] == []
