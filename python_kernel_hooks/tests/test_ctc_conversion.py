"""KM132's CTC fix gives what Keras 2's keras.backend CTC functions gave, on every backend.

A Keras 2 program using `keras.backend.ctc_batch_cost` (called, and passed on as a value) and
`keras.backend.ctc_decode` (greedy) runs as written on TensorFlow, where `tf.keras.backend` still
holds Keras 2's functions: that is the reference. `keras-migrate fix` (safe fixes only) rewrites it
onto keras.ops; the fixed program runs under KERAS_BACKEND=tensorflow, jax and torch and must give
the same losses (to float rounding), shapes and decoded labels. The data put the blank (the last
class), padded labels and a padding value that is no class (keras.io's 99, inside the label length) to use, so a wrong blank index, a missing log or lengths of the wrong
shape change the numbers.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "lib" / "cli" / "keras-migrate.cjs"

PROGRAM = '''\
import json
import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.default_rng(0)
batch, steps, classes = 4, 9, 6
logits = rng.normal(size=(batch, steps, classes)) * 2
probabilities = (np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)).astype("float32")
labels = rng.integers(0, classes - 1, size=(batch, 3)).astype("float32")
labels[1, 2] = 0  # padding past the label length
labels[2, 2] = 99  # keras.io's padding token, counted in the label length: Keras 2 ends the label there
input_length = np.array([[9], [7], [9], [8]], "int64")
label_length = np.array([[3], [2], [3], [1]], "int64")


class CTCLoss:
    def __init__(self):
        self.loss_fn = keras.backend.ctc_batch_cost


loss = CTCLoss().loss_fn(labels, probabilities, input_length, label_length)
direct = keras.backend.ctc_batch_cost(labels, probabilities, input_length, label_length)
decoded, log_prob = keras.backend.ctc_decode(probabilities, input_length=input_length[:, 0].astype("float64"), greedy=True)
out = {
    "loss": np.asarray(loss).tolist(),
    "direct": np.asarray(direct).tolist(),
    "decoded": np.asarray(decoded[0]).tolist(),
    "paths": len(decoded),
    "log_prob": np.asarray(log_prob).tolist(),
}
print("RESULT:" + json.dumps(out))
'''


def run(code, backend, tmp_path):
    path = tmp_path / f"run_{backend}.py"
    path.write_text(code)
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT:")), None)
    assert line, f"{backend}:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return json.loads(line[len("RESULT:"):])


@pytest.fixture(scope="module")
def fixed(tmp_path_factory):
    assert CLI.exists(), f"{CLI} missing: `jlpm build` first"
    work = tmp_path_factory.mktemp("ctc")
    source = work / "program.py"
    source.write_text(PROGRAM)
    proc = subprocess.run(["node", str(CLI), "fix", str(source)], capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    return source.read_text()


@pytest.fixture(scope="module")
def keras2(tmp_path_factory):
    return run(PROGRAM, "tensorflow", tmp_path_factory.mktemp("keras2"))


def test_safe_fix_leaves_no_keras2_ctc_function(fixed):
    assert "= keras.backend.ctc_" not in fixed and "keras.backend.ctc_decode(" not in fixed
    assert "keras.ops.ctc_loss(" in fixed and "keras.ops.ctc_decode(" in fixed
    assert "self.loss_fn = ctc_batch_cost" in fixed


@pytest.mark.parametrize("backend", ["tensorflow", "jax", "torch"])
def test_fixed_ctc_matches_keras2(fixed, keras2, backend, tmp_path):
    got = run(fixed, backend, tmp_path)
    for key in ("loss", "direct"):
        assert np.asarray(got[key]).shape == np.asarray(keras2[key]).shape == (4, 1)
        np.testing.assert_allclose(got[key], keras2[key], rtol=1e-5, atol=1e-5)
    assert got["paths"] == keras2["paths"] == 1
    assert got["decoded"] == keras2["decoded"]
    np.testing.assert_allclose(got["log_prob"], keras2["log_prob"], rtol=1e-5, atol=1e-5)
