"""Run one notebook on one backend in a fresh kernel, cell by cell, with nbclient.

`run_task(task)` is the unit of work the local pool and Dask both schedule: it
takes and returns plain JSON-able dicts, so it can cross process and machine
boundaries. The kernel gets `KERAS_BACKEND` in its process environment (set
before the interpreter starts, so before any user code) and loads the
`keras_migrate` hook with the same command-line option the provisioner uses.

Every code cell runs even after an earlier one failed (nbclient with
`allow_errors`), so one run shows every independent problem; errors that only
follow from an earlier failure are marked as consequences. A cell that times
out is interrupted and the run goes on; a kernel that dies or does not stop
after the interrupt leaves the remaining cells `not-run`.
"""

from __future__ import annotations

import asyncio
import os
import time

from ..backends import ENV_VAR
from ..hook import MIME_TYPE as DIAGNOSIS_MIME
from ..provisioner import HOOK_ARGUMENT
from . import classify, workdir

KERNEL_NAME = "python3"
STARTUP_TIMEOUT = 120
# A kernel that dies or never answers before the first cell is the machine's trouble (a busy
# machine, a port another process took between its pick and the kernel's bind), not the
# notebook's: the run starts a fresh kernel, this many times in all.
KERNEL_START_ATTEMPTS = 3
# After a timed-out cell is interrupted, how long the kernel may take to answer again.
INTERRUPT_GRACE = 15
MESSAGE_HEAD = 300
# IPython history in memory, as nbclient starts its kernels: throwaway kernels write no history file.
HISTORY_ARGUMENT = "--HistoryManager.hist_file=:memory:"


def backend_installation(backend):
    """None when Keras 3 and the backend are installed here, else why not."""
    from .. import environment
    from ..backends import installed_keras_version, parse_version

    keras_version = installed_keras_version()
    if keras_version is None or (parse_version(keras_version) or (0,)) < (3,):
        return "Keras 3 is not installed" + ("" if keras_version is None else " (found Keras %s)" % keras_version)
    if not environment._installed(backend)["installed"]:
        return "%s is not installed" % backend
    return None


class KernelStartError(Exception):
    """The kernel did not start or never answered; no cell of the notebook ran."""


def _head(text, limit=MESSAGE_HEAD):
    text = classify.strip_ansi(text or "").strip()
    first = text.splitlines()[0] if text else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"


def _kernel_env(backend):
    env = dict(os.environ)
    env[ENV_VAR] = backend
    # Quieter TensorFlow start; no GPU probing differences between runs.
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def _kernel_launch_arguments(task):
    import subprocess

    env = _kernel_env(task["backend"])
    env["TMPDIR"] = _workdir(task)[2]  # `tempfile` paths are this run's own (see workdir)
    # The kernel's own console chatter (transport warnings, TF start-up logs) is
    # not the notebook's output; keep it off the user's terminal.
    return {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}


def _workdir(task):
    """(root, working folder, TMPDIR) of this task's run, made on first use (runner.workdir):
    a scratch copy of the notebook's folder, or with task["in_folder"] the folder itself."""
    if "_workdir" not in task:
        folder = task.get("cwd") or os.getcwd()
        task["_workdir"] = workdir.create(folder, in_folder=bool(task.get("in_folder")))
    return task["_workdir"]


def _release_workdir(task):
    """Delete the run's scratch folder (never the notebook's own)."""
    made = task.pop("_workdir", None)
    if made is not None:
        workdir.remove(made[0])


def _outcome_of(cell):
    """(error dict or None, diagnoses) from a cell's outputs."""
    error = None
    diagnoses = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error" and error is None:
            error = {
                "type": output.get("ename") or "Error",
                "message": classify.message_head(output.get("evalue")),
                "traceback": [classify.strip_ansi(line) for line in output.get("traceback") or []],
            }
        elif output.get("output_type") == "display_data" and DIAGNOSIS_MIME in output.get("data", {}):
            diagnosis = output["data"][DIAGNOSIS_MIME]
            if isinstance(diagnosis, dict):
                diagnoses.append(diagnosis)
    return error, diagnoses


