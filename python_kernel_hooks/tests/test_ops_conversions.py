"""TF op -> keras.ops conversions checked on real TensorFlow and Keras 3.

src/__tests__/analysis/ops-conversions.json holds sample TF calls and the conversion the
analyser writes for each (kept equal to the rules' output by jest). Here each TF call runs on
TensorFlow and each conversion runs under KERAS_BACKEND=tensorflow, jax and torch on the same
inputs: a conversion marked safe must give the same values and dtype on every backend (a
Python int where TF gives an integer scalar counts as the same: `tf.shape(x)[0]`); any
offered conversion must at least run (an argument Keras cannot take would raise a TypeError), and
a suggestion marked `values` (inexact only for a dtype: a configurable default, int32 where TF
gives int64, a float64 input) must give TensorFlow's values too, in whatever dtype. A conversion that defines a helper in the cell (`helpers`) runs
that code first. An input written `t(...)` is a tf.Tensor on TensorFlow's side.
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

    def t(a):
        # An input TensorFlow's op takes only as a tensor (tf.image.total_variation calls get_shape()):
        # the TensorFlow runner makes it one; Keras's runner converts every array anyway.
        return a

    def flat(value):
        if isinstance(value, (tuple, list)):
            return [x for v in value for x in flat(v)]
        return [value]

    def plain(a):
        # JSON has no complex numbers: a complex array as its (real, imag) pairs (the dtype says complex).
        a = np.asarray(a)
        return (np.stack([a.real, a.imag], -1) if np.iscomplexobj(a) else a).tolist()

    def inputs_of(sample):
        return {name: eval(expr) for name, expr in sample["inputs"].items()}
    """
)

