"""Each finding's backend claim is what running says, one claim class per program.

Every program in python_kernel_hooks/tests/claims/ isolates one class of finding (`.numpy()` on a
model output, on a `keras.ops` value of NumPy data, a TF op kept from `__init__`, a TF op whose
value becomes a Python value, a deprecated argument, ...). `keras-migrate check` says which
backends its findings block; the program then runs on TensorFlow, JAX and PyTorch (forks of one warm
interpreter per backend, as the corpus benchmark runs them) and must fail exactly there: a claimed
backend where it runs is a false alarm, an unclaimed one where it fails a false "ready".

The corpus test (test_runnable_corpus.py) checks claims per program after `fix --unsafe`, where the
safe fixes have removed findings like these; this test holds the claims of the code as written.
Every rule that can claim to block a backend (`keras-migrate rules`, field `failsOn`) has a blocking
finding in some program here, except the few listed in NOT_RUNNABLE_HERE.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python_kernel_hooks" / "benchmarks"))

import bench_migrate  # noqa: E402

CLAIMS = Path(__file__).resolve().parent / "claims"
# Notebooks hold the claims that depend on cells (a save in one cell, its load in a later one).
PROGRAMS = sorted([*CLAIMS.glob("*.py"), *CLAIMS.glob("*.ipynb")])

# Rules that can claim a backend but cannot be run here, each with why.
NOT_RUNNABLE_HERE = {
    # Their guide sections apply only to Keras versions before the newest (sections.json `until`), for
    # which they are reported; the installed Keras 3.15 no longer fails there, so by default they report nothing.
    "KM051": "deeply-nested model inputs: Keras < 3.4 only",
    "KM081": "per-output evaluate() losses: Keras < 3.5 only",
    "KM101": "None in a nested layer input: Keras < 3.4 only",
    # Their packages are not installed in the test environment (nor on CI).
    "KM173": "tensorflow_hub.KerasLayer: tensorflow_hub is not installed",
    "KM178": "Keras 2 third-party packages (tensorflow_addons, ...): not installed",
}


@pytest.fixture(scope="module")
def outcomes(claims_runs):
    assert bench_migrate.CLI.exists(), f"{bench_migrate.CLI} missing: `jlpm build` first"
    proc = subprocess.run(["node", str(bench_migrate.CLI), "check", "--format", "json", *map(str, PROGRAMS)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    findings: dict[str, list[dict]] = {p.name: [] for p in PROGRAMS}
    for finding in json.loads(proc.stdout):
        findings[Path(finding["path"]).name].append(finding)
    return {p.name: (findings[p.name], {b: claims_runs[(p.name, b)] for b in bench_migrate.BACKENDS}) for p in PROGRAMS}


# The session fixture claims_runs (conftest) runs each program on three backends (seconds each); its setup
# counts against the first test that uses it.
@pytest.mark.timeout(1800)
def test_every_program_has_findings_and_claims_of_both_kinds(outcomes):
    # The programs exercise something: each has findings, some block a backend and some block none.
    assert len(PROGRAMS) >= 10
    assert all(findings for findings, _ in outcomes.values())
    claims = [{b for f in findings for b in f["blocks"]} for findings, _ in outcomes.values()]
    assert any(not c for c in claims) and any(c == {"jax"} for c in claims) and any("torch" in c for c in claims)


def test_every_rule_that_can_block_a_backend_has_a_blocking_finding_here():
    # Static check: a claim no program exercises is only believed, never measured.
    proc = subprocess.run(["node", str(bench_migrate.CLI), "rules", "--output-format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    can_block = {r["code"] for r in json.loads(proc.stdout) if r["failsOn"]}
    assert len(can_block) >= 40 and set(NOT_RUNNABLE_HERE) <= can_block, sorted(set(NOT_RUNNABLE_HERE) - can_block)
    proc = subprocess.run(["node", str(bench_migrate.CLI), "check", "--format", "json", *map(str, PROGRAMS)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    blocking = {f["rule"] for f in json.loads(proc.stdout) if f["blocks"]}
    uncovered = sorted(can_block - blocking - set(NOT_RUNNABLE_HERE))
    assert not uncovered, f"rules that can claim a backend with no blocking finding in {CLAIMS.name}/: {uncovered}"
    # An exception that a program now covers is no longer one.
    assert not blocking & set(NOT_RUNNABLE_HERE), sorted(blocking & set(NOT_RUNNABLE_HERE))


@pytest.mark.timeout(1800)
def test_claimed_backends_are_where_the_program_fails(outcomes):
    wrong = []
    for name, (findings, runs) in outcomes.items():
        claimed = {b for f in findings for b in f["blocks"]}
        failed = {b for b, result in runs.items() if not result.ok}
        if claimed != failed:
            rules = sorted({f["rule"] for f in findings})
            errors = "; ".join(f"{b}: {runs[b].error}" for b in sorted(failed - claimed))
            wrong.append(f"{name} ({', '.join(rules)}): claims {sorted(claimed)}, fails on {sorted(failed)}"
                         + (f" ({errors})" if errors else ""))
    assert not wrong, "finding claims that running contradicts:\n" + "\n".join(wrong)
