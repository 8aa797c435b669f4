"""The fixes keep the runnable Keras 2 corpus running, and "ready" claims hold, on real backends.

examples/runnable/ holds Keras 2 programs on synthetic data; examples/runnable/manifest.json says,
per program, on which backends it runs as written (`jlpm bench:migrate` checks those claims).

Safe fixes keep programs running: each program after `keras-migrate fix` runs on every backend
where the program as written runs (manifest `runs_unchanged`). Only programs whose code the fixes
change are run (an unchanged program trivially keeps running), each once per backend, in parallel.

Readiness claims hold: after `keras-migrate fix --unsafe`, `check` claims a program ready for JAX
(resp. PyTorch) when no finding left blocks that backend; such a program must then run there. The
other way round, a finding that still claims to block JAX or PyTorch must be right: the program
fails there. Every fixed program runs once on JAX and once on PyTorch for these two checks.

KERAS_MIGRATE_CORPUS_CACHE=FILE (a JSON-lines file, as `jlpm bench:migrate --cache` keeps) reuses
results of identical code from earlier runs and appends new ones: for quick reruns while working
on the rules, never in CI (a result does not know which Keras version produced it).
KERAS_MIGRATE_CORPUS_ONLY="name ..." (substrings of program names) fixes and runs only those
programs, with `-k "keep_programs or claimed_"`: for checking the programs a rule change touches.

.py programs and notebooks run in forks of one warm interpreter per backend (see
python_kernel_hooks/benchmarks/bench_migrate.py, which this shares), two at a time (both cores),
biggest program first (so no long run starts last), each in a scratch working folder and TMPDIR of
its own. A program whose code names an absolute path (keras.io's "/tmp/..._checkpoint") never runs
at the same time as another such program (the HDF5 file the TensorFlow and JAX runs once shared).
Each distinct (code, backend) runs once: a `fix` text equal to the `fix --unsafe` text, or a text
two programs share, is one run whose result every check on it reads.
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
# Every backend's readiness claim is held against a run: a fix can leave a program failing on
# TensorFlow too (a `.weights.h5` save into a folder Keras 3 does not create).
CLAIM_BACKENDS = ("tensorflow", "jax", "torch")


def longest_first(path):
    # The biggest programs take longest: started first, no long run is left alone at the end.
    return (-len(bench_migrate.source_text(path)),)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Fixes the corpus, runs what needs running, and returns everything the tests look at."""
    assert bench_migrate.CLI.exists(), f"{bench_migrate.CLI} missing: `jlpm build` first"
    only = os.environ.get("KERAS_MIGRATE_CORPUS_ONLY", "").split()
    table, _ = bench_migrate.prepare(bench_migrate.programs(only) if only else PROGRAMS, tmp_path_factory.mktemp("corpus"))
    jobs: list[bench_migrate.Job] = []
    safe_checks: list[tuple[str, str]] = []
    for name, row in table.items():
        fixed_path, fixed_key = row["fix"]
        if fixed_key != row["unchanged"][1]:
            for backend in MANIFEST.get(name, {}).get("runs_unchanged", []):
                safe_checks.append((name, backend))
                jobs.append(bench_migrate.Job(fixed_key, fixed_path, backend, longest_first(fixed_path)))
    # After fix --unsafe: what `check` claims (read while the fixed copies exist), and runs on every
    # backend to hold each claim against.
    blockers = bench_migrate.claimed_blockers([row["unsafe"][0] for row in table.values()])
    for name, row in table.items():
        unsafe_path, unsafe_key = row["unsafe"]
        jobs += [bench_migrate.Job(unsafe_key, unsafe_path, backend, longest_first(unsafe_path)) for backend in CLAIM_BACKENDS]
    workers = max(1, min(4, os.cpu_count() or 1))
    cache = os.environ.get("KERAS_MIGRATE_CORPUS_CACHE")
    reused = bench_migrate.cached_results(Path(cache)) if cache else {}
    results = dict(reused)
    results.update(bench_migrate.run_all([j for j in jobs if (j.key, j.backend) not in reused], workers, TIMEOUT,
                                         cache=Path(cache) if cache else None))
    return {"table": table, "results": results, "safe": safe_checks, "blockers": blockers}


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


