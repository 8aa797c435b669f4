/** Runs the bundled CLI (lib/cli/keras-migrate.cjs, rebuilt once here) on temporary files. */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'lib/cli/keras-migrate.cjs');
let dir: string;

// `explain` runs the Python recognizer: this checkout's, with the repository's interpreter.
const python = path.join(root, '.venv/bin/python');
const env = {
  ...process.env,
  ...(fs.existsSync(python) ? { KERAS_MIGRATE_PYTHON: python } : {}),
  PYTHONPATH: [path.join(root, 'python_kernel_hooks'), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter)
};

function run(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, input, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function notebook(cells: Array<{ type: string; source: string[] }>, indent = 1): string {
  const nb = {
    cells: cells.map((c, i) =>
      c.type === 'code'
        ? { cell_type: 'code', execution_count: i, id: `c${i}`, metadata: { tags: [] }, outputs: [{ name: 'stdout', output_type: 'stream', text: ['é 1e-05\n'] }], source: c.source }
        : { cell_type: c.type, id: `c${i}`, metadata: {}, source: c.source }
    ),
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5
  };
  return JSON.stringify(nb, null, indent) + '\n';
}

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'src/cli/build.mjs')], { cwd: root });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-migrate-cli-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('check --format json follows the finding contract, cells counted with markdown', () => {
  fs.mkdirSync(path.join(dir, 'nbs/.ipynb_checkpoints'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'nbs/a.ipynb'),
    notebook([
      { type: 'markdown', source: ['# Title'] },
      { type: 'code', source: ['import tensorflow as tf\n', '%matplotlib inline'] },
      { type: 'code', source: ['m = tf.keras.Sequential()'] }
    ])
  );
  fs.writeFileSync(path.join(dir, 'nbs/.ipynb_checkpoints/a-checkpoint.ipynb'), 'not json');
  fs.writeFileSync(path.join(dir, 'nbs/b.py'), 'from tensorflow import keras\n');
  const r = run(['check', '--format', 'json', 'nbs']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(1);
  const findings = JSON.parse(r.stdout);
  expect(findings).toEqual([
    {
      path: path.join('nbs', 'a.ipynb'),
      cell: 2,
      line: 1,
      column: 5,
      endLine: 1,
      endColumn: 24,
      rule: 'KM012',
      guide: 'imports',
      severity: 'warning',
      message: expect.stringContaining('keras.Sequential'),
      fix: {
        title: expect.any(String),
        safe: true,
        edits: [
          { line: 1, column: 5, endLine: 1, endColumn: 13, text: 'keras' },
          { line: 1, column: 1, endLine: 1, endColumn: 1, text: 'import keras\n' }
        ]
      },
      // tf.keras runs on every backend while TensorFlow is installed (Keras 3 is tf.keras there).
      blocks: []
    },
    expect.objectContaining({ path: path.join('nbs', 'b.py'), cell: null, line: 1, column: 1, rule: 'KM011' })
  ]);
  expect(Object.keys(findings[0])).toEqual(['path', 'cell', 'line', 'column', 'endLine', 'endColumn', 'rule', 'guide', 'severity', 'message', 'fix', 'blocks']);
});

test('check --format json: each finding claims its own backends, not its rule\'s widest list', () => {
  // KM186's rule list is JAX and PyTorch; a keras.ops value of NumPy data converts on PyTorch
  // (no grad), a model output does not: each finding says which (checked by running).
  fs.writeFileSync(
    path.join(dir, 'claims.py'),
    'import numpy as np\nimport keras\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\na = keras.ops.add(np.ones(2), 1).numpy()\nb = model(np.ones((1, 2))).numpy()\n'
  );
  const r = run(['check', '--format', 'json', '--select', 'KM186', 'claims.py']);
  expect(r.code).toBe(1);
  const findings = JSON.parse(r.stdout) as Array<{ line: number; blocks: string[] }>;
  expect(findings.map(f => [f.line, f.blocks])).toEqual([
    [4, ['jax']],
    [5, ['jax', 'torch']]
  ]);
});

test('check (text) reports per layer what stays TensorFlow-only, and what blocks each backend', () => {
  fs.writeFileSync(
    path.join(dir, 'layers.py'),
    'import numpy as np\nimport tensorflow as tf\nimport keras\n\nclass Swish(keras.layers.Layer):\n    def call(self, x):\n        return tf.nn.silu(x, beta=2.0)\n\nclass Units(keras.layers.Layer):\n    def get_config(self):\n        return {"n": tf.constant(2).numpy()}\n\nprint(keras.ops.add(np.ones(2), 1).numpy())\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2), Swish()])\nmodel.fit(np.ones((4, 2)), np.ones((4, 2)))\n'
  );
  const r = run(['check', 'layers.py']);
  expect(r.code).toBe(1);
  const summary = r.stdout.slice(r.stdout.indexOf('Summary by guide section:'));
  // Swish keeps a TF call without a keras.ops counterpart; Units' TF call only makes a Python value.
  expect(summary).toContain('Still TensorFlow-only after the safe fixes, per layer and model function:\n  layers.py:5: 1 TF call remains in `Swish`');
  expect(summary).not.toContain('`Units`');
  // KM131 and KM190 on Swish block JAX and PyTorch (trained behind a Dense); the .numpy() of a keras.ops value blocks JAX only.
  expect(summary).toContain('Findings that block each backend: tensorflow none, jax 3, torch 2');
});

test('exit 0 on clean input, 2 on unreadable input while the run goes on', () => {
  fs.writeFileSync(path.join(dir, 'clean.py'), 'import keras\nx = keras.layers.Dense(3)\n');
  expect(run(['check', '--format', 'json', 'clean.py'])).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  fs.writeFileSync(path.join(dir, 'broken.ipynb'), '{"cells": [');
  fs.writeFileSync(path.join(dir, 'bad.py'), 'from tensorflow import keras\n');
  const r = run(['check', '--format', 'json', 'missing.py', 'broken.ipynb', 'bad.py']);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^keras-migrate: missing\.py: /), expect.stringMatching(/^keras-migrate: broken\.ipynb: invalid notebook/)]);
  expect(JSON.parse(r.stdout)).toHaveLength(1);
});

