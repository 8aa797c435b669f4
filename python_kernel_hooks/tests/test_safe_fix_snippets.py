"""Every safe fix's output runs for real on Keras 3 under each backend it claims.

The analyser's jest suite keeps src/__tests__/analysis/safe-fix-snippets.json equal
to what the fixer produces today; here each fixed program is executed under
KERAS_BACKEND=jax, tensorflow and torch (one interpreter per backend, each snippet in
its own namespace and temporary directory).
"""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = json.loads((ROOT / "src/__tests__/analysis/safe-fix-snippets.json").read_text())
BACKENDS = ("tensorflow", "jax", "torch")

RUNNER = textwrap.dedent(
    """
    import json, os, sys, tempfile, traceback
    snippets = json.loads(sys.stdin.read())
    results = {}
    for snippet in snippets:
        here = os.getcwd()
        with tempfile.TemporaryDirectory() as work:
            os.chdir(work)
            try:
                exec(compile(snippet["output"], snippet["id"] + ".py", "exec"), {"__name__": "__main__"})
                results[snippet["id"]] = None
            except BaseException:
                results[snippet["id"]] = traceback.format_exc()
            finally:
                os.chdir(here)
    print("RESULTS:" + json.dumps(results))
    """
)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """{backend: {snippet id: traceback or None}}: one interpreter per backend, the three at once (each is
    mostly one core's work: imports, tracing and XLA compiles). Input and output go through files, so no
    process waits on a pipe another one's turn would drain."""
    folder = tmp_path_factory.mktemp("snippet-runs")
    started = {}
    try:
        for backend in BACKENDS:
            claimed = [s for s in SNIPPETS if backend in s["backends"]]
            (folder / f"{backend}.in").write_text(json.dumps(claimed))
            # XLA's -O0 compiles the snippets' small jitted steps several times faster (as the corpus runs do).
            env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
            env.setdefault("XLA_FLAGS", "--xla_backend_optimization_level=0")
            with open(folder / f"{backend}.in") as stdin, open(folder / f"{backend}.out", "w") as stdout, \
                    open(folder / f"{backend}.err", "w") as stderr:
                started[backend] = subprocess.Popen([sys.executable, "-c", RUNNER], stdin=stdin, stdout=stdout,
                                                    stderr=stderr, text=True, env=env)
        results = {}
        for backend, proc in started.items():
            proc.wait(timeout=900)
            stdout, stderr = (folder / f"{backend}.out").read_text(), (folder / f"{backend}.err").read_text()
            line = next((ln for ln in stdout.splitlines() if ln.startswith("RESULTS:")), None)
            assert line, f"runner died on {backend}:\n{stdout[-3000:]}\n{stderr[-3000:]}"
            results[backend] = json.loads(line[len("RESULTS:"):])
    finally:
        for proc in started.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return results


def test_snippets_change_the_code():
    assert SNIPPETS, "no safe-fix snippets"
    for snippet in SNIPPETS:
        assert snippet["output"] != snippet["input"], snippet["id"]
        assert set(snippet["backends"]) <= set(BACKENDS), snippet["id"]


@pytest.mark.parametrize(
    "snippet_id,backend",
    [(s["id"], b) for s in SNIPPETS for b in s["backends"]],
)
def test_fixed_snippet_runs_on_claimed_backend(runs, snippet_id, backend):
    results = runs[backend]
    assert snippet_id in results
    assert results[snippet_id] is None, f"{snippet_id} on {backend}:\n{results[snippet_id]}"


def test_multi_backend_claims_cover_all_three():
    # A fix that claims to be backend-agnostic must run on every backend; those that
    # claim fewer say why in a note.
    for snippet in SNIPPETS:
        if set(snippet["backends"]) != set(BACKENDS):
            assert snippet.get("note"), snippet["id"]