def test_programs_are_not_claimed_to_fail_where_they_run_as_written():
    # The same for the programs themselves: where one runs unchanged (manifest runs_unchanged,
    # measured by `jlpm bench:migrate`), no finding on the code as written may claim that backend.
    blockers = bench_migrate.claimed_blockers(PROGRAMS)
    wrong = [f"{p.name}: {backend} ({', '.join(sorted(set(blockers[p.name][backend])))})"
             for p in PROGRAMS for backend in MANIFEST[p.name]["runs_unchanged"] if blockers[p.name].get(backend)]
    assert not wrong, "findings claim backends where the program runs as written:\n" + "\n".join(wrong)


# Programs that fail as written on a backend where no finding claims it (a false "ready"), with why;
# each is a rule still to write. The test fails when a new one appears, and when one is fixed (drop it here).
KNOWN_UNCLAIMED_FAILURES = {
    # Not a rule to write: a silent change. Keras 3 runs the metric functions on (batch, batch) broadcasts of
    # rank-1 labels against the (batch, 1) output and the program's own check of the values fails; KM240
    # flags the functions (a warning: nothing in Keras fails, so no backend is claimed) and its fix runs.
    ("regression_rmse_r2_metrics.py", "tensorflow"): "wrong RMSE/R² values from custom metric functions (KM240)",
    # keras.metrics.BinaryCrossentropy in compile() on rank-1 labels against a Dense(1) output: KM266
    # flags it but claims no backend (the labels' rank is known only at run time); PyTorch is claimed
    # by KM270 (tf.add_n of the model's losses). For KM266's owner: a claim where the labels are
    # visibly rank 1 (packed from a tf.data column) would cover these.
    ("overfit_underfit_tutorial.py", "tensorflow"): "BinaryCrossentropy metric on rank-1 labels (KM266, unclaimed)",
    ("overfit_underfit_tutorial.py", "jax"): "BinaryCrossentropy metric on rank-1 labels (KM266, unclaimed)",
    # Not a rule to write: a silent change. Keras 3's TensorFlow shims run, but `compiled_metrics.update_state`
    # feeds the "loss" metric the predictions and `compiled_loss` feeds it nothing, so the program's own check of
    # the logged loss fails; KM141 flags both shims (its fixes log the compiled loss, checked by the same program).
    ("custom_step_logged_loss.py", "tensorflow"): "logged loss is the mean prediction under the compiled shims (KM141)",
    # One LayerNormalization object appended before every Dense of a block of two widths: Keras 3 calls it at
    # both places and fails on the second size. KM335 flags the list and its safe fix runs, but claims no
    # backend (a repeat at the same size runs). For KM335's owner: a claim where the widths the loop
    # iterates are a literal of two or more different sizes would cover this.
    ("shared_norm_in_mlp_blocks.py", "tensorflow"): "repeated layer object at two sizes in a Sequential (KM335, unclaimed)",
    ("shared_norm_in_mlp_blocks.py", "jax"): "repeated layer object at two sizes in a Sequential (KM335, unclaimed)",
    ("shared_norm_in_mlp_blocks.py", "torch"): "repeated layer object at two sizes in a Sequential (KM335, unclaimed)",
}