test('bad usage exits 2 with a one-line reason', () => {
  for (const args of [[], ['check'], ['check', '--format', 'xml', 'x.py'], ['check', '--target', 'jax', 'x.py'], ['frobnicate'], ['check', '--select', 'nope', 'x.py']]) {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
});

test('text and sarif formats, select/ignore, version and target', () => {
  fs.writeFileSync(path.join(dir, 'mix.py'), 'import tensorflow as tf\nimport keras\nm = tf.keras.Model()\nx = keras.Model({"a": {"b": i}}, o)\n');
  const text = run(['check', 'mix.py']);
  expect(text.code).toBe(1);
  expect(text.stdout).toContain('mix.py\n  3:5  KM012 warning');
  expect(text.stdout).toContain('Summary by guide section:');
  expect(text.stdout).toMatch(/imports\s+1\s+Replace your imports/);
  const sarif = JSON.parse(run(['check', '--format', 'sarif', 'mix.py']).stdout);
  expect(sarif.version).toBe('2.1.0');
  expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['KM012']);
  const old = JSON.parse(run(['check', '--format', 'json', '--keras-version', '3.3', 'mix.py']).stdout);
  expect(old.map((f: { rule: string }) => f.rule)).toEqual(['KM012', 'KM051']);
  expect(JSON.parse(run(['check', '--format', 'json', '--keras-version', '3.3', '--select', 'nested-inputs', 'mix.py']).stdout)).toHaveLength(1);
  expect(run(['check', '--format', 'json', '--ignore', 'KM012,KM051', 'mix.py']).code).toBe(0);
});

