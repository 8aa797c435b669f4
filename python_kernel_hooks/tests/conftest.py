"""Shared helpers for tests that drive real IPython kernels.

Kernels get `python_kernel_hooks` on PYTHONPATH (so a source checkout works
without `pip install -e .`) and KERAS_BACKEND from their fixture. TensorFlow
kernels are slow to start, so kernels are session-scoped and shared.
"""

import os
import queue
import re
import sys

import pytest

HOOK_SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Test the source tree, installed or not.
if HOOK_SOURCE_DIR not in sys.path:
    sys.path.insert(0, HOOK_SOURCE_DIR)
DIAGNOSIS_MIME = "application/vnd.keras-migrate.diagnosis+json"


def kernel_env(backend):
    env = dict(os.environ)
    env["KERAS_BACKEND"] = backend
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [HOOK_SOURCE_DIR, env.get("PYTHONPATH")]))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("CUDA_VISIBLE_DEVICES", "")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


class CellRun:
    """What one execute request produced: iopub outputs in order, and the reply."""

    def __init__(self, code, outputs, reply):
        self.code = code
        self.outputs = outputs
        self.reply = reply

    @property
    def error(self):
        errors = [content for kind, content in self.outputs if kind == "error"]
        return errors[0] if errors else None

    @property
    def diagnoses(self):
        return [content["data"][DIAGNOSIS_MIME] for kind, content in self.outputs
                if kind == "display_data" and DIAGNOSIS_MIME in content.get("data", {})]

    @property
    def stdout(self):
        return "".join(c["text"] for kind, c in self.outputs if kind == "stream" and c["name"] == "stdout")

    @property
    def stderr(self):
        return "".join(c["text"] for kind, c in self.outputs if kind == "stream" and c["name"] == "stderr")

    def traceback_text(self):
        return "\n".join(self.error["traceback"]) if self.error else ""


