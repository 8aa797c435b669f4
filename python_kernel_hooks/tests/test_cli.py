"""The `keras-migrate` console script and the Python API, on a machine without Node on PATH.

The Python spelling runs the same analyser bundle as the npm bin; a test compares them.
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import keras_migrate
from keras_migrate import analyser

ROOT = Path(__file__).resolve().parents[2]
NPM_BIN = ROOT / "lib" / "cli" / "keras-migrate.cjs"
FLAGGED = "import tensorflow as tf\nm = tf.keras.Sequential()\n"


def no_node_env():
    """PATH holding only the interpreter's folder and the basic system tools, none of them node."""
    bin_dir = str(Path(sys.executable).parent)
    env = dict(os.environ, PATH=os.pathsep.join([bin_dir, "/usr/bin", "/bin"]))
    env.pop("KERAS_MIGRATE_NODE", None)
    hidden = [d for d in env["PATH"].split(os.pathsep) if shutil.which("node", path=d)]
    env["PATH"] = os.pathsep.join(d for d in env["PATH"].split(os.pathsep) if d not in hidden)
    assert shutil.which("node", path=env["PATH"]) is None
    return env


def keras_migrate_cli(*args, cwd, env=None, stdin=None):
    return subprocess.run([sys.executable, "-m", "keras_migrate", *args], cwd=cwd, env=env or no_node_env(),
                          capture_output=True, text=True, input=stdin, timeout=300)


def notebook(*sources):
    cells = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [], "source": s}
             for i, s in enumerate(sources)]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


