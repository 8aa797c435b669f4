"""Plan a run, schedule its (notebook, backend) tasks, and assemble the report.

Scheduling: `jobs == 1` runs tasks in this process as one lane; more jobs split
the tasks round-robin into that many lanes in a local process pool. A lane
starts each next kernel while the current task runs (`execute.run_tasks`).
`cluster` submits each task to Dask distributed (an address, or "local" for a
`LocalCluster`). Each task runs the same way everywhere (`execute.run_task` is
a lane of one), which is why a cluster run gives the same report as a local one.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import shutil
import sys
import tempfile
import time

from .. import __version__
from . import analyser, assemble, inputs, workdir
from .execute import run_task, run_tasks


class Plan:
    """What to run: notebooks (loaded, with static findings) and the tasks for them."""

    def __init__(self):
        self.notebooks = []  # per input file: {"path", "runnable"|None, "error", "variants": {name: {...}}}
        self.tasks = []


def plan(paths, backends, timeout, fixed=False, exclude=None):
    result = Plan()
    files, errors = inputs.collect_files(paths, exclude)
    for error in errors:
        result.notebooks.append({"path": error.path, "error": error.reason, "runnable": None, "variants": {}})
    for path in files:
        entry = {"path": path, "error": None, "runnable": None, "variants": {}}
        result.notebooks.append(entry)
        try:
            runnable = inputs.load(path)
        except inputs.InputError as error:
            entry["error"] = error.reason
            continue
        if runnable.language != "python":
            entry["error"] = "not a Python notebook (kernel language %s)" % runnable.language
            continue
        entry["runnable"] = runnable
        cwd = os.path.dirname(os.path.abspath(path))
        variants = [("original", runnable)]
        entry["variants"]["original"] = {}
        if fixed:
            try:
                fixed_runnable, applied = _fixed_copy(path)
                variants.append(("fixed", fixed_runnable))
                entry["variants"]["fixed"] = {"applied": applied["count"], "findings": applied["findings_after"], "static_error": None}
            except (analyser.AnalyserUnavailable, inputs.InputError) as error:
                entry["variants"]["fixed"] = {"error": "no fixed copy: %s" % error}
        # Each run works in a scratch copy of the folder; a notebook whose code names paths
        # runs cannot keep apart (absolute, "..", linked) runs one at a time (runner.workdir).
        where = workdir.placement("\n".join(_code_text(r.notebook) for _, r in variants), cwd)
        entry["placement"] = where
        for name, variant_runnable in variants:
            info = entry["variants"].setdefault(name, {})
            info["runnable"] = variant_runnable
            if name == "original":
                # Filled in by analyse(the_plan), which may run while the kernels do.
                info["findings"], info["static_error"] = [], "static analysis did not run"
            for backend in backends:
                result.tasks.append({
                    "path": path,
                    "variant": name,
                    "backend": backend,
                    "notebook": dict(variant_runnable.notebook),
                    "cwd": cwd,
                    "in_folder": where.in_folder,
                    "shared": where.shared,
                    "timeout": timeout,
                })
    return result


def _code_text(notebook):
    cells = notebook.get("cells") or []
    return "\n".join("".join(c.get("source") or "") if isinstance(c.get("source"), list) else (c.get("source") or "")
                     for c in cells if c.get("cell_type") == "code")


def units(tasks):
    """Positions of `tasks` grouped into what may run at the same time as anything else: each
    task alone, except that all `shared` tasks form one unit that runs one task after another."""
    shared = [i for i, task in enumerate(tasks) if task.get("shared")]
    alone = [[i] for i, task in enumerate(tasks) if not task.get("shared")]
    return ([shared] if shared else []) + alone


def lanes_for(tasks, jobs):
    """Task positions per lane: the units dealt in turn to the lane with the fewest tasks so far
    (for tasks that are all alone, round-robin: a notebook's backends run side by side)."""
    lanes = [[] for _ in range(min(jobs, len(tasks)))]
    for unit in sorted(units(tasks), key=lambda u: u[0]):
        min(lanes, key=len).extend(unit)
    return [sorted(lane) for lane in lanes if lane]


def analyse(the_plan):
    """Static findings for every original in the plan, in one analyser call.

    The kernels do not need them, so `run` calls this while the backends run
    (`execute_with_analysis`): a run no longer waits for the analyser before its
    first kernel starts. When the one call fails (an input the analyser rejects),
    each file is checked on its own, so one bad file costs only its own findings.
    """
    originals = [e["variants"]["original"] for e in the_plan.notebooks if "original" in e["variants"]]
    paths = [e["path"] for e in the_plan.notebooks if "original" in e["variants"]]
    if not paths:
        return
    try:
        findings = analyser.check(paths)
    except analyser.AnalyserUnavailable:
        for path, info in zip(paths, originals):
            try:
                info["findings"], info["static_error"] = analyser.check(path), None
            except analyser.AnalyserUnavailable as error:
                info["findings"], info["static_error"] = [], str(error)
        return
    by_path = {}
    for finding in findings:
        by_path.setdefault(os.path.abspath(finding.get("path") or ""), []).append(finding)
    for path, info in zip(paths, originals):
        info["findings"], info["static_error"] = by_path.get(os.path.abspath(path), []), None


def execute_with_analysis(the_plan, jobs=1, cluster=None, progress=None):
    """execute(the_plan.tasks, ...) with the static analysis running beside it; the results."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(analyse, the_plan)
        try:
            return execute(the_plan.tasks, jobs=jobs, cluster=cluster, progress=progress)
        finally:
            pending.result()


def _fixed_copy(path):
    """(RunnableNotebook of a temporary copy with safe fixes applied, number of findings fixed, its findings).

    The copy lives in a temporary folder that is removed before returning;
    the original file is never opened for writing.
    """
    folder = tempfile.mkdtemp(prefix="keras-migrate-fixed-")
    try:
        copy = os.path.join(folder, os.path.basename(path))
        shutil.copyfile(path, copy)
        applied, after = analyser.apply_safe_fixes(copy)
        runnable = inputs.load(copy)
        runnable.path = path
        return runnable, {"count": applied, "findings_after": after}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def execute(tasks, jobs=1, cluster=None, progress=None):
    """Backend results in task order."""
    if not tasks:
        return []
    if cluster:
        return _execute_dask(tasks, cluster, jobs, progress)
    if jobs <= 1 or len(tasks) == 1:
        if progress:
            for task in tasks:
                progress.task_started(task)
        return run_tasks(tasks, progress.event if progress else None, progress.task_done if progress else None)
    # Lanes: each worker runs its share of the tasks one after another, starting the next
    # kernel while the current one runs (run_tasks). Round-robin keeps a notebook's backends
    # in different lanes, so they run at the same time; shared tasks all go to one lane.
    lanes = lanes_for(tasks, jobs)
    # Spawned workers: no inherited event loops, ZMQ contexts or threads from this process.
    context = multiprocessing.get_context("spawn")
    relay = _EventRelay(context, progress, tasks) if progress else None
    try:
        # One lane per worker process: a worker that is ready first must not take a second lane
        # (it would run that lane's tasks after its own, not beside them).
        once = {"max_tasks_per_child": 1} if sys.version_info >= (3, 11) else {}
        with concurrent.futures.ProcessPoolExecutor(max_workers=len(lanes), mp_context=context, **once) as pool:
            futures = {}
            for lane in lanes:
                lane_tasks = [tasks[position] for position in lane]
                futures[pool.submit(_run_lane, lane_tasks, relay.sender if relay else None)] = lane
                if progress:
                    for task in lane_tasks:
                        progress.task_started(task)
            results = [None] * len(tasks)
            for future in concurrent.futures.as_completed(futures):
                for position, result in zip(futures[future], future.result()):
                    results[position] = result
            return results
    finally:
        if relay:
            relay.close()


def _run_shared(tasks, sender):
    """Shared tasks on a cluster: one after another in one worker; their results."""
    return run_tasks(tasks, sender)


def _run_lane(tasks, sender):
    """A pool worker's share of the run; results go back at the end, progress as it happens."""
    on_done = None
    if sender is not None:
        def on_done(task, result):
            sender(task, "done", {"status": result["status"]})
    return run_tasks(tasks, sender, on_done)


class _QueueSender:
    """Picklable progress callback for pool workers: events go back through a queue."""

    def __init__(self, queue):
        self.queue = queue

    def __call__(self, task, event, data):
        small = {"path": task["path"], "variant": task["variant"], "backend": task["backend"]}
        self.queue.put((small, event, data))


class _EventRelay:
    """Brings workers' kernel and cell events to the progress object in this process."""

    def __init__(self, context, progress, tasks):
        import threading

        # Events carry (path, variant, backend); task_done hears the planned task itself.
        self.tasks = {(t["path"], t["variant"], t["backend"]): t for t in tasks}
        self.manager = context.Manager()
        self.queue = self.manager.Queue()
        self.sender = _QueueSender(self.queue)
        self.progress = progress
        self.thread = threading.Thread(target=self._relay, daemon=True)
        self.thread.start()

    def _relay(self):
        while True:
            try:
                item = self.queue.get()
            except (EOFError, OSError):
                return
            if item is None:
                return
            task, kind, data = item
            if kind == "done":
                planned = self.tasks.get((task["path"], task["variant"], task["backend"]), task)
                self.progress.task_done(planned, data)
            else:
                self.progress.event(task, kind, data)

    def close(self):
        try:
            self.queue.put(None)
            self.thread.join(timeout=5)
        finally:
            self.manager.shutdown()


class _DaskSender:
    """Picklable progress callback for Dask tasks: events go back through a distributed Queue."""

    def __init__(self, name):
        self.name = name
        self.queue = None

    def __getstate__(self):
        return {"name": self.name, "queue": None}

    def __call__(self, task, event, data):
        from dask.distributed import Queue

        if self.queue is None:
            self.queue = Queue(self.name)
        small = {"path": task["path"], "variant": task["variant"], "backend": task["backend"]}
        self.queue.put((small, event, data))


def _relay_dask_events(queue, progress, stop):
    """Hand workers' kernel and cell events to `progress` until `stop` is set and the queue is empty."""
    while True:
        try:
            item = queue.get(timeout=0.5)
        except Exception:  # a timeout: nothing new
            if stop.is_set():
                return
            continue
        progress.event(*item)


def _execute_dask(tasks, cluster, jobs, progress):
    try:
        from dask.distributed import Client, LocalCluster, Queue, as_completed
    except ImportError:
        raise RuntimeError("--cluster needs Dask: pip install 'jupyterlab-keras-migrate[cluster]'") from None
    import threading
    import uuid

    local = None
    if cluster == "local":
        # One task per worker process at a time: each task runs a whole kernel.
        local = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(local)
    else:
        client = Client(cluster)
    relay = stop = None
    try:
        senders = [None] * len(tasks)
        if progress:
            name = "keras-migrate-progress-%s" % uuid.uuid4().hex
            queue = Queue(name, client=client)
            senders = [_DaskSender(name)] * len(tasks)
            stop = threading.Event()
            relay = threading.Thread(target=_relay_dask_events, args=(queue, progress, stop), daemon=True)
            relay.start()
        # pure=False: the same (notebook, backend) run twice is two runs, not a cached result.
        # Shared tasks (runner.workdir) are one Dask task that runs them one after another.
        groups = units(tasks)
        alone = [g[0] for g in groups if not tasks[g[0]].get("shared")]
        futures = client.map(run_task, [tasks[i] for i in alone], [senders[i] for i in alone], pure=False,
                             key=["km-run-%d-%s" % (i, tasks[i]["backend"]) for i in alone])
        position = {future.key: [i] for i, future in zip(alone, futures)}
        for group in groups:
            if tasks[group[0]].get("shared"):
                future = client.submit(_run_shared, [tasks[i] for i in group], senders[group[0]], pure=False,
                                       key="km-run-shared-%d" % group[0])
                futures.append(future)
                position[future.key] = group
        if progress:
            for task in tasks:
                progress.task_started(task)
        results = [None] * len(tasks)
        for future in as_completed(futures):
            group = position[future.key]
            done = future.result()
            for i, result in zip(group, done if isinstance(done, list) else [done]):
                results[i] = result
                if progress:
                    progress.task_done(tasks[i], result)
        return results
    finally:
        if relay is not None:
            stop.set()
            relay.join(timeout=10)
        client.close()
        if local is not None:
            local.close()


def build_report(the_plan, results, backends, options):
    by_key = {(r["path"], r["variant"], r["backend"]): r for r in results}
    notebooks = []
    for entry in the_plan.notebooks:
        notebook = {"path": entry["path"], "error": entry["error"], "kind": None, "status": "unreadable" if entry["error"] else None, "cells": [], "variants": {}}
        runnable = entry["runnable"]
        if runnable is not None:
            notebook["kind"] = runnable.kind
            notebook["cells"] = assemble.notebook_cells(runnable)
            for name, info in entry["variants"].items():
                if "error" in info and "runnable" not in info:
                    notebook["variants"][name] = {"error": info["error"]}
                    continue
                runs = [by_key[(entry["path"], name, b)] for b in backends if (entry["path"], name, b) in by_key]
                variant = assemble.variant_report(info["runnable"], info["findings"], info["static_error"], runs, info.get("applied"))
                variant["status"] = assemble.notebook_status(variant, backends)
                notebook["variants"][name] = variant
            notebook["status"] = notebook["variants"]["original"]["status"]
        notebooks.append(notebook)
    return {
        "$schema": assemble.SCHEMA_ID,
        "schema_version": assemble.SCHEMA_VERSION,
        "tool": {"name": "keras-migrate run", "version": __version__, "keras": _keras_version()},
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "options": options,
        "backends": list(backends),
        "notebooks": notebooks,
        "summary": assemble.aggregate(notebooks, backends),
    }


def _keras_version():
    from ..backends import installed_keras_version

    return installed_keras_version()


def exit_code(report):
    """0: every requested backend ran every notebook (environment problems and
    backends that are not installed do not count); 1: a backend failed a
    notebook; 2: an input could not be read. With --fixed the original decides:
    the fixed copy is advice, not the code that was asked about."""
    if any(notebook["error"] for notebook in report["notebooks"]):
        return 2
    if any(notebook["variants"]["original"]["status"] == "failed" for notebook in report["notebooks"]):
        return 1
    return 0