def _public_diagnosis(diagnosis):
    """The fields of the hook's diagnosis the report carries (all of them text or numbers)."""
    if not diagnosis:
        return None
    keep = ("guide", "title", "fix", "explanation", "line", "cell", "cell_line_text", "signature", "kind", "guide_url")
    return {key: diagnosis.get(key) for key in keep}


def new_cell_result(index, status, **extra):
    result = {
        "index": index,
        "status": status,
        "seconds": None,
        "execution_count": None,
        "error": None,
        "environment": None,
        "consequence_of": None,
        "diagnosis": None,
        "reason": None,
    }
    result.update(extra)
    return result


def run_task(task, progress=None):
    """Execute task["notebook"] on task["backend"]; the backend result dict.

    task: {"path", "variant", "backend", "notebook" (nbformat dict), "cwd", "timeout"}.
    progress(task, event, data), when given, hears ("kernel", {"pid"}) once the
    kernel runs and ("cell", {"position", "count", "index"}) before each code cell.
    """
    return run_tasks([task], progress)[0]


def run_tasks(tasks, progress=None, on_done=None):
    """Run `tasks` one after another (a lane), each in its own fresh kernel; their results.

    While one task runs, the next one's kernel is already starting, so a lane pays a
    kernel start once rather than per task. on_done(task, result) hears each result.
    """
    return asyncio.run(_run_lane(tasks, progress, on_done))


async def _run_lane(tasks, progress, on_done):
    results = []
    warm = None  # (position, kernel manager, its start) for the task after the current one
    try:
        for position, task in enumerate(tasks):
            prestarted = None
            if warm is not None and warm[0] == position:
                prestarted, warm = warm[1:], None
            following = tasks[position + 1] if position + 1 < len(tasks) else None
            if following is not None and backend_installation(following["backend"]) is None:
                warm = (position + 1,) + _prestart(following)
            result = await _run_one(task, progress, prestarted)
            results.append(result)
            if on_done is not None:
                on_done(task, result)
    finally:
        if warm is not None:
            await _discard(*warm[1:])
    return results


def _start_arguments(task):
    # What nbclient itself would pass when starting a kernel for this task.
    return dict(_kernel_launch_arguments(task), extra_arguments=[HOOK_ARGUMENT, HISTORY_ARGUMENT],
                cwd=_workdir(task)[1])


def _new_manager():
    """A kernel manager that takes its ports from the process-wide port cache.

    Without the cache (a standalone manager's default) two kernels starting at the same
    time in one process can pick the same free ports, and one dies at start ("Kernel died
    before replying to kernel_info"): a lane starts the next kernel while one runs.
    """
    from jupyter_client.manager import AsyncKernelManager

    return AsyncKernelManager(kernel_name=KERNEL_NAME, cache_ports=True, kernel_spec_manager=_runner_kernel_specs())


def _runner_kernel_specs():
    """The kernel specs, with this Python's own IPython kernel started through
    `keras_migrate.runner.kernel` (no debugger: a faster start for throwaway kernels).

    A kernel spec that runs another interpreter (a conda environment, a custom
    kernel command) is left as it is.
    """
    import sys

    from jupyter_client.kernelspec import KernelSpecManager

    class RunnerKernelSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            spec = super().get_kernel_spec(kernel_name)
            argv = list(spec.argv)
            if argv[1:3] == ["-m", "ipykernel_launcher"] and argv[0] in ("python", "python3", sys.executable):
                spec.argv = [argv[0], "-m", "keras_migrate.runner.kernel"] + argv[3:]
            return spec

    return RunnerKernelSpecs()


def _prestart(task):
    """(kernel manager, future of its start, the task) for a task that runs next."""
    manager = _new_manager()
    return manager, asyncio.ensure_future(manager.start_kernel(**_start_arguments(task))), task


async def _discard(manager, starting, task):
    """Stop a prestarted kernel that no task took (the run ended or failed first)."""
    try:
        await starting
    except Exception:
        pass
    await _stop_kernel(manager)
    _release_workdir(task)


async def _stop_kernel(manager):
    """Stop a kernel the runner gives up on and free its ports and files; never raises."""
    try:
        if manager.has_kernel:
            await manager.shutdown_kernel(now=True)
    except Exception:
        pass
    try:
        manager.cleanup_resources()
    except Exception:
        pass