def test_check_and_fix_diff_run_without_node_on_path(tmp_path):
    (tmp_path / "nb.ipynb").write_text(notebook(["import tensorflow as tf\n", "m = tf.keras.Sequential()"]))
    checked = keras_migrate_cli("check", "--output-format", "concise", "nb.ipynb", cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    assert checked.stdout.startswith("nb.ipynb:cell 0:2:5: KM012 [*] ")
    diffed = keras_migrate_cli("fix", "--diff", "nb.ipynb", cwd=tmp_path)
    assert diffed.returncode == 1, diffed.stderr
    assert "-m = tf.keras.Sequential()\n" in diffed.stdout and "+m = keras.Sequential()\n" in diffed.stdout
    # tf.keras, then the TensorFlow import nothing uses any more (KM014).
    assert "Would fix 2 findings in 1 file" in diffed.stderr
    assert "tf.keras.Sequential" in (tmp_path / "nb.ipynb").read_text()  # --diff writes nothing


def test_every_command_is_there(tmp_path):
    top = keras_migrate_cli("--help", cwd=tmp_path)
    for command in ("check", "fix", "rules", "explain", "run"):
        assert command in top.stdout
    assert "exit codes:" in top.stdout
    rules = keras_migrate_cli("rules", "--output-format", "json", cwd=tmp_path)
    assert rules.returncode == 0 and any(r["code"] == "KM012" for r in json.loads(rules.stdout))
    check_help = keras_migrate_cli("check", "--help", cwd=tmp_path)
    assert "usage: keras-migrate check" in check_help.stdout and "# keras-migrate: ignore[" in check_help.stdout
    explained = keras_migrate_cli("explain", "-", cwd=tmp_path, stdin="nothing here")
    assert explained.stdout == "No Keras 3 migration problem recognised.\n"
    assert "--backends" in keras_migrate_cli("run", "--help", cwd=tmp_path).stdout
    bad = keras_migrate_cli("check", "--jobs", "x", ".", cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


@pytest.mark.skipif(shutil.which("node") is None or not NPM_BIN.exists(), reason="needs the npm bin and a node")
def test_npm_bin_and_python_console_script_give_the_same_results(tmp_path):
    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        corpus = ROOT.parent.parent / "shared" / "corpus"
    for name in sorted(os.listdir(corpus))[:4]:
        shutil.copy(corpus / name, tmp_path / name)
    (tmp_path / "m.py").write_text(FLAGGED)
    for args in (["check", "--output-format", "json", "."], ["check", "--output-format", "sarif", "."],
                 ["fix", "--diff", "."], ["rules"]):
        npm = subprocess.run([shutil.which("node"), str(NPM_BIN), *args], cwd=tmp_path, capture_output=True, text=True)
        py = keras_migrate_cli(*args, cwd=tmp_path)
        assert (py.returncode, py.stdout, py.stderr) == (npm.returncode, npm.stdout, npm.stderr), args
        assert npm.stdout


def test_python_api_check_and_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", no_node_env()["PATH"])
    target = tmp_path / "m.py"
    target.write_text(FLAGGED + "opt = keras.optimizers.Adam(decay=1e-6)\n")
    findings = keras_migrate.check(target)
    assert {f["rule"] for f in findings} >= {"KM012"}
    assert all(f["path"] == str(target) for f in findings)
    assert keras_migrate.check([target], ignore=["KM012"]) == [f for f in findings if f["rule"] != "KM012"]
    preview = keras_migrate.fix(target, diff=True)
    assert preview["fixed"] >= 1 and not preview["files"][0]["written"] and "+m = keras.Sequential()" in preview["files"][0]["diff"]
    report = keras_migrate.fix(str(target))
    assert report["files"][0]["written"] is True
    assert "m = keras.Sequential()" in target.read_text()
    assert [f["rule"] for f in report["remaining"]] == [f["rule"] for f in keras_migrate.check(target)]
    with pytest.raises(analyser.AnalyserError) as error:
        keras_migrate.check(tmp_path / "missing.py")
    assert "no such file" in str(error.value) and error.value.returncode == 2


def test_no_runtime_is_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_MIGRATE_NODE", str(tmp_path / "no-node"))
    with pytest.raises(analyser.AnalyserUnavailable, match="not an executable"):
        keras_migrate.check(tmp_path)
    done = keras_migrate_cli("check", ".", cwd=tmp_path, env=dict(no_node_env(), KERAS_MIGRATE_NODE=str(tmp_path / "no-node")))
    assert done.returncode == 2 and done.stderr.startswith("keras-migrate: KERAS_MIGRATE_NODE=") and "Traceback" not in done.stderr


def test_node_compile_cache_defaults_to_nodes_own_place_and_yields_to_the_user():
    import os

    from keras_migrate.analyser import compile_cache

    if os.name != "posix":
        return
    env = {"TMPDIR": "/some/tmp"}
    compile_cache(env)
    assert env["NODE_COMPILE_CACHE"] == os.path.join("/some/tmp", "node-compile-cache")
    chosen = {"NODE_COMPILE_CACHE": "/mine"}
    compile_cache(chosen)
    assert chosen == {"NODE_COMPILE_CACHE": "/mine"}
    disabled = {"NODE_DISABLE_COMPILE_CACHE": "1"}
    compile_cache(disabled)
    assert "NODE_COMPILE_CACHE" not in disabled


def test_python_api_cache_is_off_unless_asked_and_the_console_script_passes_the_options(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KERAS_MIGRATE_CACHE_DIR", raising=False)
    monkeypatch.delenv("KERAS_MIGRATE_NO_CACHE", raising=False)
    target = tmp_path / "m.py"
    target.write_text(FLAGGED)
    findings = keras_migrate.check(target)
    assert not (tmp_path / ".keras_migrate_cache").exists()
    assert keras_migrate.check(target, cache=True) == findings
    assert (tmp_path / ".keras_migrate_cache" / "CACHEDIR.TAG").is_file()
    elsewhere = tmp_path / "elsewhere"
    assert keras_migrate.check(target, cache=elsewhere) == findings
    assert keras_migrate.check(target, cache=str(elsewhere)) == findings
    assert (elsewhere / ".gitignore").read_text().splitlines()[-1] == "*"
    assert keras_migrate.fix(target, diff=True, cache=elsewhere)["fixed"] >= 1
    # The console script hands the cache options to the analyser unchanged.
    own = tmp_path / "own-cache"
    done = keras_migrate_cli("check", "--cache-dir", str(own), "m.py", cwd=tmp_path)
    assert done.returncode == 1 and (own / "CACHEDIR.TAG").is_file()
    assert keras_migrate_cli("check", "--no-cache", "m.py", cwd=tmp_path).stdout == done.stdout
    assert "--no-cache" in keras_migrate_cli("check", "--help", cwd=tmp_path).stdout
    assert "--cache-dir" in keras_migrate_cli("fix", "--help", cwd=tmp_path).stdout
