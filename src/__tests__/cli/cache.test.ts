/**
 * The result cache of `check` and `fix` (src/cli/cache.ts), through the bundled CLI. Several
 * tests plant a recognisable message in a cache entry: output that shows it proves the entry
 * was read, output without it proves it was not.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'lib/cli/keras-migrate.cjs');
const FORMATS = ['text', 'concise', 'json', 'sarif', 'github'];
const PLANTED = 'PLANTED BY THE CACHE TEST';
let dir: string;

const baseEnv: NodeJS.ProcessEnv = { ...process.env };
delete baseEnv.KERAS_MIGRATE_CACHE_DIR;
delete baseEnv.KERAS_MIGRATE_NO_CACHE;
delete baseEnv.FORCE_COLOR;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; bundle?: string } = {}): Result {
  const r = spawnSync(process.execPath, [opts.bundle ?? cli, ...args], { cwd: opts.cwd ?? dir, encoding: 'utf8', env: { ...baseEnv, ...opts.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function notebook(cells: string[][]): string {
  const nb = {
    cells: [
      { cell_type: 'markdown', id: 'm', metadata: {}, source: ['# A notebook'] },
      ...cells.map((source, i) => ({ cell_type: 'code', execution_count: i, id: `c${i}`, metadata: {}, outputs: [], source }))
    ],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: 5
  };
  return JSON.stringify(nb, null, 1) + '\n';
}

/** A project folder: two notebooks (one import used in a later cell), a .py file, a clean file. */
function project(name: string): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.join(p, 'nbs'), { recursive: true });
  fs.writeFileSync(
    path.join(p, 'nbs/a.ipynb'),
    notebook([['import tensorflow as tf\n', 'import numpy as np'], ['m = tf.keras.Sequential()\n', 'm.save("w.h5")\n', 'y = tf.reduce_sum(np.ones(3))']])
  );
  fs.writeFileSync(path.join(p, 'nbs/b.ipynb'), notebook([['from tensorflow import keras\n'], ['x = keras.layers.Dense(3)']]));
  fs.writeFileSync(path.join(p, 'mix.py'), 'import tensorflow as tf\nfrom tensorflow import keras\nl = tf.keras.layers.Dense(2)\nopt = keras.optimizers.Adam(lr=0.1)\nmodel = keras.Model()\nmodel.save("my_model")\nserved = tf.saved_model.load(SERVING_DIR)\n');
  fs.writeFileSync(path.join(p, 'clean.py'), 'import keras\nx = keras.ops.ones(3)\n');
  return p;
}

function entries(cacheDir: string): string[] {
  const out: string[] = [];
  for (const version of fs.readdirSync(cacheDir, { withFileTypes: true })) {
    if (version.isDirectory()) {
      out.push(...fs.readdirSync(path.join(cacheDir, version.name)).map(f => path.join(cacheDir, version.name, f)));
    }
  }
  return out.sort();
}

/** Rewrites every entry holding findings so that each finding's message is PLANTED. */
function plant(cacheDir: string): number {
  let planted = 0;
  for (const file of entries(cacheDir)) {
    const entry = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (entry.findings.length) {
      entry.findings = entry.findings.map((f: { message: string }) => ({ ...f, message: PLANTED }));
      fs.writeFileSync(file, JSON.stringify(entry));
      planted++;
    }
  }
  return planted;
}

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'src/cli/build.mjs')], { cwd: root });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-migrate-cache-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a cached run prints byte for byte what a run without the cache prints, in every format and with workers', () => {
  const p = project('same');
  run(['check', '--no-cache', '.'], { cwd: p });
  expect(fs.existsSync(path.join(p, '.keras_migrate_cache'))).toBe(false);
  for (const format of FORMATS) {
    const cold = run(['check', '--no-cache', '--output-format', format, '.'], { cwd: p });
    expect(cold.code).toBe(1);
    // The first run writes the entries, the second reads them; then with worker threads.
    const first = run(['check', '--output-format', format, '.'], { cwd: p });
    const second = run(['check', '--output-format', format, '.'], { cwd: p });
    const workers = run(['check', '--output-format', format, '--jobs', '3', '.', 'mix.py'], { cwd: p });
    const workersCold = run(['check', '--no-cache', '--output-format', format, '--jobs', '3', '.', 'mix.py'], { cwd: p });
    expect(first).toEqual(cold);
    expect(second).toEqual(cold);
    expect(workers).toEqual(workersCold);
  }
  // The entries were read (not recomputed): planted messages show up.
  expect(plant(path.join(p, '.keras_migrate_cache'))).toBe(3);
  expect(run(['check', '--output-format', 'concise', '.'], { cwd: p }).stdout).toContain(PLANTED);
});