test('check with worker threads gives the same output as one thread, in every format', () => {
  // Enough files for the workers to get batches (a thread takes 4 at a time); each thread
  // renders the files it analysed and the main thread joins the parts in file order.
  fs.mkdirSync(path.join(dir, 'many'), { recursive: true });
  for (let i = 0; i < 13; i++) {
    const code = i % 3 === 2 ? ['x = 1'] : ['import tensorflow as tf\n', `m${i} = tf.keras.Sequential()\n`, 'm.save("x.h5")'];
    fs.writeFileSync(path.join(dir, `many/n${String(i).padStart(2, '0')}.ipynb`), notebook([{ type: 'code', source: code }]));
  }
  for (const format of ['json', 'text', 'concise', 'sarif', 'github']) {
    const one = run(['check', '--output-format', format, '--jobs', '1', 'nbs', 'many', 'mix.py', 'mix.py']);
    expect(one.code).toBe(1);
    expect(run(['check', '--output-format', format, '--jobs', '3', 'nbs', 'many', 'mix.py', 'mix.py'])).toEqual(one);
  }
  // The joined JSON and SARIF are laid out as one JSON.stringify(..., null, 2) of the whole.
  for (const format of ['json', 'sarif']) {
    const out = run(['check', '--output-format', format, '--jobs', '3', 'nbs', 'many']).stdout;
    expect(out).toBe(JSON.stringify(JSON.parse(out), null, 2) + '\n');
  }
  // A file named twice is one block in the text report, with its findings twice.
  const text = run(['check', '--jobs', '3', 'many', 'mix.py', 'mix.py']).stdout;
  expect(text.split('\n').filter(line => line === 'mix.py')).toHaveLength(1);
});

test('fix rewrites a notebook in place keeping everything but the fixed sources', () => {
  const file = path.join(dir, 'fixme.ipynb');
  const original = notebook(
    [
      { type: 'code', source: ['import tensorflow as tf\n', 'from tensorflow.keras import layers'] },
      { type: 'markdown', source: ['tf.keras stays in markdown'] },
      { type: 'code', source: ['m = tf.keras.Sequential([layers.Dense(1)])\n', 'm.save("exported")'] },
      // The SavedModel is read, so KM031's fix is export() (else a .keras file, with nothing left).
      { type: 'code', source: ['served = tf.saved_model.load("exported")'] }
    ],
    2
  );
  fs.writeFileSync(file, original);
  const r = run(['fix', 'fixme.ipynb']);
  // What remains is KM211 (model.export() fails on PyTorch), which has no fix: exit 1, as ruff --fix.
  expect(r.code).toBe(1);
  expect(r.stdout.match(/KM\d+/g)).toEqual(['KM211']);
  const after = fs.readFileSync(file, 'utf8');
  const nb = JSON.parse(after);
  expect(nb.cells[0].source).toEqual(['import tensorflow as tf\n', 'from keras import layers\n', 'import keras']);
  expect(nb.cells[2].source).toEqual(['m = keras.Sequential([layers.Dense(1)])\n', 'm.export("exported")']);
  expect(nb.cells[1].source).toEqual(['tf.keras stays in markdown']);
  // Everything outside the sources is byte-identical: same indentation, outputs, key order.
  const restored = JSON.parse(after);
  restored.cells.forEach((c: { source: string[] }, i: number) => (c.source = JSON.parse(original).cells[i].source));
  expect(JSON.stringify(restored, null, 2) + '\n').toBe(original);
  expect(after.endsWith('}\n')).toBe(true);
  // A second run changes nothing at all.
  expect(run(['fix', 'fixme.ipynb']).code).toBe(1);
  expect(fs.readFileSync(file, 'utf8')).toBe(after);
});

test('fix leaves files with nothing to fix byte-identical, and --diff writes nothing', () => {
  const clean = path.join(dir, 'clean.ipynb');
  const text = notebook([{ type: 'code', source: ['import keras\n'] }]).replace('\n}\n', '\n}');
  fs.writeFileSync(clean, text);
  expect(run(['fix', 'clean.ipynb']).code).toBe(0);
  expect(fs.readFileSync(clean, 'utf8')).toBe(text);
  const py = path.join(dir, 'diffme.py');
  fs.writeFileSync(py, 'import tensorflow as tf\nx = tf.keras.layers.Dense(3)\n');
  const r = run(['fix', '--diff', 'diffme.py']);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe(
    '--- a/diffme.py\n+++ b/diffme.py\n@@ -1,2 +1,2 @@\n-import tensorflow as tf\n-x = tf.keras.layers.Dense(3)\n+import keras\n+x = keras.layers.Dense(3)\n'
  );
  expect(fs.readFileSync(py, 'utf8')).toBe('import tensorflow as tf\nx = tf.keras.layers.Dense(3)\n');
});