def test_programs_failing_as_written_are_claimed_there():
    # Where a program fails as written (not in manifest runs_unchanged, measured by `jlpm bench:migrate`),
    # some finding on it should claim that backend: otherwise `check` calls it ready where it fails.
    blockers = bench_migrate.claimed_blockers(PROGRAMS)
    unclaimed = {(p.name, backend) for p in PROGRAMS for backend in bench_migrate.BACKENDS
                 if backend not in MANIFEST[p.name]["runs_unchanged"] and backend not in MANIFEST[p.name].get("unmeasured", [])
                 and not blockers[p.name].get(backend)}
    assert not unclaimed - set(KNOWN_UNCLAIMED_FAILURES), f"fails as written with no finding claiming it: {sorted(unclaimed - set(KNOWN_UNCLAIMED_FAILURES))}"
    assert not set(KNOWN_UNCLAIMED_FAILURES) - unclaimed, f"now claimed, drop from KNOWN_UNCLAIMED_FAILURES: {sorted(set(KNOWN_UNCLAIMED_FAILURES) - unclaimed)}"


def test_hand_conversions_are_not_claimed_to_fail_where_they_run():
    # A careful hand conversion that runs on a backend (measured by `jlpm bench:migrate`, kept in
    # the manifest's human_conversion_runs) is what multi-backend code looks like: a finding on it
    # that claims that backend is a false alarm, of the kind users meet on code already converted.
    converted = {name: bench_migrate.CONVERTED / entry["human_conversion"].split("/", 1)[1]
                 for name, entry in MANIFEST.items() if entry.get("human_conversion") and entry.get("human_conversion_runs")}
    assert len(converted) >= 20
    blockers = bench_migrate.claimed_blockers(sorted(converted.values()))
    wrong = [f"{path.name}: {backend} ({', '.join(sorted(set(blockers[path.name][backend])))})"
             for name, path in converted.items() for backend in MANIFEST[name]["human_conversion_runs"]
             if blockers[path.name].get(backend)]
    assert not wrong, "findings claim backends where the hand conversion runs:\n" + "\n".join(wrong)


# The fixture runs every program of the corpus after fix --unsafe on three backends (and after
# fix where it changed them), two at a time: about forty minutes on two busy cores. Its setup
# counts against the first test that uses it.
@pytest.mark.timeout(3600)
def test_safe_fixes_keep_programs_running(corpus):
    broken = []
    for name, backend in corpus["safe"]:
        _, key = corpus["table"][name]["fix"]
        result = corpus["results"][(key, backend)]
        if not result.ok:
            broken.append(f"{name} on {backend}: {result.error}")
    assert not broken, "safe fixes broke programs that ran before:\n" + "\n".join(broken)


@pytest.mark.timeout(3600)
def test_safe_fixes_were_exercised(corpus):
    # The check above must have had something to check: most programs change under `fix`.
    assert len({name for name, _ in corpus["safe"]}) >= 10


def claim_outcomes(corpus, backend):
    """(program, claimed ready, ran, blocking rule codes) after fix --unsafe, for every program."""
    for name, row in corpus["table"].items():
        codes = corpus["blockers"][name].get(backend, [])
        result = corpus["results"][(row["unsafe"][1], backend)]
        yield name, not codes, result, codes


@pytest.mark.timeout(3600)
@pytest.mark.parametrize("backend", CLAIM_BACKENDS)
def test_claimed_ready_programs_run(corpus, backend):
    # "Every fix that claims multi-backend makes the changed code run on JAX and PyTorch": once
    # `check` finds nothing left that blocks the backend, the fixed program runs there.
    wrong = [f"{name}: {result.error}" for name, ready, result, _ in claim_outcomes(corpus, backend)
             if ready and not result.ok]
    assert not wrong, f"claimed ready for {backend} after fix --unsafe, but failed:\n" + "\n".join(wrong)


@pytest.mark.timeout(3600)
@pytest.mark.parametrize("backend", CLAIM_BACKENDS)
def test_claimed_blockers_fail(corpus, backend):
    # Nothing claims to block a backend unless the code fails there.
    wrong = [f"{name}: {sorted(set(codes))}" for name, ready, result, codes in claim_outcomes(corpus, backend)
             if not ready and result.ok]
    assert not wrong, f"ran on {backend} after fix --unsafe, though a finding claims it fails there:\n" + "\n".join(wrong)


