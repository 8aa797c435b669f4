"""Python (`explain_text`) and TypeScript (`explainText`) give identical JSON.

The texts are real: every traceback and warning the kernel tests produced in
this session (the `after_kernel_tests` marker runs this last), plus a few made
here by running Keras in the TensorFlow kernel, in IPython's format and in plain
Python's `traceback` format.
"""

import json
import os
import shutil
import subprocess
import textwrap

import pytest

from conftest import COLLECTED_TEXTS
from keras_migrate.recognize import explain_text

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ESBUILD = os.path.join(REPO, "node_modules", ".bin", "esbuild")

PLAIN_FORMAT_SCRIPTS = {
    "kerastensor.py": "inputs = keras.Input((4,))\nsquared = tf.square(inputs)\n",
    "lr.py": "opt = keras.optimizers.Adam(lr=0.01)\n",
    "chained.py": textwrap.dedent("""\
        try:
            keras.optimizers.legacy.SGD()
        except ImportError as error:
            raise RuntimeError("could not build the optimizer") from error
        """),
    "shape.py": "keras.layers.Dense(2)(np.zeros((3, 4))) @ np.zeros((5, 5))\n",
}

IPYTHON_FORMAT_CELLS = [
    "inputs = keras.Input((4,))\nsquared = tf.square(inputs)\n",
    "keras.Sequential([keras.Input((4,)), keras.layers.LocallyConnected1D(2, 3)])\n",
    "try:\n    keras.optimizers.legacy.SGD()\nexcept ImportError as error:\n    raise RuntimeError('wrapped') from error\n",
    "{}['missing']\n",
]


def plain_format_texts(pair):
    """Run small scripts with runpy in the kernel and keep `traceback.format_exception` text."""
    code = textwrap.dedent("""\
        import json, os, runpy, tempfile, traceback
        import numpy as np, keras, tensorflow as tf
        _scripts = json.loads(%r)
        _dir = tempfile.mkdtemp()
        _texts = []
        for _name, _body in sorted(_scripts.items()):
            _path = os.path.join(_dir, _name)
            with open(_path, "w") as _file:
                _file.write("import numpy as np, keras, tensorflow as tf\\n" + _body)
            try:
                runpy.run_path(_path)
            except Exception as _error:
                _texts.append("".join(traceback.format_exception(_error)))
        print(json.dumps(_texts))
        """) % json.dumps(PLAIN_FORMAT_SCRIPTS)
    hooked, _ = pair.run(code)
    assert hooked.reply["status"] == "ok", hooked.outputs
    return json.loads(hooked.stdout)


def typescript_diagnoses(paths, workdir):
    runner = os.path.join(workdir, "runner.ts")
    with open(runner, "w") as handle:
        handle.write(textwrap.dedent("""\
            import { explainText } from %s;
            declare const require: any;
            const fs = require('fs');
            const paths: string[] = JSON.parse(fs.readFileSync(0, 'utf8'));
            process.stdout.write(JSON.stringify(paths.map(p => explainText(fs.readFileSync(p, 'utf8')))));
            """) % json.dumps(os.path.join(REPO, "src", "explain", "recognize.ts")))
    bundle = os.path.join(workdir, "runner.cjs")
    subprocess.run([ESBUILD, runner, "--bundle", "--platform=node", "--format=cjs", "--log-level=warning",
                    "--outfile=" + bundle], check=True)
    done = subprocess.run(["node", bundle], input=json.dumps(paths), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.after_kernel_tests
def test_python_and_typescript_give_identical_diagnoses(tf_kernels, tmp_path):
    if not (os.path.exists(ESBUILD) and shutil.which("node")):
        pytest.skip("needs node and the repository's node_modules (esbuild)")
    texts = plain_format_texts(tf_kernels)
    for cell in IPYTHON_FORMAT_CELLS:
        hooked, _ = tf_kernels.run(cell)
        assert hooked.error is not None
        # KernelPair.run collects every traceback (this one included) for this test.
        assert hooked.traceback_text() in COLLECTED_TEXTS
    texts += COLLECTED_TEXTS
    texts = list(dict.fromkeys(texts))

    paths = []
    for number, text in enumerate(texts):
        path = tmp_path / ("%03d.txt" % number)
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    from_typescript = typescript_diagnoses(paths, str(tmp_path))

    from_python = [explain_text(open(path, encoding="utf-8").read()) for path in paths]
    assert len(from_python) == len(from_typescript) == len(texts)
    for path, python_answer, typescript_answer in zip(paths, from_python, from_typescript):
        assert python_answer == typescript_answer, path

    guides = [answer["guide"] for answer in from_python]
    # Both recognised and unrecognised texts, both formats, were compared.
    assert "kerastensor-tf-op" in guides and "api-changes" in guides and None in guides
    assert any(answer["file"] and answer["file"].endswith("lr.py") for answer in from_python)
    assert any(answer["cell"] is not None for answer in from_python)
