"""TF op -> keras.ops conversions checked on real TensorFlow and Keras 3.

src/__tests__/analysis/ops-conversions.json holds sample TF calls and the conversion the
analyser writes for each (kept equal to the rules' output by jest). Here each TF call runs on
TensorFlow and each conversion runs under KERAS_BACKEND=tensorflow, jax and torch on the same
inputs: a conversion marked safe must give the same values and dtype on every backend (a
Python int where TF gives an integer scalar counts as the same: `tf.shape(x)[0]`); any
offered conversion must at least run (an argument Keras cannot take would raise a TypeError); a
suggestion whose sample meets its stated condition (`sameValues`) must give the same values too.
The catalog's signatures of both sides (ops.json `tfParams`/`kerasParams`) and its list of
keras.ops functions are compared with the installed TensorFlow and Keras.
"""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = json.loads((ROOT / "src/__tests__/analysis/ops-conversions.json").read_text())
OPS = json.loads((ROOT / "src/catalog/ops.json").read_text())
BACKENDS = ("tensorflow", "jax", "torch")

PRELUDE = textwrap.dedent(
    """
    import json, sys, traceback
    import numpy as np

    def f(*shape):
        return np.random.default_rng(sum(shape) + len(shape)).normal(size=shape).astype("float32")

    def p(*shape):
        return np.abs(f(*shape)) + 0.1

    def i(*shape, hi):
        return np.random.default_rng(sum(shape) + hi).integers(0, hi, size=shape).astype("int32")

    def flat(value):
        if isinstance(value, (tuple, list)):
            return [x for v in value for x in flat(v)]
        return [value]

    def inputs_of(sample):
        return {name: eval(expr) for name, expr in sample["inputs"].items()}
    """
)

TF_RUNNER = PRELUDE + textwrap.dedent(
    """
    import tensorflow as tf
    out = []
    for sample in json.loads(sys.stdin.read()):
        values = inputs_of(sample)
        result = flat(eval(sample["tf"], {"tf": tf, **values}))
        out.append([[np.asarray(r).tolist(), str(np.asarray(r).dtype)] for r in result])
    print("RESULTS:" + json.dumps(out))
    """
)

KERAS_RUNNER = PRELUDE + textwrap.dedent(
    """
    import keras
    out = []
    for sample in json.loads(sys.stdin.read()):
        values = {k: keras.ops.convert_to_tensor(v) if isinstance(v, np.ndarray) else v
                  for k, v in inputs_of(sample).items()}
        try:
            result = flat(eval(sample["keras"], {"keras": keras, **values}))
            # A Python number (keras.ops.shape(x)[0] is one) has no tensor dtype: "python".
            out.append([[r, "python"] if isinstance(r, (int, float)) else
                        [np.asarray(keras.ops.convert_to_numpy(r)).tolist(), str(np.asarray(keras.ops.convert_to_numpy(r)).dtype)]
                        for r in result])
        except Exception:
            out.append(traceback.format_exc(limit=2))
    print("RESULTS:" + json.dumps(out))
    """
)


def run(script, samples, backend):
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, "-c", script], input=json.dumps(samples), capture_output=True,
                          text=True, env=env, timeout=600)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULTS:")), None)
    assert line, f"runner died on {backend}:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return json.loads(line[len("RESULTS:"):])


CONVERTED = [s for s in SAMPLES if s["keras"]]


@pytest.fixture(scope="module")
def tf_results():
    return run(TF_RUNNER, CONVERTED, "tensorflow")


@pytest.mark.parametrize("backend", BACKENDS)
def test_conversions_match_tensorflow(backend, tf_results):
    import numpy as np

    results = run(KERAS_RUNNER, CONVERTED, backend)
    problems = []
    for sample, expected, got in zip(CONVERTED, tf_results, results):
        label = f"{sample['tf']} -> {sample['keras']}"
        if isinstance(got, str):
            problems.append(f"{label} raised on {backend}:\n{got}")
            continue
        # A suggestion is compared where the sample meets its stated condition (`sameValues`).
        if not sample["safe"] and not sample.get("sameValues"):
            continue
        same = len(expected) == len(got) and all(
            (e[1] == g[1] or (g[1] == "python" and e[1].startswith("int"))) and np.array(e[0]).shape == np.array(g[0]).shape and np.allclose(e[0], g[0], atol=1e-5)
            for e, g in zip(expected, got)
        )
        if not same:
            problems.append(f"{label} ({'safe' if sample['safe'] else 'same values claimed'}) differs on {backend}: TF {expected} vs Keras {got}")
    assert not problems, "\n".join(problems)


def test_samples_cover_safe_and_refused_conversions():
    assert sum(s["safe"] for s in SAMPLES) >= 40
    refused = [s for s in SAMPLES if not s["keras"]]
    assert refused and all("no counterpart for" in s["message"] for s in refused)


def test_catalog_signatures_match_installed_tensorflow_and_keras():
    script = textwrap.dedent(
        """
        import importlib, inspect, json, sys
        import tensorflow as tf, keras
        def params(fn):
            return [("*" if q.kind == q.VAR_POSITIONAL else "**" if q.kind == q.VAR_KEYWORD else "") + q.name
                    for q in inspect.signature(fn).parameters.values()]
        ops = json.loads(sys.stdin.read())
        out = {}
        for row in ops["ops"]:
            if "tfParams" not in row:
                continue
            fn = tf
            for part in row["tf"].split(".")[1:]:
                fn = getattr(fn, part)
            module, _, name = row["keras"].rpartition(".")
            out[row["tf"] + " " + row["keras"]] = [params(fn), params(getattr(importlib.import_module(module), name))]
        names = sorted(n for n in dir(keras.ops) if not n.startswith("_") and n[0].islower() and callable(getattr(keras.ops, n)))
        print("RESULTS:" + json.dumps([out, names]))
        """
    )
    signatures, names = run(script, OPS, "tensorflow")
    for row in OPS["ops"]:
        if "tfParams" in row:
            assert [row["tfParams"], row["kerasParams"]] == signatures[row["tf"] + " " + row["keras"]], row["tf"]
    assert set(OPS["kerasOps"]) <= set(names)
