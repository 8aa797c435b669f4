"""Time a backend switch against a plain restart, through the server's REST API.

    .venv/bin/python python_kernel_hooks/benchmarks/bench_switch.py [--rounds N]

Starts a `jupyter server` subprocess and one python3 kernel, then alternates:

- plain restart: `POST /api/kernels/{id}/restart`, then an empty execute
  request until its reply and the kernel's idle status;
- switch: `PUT keras-migrate/kernels/{id}/backend` with the next backend, the
  same restart and the same empty execute, then a check that the new process
  has the chosen KERAS_BACKEND (not timed).

The switch's extra cost is the PUT plus the provisioner's work in pre_launch;
the issue's target is at most 200 ms more than a plain restart. As information
it also times `environment.describe_json(import_keras=True)` after a switch,
which the sidebar runs to confirm the new backend and which imports Keras.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_server_support import JupyterServer  # noqa: E402

BACKENDS = ("jax", "torch", "tensorflow")


def restart_until_idle(server: JupyterServer, kernel_id: str) -> float:
    started = time.perf_counter()
    answer = server.restart_kernel(kernel_id)
    if answer.status != 200:
        raise RuntimeError(f"restart failed: {answer}")
    reply = server.execute(kernel_id, "")
    if reply.status != "ok":
        raise RuntimeError(f"kernel not usable after restart: {reply.error}")
    return time.perf_counter() - started


PUT_TIMES: list[float] = []


def switch_until_idle(server: JupyterServer, kernel_id: str, backend: str) -> float:
    started = time.perf_counter()
    answer = server.request(
        "PUT", server.backend_path(kernel_id), {"backend": backend}
    )
    if answer.status != 200:
        raise RuntimeError(f"PUT failed: {answer}")
    PUT_TIMES.append(time.perf_counter() - started)
    restart_until_idle(server, kernel_id)
    return time.perf_counter() - started


def summary(label: str, seconds: list[float]) -> str:
    ms = [value * 1000 for value in seconds]
    return (
        f"{label:<28} n={len(ms):<3} median {statistics.median(ms):8.1f} ms   "
        f"mean {statistics.fmean(ms):8.1f} ms   min {min(ms):8.1f}   max {max(ms):8.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="switches and plain restarts each")
    parser.add_argument(
        "--describe", action="store_true",
        help="also time describe_json(import_keras=True) after a switch to each backend",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-switch-"))
    server = JupyterServer(workdir, base_url="/bench/").start()
    plain: list[float] = []
    switched: list[float] = []
    describe_times: dict[str, float] = {}
    try:
        kernel_id = server.start_kernel()
        server.execute(kernel_id, "")  # wait for the first start
        restart_until_idle(server, kernel_id)  # warm caches once, untimed
        for round_index in range(args.rounds):
            backend = BACKENDS[round_index % len(BACKENDS)]
            # Both kinds run in every round, in alternating order, so that load
            # from other processes and the state the previous step left behind
            # hit both alike.
            if round_index % 2:
                switched.append(switch_until_idle(server, kernel_id, backend))
                plain.append(restart_until_idle(server, kernel_id))
            else:
                plain.append(restart_until_idle(server, kernel_id))
                switched.append(switch_until_idle(server, kernel_id, backend))
            seen = server.expression(kernel_id, "__import__('os').environ.get('KERAS_BACKEND')")
            if seen != repr(backend):
                raise RuntimeError(f"switched to {backend} but the kernel has {seen}")
        # Kept apart from the timed restarts: a kernel that imported a framework
        # takes longer to shut down, which would burden the next restart.
        for backend in BACKENDS if args.describe else ():
            switch_until_idle(server, kernel_id, backend)
            started = time.perf_counter()
            server.expression(
                kernel_id,
                "__import__('keras_migrate.environment').environment.describe_json(import_keras=True)",
            )
            describe_times[backend] = time.perf_counter() - started
        server.shutdown_kernel(kernel_id)
    finally:
        server.stop()

    print(summary("plain restart to idle", plain))
    print(summary("PUT + restart to idle", switched))
    extra = statistics.median(switched) - statistics.median(plain)
    print(summary("the PUT alone", PUT_TIMES))
    print(f"switch overhead (median difference): {extra * 1000:+.1f} ms (target: at most +200 ms)")
    for backend, seconds in describe_times.items():
        print(f"describe_json(import_keras=True) after switching to {backend}: {seconds * 1000:.0f} ms (imports Keras)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