TF_RUNNER = PRELUDE + textwrap.dedent(
    """
    import tensorflow as tf
    t = tf.constant
    out = []
    for sample in json.loads(sys.stdin.read()):
        values = inputs_of(sample)
        result = flat(eval(sample["tf"], {"tf": tf, **values}))
        out.append([[plain(r), str(np.asarray(r).dtype)] for r in result])
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
            scope = {"keras": keras, **values}
            exec(sample.get("helpers", ""), scope)  # a helper the fix defines in the cell (`signal_stft`)
            result = flat(eval(sample["keras"], scope))
            # A Python number (keras.ops.shape(x)[0] is one) has no tensor dtype: "python".
            out.append([[r, "python"] if isinstance(r, (int, float)) else
                        [plain(keras.ops.convert_to_numpy(r)), str(np.asarray(keras.ops.convert_to_numpy(r)).dtype)]
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
        if not sample["safe"] and not sample.get("values"):
            continue
        same = len(expected) == len(got) and all(
            (e[1] == g[1] or (g[1] == "python" and e[1].startswith("int")) or not sample["safe"]) and np.array(e[0]).shape == np.array(g[0]).shape and np.allclose(e[0], g[0], atol=1e-5)
            for e, g in zip(expected, got)
        )
        if not same:
            problems.append(f"{label} ({'safe' if sample['safe'] else 'values'}) differs on {backend}: TF {expected} vs Keras {got}")
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


# Aliases that are a different TF function with the same meaning (tf.math.divide(x, y) is
# `x / y`, which for tensors is tf.math.truediv).
SAME_MEANING_ALIASES = {"tf.math.truediv", "tf.truediv"}


def test_aliases_are_the_same_tf_function_and_none_is_missing():
    """An alias (another spelling converted like the row) must be the row's TF function; and every
    spelling of a row's function in the namespaces the analyser treats as TF ops (knowledge.ts
    TF_OP_NAME: tf, tf.math, tf.linalg, tf.nn, tf.image, tf.signal, tf.bitwise, tf.sparse) is the row
    or an alias (`tf.linalg.einsum is tf.einsum`). Aliases absent from TF 2 (`tf.log`, TF 1
    spellings) are skipped."""
    script = textwrap.dedent(
        """
        import json, sys
        import tensorflow as tf
        def resolve(name):
            obj = tf
            for part in name.split(".")[1:]:
                obj = getattr(obj, part, None)
                if obj is None:
                    return None
            return obj
        spellings = {}
        for module in ["tf", "tf.math", "tf.linalg", "tf.nn", "tf.image", "tf.signal", "tf.bitwise", "tf.sparse"]:
            mod = resolve(module)
            for attr in dir(mod):
                if not attr.startswith("_") and callable(getattr(mod, attr)):
                    spellings.setdefault(id(getattr(mod, attr)), []).append(module + "." + attr)
        out = {}
        for row in json.loads(sys.stdin.read())["ops"]:
            fn = resolve(row["tf"])
            if row.get("method") or fn is None:
                continue
            out[row["tf"]] = [sorted(spellings.get(id(fn), [])),
                              {a: (None if resolve(a) is None else resolve(a) is fn) for a in row.get("aliases", [])}]
        print("RESULTS:" + json.dumps(out))
        """
    )
    found = run(script, OPS, "tensorflow")
    named = {n for row in OPS["ops"] for n in [row["tf"], *row.get("aliases", [])]}
    problems = []
    for tf_name, (spellings, aliases) in found.items():
        problems += [f"{tf_name}: alias {a} is another TF function" for a, same in aliases.items()
                     if same is False and a not in SAME_MEANING_ALIASES]
        problems += [f"{tf_name}: {s} is the same TF function but no row or alias" for s in spellings if s not in named]
    assert not problems, "\n".join(problems)


GATHER_FORMS = textwrap.dedent(
    """
    import json, os
    import numpy as np
    import keras
    rng = np.random.default_rng(0)
    out = []
    # KM131's message for tf.gather(params, indices, batch_dims=b) names two keras.ops forms.
    for p_shape, i_shape, b in [((2, 5), (2, 3), 1), ((2, 3, 5), (2, 3, 4), 2), ((4, 6), (4,), 1), ((2, 3, 5), (2, 3), 2)]:
        params = rng.normal(size=p_shape).astype("float32")
        indices = rng.integers(0, p_shape[b], size=i_shape).astype("int32")
        if len(i_shape) == b + 1:
            got = keras.ops.take_along_axis(params, indices, axis=b)
        else:
            got = keras.ops.squeeze(keras.ops.take_along_axis(params, keras.ops.expand_dims(indices, b), axis=b), b)
        out.append([params.tolist(), indices.tolist(), b, None, np.asarray(keras.ops.convert_to_numpy(got)).tolist()])
    # The per-row form KM131 writes for batch_dims=1, whatever the ranks (axis a: take on axis a - 1).
    for p_shape, i_shape, a in [((2, 5), (2, 3), 1), ((4, 6), (4,), 1), ((2, 6, 3), (2, 4), 1), ((2, 3, 5), (2, 4), 2), ((2, 3, 5), (2, 4, 2), -1)]:
        params = keras.ops.convert_to_tensor(rng.normal(size=p_shape).astype("float32"))
        indices = keras.ops.convert_to_tensor(rng.integers(0, p_shape[a], size=i_shape).astype("int32"))
        got = keras.ops.vectorized_map(lambda row: keras.ops.take(row[0], row[1], axis=a - 1 if a > 0 else a), (params, indices))
        out.append([keras.ops.convert_to_numpy(params).tolist(), keras.ops.convert_to_numpy(indices).tolist(), 1, a, np.asarray(keras.ops.convert_to_numpy(got)).tolist()])
    print("RESULTS:" + json.dumps(out))
    """
)


@pytest.mark.parametrize("backend", BACKENDS)
def test_gather_batch_dims_forms_match_tensorflow(backend):
    import numpy as np
    import tensorflow as tf

    message = next(s["message"] for s in SAMPLES if s["tf"] == "tf.gather(x, idx, batch_dims=2)")
    assert "keras.ops.take_along_axis(params, indices, axis=2)" in message
    assert "keras.ops.squeeze(keras.ops.take_along_axis(params, keras.ops.expand_dims(indices, 2), axis=2), 2)" in message
    per_row = next(s["keras"] for s in SAMPLES if s["tf"] == "tf.gather(x, idx, axis=2, batch_dims=1)")
    assert per_row == "keras.ops.vectorized_map(lambda row: keras.ops.take(row[0], row[1], axis=1), (x, idx))"
    for params, indices, b, axis, got in run(GATHER_FORMS, [], backend):
        expected = tf.gather(np.array(params, "float32"), np.array(indices, "int32"), axis=axis, batch_dims=b).numpy()
        assert np.array(got).shape == expected.shape and np.allclose(got, expected), (backend, b, np.array(indices).shape)


ISTFT_FORM = textwrap.dedent(
    """
    import json
    import numpy as np
    import keras
    import tensorflow as tf
    rng = np.random.default_rng(1)
    out = []
    for n, frame_length, frame_step in [(300, 64, 16), (256, 32, 8), (200, 32, 16)]:
        x = rng.normal(size=(2, n)).astype("float32")
        stfts = tf.signal.stft(x, frame_length, frame_step, frame_length).numpy()
        expected = tf.signal.inverse_stft(stfts, frame_length, frame_step, frame_length,
                                          window_fn=tf.signal.inverse_stft_window_fn(frame_step)).numpy()
        got = keras.ops.istft((keras.ops.convert_to_tensor(stfts.real), keras.ops.convert_to_tensor(stfts.imag)),
                              frame_length, frame_step, frame_length, center=False)
        out.append([frame_length, expected.tolist(), np.asarray(keras.ops.convert_to_numpy(got)).tolist()])
    print("RESULTS:" + json.dumps(out))
    """
)


@pytest.mark.parametrize("backend", BACKENDS)
def test_inverse_stft_advice_matches_tensorflow(backend):
    """KM131 refuses tf.signal.inverse_stft and names keras.ops.istft(..., center=False) as the form
    of window_fn=tf.signal.inverse_stft_window_fn(frame_step) with fft_length == frame_length,
    except on JAX near both ends of the signal (it divides by the window overlap there too)."""
    import numpy as np

    message = next(s["message"] for s in SAMPLES if s["tf"].startswith("tf.signal.inverse_stft("))
    assert "keras.ops.istft((keras.ops.real(stfts), keras.ops.imag(stfts)), frame_length, frame_step, fft_length, center=False)" in message
    for frame_length, expected, got in run(ISTFT_FORM, [], backend):
        expected, got = np.array(expected), np.array(got)
        assert expected.shape == got.shape
        inner = slice(frame_length, -frame_length) if backend == "jax" else slice(None)
        assert np.allclose(expected[..., inner], got[..., inner], atol=1e-4), (backend, frame_length)
        if backend == "jax":
            assert not np.allclose(expected, got, atol=1e-4)  # the ends differ, as the message says
