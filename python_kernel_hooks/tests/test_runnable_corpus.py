"""The fixes keep the runnable Keras 2 corpus running, and "ready" claims hold, on real backends.

examples/runnable/ holds Keras 2 programs on synthetic data; examples/runnable/manifest.json says,
per program, on which backends it runs as written (`jlpm bench:migrate` checks those claims).

Safe fixes keep programs running: each program after `keras-migrate fix` runs on every backend
where the program as written runs (manifest `runs_unchanged`). Only programs whose code the fixes
change are run (an unchanged program trivially keeps running), each once per backend, in parallel.

Whether `check`'s readiness claims hold after `fix --unsafe` (nothing left that blocks JAX, yet it
fails there) is measured by `jlpm bench:migrate`; it is not asserted here while the analyser is
known to claim too much.

.py programs run in forks of one warm interpreter per backend, notebooks through nbclient (see
python_kernel_hooks/benchmarks/bench_migrate.py, which this shares).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python_kernel_hooks" / "benchmarks"))

import bench_migrate  # noqa: E402

MANIFEST = bench_migrate.load_manifest()["programs"]
PROGRAMS = bench_migrate.programs()
TIMEOUT = 600


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Fixes the corpus, runs what needs running, and returns everything the tests look at."""
    assert bench_migrate.CLI.exists(), f"{bench_migrate.CLI} missing: `jlpm build` first"
    table, _ = bench_migrate.prepare(PROGRAMS, tmp_path_factory.mktemp("corpus"))
    jobs: list[bench_migrate.Job] = []
    safe_checks: list[tuple[str, str]] = []
    for name, row in table.items():
        fixed_path, fixed_key = row["fix"]
        if fixed_key != row["unchanged"][1]:
            for backend in MANIFEST.get(name, {}).get("runs_unchanged", []):
                safe_checks.append((name, backend))
                jobs.append(bench_migrate.Job(fixed_key, fixed_path, backend))
    workers = max(1, min(4, os.cpu_count() or 1))
    results = bench_migrate.run_all(jobs, workers, TIMEOUT)
    return {"table": table, "results": results, "safe": safe_checks}


def test_corpus_is_big_enough_and_described():
    assert len(PROGRAMS) >= 20
    assert {p.suffix for p in PROGRAMS} == {".py", ".ipynb"}
    for program in PROGRAMS:
        entry = MANIFEST.get(program.name)
        assert entry, f"{program.name} is not in examples/runnable/manifest.json"
        assert entry["patterns"], program.name
        assert set(entry["runs_unchanged"]) <= set(bench_migrate.BACKENDS), program.name
        # A program that fails on Keras 3 TensorFlow as written is a Keras-2-only program and says so.
        assert entry["keras2_only"] == ("tensorflow" not in entry["runs_unchanged"]), program.name


# The fixture runs about two dozen programs (seconds each on an idle CPU); its setup counts
# against the first test that uses it.
@pytest.mark.timeout(2400)
def test_safe_fixes_keep_programs_running(corpus):
    broken = []
    for name, backend in corpus["safe"]:
        _, key = corpus["table"][name]["fix"]
        result = corpus["results"][(key, backend)]
        if not result.ok:
            broken.append(f"{name} on {backend}: {result.error}")
    assert not broken, "safe fixes broke programs that ran before:\n" + "\n".join(broken)


@pytest.mark.timeout(2400)
def test_safe_fixes_were_exercised(corpus):
    # The check above must have had something to check: most programs change under `fix`.
    assert len({name for name, _ in corpus["safe"]}) >= 10
