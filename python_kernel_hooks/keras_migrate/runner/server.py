"""Run jobs for JupyterLab: run a saved notebook on every backend in background kernels.

    POST   {base_url}keras-migrate/runs            {"path": "dir/nb.ipynb", "backends"?: [...], "timeout"?: s}
    GET    {base_url}keras-migrate/runs/{id}       progress, and the notebook's report once done
    DELETE {base_url}keras-migrate/runs/{id}       cancel: the run and its kernels are stopped

Each job is one `python -m keras_migrate run --progress-events` process in its
own process group, so the user's own kernels are never touched and cancelling
stops everything the job started: SIGTERM to the group (nbclient shuts its
kernel down), SIGKILL after a grace period, then every kernel pid the job
reported is checked to be gone (`kernels_left`). Jobs still running when the
server stops are cancelled the same way.

Job model: {"id", "path", "backends", "status": "running"|"done"|"cancelled"|"failed",
"error", "started", "finished", "progress": {"total", "done", "running": {backend: "cell i/n"}},
"kernel_pids", "kernels_left", "exit_code", "report": notebook report (docs/run-report.md) | null,
"file_last_modified", "code_sha256": code_cells_sha256 of the file when the job started}.
"""

from __future__ import annotations

import asyncio
import hashlib
import atexit
import json
import os
import signal
import sys
import tempfile
import time
import uuid

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from ..backends import TRAINING_BACKENDS, supported_backends

RUNS_ROUTE = r"keras-migrate/runs"
RUN_ROUTE = r"keras-migrate/runs/(?P<job_id>[0-9a-f]{32})"
STOP_GRACE = 10
MAX_FINISHED_JOBS = 50


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is not a running kernel.
    try:
        with open("/proc/%d/stat" % pid) as handle:
            return handle.read().split(") ", 1)[1][:1] != "Z"
    except OSError:
        return True



def code_cells_sha256(path):
    """SHA-256 (hex) of the notebook's code cell sources joined by NUL, or None.

    The sidebar hashes the open notebook's code cells the same way (src/runner/freshness.ts)
    to say whether the notebook changed since a run: outputs, markdown and metadata do
    not count.
    """
    try:
        with open(path, encoding="utf-8") as file:
            notebook = json.load(file)
        sources = []
        for cell in notebook.get("cells", []):
            if cell.get("cell_type") == "code":
                source = cell.get("source", "")
                sources.append("".join(source) if isinstance(source, list) else str(source))
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    return hashlib.sha256("\0".join(sources).encode("utf-8", "replace")).hexdigest()

class RunJob:
    def __init__(self, path, absolute_path, backends, timeout, log):
        self.id = uuid.uuid4().hex
        self.path = path
        self.absolute_path = absolute_path
        self.backends = backends
        self.timeout = timeout
        self.log = log
        self.status = "running"
        self.error = None
        self.started = time.time()
        self.finished = None
        self.total = len(backends)
        self.done = 0
        self.running = {}
        self.kernel_pids = []
        self.kernels_left = []
        self.exit_code = None
        self.report = None
        self.process = None
        self.folder = tempfile.mkdtemp(prefix="keras-migrate-job-")
        self.file_last_modified = None
        try:
            self.file_last_modified = os.path.getmtime(absolute_path)
        except OSError:
            pass
        self.code_sha256 = code_cells_sha256(absolute_path)
        self._stderr_tail = []
        self._task = None

    def model(self):
        return {
            "id": self.id,
            "path": self.path,
            "backends": self.backends,
            "status": self.status,
            "error": self.error,
            "started": self.started,
            "finished": self.finished,
            "progress": {"total": self.total, "done": self.done, "running": dict(self.running)},
            "kernel_pids": list(self.kernel_pids),
            "kernels_left": list(self.kernels_left),
            "exit_code": self.exit_code,
            "file_last_modified": self.file_last_modified,
            "code_sha256": self.code_sha256,
            "report": self.report,
        }

    async def start(self):
        report_path = os.path.join(self.folder, "report.json")
        argv = [sys.executable, "-m", "keras_migrate", "run", self.absolute_path,
                "--backends", ",".join(self.backends), "--jobs", str(len(self.backends)),
                "--timeout", str(self.timeout), "--format", "json", "--output", report_path, "--progress-events"]
        self.process = await asyncio.create_subprocess_exec(
            *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            stdin=asyncio.subprocess.DEVNULL, start_new_session=True, cwd=os.path.dirname(self.absolute_path) or None)
        self._task = asyncio.ensure_future(self._follow(report_path))

    async def _follow(self, report_path):
        async def read_errors():
            async for line in self.process.stderr:
                self._stderr_tail = (self._stderr_tail + [line.decode("utf-8", "replace").rstrip()])[-20:]

        errors = asyncio.ensure_future(read_errors())
        async for line in self.process.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            self._on_event(event)
        code = await self.process.wait()
        await errors
        if self.status == "cancelled":
            return
        self.exit_code = code
        self.finished = time.time()
        self.running = {}
        if code in (0, 1) and os.path.isfile(report_path):
            with open(report_path, encoding="utf-8") as handle:
                report = json.load(handle)
            self.report = report["notebooks"][0] if report.get("notebooks") else None
            self.status = "done"
        else:
            self.status = "failed"
            self.error = "\n".join(self._stderr_tail[-5:]) or "the run exited with code %s" % code
        self.kernels_left = [pid for pid in self.kernel_pids if _alive(pid)]

    def _on_event(self, event):
        backend = event.get("backend")
        kind = event.get("event")
        if kind == "kernel" and isinstance(event.get("pid"), int):
            self.kernel_pids.append(event["pid"])
        elif kind == "task":
            self.running[backend] = "starting"
        elif kind == "cell":
            self.running[backend] = "cell %d/%d" % (event["position"] + 1, event["count"])
        elif kind == "done":
            self.running.pop(backend, None)
            self.done += 1

    async def cancel(self):
        if self.status != "running":
            return
        self.status = "cancelled"
        self.finished = time.time()
        self.running = {}
        process = self.process
        if process is not None and process.returncode is None:
            for sig, wait in ((signal.SIGTERM, STOP_GRACE), (signal.SIGKILL, 5)):
                try:
                    os.killpg(process.pid, sig)
                except (ProcessLookupError, PermissionError):
                    break
                try:
                    await asyncio.wait_for(process.wait(), wait)
                    break
                except asyncio.TimeoutError:
                    continue
        # Kernels that outlived the runner (another session, or a stubborn process) are killed by pid.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(pid) for pid in self.kernel_pids):
            await asyncio.sleep(0.2)
        for pid in self.kernel_pids:
            if _alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        await asyncio.sleep(0.2)
        self.kernels_left = [pid for pid in self.kernel_pids if _alive(pid)]


