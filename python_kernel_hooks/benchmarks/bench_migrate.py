"""Run the runnable Keras 2 corpus unchanged, after `fix` and after `fix --unsafe`, on every backend.

    jlpm bench:migrate [--jobs N] [--timeout S] [--only NAME ...] [--backends tensorflow,jax,torch]
                       [--json results.json] [--cache runs.jsonl] [--errors] [--cli PATH]
                       [--nbclient] [--no-fork] [--no-human] [--keras2] [--corpus DIR]

Each program in examples/runnable/ (.py and .ipynb, synthetic data, seconds on a CPU) is copied into
a scratch folder three times: as written, after `keras-migrate fix` and after `keras-migrate fix
--unsafe` (the CLI built by `jlpm build`, lib/cli/keras-migrate.cjs). Each copy runs once per
backend with KERAS_BACKEND set, in its own process and working directory: a fork of a warm
interpreter that imported TensorFlow, Keras and the backend once (a .py file through runpy, a
notebook's code cells in order in an IPython shell, as a kernel runs them). --no-fork starts a
new interpreter per .py run; --nbclient runs notebooks through nbclient in a new kernel (slow:
a kernel start and a TensorFlow import per run). A copy whose code equals an earlier variant's
is not run again: it gets that variant's results. TMPDIR is the run's working folder; programs
whose code names an absolute path (keras.io's "/tmp/..._checkpoint") never run at the same time
as each other (the runner's rule, keras_migrate.runner.workdir). With --cache, results are kept by code hash
across bench runs (and an interrupted run keeps what finished); the programs as written and after
`fix` run first. On a loaded machine a full run (about 220 distinct runs) takes a long time.

--keras2 instead runs the programs as written on Keras 2 (needs `tf_keras` importable, e.g.
`pip install --target DIR tf_keras` and PYTHONPATH=DIR), to confirm the corpus is Keras 2 code.

The careful human conversions in examples/runnable/converted/ (same name as their original) are run
too, as the "human" column: where a human conversion runs, the tool's output should run as well.

Prints one row per program and the totals:

    runs after fix: tf a/n, jax b/n, torch c/n
    safe fixes that broke a running program: k

"broke" counts (program, backend) pairs where the program ran as written and fails after the
safe fixes. It also counts how often `check` on the `fix --unsafe` output claims a backend is
ready (no finding left that blocks it) and the program really runs there. The pytest python_kernel_hooks/tests/test_runnable_corpus.py uses the same machinery.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "runnable"
CONVERTED = CORPUS / "converted"
MANIFEST = CORPUS / "manifest.json"
CLI = ROOT / "lib" / "cli" / "keras-migrate.cjs"
BACKENDS = ("tensorflow", "jax", "torch")
SHORT = {"tensorflow": "tf", "jax": "jax", "torch": "torch"}
VARIANTS = ("unchanged", "fix", "unsafe")

# Runs a notebook in a kernel that inherits this process's environment (KERAS_BACKEND).
NOTEBOOK_RUNNER = textwrap.dedent(
    """
    import sys, nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    nb = nbformat.read(sys.argv[1], as_version=4)
    client = NotebookClient(nb, timeout=int(sys.argv[2]), kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": sys.argv[3]}})
    try:
        client.execute()
    except CellExecutionError as error:
        print(str(error), file=sys.stderr)
        sys.exit(1)
    """
)


# Imports the heavy libraries once per backend, then runs each .py program in a forked child with
# its own working directory (TensorFlow, JAX and torch start no compute threads on import, so the
# fork is clean). Saves the 5-10 s import per run that otherwise dominates a small program.
# Protocol: one JSON request per line on stdin, one JSON answer per line on stdout.
FORK_SERVER = textwrap.dedent(
    """
    import json, os, runpy, signal, sys, time, traceback
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    import numpy, tensorflow, keras
    backend = os.environ["KERAS_BACKEND"]
    if backend == "tensorflow":
        # Grappler's graph rewrites (constant folding, layout, inlining) only speed execution up, and
        # cost more than they save in a run of a few small steps: about 12% of a TensorFlow run here.
        tensorflow.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
    if backend == "jax":
        import jax
    elif backend == "torch":
        import torch
    from IPython.core.interactiveshell import InteractiveShell


    def run_notebook(path):
        # The cells in order in one IPython shell, as a kernel runs them (magics included).
        with open(path) as handle:
            cells = [c for c in json.load(handle)["cells"] if c["cell_type"] == "code"]
        shell = InteractiveShell.instance()
        for cell in cells:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            result = shell.run_cell(source, store_history=True)
            if not result.success:
                return 1
        return 0


    protocol.write(json.dumps({"ready": True}) + "\\n")
    for line in sys.stdin:
        request = json.loads(line)
        log = os.path.join(request["cwd"], ".run-output")
        pid = os.fork()
        if pid == 0:
            try:
                fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
                os.dup2(fd, 1)
                os.dup2(fd, 2)
                os.chdir(request["cwd"])
                # tempfile paths are the run's own too (its working folder is).
                os.environ["TMPDIR"] = request["cwd"]
                import tempfile
                tempfile.tempdir = None
                sys.argv = [request["path"]]
                sys.path[0] = os.path.dirname(request["path"])
                if request["path"].endswith(".ipynb"):
                    code = run_notebook(request["path"])
                else:
                    runpy.run_path(request["path"], run_name="__main__")
                    code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
                if code:
                    traceback.print_exc()
            except BaseException:
                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        deadline = time.monotonic() + request["timeout"]
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                code = "timeout"
                break
            time.sleep(0.05)
        with open(log, errors="replace") as handle:
            output = handle.read()[-20000:]
        protocol.write(json.dumps({"code": code, "output": output}) + "\\n")
    """
)


# A JAX program that runs its train step un-jitted (`jit_compile = False`, `run_eagerly=True`: the
# per-backend multi-optimizer steps of `fix --unsafe` do) dispatches each op on its own: little is
# compiled at a time, and -O0 machine code makes those ops several times slower (keras.io's
# conditional GAN after `fix --unsafe` on JAX: 39 s a step at XLA's default level, 130-160 s at -O0,
# over the run's timeout on larger GANs). Such runs keep XLA's default optimization level.
EAGER_STEP = re.compile(r"\bjit_compile\s*=\s*False\b|\brun_eagerly\s*=\s*True\b")


def keeps_xla_optimization(path: Path, backend: str) -> bool:
    return backend == "jax" and bool(EAGER_STEP.search(source_text(path)))


def program_env(backend: str, keras2: bool = False, cwd: str | None = None, optimized: bool = False) -> dict:
    env = dict(os.environ)
    env.update(
        KERAS_BACKEND=backend,
        TF_CPP_MIN_LOG_LEVEL="3",
        CUDA_VISIBLE_DEVICES="",
        PYTHONWARNINGS="ignore",
        # Parallel runs on few cores: one thread each keeps them from fighting.
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    # XLA's CPU code generator at -O0 compiles a jitted Keras train step several times faster (not
    # for un-jitted JAX steps: see EAGER_STEP).
    if not optimized:
        env.setdefault("XLA_FLAGS", "--xla_backend_optimization_level=0")
    env.pop("TF_USE_LEGACY_KERAS", None)
    if cwd is not None:
        env["TMPDIR"] = cwd
    if keras2:
        env["TF_USE_LEGACY_KERAS"] = "1"
    return env


class ForkServer:
    """One warm interpreter for one backend; runs one program at a time."""

    def __init__(self, backend: str, optimized: bool = False, env: dict | None = None):
        """env: variables set on top of program_env's (another Keras on PYTHONPATH, for one)."""
        self.backend = backend
        self.proc = subprocess.Popen(
            [sys.executable, "-c", FORK_SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, env={**program_env(backend, optimized=optimized), **(env or {})},
        )
        ready = self.proc.stdout.readline()
        if not ready:
            raise RuntimeError(f"fork server for {backend} did not start")

    def run(self, path: Path, cwd: str, timeout: int) -> tuple[object, str]:
        self.proc.stdin.write(json.dumps({"path": str(path), "cwd": cwd, "timeout": timeout}) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        return answer["code"], answer["output"]

    def close(self, grace: float = 5.0):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                # TensorFlow or JAX can take long to tear down at exit; nothing is left to run.
                self.proc.kill()
                self.proc.wait()


class ForkServers:
    """A pool of ForkServers per backend, created on demand, at most one per worker thread."""

    def __init__(self, nbclient: bool = False):
        self.nbclient = nbclient  # notebooks through nbclient in a new kernel instead of a fork
        self.free: dict[tuple[str, bool], list[ForkServer]] = {}
        self.all: list[ForkServer] = []
        self.lock = threading.Lock()

    def run(self, path: Path, backend: str, cwd: str, timeout: int):
        optimized = keeps_xla_optimization(path, backend)
        with self.lock:
            pool = self.free.setdefault((backend, optimized), [])
            server = pool.pop() if pool else None
        if server is None:
            server = ForkServer(backend, optimized)
            with self.lock:
                self.all.append(server)
        try:
            return server.run(path, cwd, timeout)
        finally:
            with self.lock:
                self.free[(backend, optimized)].append(server)

    def close(self):
        for server in self.all:  # all at once: end every interpreter's input first
            if server.proc.poll() is None:
                server.proc.stdin.close()
        for server in self.all:
            server.close(grace=5.0)


def programs(only: list[str] | None = None) -> list[Path]:
    found = sorted(p for p in CORPUS.iterdir() if p.suffix in (".py", ".ipynb") and p.is_file())
    if only:
        found = [p for p in found if any(o in p.name for o in only)]
    return found


def load_manifest() -> dict:
    return json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {"programs": {}}


def fix_copies(sources: list[Path], dest_dir: Path, variant: str) -> list[Path]:
    """Copy `sources` into dest_dir and apply the variant's fixes in place, one CLI call for all."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    copies = []
    for source in sources:
        shutil.copyfile(source, dest_dir / source.name)
        copies.append(dest_dir / source.name)
    if variant != "unchanged":
        if not CLI.exists():
            raise SystemExit(f"{CLI} is missing: run `jlpm build` first")
        command = ["node", str(CLI), "fix", *map(str, copies)] + (["--unsafe"] if variant == "unsafe" else [])
        proc = subprocess.run(command, capture_output=True, text=True, timeout=600)
        # fix exits 1 when findings remain; anything else is a crash.
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"keras-migrate fix failed: {proc.stderr[-2000:]}")
    return copies


def source_text(path: Path) -> str:
    """The code a run executes: for a notebook, its code cells (outputs and ids do not matter)."""
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text())
        return "\n# cell\n".join(
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"
        )
    return path.read_text()


@dataclasses.dataclass
class RunResult:
    ok: bool
    seconds: float
    error: str = ""  # last line of the error (exception type and message) when not ok
    # A failed run's output (its last 20,000 characters: the traceback), for tests that explain it;
    # never kept in a cache or a results file (see record()).
    output: str = dataclasses.field(default="", repr=False)

    def record(self) -> dict:
        return {"ok": self.ok, "seconds": self.seconds, "error": self.error}


ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)|[A-Z]\w+Error)\b.*")


def last_error_line(text: str) -> str:
    """The exception line of the last traceback in `text` (type and message), else its last line."""
    lines = [ln.strip() for ln in ANSI.sub("", text).splitlines() if ln.strip()]
    for ln in reversed(lines):
        if EXCEPTION_LINE.match(ln) and "Warning" not in ln.split(":")[0]:
            return ln[:300]
    return (lines[-1] if lines else "")[:300]


def interpreter_problem(error_line: str) -> bool:
    """Whether a run's error line is one the runner calls an interpreter problem (Python 3.11's ast
    race, CPython gh-106905: nothing about the program or the backend), by the runner's own rule."""
    sys.path.insert(0, str(ROOT / "python_kernel_hooks"))
    try:
        from keras_migrate.runner.classify import environment_reason
    finally:
        sys.path.pop(0)
    ename, _, evalue = error_line.partition(": ")
    return (environment_reason(ename, evalue) or "").startswith("interpreter:")


def run_program(path: Path, backend: str, timeout: int, keras2: bool = False,
                servers: ForkServers | None = None) -> RunResult:
    """Run one program (see run_program_once), once more when the interpreter's ast race hit it."""
    result = run_program_once(path, backend, timeout, keras2, servers)
    if not result.ok and interpreter_problem(result.error):
        result = run_program_once(path, backend, timeout, keras2, servers)
    return result


def run_program_once(path: Path, backend: str, timeout: int, keras2: bool = False,
                     servers: ForkServers | None = None) -> RunResult:
    """Run one program file in a fresh process (or a fork of a warm one) and scratch directory.

    keras2: run on Keras 2 instead (TF_USE_LEGACY_KERAS=1; needs the tf_keras package importable).
    servers: run a .py file in a fork of a warm interpreter instead of a new process."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="km-run-") as work:
        if servers is not None and not keras2 and (path.suffix == ".py" or not servers.nbclient):
            code, output = servers.run(path, backend, work, timeout)
            seconds = time.perf_counter() - started
            if code == "timeout":
                return RunResult(False, seconds, f"timeout after {timeout}s")
            return RunResult(code == 0, seconds, "" if code == 0 else last_error_line(output), "" if code == 0 else output)
        if path.suffix == ".ipynb":
            command = [sys.executable, "-c", NOTEBOOK_RUNNER, str(path), str(timeout), work]
        else:
            command = [sys.executable, str(path)]
        try:
            env = program_env(backend, keras2, work, optimized=not keras2 and keeps_xla_optimization(path, backend))
            proc = subprocess.run(command, cwd=work, env=env, capture_output=True,
                                  text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return RunResult(False, time.perf_counter() - started, f"timeout after {timeout}s")
    seconds = time.perf_counter() - started
    if proc.returncode == 0:
        return RunResult(True, seconds)
    return RunResult(False, seconds, last_error_line(proc.stderr or proc.stdout), (proc.stderr or proc.stdout)[-20000:])


@dataclasses.dataclass
class Job:
    key: str  # hash of the code run, so identical variants run once
    path: Path
    backend: str
    priority: tuple = ()  # lower runs first
    # Names a path no run's own working folder separates (absolute, home, ".."): see
    # keras_migrate.runner.workdir. Shared jobs never run at the same time as each other.
    shared: bool | None = None

    def __post_init__(self):
        if self.shared is None:
            self.shared = shares_paths(source_text(self.path))


def shares_paths(code: str) -> bool:
    """Whether runs of `code` at the same time could share a file despite separate working
    folders: the runner's own rule (keras_migrate.runner.workdir.placement)."""
    sys.path.insert(0, str(ROOT / "python_kernel_hooks"))
    try:
        from keras_migrate.runner import workdir
    finally:
        sys.path.pop(0)
    with tempfile.TemporaryDirectory(prefix="km-empty-") as empty:
        return workdir.placement(code, empty).shared


def claimed_blockers(paths: list[Path]) -> dict[str, dict[str, list[str]]]:
    """File name -> backend -> codes of the findings `check` reports that claim to fail there."""
    proc = subprocess.run(["node", str(CLI), "check", "--format", "json", *map(str, paths)],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"keras-migrate check failed: {proc.stderr[-2000:]}")
    blockers: dict[str, dict[str, list[str]]] = {p.name: {} for p in paths}
    for finding in json.loads(proc.stdout or "[]"):
        for backend in finding["blocks"]:
            blockers[Path(finding["path"]).name].setdefault(backend, []).append(finding["rule"])
    return blockers


def prepare(selected: list[Path], scratch: Path, variants=VARIANTS):
    """Returns {program: {variant: (path, key)}} and the converted references {program: (path, key)}."""
    table: dict[str, dict[str, tuple[Path, str]]] = {p.name: {} for p in selected}
    for variant in variants:
        for path in fix_copies(selected, scratch / variant, variant):
            table[path.name][variant] = (path, hashlib.sha1(source_text(path).encode()).hexdigest())
    human = {}
    if CONVERTED.is_dir():
        for program in selected:
            ref = CONVERTED / program.name
            if ref.exists():
                human[program.name] = (ref, hashlib.sha1(source_text(ref).encode()).hexdigest())
    return table, human


def run_all(jobs: list[Job], workers: int, timeout: int, progress=None, fork: bool = True,
            nbclient: bool = False, cache: Path | None = None) -> dict[tuple[str, str], RunResult]:
    unique: dict[tuple[str, str], Job] = {}
    for job in sorted(jobs, key=lambda j: j.priority):
        unique.setdefault((job.key, job.backend), job)
    results: dict[tuple[str, str], RunResult] = {}
    servers = ForkServers(nbclient) if fork else None
    waiting = sorted(unique.items(), key=lambda item: item[1].priority)
    # Each worker takes the first waiting job it may run: any job, except that a shared one
    # (Job.shared: it names an absolute path) waits while another shared job runs.
    state = {"shared running": False, "error": None}
    changed = threading.Condition()

    def next_job():
        with changed:
            while waiting:
                for position, (key, job) in enumerate(waiting):
                    if not (job.shared and state["shared running"]):
                        del waiting[position]
                        state["shared running"] |= job.shared
                        return key, job
                changed.wait()
            return None

    def worker():
        while state["error"] is None:
            taken = next_job()
            if taken is None:
                return
            key, job = taken
            try:
                result = run_program(job.path, job.backend, timeout, False, servers)
            except BaseException as error:  # noqa: BLE001 - handed to the caller below
                state["error"] = error
                result = None
            with changed:
                if job.shared:
                    state["shared running"] = False
                if result is not None:
                    results[key] = result
                    if cache is not None:
                        with cache.open("a") as handle:
                            handle.write(json.dumps(dict(result.record(), key=key[0], backend=key[1])) + "\n")
                    if progress:
                        progress(len(results), len(unique))
                changed.notify_all()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, workers))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        if servers:
            servers.close()
    if state["error"] is not None:
        raise state["error"]
    return results