class Kernel:
    def __init__(self, backend):
        from jupyter_client.manager import KernelManager

        self.backend = backend
        self.manager = KernelManager(kernel_name="python3")
        self.manager.start_kernel(env=kernel_env(backend))
        self.client = self.manager.client()
        self.client.start_channels()

    def wait_for_ready(self):
        self.client.wait_for_ready(timeout=180)

    def run(self, code, timeout=300):
        msg_id = self.client.execute(code, store_history=True, allow_stdin=False)
        outputs = []
        while True:
            try:
                message = self.client.get_iopub_msg(timeout=timeout)
            except queue.Empty:
                raise TimeoutError("kernel did not finish: %r" % code[:80])
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            kind = message["msg_type"]
            if kind == "status":
                if message["content"]["execution_state"] == "idle":
                    break
                continue
            if kind == "execute_input":
                continue
            outputs.append((kind, message["content"]))
        while True:
            reply = self.client.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        return CellRun(code, outputs, reply["content"])

    def shutdown(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


class KernelPair:
    """The same cells in a kernel with the hook and one without, to prove the hook changes nothing."""

    def __init__(self, backend):
        self.hooked = Kernel(backend)
        self.plain = Kernel(backend)
        self.hooked.wait_for_ready()
        self.plain.wait_for_ready()
        first = self.hooked.run("%load_ext keras_migrate")
        assert first.reply["status"] == "ok", first.outputs
        # Keep execution counts aligned between the two kernels.
        self.plain.run("import keras_migrate")

    def run(self, code, plain_code=None):
        hooked, plain = self.hooked.run(code), self.plain.run(code if plain_code is None else plain_code)
        COLLECTED_TEXTS.extend(text for text in (hooked.traceback_text(), hooked.stderr) if text.strip())
        return hooked, plain

    def shutdown(self):
        self.hooked.shutdown()
        self.plain.shutdown()


# Traceback and warning texts that real kernels produced during this session;
# test_explain_parity feeds them to the Python and TypeScript recognizers.
COLLECTED_TEXTS = []


def pytest_collection_modifyitems(items):
    """Run the parity check last, so it sees every text the kernel tests produced."""
    items.sort(key=lambda item: item.get_closest_marker("after_kernel_tests") is not None)


def pytest_configure(config):
    config.addinivalue_line("markers", "after_kernel_tests: run after the tests that drive kernels")


def line_of(code, needle):
    """1-based number of the first line of `code` containing `needle`."""
    for number, line in enumerate(code.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError("%r not in cell" % needle)


def normalized_error(run):
    """ename/evalue/traceback with only what differs between two processes masked:
    the kernel's pid in cell file names, temp dirs, AutoGraph file names and memory addresses."""
    def mask(text):
        text = re.sub(r"ipykernel_\d+", "ipykernel_PID", text)
        text = re.sub(r"/tmp/tmp[\w-]+", "/tmp/TMPDIR", text)
        # AutoGraph's generated copy of a traced function gets a random name per process.
        text = re.sub(r"__autograph_generated_file\w+", "__autograph_generated_fileNAME", text)
        return re.sub(r"0x[0-9a-fA-F]+", "0xADDR", text)

    content = run.reply
    return {
        "status": content["status"],
        "ename": content.get("ename"),
        "evalue": mask(content.get("evalue") or ""),
        "traceback": [mask(entry) for entry in content.get("traceback", [])],
    }


def assert_unchanged_error(hooked, plain):
    """The hook left the error output and the execute reply exactly as they were."""
    assert hooked.error is not None, hooked.outputs
    # In the hooked kernel the iopub error and the reply agree byte for byte ...
    for key in ("ename", "evalue", "traceback"):
        assert hooked.error[key] == hooked.reply[key]
    # ... and match a kernel without the hook running the same cells.
    assert normalized_error(hooked) == normalized_error(plain)
    assert plain.diagnoses == []
    # The diagnosis, if any, comes after the traceback.
    kinds = [kind for kind, _ in hooked.outputs]
    if hooked.diagnoses:
        assert kinds.index("error") < kinds.index("display_data")


def kernel_pair_fixture(backend):
    @pytest.fixture(scope="session")
    def fixture():
        pair = KernelPair(backend)
        yield pair
        pair.shutdown()

    return fixture


tf_kernels = kernel_pair_fixture("tensorflow")
jax_kernels = kernel_pair_fixture("jax")
torch_kernels = kernel_pair_fixture("torch")


def bench_migrate_module():
    """python_kernel_hooks/benchmarks/bench_migrate.py: the corpus benchmark's runner (warm forks per backend)."""
    benchmarks = os.path.join(HOOK_SOURCE_DIR, "benchmarks")
    if benchmarks not in sys.path:
        sys.path.insert(0, benchmarks)
    import bench_migrate

    return bench_migrate


CLAIMS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "claims")


@pytest.fixture(scope="session")
def claims_runs():
    """Every claims program (tests/claims/) run once on each backend, in forks of one warm interpreter
    per backend (the corpus benchmark's machinery): {(file name, backend): RunResult}, a failed run's
    output (its traceback) included. test_finding_claims holds the rules' claims against these runs and
    test_recognize_catalog explains their tracebacks: one run each, not one per test."""
    import hashlib
    from pathlib import Path

    bench_migrate = bench_migrate_module()
    programs = sorted([*Path(CLAIMS_DIR).glob("*.py"), *Path(CLAIMS_DIR).glob("*.ipynb")])
    keys = {p: hashlib.sha1(p.read_bytes()).hexdigest() for p in programs}
    jobs = [bench_migrate.Job(keys[p], p, backend) for p in programs for backend in bench_migrate.BACKENDS]
    results = bench_migrate.run_all(jobs, max(1, min(3, os.cpu_count() or 1)), timeout=600)
    return {(p.name, backend): results[(keys[p], backend)] for p in programs for backend in bench_migrate.BACKENDS}
