"""A real `jupyter server` subprocess to test against, and a small client for it.

Used by the server integration tests and by benchmarks/bench_switch.py. Not a
test module itself: it defines no tests.

The server gets its own config, data and runtime directories and KERAS_HOME, so
a developer's settings cannot change the results, but it keeps sys.prefix: the
installed server config (which enables the keras_migrate extension), the
provisioner entry point and the python3 kernel spec are part of what is tested.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import websocket  # websocket-client, a dependency of jupyter_server

STARTUP_TIMEOUT = 120.0
EXECUTE_TIMEOUT = 240.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HTTPResult:
    def __init__(self, status: int, body: bytes):
        self.status = status
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self) -> str:
        return f"HTTPResult({self.status}, {self.body[:300]!r})"


class ExecutionResult:
    def __init__(self):
        self.status = None
        self.user_expressions: dict = {}
        self.stdout = ""
        self.stderr = ""
        self.error: dict | None = None
        self.results: list[str] = []

    def expression(self, name: str) -> str:
        """text/plain of one user expression; fails loudly when it raised."""
        reply = self.user_expressions[name]
        if reply.get("status") != "ok":
            raise AssertionError(f"user expression {name!r} failed: {reply}")
        return reply["data"]["text/plain"]


class JupyterServer:
    def __init__(self, workdir: Path, base_url: str = "/", extra_env: dict | None = None,
                 extra_args: list[str] | None = None):
        self.workdir = Path(workdir)
        self.base_url = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
        self.token = uuid.uuid4().hex
        self.port = free_port()
        self.extra_env = extra_env or {}
        self.extra_args = extra_args or []
        self.process: subprocess.Popen | None = None
        self.log_path = self.workdir / "server.log"

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self) -> "JupyterServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> "JupyterServer":
        for sub in ("config", "data", "runtime", "root", "keras"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.pop("KERAS_BACKEND", None)
        env.pop("JUPYTER_DEFAULT_PROVISIONER_NAME", None)
        env.update(
            JUPYTER_CONFIG_DIR=str(self.workdir / "config"),
            JUPYTER_DATA_DIR=str(self.workdir / "data"),
            JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
            KERAS_HOME=str(self.workdir / "keras"),
            JUPYTER_PLATFORM_DIRS="1",
            PYTHONUNBUFFERED="1",
            # Keep TensorFlow and JAX quiet and modest on a shared machine.
            TF_CPP_MIN_LOG_LEVEL="2",
            XLA_FLAGS="--xla_force_host_platform_device_count=1",
        )
        env.update(self.extra_env)
        cmd = [
            sys.executable, "-m", "jupyter_server",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.base_url={self.base_url}",
            "--ServerApp.open_browser=False",
            f"--ServerApp.root_dir={self.workdir / 'root'}",
            *self.extra_args,
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # containers and CI run as root
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter server exited:\n{self.log_text()}")
            try:
                if self.request("GET", "api/status").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"jupyter server did not answer:\n{self.log_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # SIGTERM lets the server shut its kernels down.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        if getattr(self, "_log", None):
            self._log.close()

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-6000:]
        except OSError:
            return ""

    # -- HTTP ----------------------------------------------------------------

    def url(self, path: str, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{self.base_url}{path.lstrip('/')}"

    def request(self, method: str, path: str, body=None, *, token: str | None = "",
                raw_body: bytes | None = None, base_url: str | None = None) -> HTTPResult:
        """One request; `token=None` sends no credentials, "" the server's token."""
        url = self.url(path) if base_url is None else (
            f"http://127.0.0.1:{self.port}{base_url}{path.lstrip('/')}"
        )
        data = raw_body if raw_body is not None else (
            json.dumps(body).encode() if body is not None else None
        )
        if data is None and method in ("POST", "PUT"):
            data = b""
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token is not None:
            req.add_header("Authorization", f"token {token or self.token}")
        try:
            with urllib.request.urlopen(req, timeout=STARTUP_TIMEOUT) as resp:
                return HTTPResult(resp.status, resp.read())
        except urllib.error.HTTPError as err:
            return HTTPResult(err.code, err.read())

    def backend_path(self, kernel_id: str) -> str:
        return f"keras-migrate/kernels/{kernel_id}/backend"

    # -- kernels ---------------------------------------------------------------

    def start_kernel(self, name: str = "python3") -> str:
        result = self.request("POST", "api/kernels", {"name": name})
        if result.status != 201:
            raise RuntimeError(f"kernel start failed: {result}\n{self.log_text()}")
        return result.json()["id"]

    def shutdown_kernel(self, kernel_id: str) -> None:
        self.request("DELETE", f"api/kernels/{kernel_id}")

    def restart_kernel(self, kernel_id: str) -> HTTPResult:
        return self.request("POST", f"api/kernels/{kernel_id}/restart")

    def execute(self, kernel_id: str, code: str = "", expressions: dict | None = None,
                timeout: float = EXECUTE_TIMEOUT) -> ExecutionResult:
        """Run code in the kernel over the server's websocket; wait for the reply and idle."""
        session = uuid.uuid4().hex
        ws = websocket.create_connection(
            self.url(f"api/kernels/{kernel_id}/channels?session_id={session}", "ws"),
            header=[f"Authorization: token {self.token}"],
            timeout=timeout,
        )
        try:
            msg_id = uuid.uuid4().hex
            ws.send(json.dumps({
                "header": {
                    "msg_id": msg_id, "username": "test", "session": session,
                    "msg_type": "execute_request", "version": "5.3",
                    "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                },
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {
                    "code": code, "silent": False, "store_history": False,
                    "user_expressions": expressions or {}, "allow_stdin": False,
                    "stop_on_error": True,
                },
            }))
            result = ExecutionResult()
            replied = idle = False
            deadline = time.monotonic() + timeout
            while not (replied and idle):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no reply from kernel {kernel_id} within {timeout}s")
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["header"]["msg_type"]
                content = msg["content"]
                if kind == "execute_reply":
                    replied = True
                    result.status = content["status"]
                    result.user_expressions = content.get("user_expressions", {})
                elif kind == "status" and content["execution_state"] == "idle":
                    idle = True
                elif kind == "stream":
                    if content["name"] == "stdout":
                        result.stdout += content["text"]
                    else:
                        result.stderr += content["text"]
                elif kind == "execute_result":
                    result.results.append(content["data"].get("text/plain", ""))
                elif kind == "error":
                    result.error = content
            return result
        finally:
            ws.close()

    def expression(self, kernel_id: str, expression: str, **kwargs) -> str:
        """text/plain repr of one expression evaluated in the kernel."""
        return self.execute(kernel_id, "", {"value": expression}, **kwargs).expression("value")


def wait_until(predicate, timeout: float, interval: float = 0.5, what: str = "condition"):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as err:  # the kernel may be between processes
            last_error = err
        time.sleep(interval)
    raise TimeoutError(f"{what} not reached within {timeout}s (last error: {last_error!r})")