async def _run_one(task, progress, prestarted):
    started = time.time()
    result = {
        "path": task["path"],
        "variant": task["variant"],
        "backend": task["backend"],
        "status": None,
        "reason": None,
        "started": started,
        "seconds": None,
        "kernel_start_seconds": None,
        "kernel_stop_seconds": None,
        "kernel_start_failures": [],
        "cells": [],
    }
    clock = time.monotonic()
    try:
        missing = backend_installation(task["backend"])
        if missing:
            result["status"], result["reason"] = "not-installed", missing
            result["cells"] = [new_cell_result(i, "skipped", reason=missing) for i in _code_indices(task["notebook"])]
        else:
            manager, waited = _new_manager(), 0.0
            if prestarted is not None:
                manager, starting, _ = prestarted
                prestarted = None
                await starting
                waited = time.monotonic() - clock
            for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
                try:
                    await _run_cells(task, result, progress, manager, waited)
                    break
                except KernelStartError as failure:
                    result["kernel_start_failures"].append(str(failure))
                    if attempt == KERNEL_START_ATTEMPTS:
                        raise
                    manager, waited = _new_manager(), 0.0
            result["status"], result["reason"] = summarize_status(result["cells"])
    except Exception as error:  # the runner itself failed: report it, never crash the whole run
        result["status"] = "error"
        if isinstance(error, KernelStartError):
            result["reason"] = "the kernel did not start (%d tries): %s" % (KERNEL_START_ATTEMPTS, error)
        else:
            result["reason"] = "%s: %s" % (type(error).__name__, _head(str(error)))
        ran = {cell["index"] for cell in result["cells"]}
        result["cells"] += [new_cell_result(i, "not-run", reason=result["reason"]) for i in _code_indices(task["notebook"]) if i not in ran]
    finally:
        if prestarted is not None:  # never reached the kernel it was given
            await _discard(*prestarted)
        _release_workdir(task)
    result["seconds"] = round(time.monotonic() - clock, 3)
    return result


def _code_indices(notebook):
    return [i for i, cell in enumerate(notebook["cells"]) if cell.get("cell_type") == "code"]


def summarize_status(cells):
    """(status, reason) of a whole backend run from its cells."""
    failures = [c for c in cells if c["status"] == "error" and not c["environment"] and c["consequence_of"] is None]
    if failures:
        first = failures[0]
        return "failed", "cell %d: %s" % (first["index"], failure_text(first))
    timeouts = [c for c in cells if c["status"] == "timeout"]
    if timeouts:
        return "timeout", "cell %d: %s" % (timeouts[0]["index"], timeouts[0]["reason"])
    stopped = [c for c in cells if c["status"] == "not-run"]
    environment = [c for c in cells if c["environment"]]
    if environment:
        return "environment", "cell %d: %s" % (environment[0]["index"], environment[0]["environment"])
    if stopped:
        return "error", stopped[0]["reason"]
    return "ok", None


def failure_text(cell):
    diagnosis = cell.get("diagnosis")
    if diagnosis and diagnosis.get("title"):
        return diagnosis["title"]
    error = cell.get("error") or {}
    return ("%s: %s" % (error.get("type"), error.get("message"))).strip(": ") or (cell.get("reason") or "failed")


async def _run_cells(task, result, progress, manager=None, waited=0.0):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.from_dict(task["notebook"])
    client = NotebookClient(
        notebook,
        km=manager,
        kernel_name=KERNEL_NAME,
        timeout=task.get("timeout") or None,
        startup_timeout=STARTUP_TIMEOUT,
        allow_errors=True,
        interrupt_on_timeout=False,
        # Throwaway kernels: no graceful shutdown handshake to wait for.
        shutdown_kernel="immediate",
        extra_arguments=[HOOK_ARGUMENT],
        resources={"metadata": {"path": _workdir(task)[1]}},
    )
    clock = time.monotonic()
    # A prestarted kernel (run_tasks) only needs its client; otherwise nbclient starts this one.
    # cleanup_kc: nbclient stops only kernels it started itself unless told to.
    entered = False
    try:
        async with client.async_setup_kernel(cleanup_kc=True, **_kernel_launch_arguments(task)):
            entered = True
            await _execute_cells(client, notebook, task, result, progress, clock, waited)
            stop_clock = time.monotonic()
    except Exception as error:
        if entered:
            raise
        await _abandon_kernel(client)
        raise KernelStartError("%s: %s" % (type(error).__name__, _head(str(error)))) from error
    result["kernel_stop_seconds"] = round(time.monotonic() - stop_clock, 3)


