"""`keras-migrate run` with real kernels and real Keras on TensorFlow, JAX and PyTorch.

Kernel runs are the expensive part, so each scenario's notebooks are run once
per module (fixtures) and several tests read the same report. Notebooks stay
tiny: a handful of cells, synthetic data, one epoch.
"""

import json
import os
import subprocess
import sys

import nbformat
import pytest

from conftest import HOOK_SOURCE_DIR

pytestmark = pytest.mark.timeout(1200)

REPO_ROOT = os.path.dirname(HOOK_SOURCE_DIR)
BACKENDS = ["tensorflow", "jax", "torch"]

DATA = """\
import numpy as np
import keras
x = np.random.rand(16, 4).astype("float32")
y = np.random.rand(16, 1).astype("float32")
"""

EVERYWHERE = [
    DATA,
    "# Markdown between code cells must not shift cell numbers",
    """\
model = keras.Sequential([keras.layers.Dense(4, activation="relu", input_shape=(4,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
""",
    "print(model.predict(x[:2], verbose=0).shape)",
]

JAX_ONLY = [
    DATA,
    """\
class Noise(keras.layers.Layer):
    def call(self, inputs):
        return inputs + keras.random.normal(keras.ops.shape(inputs), stddev=0.1)
""",
    """\
model = keras.Sequential([keras.Input((4,)), Noise(), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
""",
    "print(len(model.layers))",
    "print('independent of the failure')",
]

EVERY_BACKEND_FAILS = [
    DATA,
    """\
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
""",
    'model.save("saved_model_dir")',
]


def write_notebook(path, sources):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    for source in sources:
        if source.startswith("# Markdown"):
            notebook.cells.append(nbformat.v4.new_markdown_cell(source[2:]))
        else:
            notebook.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(notebook, str(path))
    return str(path)


@pytest.fixture(scope="module", autouse=True)
def kernels_see_this_source_tree():
    # Kernels import keras_migrate (the hook) from this checkout, installed or not.
    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [HOOK_SOURCE_DIR, previous]))
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    yield
    if previous is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = previous


def analyser_built():
    return os.path.isfile(os.path.join(REPO_ROOT, "lib", "cli", "keras-migrate.cjs"))