test('the cache folder ignores itself in git, is tagged, and is never searched for files', () => {
  const p = project('layout');
  run(['check', '.'], { cwd: p });
  const cacheDir = path.join(p, '.keras_migrate_cache');
  expect(fs.readFileSync(path.join(cacheDir, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  expect(fs.readFileSync(path.join(cacheDir, 'CACHEDIR.TAG'), 'utf8')).toMatch(/^Signature: 8a477f597d28d172789f06886806bc55/);
  // One entry per file checked, nothing half-written left behind.
  expect(entries(cacheDir).map(f => path.extname(f))).toEqual(['.json', '.json', '.json', '.json']);
  fs.writeFileSync(path.join(cacheDir, 'stray.py'), 'import tensorflow as tf\n');
  const listed = run(['check', '--show-files', '.'], { cwd: p }).stdout.split('\n').filter(Boolean);
  expect(listed.sort()).toEqual(['clean.py', 'mix.py', path.join('nbs', 'a.ipynb'), path.join('nbs', 'b.ipynb')].map(f => path.join('.', f)).sort());
});

test('a changed file, changed options or a changed config miss the cache', () => {
  const p = project('miss');
  const cacheDir = path.join(p, '.keras_migrate_cache');
  run(['check', '.'], { cwd: p });
  expect(plant(cacheDir)).toBe(3);
  expect(run(['check', '--output-format', 'json', 'mix.py'], { cwd: p }).stdout).toContain(PLANTED);

  // Options that decide findings are in the key.
  for (const extra of [['--ignore', 'KM031'], ['--select', 'KM0'], ['--target', 'tensorflow'], ['--keras-version', '3.3']]) {
    const r = run(['check', '--output-format', 'json', ...extra, 'mix.py'], { cwd: p });
    expect(r.stdout).not.toContain(PLANTED);
    expect(r.stdout).toBe(run(['check', '--no-cache', '--output-format', 'json', ...extra, 'mix.py'], { cwd: p }).stdout);
  }
  // A config that changes the options of one file (per-file-ignores) misses for that file only.
  fs.writeFileSync(path.join(p, 'pyproject.toml'), '[tool.keras-migrate]\nper-file-ignores = { "nbs/b.ipynb" = ["KM999"] }\n');
  const partly = run(['check', '--output-format', 'concise', '.'], { cwd: p }).stdout;
  expect(partly).toMatch(new RegExp(`mix\\.py.*${PLANTED}`));
  expect(partly).not.toMatch(new RegExp(`b\\.ipynb.*${PLANTED}`));
  fs.rmSync(path.join(p, 'pyproject.toml'));

  // The key is the bytes and the kind, not the path: a copy shares the entry, the same bytes as .py do not.
  const nb = path.join(p, 'nbs/a.ipynb');
  fs.copyFileSync(nb, path.join(p, 'a_copy.ipynb'));
  fs.copyFileSync(nb, path.join(p, 'a_as.py'));
  expect(run(['check', '--output-format', 'concise', 'a_copy.ipynb'], { cwd: p }).stdout).toContain(PLANTED);
  expect(run(['check', '--output-format', 'concise', 'a_as.py'], { cwd: p }).stdout).not.toContain(PLANTED);
  // The content: one character more in a later cell of a notebook (cross-cell imports: the whole file is the key).
  expect(run(['check', '--output-format', 'concise', 'nbs/a.ipynb'], { cwd: p }).stdout).toContain(PLANTED);
  fs.writeFileSync(nb, fs.readFileSync(nb, 'utf8').replace('"y = tf', '"y  = tf'));
  const changed = run(['check', '--output-format', 'concise', 'nbs/a.ipynb'], { cwd: p });
  expect(changed.stdout).not.toContain(PLANTED);
  expect(changed).toEqual(run(['check', '--no-cache', '--output-format', 'concise', 'nbs/a.ipynb'], { cwd: p }));
});

test('another analyser build misses the cache', () => {
  const p = project('build');
  const cacheDir = path.join(p, '.keras_migrate_cache');
  run(['check', '.'], { cwd: p });
  plant(cacheDir);
  expect(run(['check', '--output-format', 'concise', '.'], { cwd: p }).stdout).toContain(PLANTED);
  // A copy of the bundle with another build id (what a rebuild after a rule change stamps).
  const other = path.join(dir, 'other-build');
  fs.mkdirSync(other, { recursive: true });
  const text = fs.readFileSync(cli, 'utf8');
  const id = /BUILD_ID = "([0-9a-f]+)"/.exec(text);
  expect(id).not.toBeNull();
  fs.writeFileSync(path.join(other, 'keras-migrate.cjs'), text.replace(id![0], `BUILD_ID = "${'0'.repeat(id![1].length)}"`));
  for (const wasm of ['web-tree-sitter.wasm', 'tree-sitter-python.wasm']) {
    fs.copyFileSync(path.join(path.dirname(cli), wasm), path.join(other, wasm));
  }
  const r = run(['check', '--output-format', 'concise', '.'], { cwd: p, bundle: path.join(other, 'keras-migrate.cjs') });
  expect(r.stdout).not.toContain(PLANTED);
  expect(r.stdout).toBe(run(['check', '--no-cache', '--output-format', 'concise', '.'], { cwd: p }).stdout);
});

test('damaged entries are misses: no crash, the right output, and the entry is rewritten', () => {
  const p = project('corrupt');
  const cacheDir = path.join(p, '.keras_migrate_cache');
  const cold = run(['check', '--no-cache', '--output-format', 'json', '.'], { cwd: p });
  run(['check', '.'], { cwd: p });
  const files = entries(cacheDir);
  const damage = [
    '', // empty
    '{"key": "', // cut short
    '\u0000\u0001garbage', // not JSON
    'null',
    JSON.stringify({ key: 'another key', findings: [] }), // another file's entry
    JSON.stringify({ key: 'KEY', findings: [{ line: 'one' }] }), // the wrong shape
    JSON.stringify({ key: 'KEY', findings: {} })
  ];
  for (const text of damage) {
    for (const file of files) {
      fs.writeFileSync(file, text.replace('KEY', path.basename(file, '.json')));
    }
    for (const jobs of ['1', '2']) {
      const r = run(['check', '--output-format', 'json', '--jobs', jobs, '.'], { cwd: p });
      expect(r).toEqual(cold);
    }
    for (const file of files) {
      expect(JSON.parse(fs.readFileSync(file, 'utf8')).key).toBe(path.basename(file, '.json'));
    }
  }
  // Entries are replaced by renaming a whole new file into place, never rewritten in place:
  // a hard link to an entry keeps the old bytes (a reader that opened it sees them whole).
  const sentinel = path.join(dir, 'corrupt-sentinel');
  fs.writeFileSync(sentinel, '{"key": "');
  fs.rmSync(files[1]);
  fs.linkSync(sentinel, files[1]);
  expect(run(['check', '--output-format', 'json', '.'], { cwd: p })).toEqual(cold);
  expect(fs.readFileSync(sentinel, 'utf8')).toBe('{"key": "');
  expect(JSON.parse(fs.readFileSync(files[1], 'utf8')).key).toBe(path.basename(files[1], '.json'));
  // An entry that cannot be read at all (a folder in its place) is a miss too.
  fs.rmSync(files[0]);
  fs.mkdirSync(files[0]);
  expect(run(['check', '--output-format', 'json', '.'], { cwd: p })).toEqual(cold);
});

test('--no-cache and KERAS_MIGRATE_NO_CACHE neither read nor write; --cache-dir, KERAS_MIGRATE_CACHE_DIR and cache-dir choose the folder', () => {
  const p = project('options');
  const defaultDir = path.join(p, '.keras_migrate_cache');
  run(['check', '--no-cache', '.'], { cwd: p });
  run(['check', '.'], { cwd: p, env: { KERAS_MIGRATE_NO_CACHE: '1' } });
  expect(fs.existsSync(defaultDir)).toBe(false);
  run(['check', '.'], { cwd: p });
  plant(defaultDir);
  expect(run(['check', '--output-format', 'concise', '.'], { cwd: p }).stdout).toContain(PLANTED);
  expect(run(['check', '--no-cache', '--output-format', 'concise', '.'], { cwd: p }).stdout).not.toContain(PLANTED);
  expect(run(['check', '--output-format', 'concise', '.'], { cwd: p, env: { KERAS_MIGRATE_NO_CACHE: 'true' } }).stdout).not.toContain(PLANTED);
  expect(run(['fix', '--no-cache', '--diff', '.'], { cwd: p }).code).toBe(1);

  // --cache-dir over KERAS_MIGRATE_CACHE_DIR over the config's cache-dir over the default.
  const flag = path.join(dir, 'flag-cache');
  const envDir = path.join(dir, 'env-cache');
  run(['check', '--cache-dir', flag, '.'], { cwd: p, env: { KERAS_MIGRATE_CACHE_DIR: envDir } });
  expect(entries(flag)).toHaveLength(4);
  expect(fs.existsSync(envDir)).toBe(false);
  run(['check', '.'], { cwd: p, env: { KERAS_MIGRATE_CACHE_DIR: envDir } });
  expect(entries(envDir)).toHaveLength(4);
  expect(fs.existsSync(path.join(envDir, 'CACHEDIR.TAG'))).toBe(true);
  // The project root is the folder of the config that applies to the current folder.
  fs.writeFileSync(path.join(p, 'pyproject.toml'), '[tool.keras-migrate]\ncache-dir = "build/km-cache"\n');
  run(['check', '.'], { cwd: path.join(p, 'nbs') });
  expect(entries(path.join(p, 'build/km-cache'))).toHaveLength(2);
  fs.writeFileSync(path.join(p, 'pyproject.toml'), '[tool.keras-migrate]\nignore = []\n');
  fs.rmSync(defaultDir, { recursive: true });
  run(['check', '.'], { cwd: path.join(p, 'nbs') });
  expect(fs.existsSync(path.join(p, 'nbs/.keras_migrate_cache'))).toBe(false);
  expect(entries(defaultDir)).toHaveLength(2);
  expect(run(['check', '--cache-dir=', '.'], { cwd: p }).code).toBe(2);
  expect(run(['rules', '--no-cache'], { cwd: p }).code).toBe(2);
});

test('a cache folder that cannot be created costs a warning, not the run', () => {
  const p = project('readonly');
  fs.writeFileSync(path.join(dir, 'a-file'), '');
  const cold = run(['check', '--no-cache', '--output-format', 'json', '.'], { cwd: p });
  const r = run(['check', '--output-format', 'json', '--cache-dir', path.join(dir, 'a-file', 'cache'), '.'], { cwd: p });
  expect(r.code).toBe(cold.code);
  expect(r.stdout).toBe(cold.stdout);
  expect(r.stderr).toMatch(/^keras-migrate: warning: running without the result cache: /);
});

test('concurrent runs sharing a cache each print the right output and leave only whole entries', async () => {
  const p = project('concurrent');
  for (let i = 0; i < 24; i++) {
    fs.writeFileSync(path.join(p, `nbs/n${String(i).padStart(2, '0')}.ipynb`), notebook([['import tensorflow as tf\n'], [`m${i} = tf.keras.Sequential()\n`, 'm.save("w.h5")']]));
  }
  const cold = run(['check', '--no-cache', '--output-format', 'json', '.'], { cwd: p });
  const runs = await Promise.all(
    Array.from(
      { length: 6 },
      (_, i) =>
        new Promise<{ code: number | null; stdout: string }>(resolve => {
          const child = spawn(process.execPath, [cli, 'check', '--output-format', 'json', '--jobs', String(1 + (i % 2)), '.'], { cwd: p, env: baseEnv });
          let stdout = '';
          child.stdout.on('data', d => (stdout += d));
          child.on('close', code => resolve({ code, stdout }));
        })
    )
  );
  for (const r of runs) {
    expect(r).toEqual({ code: cold.code, stdout: cold.stdout });
  }
  const files = entries(path.join(p, '.keras_migrate_cache'));
  expect(files).toHaveLength(28);
  for (const file of files) {
    expect(file.endsWith('.json')).toBe(true);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).key).toBe(path.basename(file, '.json'));
  }
  expect(run(['check', '--output-format', 'json', '.'], { cwd: p })).toEqual(cold);
});

test('fix with the cache changes what fix without it changes, skips files it knows are clean, and records what remains', () => {
  const a = project('fix-cached');
  const b = project('fix-uncached');
  const withCache = run(['fix', '--output-format', 'json', '.'], { cwd: a });
  const without = run(['fix', '--no-cache', '--output-format', 'json', '.'], { cwd: b });
  expect(withCache).toEqual(without);
  for (const f of ['nbs/a.ipynb', 'nbs/b.ipynb', 'mix.py', 'clean.py']) {
    expect(fs.readFileSync(path.join(a, f), 'utf8')).toBe(fs.readFileSync(path.join(b, f), 'utf8'));
  }
  // The findings left in the fixed files are known: check reads them from the cache.
  const cacheDir = path.join(a, '.keras_migrate_cache');
  plant(cacheDir);
  expect(run(['check', '--output-format', 'concise', '.'], { cwd: a }).stdout).toContain(PLANTED);
  expect(run(['fix', '--output-format', 'json', '.'], { cwd: a }).stdout).toContain(PLANTED);

  // A file the cache says has nothing to fix is not opened for fixing: plant "no findings".
  const c = project('fix-trusted');
  const cCache = path.join(c, '.keras_migrate_cache');
  run(['check', '.'], { cwd: c });
  for (const file of entries(cCache)) {
    const entry = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...entry, findings: [] }));
  }
  const before = fs.readFileSync(path.join(c, 'mix.py'), 'utf8');
  const r = run(['fix', '.'], { cwd: c });
  expect(r.code).toBe(0);
  expect(fs.readFileSync(path.join(c, 'mix.py'), 'utf8')).toBe(before);
  expect(run(['fix', '--no-cache', '--diff', '.'], { cwd: c }).code).toBe(1);
});