def run_keras2(selected: list[Path], args) -> int:
    """Confirms the corpus is Keras 2 code: each program as written, on tf_keras."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {p.name: pool.submit(run_program, p, "tensorflow", args.timeout, True) for p in selected}
        results = {name: f.result() for name, f in futures.items()}
    for name, result in results.items():
        print(f"{name:40} {'ok' if result.ok else '-- ' + result.error}")
    print(f"runs on Keras 2 (tf_keras): {sum(r.ok for r in results.values())}/{len(results)}")
    if args.json:
        Path(args.json).write_text(json.dumps({n: r.record() for n, r in results.items()}, indent=1))
    return 0


def cached_results(path: Path) -> dict[tuple[str, str], RunResult]:
    """Results an earlier run appended to `path` (JSON lines), by (code hash, backend)."""
    reused = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip():
                item = json.loads(line)
                reused[(item["key"], item["backend"])] = RunResult(item["ok"], item["seconds"], item["error"])
    return reused


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=max(1, os.cpu_count() or 1))
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--only", nargs="*", help="substrings of program names")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--json", help="write every result (with error lines) to this file")
    parser.add_argument("--errors", action="store_true", help="print the error line of every failed run")
    parser.add_argument("--no-fork", action="store_true",
                        help="start a new interpreter for every .py run instead of forking a warm one")
    parser.add_argument("--nbclient", action="store_true",
                        help="run notebooks through nbclient in a new kernel instead of an IPython shell in a fork")
    parser.add_argument("--cache", help="JSON-lines file of results by code hash: read, and appended to as runs "
                        "finish; the same code is not run twice (results of an interrupted run are kept)")
    parser.add_argument("--no-human", action="store_true", help="do not run the human conversions")
    parser.add_argument("--cli", type=Path, default=None, help="the keras-migrate CLI to fix with (default: lib/cli)")
    parser.add_argument("--keras2", action="store_true",
                        help="only run the programs as written on Keras 2 (tf_keras, TF_USE_LEGACY_KERAS=1)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="a folder of programs (with manifest.json, converted/) instead of examples/runnable "
                        "(bench_variants.py writes one)")
    args = parser.parse_args(argv)
    if args.corpus:
        global CORPUS, CONVERTED, MANIFEST
        CORPUS = args.corpus.resolve()
        CONVERTED, MANIFEST = CORPUS / "converted", CORPUS / "manifest.json"
    backends = [b for b in args.backends.split(",") if b]
    selected = programs(args.only)
    if not selected:
        raise SystemExit("no programs selected")
    if args.keras2:
        return run_keras2(selected, args)
    if args.cli:
        global CLI
        CLI = args.cli.resolve()

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="km-bench-migrate-") as scratch:
        table, human = prepare(selected, Path(scratch))
        if args.no_human:
            human = {}
        # What matters most first (an interrupted run with --cache keeps what finished): the programs as
        # written and after the safe fixes, TensorFlow (fastest) before PyTorch before JAX.
        rank = {"tensorflow": 0, "torch": 1, "jax": 2}
        jobs = [Job(key, path, b, (VARIANTS.index(v) // 2, rank.get(b, 3), VARIANTS.index(v)))
                for row in table.values() for v, (path, key) in row.items() for b in backends]
        jobs += [Job(key, path, b, (2, rank.get(b, 3), 3)) for path, key in human.values() for b in backends]
        reused = cached_results(Path(args.cache)) if args.cache else {}
        todo = [j for j in jobs if (j.key, j.backend) not in reused]
        print(f"{len(selected)} programs, {len(jobs)} runs ({len({(j.key, j.backend) for j in jobs})} distinct, "
              f"{len({(j.key, j.backend) for j in todo})} to run), {args.jobs} at a time", flush=True)
        results = dict(reused)
        results.update(run_all(todo, args.jobs, args.timeout, fork=not args.no_fork, nbclient=args.nbclient,
                               progress=lambda n, total: print(f"  {n}/{total}", end="\r", flush=True),
                               cache=Path(args.cache) if args.cache else None))
        # After fix --unsafe, a program with no finding left that claims to fail on a backend is
        # claimed ready for it (checked while the fixed copies still exist).
        try:
            blockers = claimed_blockers([row["unsafe"][0] for row in table.values()])
            # The claims of the code as written: a program that runs where one of its findings
            # claims it fails is a false claim (one that fails may fail for another reason).
            written_blockers = claimed_blockers([row["unchanged"][0] for row in table.values()])
        except (RuntimeError, KeyError, json.JSONDecodeError) as error:
            blockers = written_blockers = None
            print(f"readiness claims not measured: {str(error)[:300]}")
    elapsed = time.perf_counter() - started

    manifest = load_manifest().get("programs", {})
    mark = {True: "ok", False: "--", None: " ."}
    cols = [(v, b) for v in VARIANTS for b in backends] + [("human", b) for b in backends]
    width = max(len(n) for n in table) + 2
    header = "program".ljust(width) + " ".join(f"{v[:6]}:{SHORT[b]}".rjust(11) for v, b in cols)
    print()
    print(header)
    print("-" * len(header))
    record = {}
    totals = {v: {b: 0 for b in backends} for v in VARIANTS + ("human",)}
    human_total = {b: 0 for b in backends}
    broke: list[str] = []
    unsafe_broke: list[str] = []
    manifest_mismatch: list[str] = []
    for name, row in table.items():
        cells = []
        record[name] = {}
        for variant, backend in cols:
            if variant == "human":
                entry = human.get(name)
            else:
                entry = row[variant]
            result = results.get((entry[1], backend)) if entry else None
            cells.append(mark[None if result is None else result.ok].rjust(11))
            if result is not None:
                record[name].setdefault(variant, {})[backend] = dict(result.record(), key=entry[1])
                totals[variant][backend] += result.ok
                if variant == "human":
                    human_total[backend] += 1
        for backend in backends:
            before = results[(row["unchanged"][1], backend)]
            for variant, sink in (("fix", broke), ("unsafe", unsafe_broke)):
                after = results[(row[variant][1], backend)]
                if before.ok and not after.ok:
                    sink.append(f"{name} on {backend} ({variant}): {after.error}")
            claimed = manifest.get(name, {}).get("runs_unchanged")
            if claimed is not None and (backend in claimed) != before.ok:
                manifest_mismatch.append(f"{name} on {backend}: manifest says "
                                         f"{'runs' if backend in claimed else 'fails'}, it {'ran' if before.ok else 'failed'}")
        changed = "" if row["fix"][1] != row["unchanged"][1] else "  (fix: no change)"
        print(name.ljust(width) + " ".join(cells) + changed)
        if args.errors:
            for variant, backend in cols:
                entry = human.get(name) if variant == "human" else row[variant]
                result = results.get((entry[1], backend)) if entry else None
                if result is not None and not result.ok:
                    print(f"    {variant}/{backend}: {result.error}")

    n = len(table)
    def line(variant: str) -> str:
        return ", ".join(f"{SHORT[b]} {totals[variant][b]}/{n}" for b in backends)
    print()
    print(f"runs unchanged: {line('unchanged')}")
    print(f"runs after fix: {line('fix')}")
    print(f"runs after fix --unsafe: {line('unsafe')}")
    if human:
        print("human conversions run: " + ", ".join(f"{SHORT[b]} {totals['human'][b]}/{human_total[b]}" for b in backends))
        for backend in backends:
            if backend == "tensorflow":
                continue
            where = [nm for nm in human if results[(human[nm][1], backend)].ok]
            tool = [nm for nm in where if results[(table[nm]["unsafe"][1], backend)].ok]
            print(f"  where the human conversion runs on {backend}: fix --unsafe runs {len(tool)}/{len(where)}")
    if blockers is not None:
        for backend in backends:
            claimed = [nm for nm in table if not blockers[nm].get(backend)]
            held = [nm for nm in claimed if results[(table[nm]["unsafe"][1], backend)].ok]
            missed = [nm for nm in table if nm not in claimed and results[(table[nm]["unsafe"][1], backend)].ok]
            print(f"after fix --unsafe, claimed to run on {backend}: {len(claimed)}, ran: {len(held)}"
                  f" (wrongly claimed: {', '.join(sorted(set(claimed) - set(held))) or 'none'};"
                  f" ran though a finding claims it fails: {len(missed)})")
        for backend in backends:
            false = [f"{nm} ({', '.join(sorted(set(written_blockers[nm][backend])))})" for nm in table
                     if written_blockers[nm].get(backend) and results[(table[nm]["unchanged"][1], backend)].ok]
            print(f"as written, ran on {backend} though a finding claims it fails: {len(false)}"
                  + (f": {'; '.join(false)}" if false else ""))
    print(f"safe fixes that broke a running program: {len(broke)}")
    for item in broke:
        print(f"  {item}")
    print(f"unsafe fixes that broke a running program: {len(unsafe_broke)}")
    for item in unsafe_broke:
        print(f"  {item}")
    if manifest_mismatch:
        print(f"manifest claims that did not hold: {len(manifest_mismatch)}")
        for item in manifest_mismatch:
            print(f"  {item}")
    print(f"wall time {elapsed:.0f}s")
    if args.json:
        Path(args.json).write_text(json.dumps(record, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