def run_cli(*args, cwd=None):
    env = dict(os.environ)
    done = subprocess.run([sys.executable, "-m", "keras_migrate", "run", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=1100)
    return done


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    """Three notebooks on three backends, two at a time, through the command line (JSON)."""
    folder = tmp_path_factory.mktemp("matrix")
    write_notebook(folder / "everywhere.ipynb", EVERYWHERE)
    write_notebook(folder / "jax_only.ipynb", JAX_ONLY)
    write_notebook(folder / "every_backend_fails.ipynb", EVERY_BACKEND_FAILS)
    out = folder / "report.json"
    done = run_cli(str(folder), "--jobs", "2", "--format", "json", "--output", str(out), "--timeout", "300")
    report = json.loads(out.read_text())
    return {"report": report, "code": done.returncode, "stderr": done.stderr, "folder": folder}


def notebook_of(report, name):
    return next(n for n in report["notebooks"] if os.path.basename(n["path"]) == name)


def cells_of(notebook, backend, variant="original"):
    return {c["index"]: c for c in notebook["variants"][variant]["backends"][backend]["cells"]}


def test_everywhere_runs_on_every_backend(matrix):
    notebook = notebook_of(matrix["report"], "everywhere.ipynb")
    assert notebook["status"] == "ok"
    assert [c["index"] for c in notebook["cells"]] == [0, 2, 3]  # markdown cell 1 is not a code cell
    for backend in BACKENDS:
        run = notebook["variants"]["original"]["backends"][backend]
        assert run["status"] == "ok", run
        assert run["summary"]["ok"] == run["summary"]["cells"] == 3
        for cell in run["cells"]:
            assert cell["status"] in ("ok", "warning")
            assert cell["seconds"] > 0
            # Whatever the analyser claims for this cell on this backend, the run proved it harmless.
            assert (cell["verdict"] == "false-blocker") == bool(cell["static"])


def test_failure_only_on_jax_with_a_consequence(matrix):
    notebook = notebook_of(matrix["report"], "jax_only.ipynb")
    statuses = {b: notebook["variants"]["original"]["backends"][b]["status"] for b in BACKENDS}
    assert statuses == {"tensorflow": "ok", "jax": "failed", "torch": "ok"}
    jax = cells_of(notebook, "jax")
    assert jax[2]["status"] == "error" and jax[2]["consequence_of"] is None and not jax[2]["environment"]
    assert "seeded random ops" in jax[2]["error"]["message"]
    # `model` was never bound: the NameError is a consequence, not a second problem.
    assert jax[3]["status"] == "error" and jax[3]["error"]["type"] == "NameError"
    assert jax[3]["consequence_of"] == 2
    # Later cells still ran.
    assert jax[4]["status"] == "ok"
    assert jax[2]["verdict"] in ("predicted-and-failed", "static-miss")
    if jax[2]["verdict"] == "static-miss":
        assert {"cell": 2, "backend": "jax", "kind": "static-miss"}.items() <= next(
            d for d in notebook["variants"]["original"]["disagreements"] if d["cell"] == 2 and d["backend"] == "jax").items()
    summary = notebook["variants"]["original"]["backends"]["jax"]["summary"]
    assert summary["first_failure"]["cell"] == 2 and summary["failures"] == 1 and summary["consequences"] == 1


def test_model_save_to_a_folder_fails_everywhere_and_was_predicted(matrix):
    notebook = notebook_of(matrix["report"], "every_backend_fails.ipynb")
    for backend in BACKENDS:
        cell = cells_of(notebook, backend)[2]
        assert cell["status"] == "error" and cell["error"]["type"] == "ValueError", cell
        assert cell["diagnosis"]["guide"] == "savedmodel-save"
        if analyser_built():
            assert cell["verdict"] == "predicted-and-failed"
            assert any(f["guide"] == "savedmodel-save" for f in cell["static"])
    assert not os.path.exists(matrix["folder"] / "saved_model_dir")


def test_exit_code_text_and_summary(matrix):
    assert matrix["code"] == 1  # two notebooks fail somewhere
    summary = matrix["report"]["summary"]
    assert summary["notebooks"] == 3
    assert [os.path.basename(p) for p in summary["run_everywhere"]] == ["everywhere.ipynb"]
    assert summary["backends"]["tensorflow"]["ok"] == 2 and summary["backends"]["jax"]["ok"] == 1
    assert summary["top_failure_causes"][0] == {"guide": "savedmodel-save", "title": summary["top_failure_causes"][0]["title"], "count": 3}
    from keras_migrate.runner import render

    text = render.to_text(matrix["report"])
    assert "jax: 3/5 cells ok, first failure cell 2:" in text
    assert "tensorflow: 3/3 cells ok" in text


def test_report_matches_the_json_schema(matrix):
    jsonschema = pytest.importorskip("jsonschema")
    with open(os.path.join(REPO_ROOT, "docs", "run-report.schema.json")) as handle:
        schema = json.load(handle)
    jsonschema.validate(matrix["report"], schema)


@pytest.fixture(scope="module")
def environment_report(tmp_path_factory):
    """Environment problems and a timeout, in one kernel on the lightweight numpy backend."""
    folder = tmp_path_factory.mktemp("environment")
    path = write_notebook(folder / "environment.ipynb", [
        "import keras\nimport time",
        'archive = keras.utils.get_file("data.zip", origin="http://data.keras-migrate.invalid/data.zip")',
        "print(archive)",
        "import not_a_real_package_for_keras_migrate",
        'open("no_such_data_file.csv").read()',
        "time.sleep(600)",
        "print('the kernel still answers')",
        # A real interpreter race (CPython gh-106905), made certain: a finalizer parses while
        # ast.parse builds its tree, so the outer parse's count is off when it ends.
        "import ast, gc\n"
        "class Parses:\n"
        "    def __del__(self):\n"
        "        ast.parse('x = 1')\n"
        "def garbage():\n"
        "    for _ in range(500):\n"
        "        cycle = Parses(); cycle.me = cycle\n"
        "gc.set_threshold(1, 1, 1)\n"
        "try:\n"
        "    for _ in range(20):\n"
        "        garbage(); ast.parse('\\n'.join(f'y{i} = [{i}, ({i}, {{1: {i}}})]' for i in range(3000)))\n"
        "finally:\n"
        "    gc.set_threshold(700, 10, 10)",
    ])
    from keras_migrate.runner import run_paths

    return run_paths([path], backends=["numpy", "openvino"], timeout=20)


def test_environment_problems_do_not_count_against_the_backend(environment_report):
    notebook = environment_report["notebooks"][0]
    run = notebook["variants"]["original"]["backends"]["numpy"]
    cells = cells_of(notebook, "numpy")
    assert cells[1]["environment"].startswith("network:"), cells[1]
    assert cells[2]["consequence_of"] == 1
    assert cells[3]["environment"] == "missing package: not_a_real_package_for_keras_migrate is not installed"
    assert cells[4]["environment"].startswith("missing file:")
    assert cells[5]["status"] == "timeout"
    assert cells[6]["status"] == "ok"
    assert run["status"] == "timeout"  # no migration failure; the timeout is what stopped it
    assert cells[7]["environment"].startswith("interpreter:"), cells[7]
    assert run["summary"]["failures"] == 0 and run["summary"]["environment"] == 4


def test_backend_not_installed_is_reported_as_such(environment_report):
    run = environment_report["notebooks"][0]["variants"]["original"]["backends"]["openvino"]
    assert run["status"] == "not-installed" and "openvino" in run["reason"]
    assert {c["status"] for c in run["cells"]} == {"skipped"}
    assert environment_report["summary"]["backends"]["openvino"]["not_installed"] == 1


@pytest.mark.skipif(not analyser_built(), reason="the analyser CLI is not built (jlpm build)")
def test_fixed_copy_turns_a_failing_script_into_a_passing_one(tmp_path):
    script = tmp_path / "legacy.py"
    source = (
        "import numpy as np\nimport keras\n\n"
        "x = np.random.rand(8, 4).astype('float32')\ny = np.random.rand(8, 1).astype('float32')\n\n"
        "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4), keras.layers.ThresholdedReLU(theta=0.5), keras.layers.Dense(1)])\n\n"
        "model.compile(optimizer=keras.optimizers.Adam(lr=0.01), loss='mse')\n\n"
        "model.fit(x, y, epochs=1, verbose=0)\n"
    )
    script.write_text(source)
    out = tmp_path / "report.json"
    done = run_cli(str(script), "--backends", "jax", "--fixed", "--format", "json", "-o", str(out))
    assert done.returncode == 1, done.stderr
    assert script.read_text() == source  # the original is never touched
    notebook = json.loads(out.read_text())["notebooks"][0]
    assert notebook["kind"] == "python" and [c["first_line"] for c in notebook["cells"]] == [1, 4, 7, 9, 11]
    original, fixed = notebook["variants"]["original"], notebook["variants"]["fixed"]
    assert original["backends"]["jax"]["status"] == "failed"
    assert original["backends"]["jax"]["summary"]["first_failure"]["cell"] == 2
    assert fixed["fixes_applied"] >= 2
    assert fixed["backends"]["jax"]["status"] == "ok", fixed["backends"]["jax"]


def test_backends_at_once_keep_their_files_apart_and_leave_the_folder_as_it_was(tmp_path):
    # Each run writes a file with its own backend's name, waits until the other backend's run
    # has written too, and reads its file back. In one shared folder (the notebook's, as before)
    # the second writer overwrites the first's file; a relative path now lands in the run's
    # own scratch folder. A notebook that names an absolute path runs its backends one after
    # the other (it waits for the other at most a few seconds, then reads back).
    (tmp_path / "data.txt").write_text("input\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "in.txt").write_text("nested\n")
    shared = tmp_path / "outside" / "state.txt"
    shared.parent.mkdir()
    sync = tmp_path / "sync"  # reached through the environment: no path in the code
    sync.mkdir()
    write_read = """\
import os, time
backend = os.environ["KERAS_BACKEND"]
assert open("data.txt").read() == "input\\n" and open("sub/in.txt").read() == "nested\\n"
open(PATH, "w").write(backend)
marks = os.path.join(os.environ["RUN_SYNC"], NAME)
os.makedirs(marks, exist_ok=True)
open(os.path.join(marks, backend), "w").close()
deadline = time.time() + WAIT
while len(os.listdir(marks)) < 2 and time.time() < deadline:
    time.sleep(0.2)
assert len(os.listdir(marks)) == 2 or not WAIT_FOR_BOTH, "the other backend did not run at the same time"
found = open(PATH).read()
assert found == backend, "read back %r, wrote %r" % (found, backend)
"""
    relative = write_read.replace("PATH", '"state.txt"').replace("NAME", '"relative"').replace("WAIT_FOR_BOTH", "True")
    write_notebook(tmp_path / "relative.ipynb", [relative.replace("WAIT", "240")])
    absolute = write_read.replace("PATH", repr(str(shared))).replace("NAME", '"absolute"').replace("WAIT_FOR_BOTH", "False")
    write_notebook(tmp_path / "absolute.ipynb", [absolute.replace("WAIT", "8")])
    out = tmp_path / "report.json"
    # Three lanes: the two relative runs at the same time, beside the two absolute ones.
    done = subprocess.run([sys.executable, "-m", "keras_migrate", "run", str(tmp_path / "relative.ipynb"),
                           str(tmp_path / "absolute.ipynb"), "--backends", "jax,torch", "--jobs", "3", "--format", "json",
                           "--output", str(out), "--timeout", "300"],
                          capture_output=True, text=True, env=dict(os.environ, RUN_SYNC=str(sync)), timeout=1100)
    report = json.loads(out.read_text())
    for name in ("relative.ipynb", "absolute.ipynb"):
        runs = notebook_of(report, name)["variants"]["original"]["backends"]
        assert {b: r["status"] for b, r in runs.items()} == {"jax": "ok", "torch": "ok"}, (name, runs, done.stderr)
    # The absolute ones ran one after the other; the file holds the last one's backend.
    runs = notebook_of(report, "absolute.ipynb")["variants"]["original"]["backends"]
    first, second = sorted((r["started"], r["started"] + r["seconds"], b) for b, r in runs.items())
    assert second[0] >= first[1] - 0.5, runs
    assert shared.read_text() == second[2]
    # Nothing the runs wrote by a relative path is left in the notebook's folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["absolute.ipynb", "data.txt", "outside", "relative.ipynb",
                                                           "report.json", "sub", "sync"]


def test_placement_of_paths_a_scratch_folder_cannot_keep_apart(tmp_path):
    from keras_migrate.runner import engine, workdir

    (tmp_path / "images").mkdir()
    for i in range(workdir.COPY_FILES + 1):  # too many files to copy for every run: linked
        (tmp_path / "images" / ("%d.png" % i)).write_bytes(b"")
    (tmp_path / "small.csv").write_text("a,b\n")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("copied\n")
    assert workdir.placement('open("out.h5", "w")\nopen("small.csv")', str(tmp_path)) == workdir.Placement()
    assert workdir.placement('model.save("/tmp/x_checkpoint.h5")', str(tmp_path)).shared
    assert workdir.placement("path = f'~/models/{name}'", str(tmp_path)).shared
    assert workdir.placement('os.path.join(os.path.expanduser("x"), "y")', str(tmp_path)).shared
    parent = workdir.placement('pd.read_csv("../data/train.csv")', str(tmp_path))
    assert parent.shared and parent.in_folder
    # A linked sub-folder is the same folder for every run: writing into it is shared.
    assert workdir.placement('save("images/out.png")', str(tmp_path)).shared
    # The scratch folder: copies of small files, links to folders, its own TMPDIR; removing it
    # removes nothing of the original.
    root, work, temporary = workdir.create(str(tmp_path))
    assert os.path.islink(os.path.join(work, "images")) and not os.path.islink(os.path.join(work, "small.csv"))
    assert open(os.path.join(work, "notes", "a.txt")).read() == "copied\n" and not os.path.islink(os.path.join(work, "notes"))
    assert not workdir.placement('open("notes/b.txt", "w")', str(tmp_path)).shared
    assert os.path.isdir(temporary) and not temporary.startswith(str(tmp_path))
    workdir.remove(root)
    assert (tmp_path / "images").is_dir() and (tmp_path / "small.csv").exists() and not os.path.exists(root)
    # Lanes: shared tasks all in one lane; the others dealt round-robin.
    tasks = [{"shared": i in (0, 3)} for i in range(6)]
    lanes = engine.lanes_for(tasks, 2)
    assert any({0, 3} <= set(lane) for lane in lanes) and sorted(sum(lanes, [])) == list(range(6))
    assert engine.lanes_for([{"shared": False}] * 5, 2) == [[0, 2, 4], [1, 3]]


def test_bad_usage_exits_2(tmp_path):
    assert run_cli(str(tmp_path / "missing.ipynb")).returncode == 2
    done = run_cli(str(tmp_path), "--backends", "theano")
    assert done.returncode == 2 and "unknown backend theano" in done.stderr


def test_discovery_is_the_checks_own(tmp_path):
    """run searches folders exactly as `check --show-files` does: .gitignore, virtual
    environments and --exclude are skipped; a missing path is named."""
    from keras_migrate.runner import engine

    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("generated/\n")
    for rel in ("keep.py", "generated/g.py", "env/lib/v.py", "scratch/s.py", "node_modules/n.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("print(1)\n")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    the_plan = engine.plan([str(tmp_path), str(tmp_path / "missing.py")], ["tensorflow"], 10, exclude=["scratch"])
    paths = {os.path.relpath(n["path"], tmp_path): n["error"] for n in the_plan.notebooks}
    assert paths == {"keep.py": None, "missing.py": "no such file or directory"}
    listed = subprocess.run([sys.executable, "-m", "keras_migrate", "check", "--show-files", str(tmp_path)],
                            capture_output=True, text=True)
    assert listed.stdout.split() == [str(tmp_path / "keep.py"), str(tmp_path / "scratch" / "s.py")]


def _child_kernels():
    """Kernel processes this test process started (jupyter_client launches them as children)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as handle:
                state, parent = handle.read().rsplit(")", 1)[1].split()[:2]
            with open("/proc/%s/cmdline" % entry, "rb") as handle:
                command = handle.read()
        except (OSError, ValueError, IndexError):
            continue
        # A zombie has exited (it is only waiting to be reaped): not a kernel left running.
        if int(parent) == os.getpid() and state != "Z" and (b"ipykernel" in command or b"keras_migrate.runner.kernel" in command):
            found.append(int(entry))
    return found


def test_a_lane_starts_the_next_kernel_while_a_task_runs_and_leaves_none_behind(tmp_path):
    from keras_migrate.runner.execute import run_tasks

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import os\nprint(os.environ['KERAS_BACKEND'])"),
                      nbformat.v4.new_code_cell("import time\ntime.sleep(3)")]
    tasks = [{"path": "lane.ipynb", "variant": "original", "backend": backend, "notebook": dict(notebook),
              "cwd": str(tmp_path), "timeout": 120} for backend in ("jax", "torch")]
    seen = []
    # Kernels other tests' fixtures keep running (session-scoped) are not this lane's.
    others = set(_child_kernels())

    def progress(task, event, data):
        if event == "cell" and data["position"] == 1:
            seen.append((task["backend"], len(set(_child_kernels()) - others)))

    results = run_tasks(tasks, progress)
    assert [r["status"] for r in results] == ["ok", "ok"], results
    # Each kernel got its own backend before any user code.
    assert [r["backend"] for r in results] == ["jax", "torch"]
    # While the first task ran its last cell, the second task's kernel was up too; not after the last task.
    assert seen[0] == ("jax", 2) and seen[1] == ("torch", 1), seen
    assert set(_child_kernels()) - others == set()


def comparable(report):
    """What a run found, without timings, paths of temporary folders or scheduling options."""
    result = {}
    for notebook in report["notebooks"]:
        variants = {}
        for name, variant in notebook["variants"].items():
            variants[name] = {
                backend: [(c["index"], c["status"], (c["error"] or {}).get("type"), c["environment"], c["consequence_of"],
                           (c["diagnosis"] or {}).get("guide"), c["verdict"]) for c in run["cells"]] + [run["status"]]
                for backend, run in variant["backends"].items()
            }
        result[os.path.basename(notebook["path"])] = variants
    return result


def test_dask_local_cluster_gives_the_same_report_as_the_local_pool(matrix):
    pytest.importorskip("dask.distributed")
    from keras_migrate.runner import run_paths

    # The same notebooks on one backend; the pool run is the matrix fixture's.
    class Recorder:
        """Progress as the command's bar hears it: from the cluster's workers, per cell."""

        def __init__(self):
            self.events = []

        def task_started(self, task):
            self.events.append(("started", os.path.basename(task["path"])))

        def event(self, task, kind, data):
            self.events.append((kind, os.path.basename(task["path"])))

        def task_done(self, task, result):
            self.events.append(("done", os.path.basename(task["path"])))

    recorder = Recorder()
    on_cluster = run_paths([str(matrix["folder"])], backends=["jax"], timeout=300, jobs=2, cluster="local",
                           progress=recorder)
    for name in ("everywhere.ipynb", "jax_only.ipynb", "every_backend_fails.ipynb"):
        kinds = [kind for kind, path in recorder.events if path == name]
        # Workers' events come through the scheduler, so they may trail the result a little.
        assert kinds[0] == "started" and kinds.count("done") == 1, (name, kinds)
        assert "kernel" in kinds and "cell" in kinds, (name, kinds)
    pooled = comparable(matrix["report"])
    for variants in pooled.values():
        for backends in variants.values():
            for backend in [b for b in backends if b != "jax"]:
                del backends[backend]
    assert comparable(on_cluster) == pooled
    assert on_cluster["options"]["cluster"] == "local"
    assert on_cluster["summary"]["backends"]["jax"] == matrix["report"]["summary"]["backends"]["jax"]


def test_static_analysis_of_a_plan_is_one_call_and_one_bad_file_costs_only_its_own_findings(tmp_path):
    """`run` analyses all originals in one analyser call (beside the kernels); when that call
    fails because one input went bad, every other file still gets its findings."""
    from keras_migrate.runner import engine

    good = tmp_path / "good.py"
    good.write_text("from tensorflow import keras\n")
    gone = tmp_path / "gone.py"
    gone.write_text("import keras\n")
    the_plan = engine.plan([str(good), str(gone)], ["tensorflow"], 10)
    originals = {os.path.basename(n["path"]): n["variants"]["original"] for n in the_plan.notebooks}
    engine.analyse(the_plan)
    assert [f["rule"] for f in originals["good.py"]["findings"]] == ["KM011"]
    assert originals["gone.py"] == dict(originals["gone.py"], findings=[], static_error=None)

    gone.unlink()  # the batch call now fails on this path
    the_plan = engine.plan([str(good)], ["tensorflow"], 10)
    the_plan.notebooks.append(dict(the_plan.notebooks[0], path=str(gone), variants={"original": {"runnable": None}}))
    engine.analyse(the_plan)
    good_info, gone_info = (n["variants"]["original"] for n in the_plan.notebooks)
    assert [f["rule"] for f in good_info["findings"]] == ["KM011"] and good_info["static_error"] is None
    assert gone_info["findings"] == [] and "gone.py" in gone_info["static_error"]


def test_run_kernels_start_without_the_debugger_and_a_notebook_can_still_import_debugpy(tmp_path):
    """Throwaway kernels skip ipykernel's debugger (a third of a kernel start); the
    notebook's own code sees a normal Python: debugpy imports, the hook is loaded."""
    from keras_migrate.runner.execute import run_task

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import sys\nassert 'debugpy' not in sys.modules, sorted(m for m in sys.modules if 'pydev' in m)"),
        nbformat.v4.new_code_cell("import debugpy\nassert debugpy.__file__"),
        nbformat.v4.new_code_cell("assert 'keras_migrate.hook' in sys.modules"),
    ]
    result = run_task({"path": "x.ipynb", "variant": "original", "backend": "jax", "notebook": dict(notebook),
                       "cwd": str(tmp_path), "timeout": 120})
    assert [(c["status"], c["error"]) for c in result["cells"]] == [("ok", None)] * 3


DYING_KERNEL_SCRIPT = """
import json, sys
from jupyter_client.kernelspec import KernelSpecManager
from keras_migrate.runner import execute

starts = []
real_new_manager = execute._new_manager


class DyingKernelSpecs(KernelSpecManager):
    # A kernel process that exits at once: it never answers kernel_info.
    def get_kernel_spec(self, kernel_name):
        spec = super().get_kernel_spec(kernel_name)
        spec.argv = [sys.executable, "-c", "import sys; sys.exit(3)"]
        return spec


def new_manager():
    manager = real_new_manager()
    starts.append(len(starts))
    if len(starts) <= int(sys.argv[1]):
        manager.kernel_spec_manager = DyingKernelSpecs()
    return manager


execute._new_manager = new_manager
import nbformat
notebook = nbformat.v4.new_notebook()
notebook.cells = [nbformat.v4.new_code_cell("import os\\nprint(os.environ['KERAS_BACKEND'])")]
result = execute.run_task({"path": "x.ipynb", "variant": "original", "backend": "jax", "notebook": dict(notebook),
                           "cwd": sys.argv[2], "timeout": 120})
print(json.dumps({"result": result, "managers": len(starts)}))
"""


@pytest.mark.parametrize("dying", [1, 5])
def test_a_kernel_that_dies_before_answering_is_replaced_and_the_failed_starts_are_reported(tmp_path, dying):
    """A kernel that dies before its first reply (a busy machine, a port another process
    took) says nothing about the notebook: the run starts a fresh kernel, up to
    KERNEL_START_ATTEMPTS in all, and reports each failed start. When every start fails the
    run is an error, and the process ends without nbclient's exit-time cleanup failing."""
    from keras_migrate.runner.execute import KERNEL_START_ATTEMPTS

    done = subprocess.run([sys.executable, "-c", DYING_KERNEL_SCRIPT, str(dying), str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    result = out["result"]
    failures = result["kernel_start_failures"]
    assert all("died" in failure for failure in failures), failures
    if dying < KERNEL_START_ATTEMPTS:
        assert result["status"] == "ok", result
        assert len(failures) == dying and out["managers"] == dying + 1
        assert [c["status"] for c in result["cells"]] == ["ok"]
    else:
        assert result["status"] == "error" and "died" in result["reason"], result
        assert len(failures) == KERNEL_START_ATTEMPTS == out["managers"]
        assert [c["status"] for c in result["cells"]] == ["not-run"]
    assert "Error in atexit" not in done.stderr and "AssertionError" not in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []
