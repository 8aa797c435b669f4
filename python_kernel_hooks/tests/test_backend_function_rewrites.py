"""Every safe rewrite of a tf.keras backend function (src/catalog/ops.json, "backend" entries marked
safe) gives tf_keras's values on TensorFlow, JAX and PyTorch.

A module of sample calls (`K.repeat(m, 3)`, ...) runs under tf_keras (Keras 2); `keras-migrate fix`
(safe fixes only) rewrites it, and the rewritten module runs under Keras 3 on each backend. A safe
entry without a sample here fails the test: a new safe rewrite must be checked by running.
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
TF_KERAS = ROOT / ".tf-keras"
BACKENDS = ["tensorflow", "jax", "torch"]

# x: (2, 3, 4) floats in [-2, 2]; p: the same, positive; m: (2, 3); ids: int rows of x.
SAMPLES = {
    "sum": "K.sum(x, axis=1)",
    "max": "K.max(x, axis=-1)",
    "min": "K.min(x)",
    "prod": "K.prod(p, axis=0)",
    "std": "K.std(x, axis=1)",
    "var": "K.var(x)",
    "any": "K.any(x > 0, axis=1)",
    "all": "K.all(x > -1)",
    "square": "K.square(x)",
    "sqrt": "K.sqrt(p)",
    "exp": "K.exp(x)",
    "log": "K.log(p)",
    "abs": "K.abs(x)",
    "pow": "K.pow(x, 2)",
    "sign": "K.sign(x)",
    "round": "K.round(x * 3)",
    "sigmoid": "K.sigmoid(x)",
    "tanh": "K.tanh(x)",
    "relu": "K.relu(x)",
    "softmax": "K.softmax(x)",
    "softplus": "K.softplus(x)",
    "maximum": "K.maximum(x, 0.5)",
    "minimum": "K.minimum(x, 0.5)",
    "equal": "K.equal(x, x)",
    "not_equal": "K.not_equal(x, 0.0)",
    "greater": "K.greater(x, 0.0)",
    "less": "K.less(x, 0.0)",
    "greater_equal": "K.greater_equal(x, 0.0)",
    "less_equal": "K.less_equal(x, 0.0)",
    "cast": 'K.cast(x * 2, "int32")',
    "reshape": "K.reshape(x, (4, 6))",
    "expand_dims": "K.expand_dims(x)",
    "squeeze": "K.squeeze(p[:, :1, :], 1)",
    "stack": "K.stack([m, m])",
    "transpose": "K.transpose(m)",
    "zeros_like": "K.zeros_like(x)",
    "ones_like": "K.ones_like(x)",
    "clip": "K.clip(x, -1.0, 1.0)",
    "concatenate": "K.concatenate([x, x])",
    "int_shape": "K.int_shape(x)",
    "ndim": "K.ndim(x)",
    "permute_dimensions": "K.permute_dimensions(x, (0, 2, 1))",
    "cos": "K.cos(x)",
    "sin": "K.sin(x)",
    "softsign": "K.softsign(x)",
    "elu": "K.elu(x, 0.5)",
    "cumprod": "K.cumprod(p)",
    "gather": "K.gather(x, ids)",
    "reverse": "K.reverse(x, [1, 2])",
    "flatten": "K.flatten(x)",
    "stop_gradient": "K.stop_gradient(x)",
    "tile": "K.tile(m, (2, 1))",
    "repeat": "K.repeat(m, 3)",
    "repeat_elements": "K.repeat_elements(x, 2, axis=1)",
    "dtype": "K.dtype(x)",
}

HARNESS = r"""
import importlib.util, json, sys
import numpy as np
spec = importlib.util.spec_from_file_location("samples", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
if sys.argv[2] == "keras2":
    import tensorflow as tf
    convert = tf.constant
else:
    import keras
    convert = keras.ops.convert_to_tensor
x = np.linspace(-2, 2, 24, dtype="float32").reshape(2, 3, 4)
args = dict(x=convert(x), p=convert(np.abs(x) + 0.5), m=convert(x[:, :, 0]), ids=convert(np.array([1, 0, 1])))
out = {}
for name, fn in module.SAMPLES.items():
    try:
        value = fn(**args)
        if isinstance(value, (str, int, float, tuple)):
            out[name] = ["python", list(value) if isinstance(value, tuple) else value]
        else:
            array = np.asarray(value.numpy() if hasattr(value, "numpy") and sys.argv[2] == "keras2" else keras.ops.convert_to_numpy(value))
            out[name] = ["array", array.tolist(), list(array.shape)]
    except Exception as error:
        out[name] = ["error", f"{type(error).__name__}: {error}"[:300]]
print("RESULT " + json.dumps(out))
"""


def safe_entries():
    catalog = json.loads((ROOT / "src" / "catalog" / "ops.json").read_text())
    return sorted(e["name"] for e in catalog["backend"] if e["safe"] and e["keras"])


def sample_module(names):
    lines = ["from tensorflow.keras import backend as K", "", "SAMPLES = {}"]
    for name in names:
        lines.append(f"def sample_{name}(x, p, m, ids):\n    return {SAMPLES[name]}\nSAMPLES[{name!r}] = sample_{name}")
    return "\n".join(lines) + "\n"


def run(module_path, mode, backend="tensorflow"):
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    if mode == "keras2":
        env.update(TF_USE_LEGACY_KERAS="1", PYTHONPATH=os.pathsep.join(filter(None, [str(TF_KERAS), env.get("PYTHONPATH")])))
    proc = subprocess.run([sys.executable, "-c", HARNESS, str(module_path), mode], capture_output=True, text=True, env=env, timeout=600)
    line = next((l for l in proc.stdout.splitlines() if l.startswith("RESULT ")), None)
    assert line, f"{mode}/{backend} died:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return json.loads(line[len("RESULT "):])


def test_every_safe_rewrite_has_a_sample():
    missing = [n for n in safe_entries() if n not in SAMPLES]
    assert not missing, f"safe backend rewrites without a sample to check them by running: {missing}"


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    if not (TF_KERAS / "tf_keras" / "__init__.py").exists():
        pytest.fail("tf_keras is missing from .tf-keras (.ci/setup installs it)")
    names = [n for n in safe_entries() if n in SAMPLES]
    folder = tmp_path_factory.mktemp("backend_rewrites")
    original = folder / "samples_keras2.py"
    original.write_text(sample_module(names))
    fixed = folder / "samples_keras3.py"
    fixed.write_text(original.read_text())
    proc = subprocess.run(["node", str(CLI), "fix", str(fixed)], capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    expected = run(original, "keras2")
    return names, expected, fixed


@pytest.mark.parametrize("backend", BACKENDS)
def test_safe_rewrites_give_tf_keras_values(modules, backend):
    names, expected, fixed = modules
    text = fixed.read_text()
    # Every sample was rewritten: no `K.` call is left for Keras 3 to fail on.
    assert "K." not in text.replace("from keras import backend as K", ""), text
    got = run(fixed, "keras3", backend)
    problems = []
    for name in names:
        want, have = expected[name], got[name]
        assert want[0] != "error", f"the Keras 2 sample {SAMPLES[name]} failed: {want[1]}"
        if have[0] == "error":
            problems.append(f"{name}: {have[1]}")
        elif want[0] == "python" or have[0] == "python":
            if want[1] != have[1]:
                problems.append(f"{name}: {want[1]!r} vs {have[1]!r}")
        elif want[2] != have[2] or not np.allclose(np.array(want[1], dtype=float), np.array(have[1], dtype=float), atol=1e-5):
            problems.append(f"{name}: shape {want[2]} vs {have[2]} or values differ")
    assert not problems, f"on {backend}: " + "; ".join(problems)