async def _abandon_kernel(client):
    """Stop what is left of a kernel that failed to start, and nbclient's exit-time cleanup
    of it: that cleanup runs when the process ends and fails on a client it already reset."""
    import atexit

    atexit.unregister(client._cleanup_kernel)
    if client.km is not None:
        await _stop_kernel(client.km)


async def _execute_cells(client, notebook, task, result, progress, clock, waited):
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    code = _code_indices(task["notebook"])
    cells = result["cells"]
    undefined = {}  # name -> index of the failed cell that should have bound it
    stop_reason = None
    # With a prestarted kernel: what was left of its start when the task began, plus connecting.
    result["kernel_start_seconds"] = round(time.monotonic() - clock + waited, 3)
    if progress is not None:
        process = getattr(getattr(client.km, "provisioner", None), "process", None)
        progress(task, "kernel", {"pid": getattr(process, "pid", None)})
    for position, index in enumerate(code):
        cell = notebook.cells[index]
        if stop_reason:
            cells.append(new_cell_result(index, "not-run", reason=stop_reason))
            continue
        if not cell.source.strip():
            cells.append(new_cell_result(index, "skipped", reason="empty cell"))
            continue
        if progress is not None:
            progress(task, "cell", {"position": position, "count": len(code), "index": index})
        began = time.monotonic()
        try:
            await client.async_execute_cell(cell, index)
            timed_out = False
        except CellTimeoutError:
            timed_out = True
        except DeadKernelError:
            entry = new_cell_result(index, "error", reason="the kernel died while running this cell")
            entry["error"] = {"type": "DeadKernelError", "message": "the kernel died", "traceback": []}
            entry["seconds"] = round(time.monotonic() - began, 3)
            cells.append(entry)
            stop_reason = "the kernel died in cell %d" % index
            continue
        entry = new_cell_result(index, "ok", seconds=round(time.monotonic() - began, 3))
        entry["execution_count"] = cell.get("execution_count")
        if timed_out:
            entry["status"] = "timeout"
            entry["reason"] = "no result after %s s" % task.get("timeout")
            if not await _interrupt(client):
                stop_reason = "the kernel did not stop after cell %d timed out" % index
            for name in classify.defined_names(cell.source):
                undefined.setdefault(name, index)
            cells.append(entry)
            continue
        error, diagnoses = _outcome_of(cell)
        errors_diagnosed = [d for d in diagnoses if d.get("kind") != "warning"]
        if error is not None:
            entry["status"] = "error"
            entry["error"] = error
            diagnosis = errors_diagnosed[0] if errors_diagnosed else (diagnoses[0] if diagnoses else None)
            entry["diagnosis"] = _public_diagnosis(diagnosis)
            name = classify.missing_name(error["type"], error["message"])
            if name is not None and name in undefined:
                entry["consequence_of"] = undefined[name]
            elif not (diagnosis and diagnosis.get("guide")):
                entry["environment"] = classify.environment_reason(error["type"], error["message"], "\n".join(error["traceback"]))
            for name in classify.defined_names(cell.source):
                undefined.setdefault(name, entry["consequence_of"] if entry["consequence_of"] is not None else index)
        else:
            if diagnoses:
                entry["status"] = "warning"
                entry["diagnosis"] = _public_diagnosis(diagnoses[0])
            for name in classify.defined_names(cell.source):
                undefined.pop(name, None)
        cells.append(entry)


async def _interrupt(client):
    """Interrupt the kernel after a timeout; True once it answers again."""
    from jupyter_client.utils import ensure_async

    try:
        await ensure_async(client.km.interrupt_kernel())
        # Shell requests are handled in order: the kernel_info reply comes once the cell has stopped.
        msg_id = client.kc.kernel_info()
        deadline = time.monotonic() + INTERRUPT_GRACE
        while time.monotonic() < deadline:
            try:
                message = await ensure_async(client.kc.shell_channel.get_msg(timeout=max(0.1, deadline - time.monotonic())))
            except Exception:
                return False
            if message["parent_header"].get("msg_id") == msg_id:
                return True
    except Exception:
        return False
    return False
