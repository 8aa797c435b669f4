"""From backend runs and static findings to the report (schema: docs/run-report.md).

Static vs dynamic, per code cell and backend. A *failure* is a cell in error
that is neither an environment problem nor a consequence of an earlier
failure. The cells a failure implicates are the failing cell, the cells its
traceback passes through and the cell the hook's diagnosis points at (for
instance the cell that defined the layer whose `call` fails during `fit`).

- predicted-and-failed: a failing cell, and a finding claiming to block this
  backend sits in one of the cells it implicates;
- static-miss: a failing cell, and no implicated cell has such a finding;
- false-blocker: a cell with a finding claiming to block this backend that ran
  (ok or warning) and that no failure implicates.

Cells that did not run, timed out, or failed for environment reasons or as a
consequence get no verdict: the run says nothing about them.
"""

from __future__ import annotations

import collections

from . import classify

SCHEMA_ID = "https://jupyterlab-keras-migrate.invalid/schema/run-report-1.json"
SCHEMA_VERSION = 1
FAILED_STATUSES = ("failed", "timeout", "error")


def findings_by_cell(findings, runnable):
    """{notebook cell index: [finding]}; .py findings (cell null) are placed by their line."""
    by_cell = collections.defaultdict(list)
    for finding in findings or []:
        index = finding.get("cell")
        if index is None:
            if runnable.kind != "python" or not runnable.first_lines:
                continue
            line = finding.get("line") or 1
            index = max((i for i, first in enumerate(runnable.first_lines) if first <= line), default=0)
            finding = dict(finding, line=line - runnable.first_lines[index] + 1)
        by_cell[index].append(finding)
    return by_cell


def _static_entry(finding):
    return {
        "rule": finding.get("rule"),
        "guide": finding.get("guide"),
        "severity": finding.get("severity"),
        "line": finding.get("line"),
        "message": finding.get("message"),
        "blocks": list(finding.get("blocks") or []),
        "fix": (finding.get("fix") or {}).get("title"),
        "safe_fix": bool((finding.get("fix") or {}).get("safe")),
    }


def is_failure(cell):
    return cell["status"] == "error" and not cell["environment"] and cell["consequence_of"] is None


def compare(backend_run, static_by_cell):
    """Fill each cell's "static" and "verdict"; return the disagreements."""
    backend = backend_run["backend"]
    by_count = {c["execution_count"]: c["index"] for c in backend_run["cells"] if c["execution_count"] is not None}
    blocking = {
        index: [f for f in findings if backend in f["blocks"]]
        for index, findings in static_by_cell.items()
    }
    implicated_by_failures = set()
    for cell in backend_run["cells"]:
        cell["static"] = blocking.get(cell["index"], [])
        cell["verdict"] = None
        cell["implicates"] = []
        cell["predicted_in"] = []
        if not is_failure(cell):
            continue
        implicated = {cell["index"]}
        for count in classify.referenced_execution_counts((cell.get("error") or {}).get("traceback")):
            if count in by_count:
                implicated.add(by_count[count])
        diagnosis_count = (cell.get("diagnosis") or {}).get("cell")
        if isinstance(diagnosis_count, int) and diagnosis_count in by_count:
            implicated.add(by_count[diagnosis_count])
        cell["implicates"] = sorted(implicated)
        implicated_by_failures |= implicated
        predicted = [i for i in sorted(implicated) if blocking.get(i)]
        cell["verdict"] = "predicted-and-failed" if predicted else "static-miss"
        cell["predicted_in"] = predicted
    for cell in backend_run["cells"]:
        if cell["verdict"] is None and cell["static"] and cell["status"] in ("ok", "warning") and cell["index"] not in implicated_by_failures:
            cell["verdict"] = "false-blocker"
    return [
        {"cell": c["index"], "backend": backend, "kind": c["verdict"],
         "rules": sorted({f["rule"] for f in c["static"]}),
         "error": failure_summary(c) if c["verdict"] == "static-miss" else None}
        for c in backend_run["cells"] if c["verdict"] in ("static-miss", "false-blocker")
    ]


def failure_summary(cell):
    error = cell.get("error") or {}
    diagnosis = cell.get("diagnosis") or {}
    return {
        "type": error.get("type"),
        "message": error.get("message"),
        "guide": diagnosis.get("guide"),
        "title": diagnosis.get("title"),
    }