test('fix skips a file whose cached findings have only suggested fixes, and fix --unsafe-fixes does not', () => {
  const p = path.join(dir, 'unsafe');
  fs.mkdirSync(p, { recursive: true });
  const source = 'from keras.optimizers import Adam\nopt = Adam(decay=1e-6)\n';
  fs.writeFileSync(path.join(p, 'opt.py'), source);
  const cold = run(['fix', '--no-cache', '--unsafe-fixes', '--diff', '--output-format', 'json', '.'], { cwd: p });
  expect(JSON.parse(cold.stdout).fixed).toBe(1);
  expect(run(['check', '.'], { cwd: p }).code).toBe(1);
  // Cached: one finding, its fix only a suggestion. Plain fix has nothing to apply.
  expect(run(['fix', '.'], { cwd: p }).code).toBe(1);
  expect(fs.readFileSync(path.join(p, 'opt.py'), 'utf8')).toBe(source);
  expect(run(['fix', '--unsafe-fixes', '--diff', '--output-format', 'json', '.'], { cwd: p })).toEqual(cold);
  expect(run(['fix', '--unsafe-fixes', '.'], { cwd: p }).code).toBe(0);
  // The suggestion applied: Keras 2's decay as a schedule (KM161).
  expect(fs.readFileSync(path.join(p, 'opt.py'), 'utf8')).not.toContain('decay=1e-6)');
  expect(fs.readFileSync(path.join(p, 'opt.py'), 'utf8')).toContain('InverseTimeDecay(0.001, decay_steps=1, decay_rate=1e-6)');
});

test('--show-files makes no cache folder', () => {
  const p = project('show-files');
  expect(run(['check', '--show-files', '.'], { cwd: p }).code).toBe(0);
  expect(fs.existsSync(path.join(p, '.keras_migrate_cache'))).toBe(false);
});