test('fix --unsafe applies suggestions too; fix exits 1 while findings remain, as ruff --fix does', () => {
  fs.writeFileSync(path.join(dir, 'unsafe.py'), 'import keras\nopt = keras.optimizers.Adam(lr=1e-3, decay=1e-6)\n');
  const safeOnly = run(['fix', 'unsafe.py']);
  expect(safeOnly.code).toBe(1);
  expect(safeOnly.stderr).toMatch(/^fixed unsafe\.py \(1 fix\)\nFixed 1 finding in 1 file; 1 remaining/);
  expect(safeOnly.stdout).toContain('decay');
  expect(fs.readFileSync(path.join(dir, 'unsafe.py'), 'utf8')).toBe('import keras\nopt = keras.optimizers.Adam(learning_rate=1e-3, decay=1e-6)\n');
  expect(run(['fix', '--unsafe', 'unsafe.py']).code).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'unsafe.py'), 'utf8')).toBe(
    'import keras\nopt = keras.optimizers.Adam(learning_rate=keras.optimizers.schedules.InverseTimeDecay(1e-3, decay_steps=1, decay_rate=1e-6))\n'
  );
});

test('non-Python notebooks are skipped', () => {
  const r = notebook([{ type: 'code', source: ['tf.keras.X'] }]).replace('"language": "python"', '"language": "R"');
  fs.writeFileSync(path.join(dir, 'r.ipynb'), r);
  expect(run(['check', '--format', 'json', 'r.ipynb']).stdout).toBe('[]\n');
});

test('explain reads a traceback from stdin or a file', () => {
  const traceback =
    'Traceback (most recent call last):\n  File "<ipython-input-3>", line 2, in <module>\nValueError: A KerasTensor cannot be used as input to a TensorFlow function. A KerasTensor is a symbolic placeholder for a shape and dtype, used when constructing Keras Functional models or Keras Functions.\n';
  const json = run(['explain', '--format', 'json', '-'], traceback);
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout).diagnosis.guide).toBe('kerastensor-tf-op');
  fs.writeFileSync(path.join(dir, 'tb.txt'), 'nothing to see');
  const text = run(['explain', 'tb.txt']);
  expect(text).toEqual({ code: 0, stdout: 'No Keras 3 migration problem recognised.\n', stderr: '' });
  expect(run(['explain', 'no-such-file.txt']).code).toBe(2);
  // Several files: one answer per file, in order; an unreadable one is reported and the rest explained.
  fs.writeFileSync(path.join(dir, 'kt.txt'), traceback);
  const several = run(['explain', '--format', 'json', 'kt.txt', 'no-such-file.txt', 'tb.txt']);
  expect(several.code).toBe(2);
  expect(several.stderr).toContain('no-such-file.txt');
  expect(JSON.parse(several.stdout).map((a: { file: string; diagnosis: { guide: string | null } }) => [a.file, a.diagnosis.guide])).toEqual([
    ['kt.txt', 'kerastensor-tf-op'],
    ['tb.txt', null]
  ]);
  const texts = run(['explain', 'tb.txt', 'kt.txt']);
  expect(texts.code).toBe(0);
  expect(texts.stdout.startsWith('== tb.txt\nNo Keras 3 migration problem recognised.\n\n== kt.txt\n')).toBe(true);
});

test('files that are not UTF-8 are reported and left alone', () => {
  const file = path.join(dir, 'latin1.py');
  const bytes = Buffer.concat([Buffer.from('from tensorflow import keras\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
  fs.writeFileSync(file, bytes);
  const r = run(['fix', 'latin1.py']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('latin1.py: not valid UTF-8');
  expect(fs.readFileSync(file).equals(bytes)).toBe(true);
});

test('fix fills an empty source array with the notebook\'s own indentation', () => {
  const file = path.join(dir, 'empty-source.ipynb');
  const original = notebook([{ type: 'code', source: [] }, { type: 'code', source: ['import tensorflow as tf\n', 'x = tf.keras.Input((1,))'] }], 2);
  fs.writeFileSync(file, original);
  expect(run(['fix', 'empty-source.ipynb']).code).toBe(0);
  const after = fs.readFileSync(file, 'utf8');
  const nb = JSON.parse(after);
  expect(nb.cells[1].source).toEqual(['import keras\n', 'x = keras.Input((1,))']);
  expect(after).toBe(JSON.stringify(nb, null, 2) + '\n');
});