def backend_summary(backend_run):
    cells = backend_run["cells"]
    ran = [c for c in cells if c["status"] != "skipped"]
    ok = [c for c in ran if c["status"] in ("ok", "warning")]
    first = next((c for c in cells if is_failure(c) or c["status"] == "timeout"), None)
    return {
        "cells": len(ran),
        "ok": len(ok),
        "failures": sum(1 for c in cells if is_failure(c)),
        "consequences": sum(1 for c in cells if c["consequence_of"] is not None),
        "environment": sum(1 for c in cells if c["environment"]),
        "timeouts": sum(1 for c in cells if c["status"] == "timeout"),
        "first_failure": None if first is None else {
            "cell": first["index"],
            "status": first["status"],
            "text": first.get("reason") if first["status"] == "timeout" else failure_text(first),
            "guide": (first.get("diagnosis") or {}).get("guide"),
        },
    }


def failure_text(cell):
    from .execute import failure_text as text

    return text(cell)


def variant_report(runnable, findings, static_error, backend_runs, applied_fixes=None):
    static_by_cell = {
        index: [_static_entry(f) for f in items] for index, items in findings_by_cell(findings, runnable).items()
    }
    disagreements = []
    backends = {}
    for run in backend_runs:
        if run["status"] != "not-installed" and static_error is None:
            disagreements += compare(run, static_by_cell)
        else:
            for cell in run["cells"]:
                cell.setdefault("static", [f for f in static_by_cell.get(cell["index"], []) if run["backend"] in f["blocks"]])
                cell.setdefault("verdict", None)
                cell.setdefault("implicates", [])
                cell.setdefault("predicted_in", [])
        run["summary"] = backend_summary(run)
        backends[run["backend"]] = {k: v for k, v in run.items() if k not in ("path", "variant")}
    report = {
        "static": {
            "available": static_error is None,
            "reason": static_error,
            "findings": sum(len(v) for v in static_by_cell.values()),
        },
        "backends": backends,
        "disagreements": sorted(disagreements, key=lambda d: (d["cell"], d["backend"])),
    }
    if applied_fixes is not None:
        report["fixes_applied"] = applied_fixes
    return report


def notebook_cells(runnable):
    """One entry per code cell: where it is, and its first line for the reader."""
    entries = []
    for index in runnable.code_cell_indices():
        source = runnable.notebook.cells[index].source
        first = next((line for line in source.splitlines() if line.strip()), "")
        entry = {"index": index, "head": first[:120]}
        if runnable.kind == "python":
            entry["first_line"] = runnable.first_lines[index]  # a .py notebook has only code cells
        entries.append(entry)
    return entries


def notebook_status(variant, backends):
    """"ok" when every requested backend ran the whole notebook."""
    statuses = [variant["backends"][b]["status"] for b in backends if b in variant["backends"]]
    if any(s in FAILED_STATUSES for s in statuses):
        return "failed"
    if any(s == "environment" for s in statuses):
        return "environment"
    if statuses and all(s == "not-installed" for s in statuses):
        return "not-installed"
    return "ok"


def aggregate(notebooks, backends):
    """Summary over many notebooks: pass rate per backend, top failure causes, notebooks that run everywhere."""
    per_backend = {}
    causes = collections.Counter()
    cause_titles = {}
    for backend in backends:
        counts = collections.Counter()
        for notebook in notebooks:
            run = ((notebook.get("variants") or {}).get("original") or {}).get("backends", {}).get(backend)
            counts[run["status"] if run else "unreadable"] += 1
        considered = counts["ok"] + counts["failed"] + counts["timeout"] + counts["error"]
        per_backend[backend] = {
            "ok": counts["ok"],
            "failed": counts["failed"] + counts["timeout"] + counts["error"],
            "environment": counts["environment"],
            "not_installed": counts["not-installed"],
            "unreadable": counts["unreadable"],
            "pass_rate": round(counts["ok"] / considered, 4) if considered else None,
        }
    everywhere = []
    for notebook in notebooks:
        original = (notebook.get("variants") or {}).get("original")
        if not original:
            continue
        runs = [original["backends"].get(b) for b in backends]
        if runs and all(r and r["status"] == "ok" for r in runs):
            everywhere.append(notebook["path"])
        for run in original["backends"].values():
            for cell in run["cells"]:
                if is_failure(cell) or cell["status"] == "timeout":
                    diagnosis = cell.get("diagnosis") or {}
                    key = diagnosis.get("guide") or ("timeout" if cell["status"] == "timeout" else "unrecognised: %s" % (cell.get("error") or {}).get("type"))
                    causes[key] += 1
                    if diagnosis.get("title"):
                        cause_titles[key] = diagnosis["title"]
    return {
        "notebooks": len(notebooks),
        "backends": per_backend,
        "top_failure_causes": [
            {"guide": key, "title": cause_titles.get(key), "count": count} for key, count in causes.most_common(10)
        ],
        "run_everywhere": everywhere,
    }
