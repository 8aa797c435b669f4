"""Benchmark the kernel hook: import time, per-cell overhead, diagnosis time.

    .venv/bin/python python_kernel_hooks/benchmarks/bench_hook.py [--cells 1000]

Per-cell overhead is measured twice: in-process (IPython's run_cell, little
noise) and through real kernels over ZMQ (what a user feels), interleaving
batches between a kernel with the hook and one without so machine load hits
both alike. Diagnosis time uses a real Keras error (KERAS_BACKEND, default jax).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import textwrap
import time

HOOK_SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fresh_python(code, env_extra=None):
    env = dict(os.environ, PYTHONPATH=HOOK_SOURCE_DIR, **(env_extra or {}))
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_import(repeats):
    samples = [
        fresh_python("""\
            import json, time
            start = time.perf_counter()
            import keras_migrate
            middle = time.perf_counter()
            import keras_migrate.hook, keras_migrate.recognize
            end = time.perf_counter()
            print(json.dumps([middle - start, end - middle]))
            """)
        for _ in range(repeats)
    ]
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def bench_in_process(cells, block=50):
    """CPU time per run_cell, alternating blocks with and without the hook (shared machines are noisy)."""
    return fresh_python("""\
        import json, time
        from IPython.core.interactiveshell import InteractiveShell
        shell = InteractiveShell.instance()
        def run(count):
            start = time.process_time()
            for index in range(count):
                shell.run_cell("value = %%d + 1" %% index, store_history=True)
            return (time.process_time() - start) / count
        run(200)  # warm up
        blocks = {"without": [], "with": []}
        for _ in range(%(cells)d // %(block)d):
            blocks["without"].append(run(%(block)d))
            shell.extension_manager.load_extension("keras_migrate")
            blocks["with"].append(run(%(block)d))
            shell.extension_manager.unload_extension("keras_migrate")
        shell.extension_manager.load_extension("keras_migrate")
        hook = __import__("keras_migrate.hook").hook._HOOKS[id(shell)]
        class Ok:
            error_in_exec = None
        start = time.perf_counter()
        for _ in range(100000):
            hook.pre_run_cell(None)
            hook.post_run_cell(Ok)
        callbacks = (time.perf_counter() - start) / 100000
        result = {key: sorted(values)[len(values) // 2] for key, values in blocks.items()}
        result["callbacks"] = callbacks
        print(json.dumps(result))
        """ % {"cells": cells, "block": block})


def bench_kernels(cells, batch=100):
    from jupyter_client.manager import start_new_kernel

    env = dict(os.environ, PYTHONPATH=HOOK_SOURCE_DIR)
    kernels = {}
    for name in ("without", "with"):
        manager, client = start_new_kernel(kernel_name="python3", env=env)
        kernels[name] = (manager, client)
    kernels["with"][1].execute_interactive("%load_ext keras_migrate", timeout=60)
    totals = {"without": 0.0, "with": 0.0}
    try:
        for name in ("without", "with"):  # warm up
            for index in range(50):
                kernels[name][1].execute_interactive("value = %d" % index, timeout=60)
        done = 0
        while done < cells:
            for name in ("without", "with"):
                client = kernels[name][1]
                start = time.perf_counter()
                for index in range(batch):
                    client.execute_interactive("value = %d + 1" % index, timeout=60, output_hook=lambda message: None)
                totals[name] += time.perf_counter() - start
            done += batch
    finally:
        for manager, client in kernels.values():
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    return {name: total / done for name, total in totals.items()}


def bench_diagnosis(repeats):
    return fresh_python("""\
        import json, sys, time, traceback
        import keras
        from keras_migrate import catalog
        from keras_migrate.recognize import explain_text, recognize_exception
        try:
            keras.optimizers.Adam(lr=0.01)
        except ValueError as error:
            failure = error
        text = "".join(traceback.format_exception(failure))
        start = time.perf_counter()
        first = recognize_exception(failure)
        cold = time.perf_counter() - start
        def median_time(function):
            samples = []
            for _ in range(%(repeats)d):
                start = time.perf_counter()
                function()
                samples.append(time.perf_counter() - start)
            return sorted(samples)[len(samples) // 2]
        unrecognised = ValueError("some unrelated problem")
        print(json.dumps({
            "guide": first["guide"],
            "cold": cold,
            "exception": median_time(lambda: recognize_exception(failure)),
            "text": median_time(lambda: explain_text(text)),
            "unrecognised": median_time(lambda: recognize_exception(unrecognised)),
            "signatures": len(catalog.signatures()),
            "backend": keras.backend.backend(),
        }))
        """ % {"repeats": repeats}, {"KERAS_BACKEND": os.environ.get("KERAS_BACKEND", "jax")})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=1000)
    parser.add_argument("--no-kernels", action="store_true", help="skip the (slower) real-kernel measurement")
    options = parser.parse_args()

    package_import, hook_import = bench_import(7)
    print("import keras_migrate:               %7.2f ms (median of 7 fresh interpreters)" % (package_import * 1e3))
    print("import keras_migrate.hook+recognize: %6.2f ms (what %%load_ext adds)" % (hook_import * 1e3))

    in_process = bench_in_process(options.cells)
    print("per cell, IPython run_cell, %d trivial cells each (CPU time, median of alternating blocks of 50):" % options.cells)
    print("  without hook %8.1f us   with hook %8.1f us   difference %+6.1f us"
          % (in_process["without"] * 1e6, in_process["with"] * 1e6, (in_process["with"] - in_process["without"]) * 1e6))
    print("  the hook's own pre/post_run_cell work for a successful cell: %.2f us" % (in_process["callbacks"] * 1e6))

    if not options.no_kernels:
        kernels = bench_kernels(options.cells)
        print("per cell, real kernels over ZMQ, %d trivial cells each (wall time, interleaved batches):" % options.cells)
        print("  without hook %8.1f us   with hook %8.1f us   difference %+6.1f us"
              % (kernels["without"] * 1e6, kernels["with"] * 1e6, (kernels["with"] - kernels["without"]) * 1e6))

    diagnosis = bench_diagnosis(1000)
    print("diagnosis (%d signatures, Keras on %s, guide %s):" % (diagnosis["signatures"], diagnosis["backend"], diagnosis["guide"]))
    print("  first (reads + compiles catalog) %7.2f ms" % (diagnosis["cold"] * 1e3))
    print("  exception object                 %7.1f us" % (diagnosis["exception"] * 1e6))
    print("  traceback text                   %7.1f us" % (diagnosis["text"] * 1e6))
    print("  unrecognised exception           %7.1f us" % (diagnosis["unrecognised"] * 1e6))


if __name__ == "__main__":
    main()
