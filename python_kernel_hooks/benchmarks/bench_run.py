"""Benchmark `keras-migrate run`: per-run overhead and parallel backends.

    .venv/bin/python python_kernel_hooks/benchmarks/bench_run.py [--repeats 2] [--backends tensorflow,jax,torch]

1. Overhead per (notebook, backend): a small notebook through `run_task` (fresh
   kernel, hook, nbclient, teardown) against the same cells sent to a kernel
   that was already started (time from the first execute to the last reply).
   Both kernels import Keras in their first cell, so the difference is what
   the runner adds: kernel start, hook load, teardown and bookkeeping. That
   difference subtracts two separate runs, so it carries the run-to-run spread
   of importing the backend (about +-0.5 s for TensorFlow here); the runner's
   own cost is also measured directly inside each fresh run, as its wall time
   minus the time its cells took (`runner_cost_s`). Then the
   same tasks in one lane (`run_tasks`, as `run` schedules several tasks per
   worker), where each next kernel starts while the current task runs.
2. Three backends at once (`--jobs 3`) against the slowest backend alone,
   measured on this machine, and projected for 8 cores as
   max(slowest run, sum of runs' CPU-bound time / 8).
"""

import argparse
import json
import os
import statistics
import sys
import time

HOOK_SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, HOOK_SOURCE_DIR)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [HOOK_SOURCE_DIR, os.environ.get("PYTHONPATH")]))

CELLS = [
    "import numpy as np\nimport keras\nx = np.random.rand(32, 8).astype('float32')\ny = np.random.rand(32, 1).astype('float32')",
    "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8, activation='relu'), keras.layers.Dense(1)])\n"
    "model.compile(optimizer='adam', loss='mse')",
    "model.fit(x, y, epochs=1, verbose=0)",
    "print(model.predict(x[:4], verbose=0).shape)",
]


def notebook():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    return dict(nb)


def task(backend):
    return {"path": "bench.ipynb", "variant": "original", "backend": backend, "notebook": notebook(), "cwd": os.getcwd(), "timeout": 600}


def cells_in_started_kernel(backend):
    from jupyter_client.manager import KernelManager

    from keras_migrate.runner.execute import _kernel_env

    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(env=_kernel_env(backend), extra_arguments=["--InteractiveShellApp.extra_extensions=keras_migrate"])
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        start = time.perf_counter()
        for source in CELLS:
            reply = client.execute_interactive(source, timeout=600, output_hook=lambda message: None)
            assert reply["content"]["status"] == "ok", reply["content"]
        return time.perf_counter() - start
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def fresh_run(backend):
    from keras_migrate.runner.execute import run_task

    start = time.perf_counter()
    result = run_task(task(backend))
    total = time.perf_counter() - start
    assert result["status"] == "ok", result
    cells = sum(cell["seconds"] for cell in result["cells"])
    return total, cells, result["kernel_start_seconds"], result["kernel_stop_seconds"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--backends", default="tensorflow,jax,torch")
    options = parser.parse_args()
    backends = options.backends.split(",")
    report = {"overhead": {}, "parallel": {}}
    singles = {}
    for backend in backends:
        fresh, started, starts, stops, cell_times, costs = [], [], [], [], [], []
        for _ in range(options.repeats):
            total, cells, kernel_start, kernel_stop = fresh_run(backend)
            fresh.append(total)
            cell_times.append(cells)
            costs.append(total - cells)
            starts.append(kernel_start)
            stops.append(kernel_stop)
            started.append(cells_in_started_kernel(backend))
        singles[backend] = statistics.median(fresh)
        report["overhead"][backend] = {
            "fresh_run_s": round(statistics.median(fresh), 2),
            "same_cells_in_started_kernel_s": round(statistics.median(started), 2),
            "overhead_s": round(statistics.median(fresh) - statistics.median(started), 2),
            "runner_cost_s": round(statistics.median(costs), 2),
            "kernel_start_s": round(statistics.median(starts), 2),
            "kernel_stop_s": round(statistics.median(stops), 2),
        }
        print(backend, report["overhead"][backend], flush=True)

    # Steady state of a lane (what `run` does with several tasks per worker): the next
    # kernel starts while the current task runs, so each task after the first pays only
    # what is left of its start, connecting, and teardown.
    from keras_migrate.runner.execute import run_tasks

    lane_tasks = [task(b) for _ in range(options.repeats) for b in backends]
    start = time.perf_counter()
    lane_results = run_tasks(lane_tasks)
    lane_total = time.perf_counter() - start
    assert all(r["status"] == "ok" for r in lane_results), lane_results
    in_started = sum(report["overhead"][t["backend"]]["same_cells_in_started_kernel_s"] for t in lane_tasks)
    report["lane"] = {
        "tasks": len(lane_tasks),
        "lane_total_s": round(lane_total, 2),
        "same_cells_in_started_kernels_s": round(in_started, 2),
        "overhead_per_task_s": round((lane_total - in_started) / len(lane_tasks), 2),
        "kernel_start_wait_median_s": round(statistics.median(r["kernel_start_seconds"] for r in lane_results[1:]), 2),
    }
    print("lane", report["lane"], flush=True)

    from keras_migrate.runner.engine import execute

    start = time.perf_counter()
    results = execute([task(b) for b in backends], jobs=len(backends))
    parallel = time.perf_counter() - start
    assert all(r["status"] == "ok" for r in results), results
    slowest = max(singles.values())
    cpu_count = os.cpu_count() or 1
    report["parallel"] = {
        "cores": cpu_count,
        "backends_in_parallel_s": round(parallel, 2),
        "slowest_single_backend_s": round(slowest, 2),
        "ratio": round(parallel / slowest, 2),
        "sum_of_singles_s": round(sum(singles.values()), 2),
        "projected_8_cores_s": round(max(slowest, sum(singles.values()) / 8), 2),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
