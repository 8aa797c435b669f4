"""`python -m keras_migrate explain` on traceback text produced by a real kernel."""

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import HOOK_SOURCE_DIR


def explain(*args, stdin=None):
    env = dict(os.environ, PYTHONPATH=HOOK_SOURCE_DIR)
    return subprocess.run([sys.executable, "-m", "keras_migrate", "explain", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def tracebacks(tf_kernels, tmp_path_factory):
    """Traceback text of one migration failure and one ordinary failure, as a notebook would save it."""
    folder = tmp_path_factory.mktemp("tracebacks")
    hooked, _ = tf_kernels.run("import keras\nfrom keras import layers\nopt = keras.optimizers.Adam(lr=1e-3)\n")
    (folder / "lr.txt").write_text(hooked.traceback_text(), encoding="utf-8")
    hooked, _ = tf_kernels.run("values = [1, 2, 3]\nvalues[10]\n")
    (folder / "index.txt").write_text(hooked.traceback_text(), encoding="utf-8")
    return folder


def test_json_for_a_recognised_traceback(tracebacks):
    done = explain(str(tracebacks / "lr.txt"), "--format", "json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)["diagnosis"]
    assert answer["guide"] == "api-changes"
    assert answer["line"] == 3
    assert answer["cell_line_text"] == "opt = keras.optimizers.Adam(lr=1e-3)"
    assert answer["names"] == {"argument": "lr"}
    for key in ("title", "explanation", "fix"):
        assert isinstance(answer[key], str) and answer[key]


def test_stdin_and_text_format(tracebacks):
    done = explain("-", stdin=(tracebacks / "lr.txt").read_text(encoding="utf-8"))
    assert done.returncode == 0
    assert "[guide: api-changes]" in done.stdout
    assert "learning_rate=" in done.stdout
    assert "line 3" in done.stdout


def test_unrecognised_traceback_gives_null_guide_and_exit_zero(tracebacks):
    done = explain(str(tracebacks / "index.txt"), "--format", "json")
    assert done.returncode == 0
    answer = json.loads(done.stdout)["diagnosis"]
    assert answer["guide"] is None
    assert answer["exception_type"] == "IndexError"
    assert answer["line"] == 2
    done = explain(str(tracebacks / "index.txt"))
    assert done.returncode == 0 and "No Keras 3 migration problem recognised" in done.stdout


def test_every_traceback_in_a_paste_is_explained_and_an_incomplete_one_says_so(tracebacks):
    lr, index = (tracebacks / "lr.txt").read_text(encoding="utf-8"), (tracebacks / "index.txt").read_text(encoding="utf-8")
    both = index + "\n" + lr
    answer = json.loads(explain("--format", "json", stdin=both).stdout)
    assert [d["guide"] for d in answer["diagnoses"]] == [None, "api-changes"]
    assert answer["diagnosis"]["guide"] == "api-changes"
    text = explain(stdin=both).stdout
    assert "Traceback 1 of 2: No Keras 3 migration problem recognised" in text
    assert "Traceback 2 of 2: " in text and "[guide: api-changes]" in text
    # Frames without the exception line: said to be incomplete, not "not recognised".
    lines = re.sub(r"\x1b\[[0-9;]*m", "", lr).splitlines()
    last_exception_line = max(i for i, line in enumerate(lines) if re.match(r"[A-Za-z_][\w.]*(Error|Exception)\b", line))
    frames_only = "\n".join(lines[:last_exception_line])
    incomplete = json.loads(explain("--format", "json", stdin=frames_only).stdout)["diagnosis"]
    assert (incomplete["guide"], incomplete["incomplete"]) == (None, True)
    assert "Incomplete traceback" in explain(stdin=frames_only).stdout


def test_several_files_are_explained_one_by_one_in_one_start(tracebacks, tmp_path):
    # One answer per file, in order; a file that cannot be read is reported and the others explained.
    lr, index, missing = str(tracebacks / "lr.txt"), str(tracebacks / "index.txt"), str(tmp_path / "missing.txt")
    done = explain("--format", "json", lr, missing, index)
    assert done.returncode == 2 and "missing.txt" in done.stderr
    answers = json.loads(done.stdout)
    assert [(a["file"], a["diagnosis"]["guide"]) for a in answers] == [(lr, "api-changes"), (index, None)]
    assert answers[0] == dict(file=lr, **json.loads(explain(lr, "--format", "json").stdout))
    text = explain(index, lr).stdout
    assert text.startswith("== %s\nNo Keras 3 migration problem recognised.\n\n== %s\n" % (index, lr))
    assert "[guide: api-changes]" in text


def test_unreadable_file_is_a_usage_error(tmp_path):
    done = explain(str(tmp_path / "does-not-exist.txt"))
    assert done.returncode == 2
    assert done.stdout == "" and "cannot read" in done.stderr


def test_tf_keras_import_without_tensorflow(tmp_path):
    """On a machine without TensorFlow, `from tensorflow import keras` is an `imports` problem.

    `python -S` leaves site-packages out, which is how the failure is produced here for real.
    """
    script = tmp_path / "train.py"
    script.write_text("import os\nfrom tensorflow import keras\nmodel = keras.Sequential()\n", encoding="utf-8")
    failed = subprocess.run([sys.executable, "-S", str(script)], capture_output=True, text=True, timeout=60)
    assert "No module named 'tensorflow'" in failed.stderr
    done = explain("--format", "json", stdin=failed.stderr)
    answer = json.loads(done.stdout)["diagnosis"]
    assert answer["guide"] == "imports"
    assert (answer["file"], answer["line"]) == (str(script), 2)
    assert answer["cell_line_text"] == "from tensorflow import keras"

    # Importing TensorFlow on its own is not a Keras migration problem.
    script.write_text("import tensorflow as tf\n", encoding="utf-8")
    failed = subprocess.run([sys.executable, "-S", str(script)], capture_output=True, text=True, timeout=60)
    assert json.loads(explain("--format", "json", stdin=failed.stderr).stdout)["diagnosis"]["guide"] is None