@pytest.mark.timeout(3600)
@pytest.mark.parametrize("backend", CLAIM_BACKENDS)
def test_readiness_claims_were_exercised(corpus, backend):
    # Both checks above had material: most programs are claimed ready and some are not.
    outcomes = list(claim_outcomes(corpus, backend))
    assert sum(ready for _, ready, _, _ in outcomes) >= len(outcomes) // 2
    assert sum(result.ok for _, _, result, _ in outcomes) >= len(outcomes) // 2


def test_runs_at_once_never_share_a_file(tmp_path, monkeypatch):
    # Two programs on two backends, two at a time: each writes its backend to a file, waits for
    # the other runs (a few seconds at most) and reads the file back. By a relative path each run
    # has its own (its working folder); by an absolute path, the programs that name one run one
    # after another. In parallel they read another run's value ("HDF5 file already open" or a
    # wrong checkpoint in the corpus). Plain Python: no Keras needed to show it.
    monkeypatch.setenv("RUN_SYNC", str(tmp_path / "sync"))
    (tmp_path / "sync").mkdir()
    program = """\
import os, time
backend = os.environ["KERAS_BACKEND"]
open(PATH, "w").write(backend)
open(os.path.join(os.environ["RUN_SYNC"], NAME + backend), "w").close()
deadline = time.time() + 5
while len([m for m in os.listdir(os.environ["RUN_SYNC"]) if m.startswith(NAME)]) < 2 and time.time() < deadline:
    time.sleep(0.1)
found = open(PATH).read()
assert found == backend, "read back %r, wrote %r" % (found, backend)
"""
    relative = tmp_path / "relative.py"
    relative.write_text(program.replace("PATH", '"state.txt"').replace("NAME", '"relative-"'))
    absolute = tmp_path / "absolute.py"
    absolute.write_text(program.replace("PATH", repr(str(tmp_path / "state.txt"))).replace("NAME", '"absolute-"'))
    jobs = [bench_migrate.Job(path.name, path, backend) for path in (relative, absolute) for backend in ("jax", "torch")]
    assert [job.shared for job in jobs] == [False, False, True, True]
    results = bench_migrate.run_all(jobs, 2, 120, fork=False)
    assert {key: result.error for key, result in results.items() if not result.ok} == {}
    assert len(results) == 4


@pytest.mark.parametrize("fork", [False, True])
def test_unjitted_jax_steps_keep_xla_optimization(tmp_path, monkeypatch, fork):
    # A JAX program running its train step un-jitted (the per-backend multi-optimizer step sets
    # `jit_compile = False`) dispatches op by op, where -O0 machine code only slows it (keras.io's
    # conditional GAN: 130-160 s a step instead of 39): its run keeps XLA's default level; other
    # runs, and every run on the other backends, get -O0 (faster compiles of jitted steps).
    monkeypatch.delenv("XLA_FLAGS", raising=False)
    check = 'import os\nflags = os.environ.get("XLA_FLAGS", "")\nassert ("level=0" in flags) == EXPECT, flags\n'
    eager = tmp_path / "eager.py"
    eager.write_text("jit_compile = False  # as make_train_function() sets it\n" + check.replace("EXPECT", "(BACKEND != 'jax')"))
    jitted = tmp_path / "jitted.py"
    jitted.write_text(check.replace("EXPECT", "True"))
    for path in (eager, jitted):
        path.write_text(path.read_text().replace("BACKEND", 'os.environ["KERAS_BACKEND"]'))
    jobs = [bench_migrate.Job(path.name, path, backend) for path in (eager, jitted) for backend in ("jax", "torch")]
    results = bench_migrate.run_all(jobs, 1, 120, fork=fork)
    assert {key: result.error for key, result in results.items() if not result.ok} == {}
    assert len(results) == 4
