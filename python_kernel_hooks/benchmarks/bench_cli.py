"""`keras-migrate check` on 500 notebooks beside `ruff check --select ALL` on the same files.

    .venv/bin/python python_kernel_hooks/benchmarks/bench_cli.py [--count 500] [--rounds 2]

Prints, for one set of N notebooks made from ../shared/corpus (bench_corpus.py; written
to a temporary folder, never committed):

- CPU time (user+sys of the child processes) and wall time of
  `keras-migrate check --output-format json --jobs 1` and of
  `ruff check --select ALL --no-cache --exit-zero --output-format json`, in the same run,
  and their ratio (the issue's target: keras-migrate within 1.5x of ruff's CPU time);
- first-run latency: the console script (`python -m keras_migrate check`) on one small
  notebook, the first call and the best of three;
- `--jobs 2` against `--jobs 1` (wall time, best of --rounds; the target is >= 1.7x on an
  idle 2-core machine) with the CLI's own phase timings (KERAS_MIGRATE_TIMINGS=1):
  process boot, discovery and config, analysis, merging and writing the report.

Timings on a machine shared with other work are noisy; the ratios from one run are what
to compare.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_corpus import make_corpus  # noqa: E402

from keras_migrate import analyser  # noqa: E402


def timed(argv: list[str], env: dict | None = None) -> tuple[float, float, subprocess.CompletedProcess]:
    """(cpu seconds of the child, wall seconds, result)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()

    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not os.path.exists(ruff):
        print("ruff is not installed (it is in the test extra: pip install ruff)", file=sys.stderr)
        return 2
    km = analyser.command()
    with tempfile.TemporaryDirectory() as work:
        corpus = Path(work) / "corpus"
        files = make_corpus(corpus, options.count)
        size = sum(f.stat().st_size for f in files) / 1e6
        print(f"{len(files)} notebooks, {size:.1f} MB, node: {km[0]}")

        # First-run latency: the console script a user types, on one small notebook.
        small = Path(work) / "one.ipynb"
        shutil.copy(files[0], small)
        script = [sys.executable, "-m", "keras_migrate", "check", "--output-format", "json", str(small)]
        first = timed(script)[1]
        best = min(timed(script)[1] for _ in range(3))
        print(f"first run (python -m keras_migrate check, one notebook): first {first * 1000:.0f} ms, best of 3 {best * 1000:.0f} ms")

        check = km + ["check", "--output-format", "json", "--jobs", "1", str(corpus)]
        ruff_cmd = [ruff, "check", "--select", "ALL", "--no-cache", "--exit-zero", "--output-format", "json", str(corpus)]
        rows = []
        for _ in range(options.rounds):
            rows.append(("keras-migrate", timed(check)))
            rows.append(("ruff", timed(ruff_cmd)))
        for name in ("keras-migrate", "ruff"):
            runs = [r for n, r in rows if n == name]
            if any(r[2].returncode not in (0, 1) for r in runs):
                print(f"{name} failed: {runs[0][2].stderr[-500:]}", file=sys.stderr)
                return 1
        km_cpu = min(r[0] for n, r in rows if n == "keras-migrate")
        km_wall = min(r[1] for n, r in rows if n == "keras-migrate")
        ruff_cpu = min(r[0] for n, r in rows if n == "ruff")
        ruff_wall = min(r[1] for n, r in rows if n == "ruff")
        print(f"{'':16}{'CPU s':>8}{'wall s':>8}")
        print(f"{'keras-migrate -j1':16}{km_cpu:8.2f}{km_wall:8.2f}")
        print(f"{'ruff --select ALL':16}{ruff_cpu:8.2f}{ruff_wall:8.2f}")
        print(f"keras-migrate / ruff: CPU {km_cpu / ruff_cpu:.2f}x (target <= 1.5x), wall {km_wall / ruff_wall:.2f}x")

        env = dict(os.environ, KERAS_MIGRATE_TIMINGS="1")
        runs: dict[int, list[tuple[float, float, str]]] = {1: [], 2: []}
        for _ in range(options.rounds):
            for jobs in (1, 2):
                cpu, wall, done = timed(km + ["check", "--output-format", "json", "--jobs", str(jobs), str(corpus)], env)
                line = next((ln for ln in done.stderr.splitlines() if ln.startswith("keras-migrate timings")), "")
                runs[jobs].append((cpu, wall, line))
        best = {jobs: min(runs[jobs], key=lambda r: r[1]) for jobs in (1, 2)}
        print(f"--jobs 1: {best[1][1]:.2f} s   --jobs 2: {best[2][1]:.2f} s   speedup {best[1][1] / best[2][1]:.2f}x (target >= 1.7x, {os.cpu_count()} CPUs)")
        for jobs in (1, 2):
            cpu, wall, line = best[jobs]
            # The serial part: process boot, discovery and config, merging and writing the report.
            serial = sum(float(m.group(1)) for m in re.finditer(r"(?:boot|discover\+config|merge\+render\+write) (\d+) ms", line)) / 1000
            print(f"  jobs {jobs}: CPU {cpu:.2f} s, CPU/wall {cpu / wall:.2f}, serial part {serial:.2f} s ({100 * serial / wall:.0f}% of wall)")
            print(f"    {line}")
        # CPU/wall of one thread above 1 is GC and compiler threads running beside it: a second
        # worker competes with them for the second core.
        load = os.getloadavg()
        print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} ({os.cpu_count()} CPUs)" + (": other work shared the CPUs" if load[0] > 1.5 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