class RunJobs:
    def __init__(self, log):
        self.log = log
        self.jobs = {}

    async def start(self, path, absolute_path, backends, timeout):
        job = RunJob(path, absolute_path, backends, timeout, self.log)
        self.jobs[job.id] = job
        finished = [j for j in self.jobs.values() if j.status != "running"]
        for old in sorted(finished, key=lambda j: j.started)[:-MAX_FINISHED_JOBS] if len(finished) > MAX_FINISHED_JOBS else []:
            self.jobs.pop(old.id, None)
        await job.start()
        return job

    def kill_all_now(self):
        """At server exit (no event loop any more): stop every running job's process group."""
        for job in self.jobs.values():
            process = job.process
            if job.status == "running" and process is not None and process.returncode is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    pass


class _RunHandler(APIHandler):
    # Runs start kernels: the same permission as starting a kernel.
    auth_resource = "kernels"

    @property
    def jobs(self):
        return self.settings["keras_migrate_run_jobs"]


class RunsHandler(_RunHandler):
    @web.authenticated
    @authorized
    async def post(self):
        try:
            body = json.loads(self.request.body or b"")
        except ValueError:
            raise web.HTTPError(400, "Body is not JSON") from None
        if not isinstance(body, dict) or not isinstance(body.get("path"), str) or not body["path"].strip():
            raise web.HTTPError(400, 'Body must be a JSON object {"path": "notebook.ipynb"}')
        backends = body.get("backends", list(TRAINING_BACKENDS))
        allowed = supported_backends()
        if not isinstance(backends, list) or not backends or any(b not in allowed for b in backends):
            raise web.HTTPError(400, "backends must be a non-empty list of %s" % ", ".join(allowed))
        timeout = body.get("timeout", 600)
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
            raise web.HTTPError(400, "timeout must be a positive number of seconds")
        absolute = self._absolute_path(body["path"])
        job = await self.jobs.start(body["path"], absolute, list(dict.fromkeys(backends)), timeout)
        self.set_status(201)
        self.finish(json.dumps(job.model()))

    def _absolute_path(self, path):
        root = os.path.realpath(self.settings.get("server_root_dir") or os.getcwd())
        absolute = os.path.realpath(os.path.join(root, path.lstrip("/")))
        # Only files the contents API serves: inside the root, no hidden tricks with `..`.
        if os.path.commonpath([root, absolute]) != root:
            raise web.HTTPError(403, "Path is outside the server's root directory")
        if not absolute.endswith((".ipynb", ".py")) or not os.path.isfile(absolute):
            raise web.HTTPError(404, "No such notebook: %s" % path)
        return absolute


class RunHandler(_RunHandler):
    def _job(self, job_id):
        job = self.jobs.jobs.get(job_id)
        if job is None:
            raise web.HTTPError(404, "No such run: %s" % job_id)
        return job

    @web.authenticated
    @authorized
    async def get(self, job_id):
        self.finish(json.dumps(self._job(job_id).model()))

    @web.authenticated
    @authorized
    async def delete(self, job_id):
        job = self._job(job_id)
        await job.cancel()
        self.finish(json.dumps(job.model()))


def setup_handlers(server_app):
    web_app = server_app.web_app
    jobs = RunJobs(server_app.log)
    web_app.settings["keras_migrate_run_jobs"] = jobs
    atexit.register(jobs.kill_all_now)
    base_url = web_app.settings["base_url"]
    web_app.add_handlers(".*$", [
        (url_path_join(base_url, RUNS_ROUTE), RunsHandler),
        (url_path_join(base_url, RUN_ROUTE), RunHandler),
    ])
    return jobs
