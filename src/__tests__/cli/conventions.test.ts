/**
 * The command line's ruff-like conventions, on the bundled CLI (lib/cli/keras-migrate.cjs,
 * rebuilt once here): output formats, SARIF validity, discovery, pyproject configuration,
 * jobs, colour, closed pipes, fix reporting through links and interruption.
 */
import '@microsoft/jest-sarif';
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeValidSarifLog(): R;
    }
  }
}

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'lib/cli/keras-migrate.cjs');
let dir: string;

type Result = { code: number | null; stdout: string; stderr: string };

function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = dir): Result {
  const base = { ...process.env };
  delete base.NO_COLOR;
  delete base.FORCE_COLOR;
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...base, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(rel: string, text: string): string {
  const full = path.join(dir, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  return full;
}

const FLAGGED = 'import tensorflow as tf\nm = tf.keras.Sequential()\n';

function notebookText(sources: string[][]): string {
  return (
    JSON.stringify(
      {
        cells: [
          { cell_type: 'markdown', id: 'm0', metadata: {}, source: ['# Title'] },
          ...sources.map((source, i) => ({ cell_type: 'code', execution_count: null, id: `c${i}`, metadata: {}, outputs: [], source }))
        ],
        metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
        nbformat: 4,
        nbformat_minor: 5
      },
      null,
      1
    ) + '\n'
  );
}

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'src/cli/build.mjs')], { cwd: root });
});

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keras-migrate-conv-')));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('concise is one clickable line per finding, with the cell for notebooks', () => {
  write('a.py', FLAGGED);
  write('n b.ipynb', notebookText([['import tensorflow as tf\n'], ['x = 1\n', 'm = tf.keras.Sequential()']]));
  const r = run(['check', '--output-format', 'concise', 'a.py', 'n b.ipynb']);
  expect(r.code).toBe(1);
  expect(r.stdout.split('\n')).toEqual([
    expect.stringMatching(/^a\.py:2:5: KM012 \[\*\] /),
    expect.stringMatching(/^n b\.ipynb:cell 2:2:5: KM012 \[\*\] /),
    ''
  ]);
  // --format stays an alias.
  expect(run(['check', '--format=concise', 'a.py']).stdout).toBe(r.stdout.split('\n')[0] + '\n');
});

test('findings print in reading order (line, then column), as ruff prints them', () => {
  // The rule flagging `input_shape=` (late on line 2) walks before the one flagging the spelling (early on line 2).
  write('order.py', 'import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])\nx = tf.keras.Input((3,))\n');
  const r = run(['check', '--output-format', 'concise', 'order.py']);
  const positions = r.stdout
    .trim()
    .split('\n')
    .map(l => l.split(':').slice(1, 3).map(Number));
  expect(positions.length).toBeGreaterThan(2);
  const sorted = [...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  expect(positions).toEqual(sorted);
});

test('fix --diff on a notebook shows each changed cell without end-of-file markers', () => {
  const text = notebookText([['import tensorflow as tf\n'], ['x = 1\n', 'm = tf.keras.Sequential()']]);
  write('d.ipynb', text);
  const r = run(['fix', '--diff', 'd.ipynb']);
  expect(r.stdout).toContain('--- a/d.ipynb (cell 2)\n+++ b/d.ipynb (cell 2)\n@@ -1,2 +1,2 @@\n x = 1\n-m = tf.keras.Sequential()\n+m = keras.Sequential()\n');
  expect(r.stdout).not.toContain('No newline at end of file');
  // --diff writes nothing.
  expect(fs.readFileSync(path.join(dir, 'd.ipynb'), 'utf8')).toBe(text);
});

test('github prints workflow annotations on the .ipynb file line holding the flagged source line', () => {
  const text = notebookText([['import tensorflow as tf\n'], ['x = 1\n', 'm = tf.keras.Sequential()']]);
  write('nb.ipynb', text);
  const r = run(['check', '--output-format', 'github', 'nb.ipynb']);
  expect(r.code).toBe(1);
  const lines = text.split('\n');
  const fileLine = lines.findIndex(l => l.includes('"m = tf.keras.Sequential()"')) + 1;
  expect(fileLine).toBeGreaterThan(1);
  expect(r.stdout).toMatch(new RegExp(`^::warning title=keras-migrate \\(KM012\\),file=nb\\.ipynb,line=${fileLine}::cell 2, line 2: KM012 `));
});

test('sarif validates against the SARIF 2.1.0 schema; URIs are encoded and relative to %SRCROOT%', () => {
  write('sub dir/ä#1.py', FLAGGED);
  const text = notebookText([['import tensorflow as tf\n', 'm = tf.keras.Sequential()\n']]);
  write('sub dir/nb.ipynb', text);
  const r = run(['check', '--output-format', 'sarif', 'sub dir']);
  expect(r.code).toBe(1);
  const log = JSON.parse(r.stdout);
  expect(log).toBeValidSarifLog();
  const run0 = log.runs[0];
  expect(run0.originalUriBaseIds['%SRCROOT%'].uri).toBe(new URL(`file://${dir}/`).href);
  const uris = run0.results.map((x: any) => x.locations[0].physicalLocation.artifactLocation);
  expect(uris).toContainEqual({ uri: 'sub%20dir/%C3%A4%231.py', uriBaseId: '%SRCROOT%' });
  const inNotebook = run0.results.find((x: any) => x.locations[0].physicalLocation.artifactLocation.uri === 'sub%20dir/nb.ipynb' && x.ruleId === 'KM012');
  const fileLine = text.split('\n').findIndex(l => l.includes('"m = tf.keras.Sequential()\\n"')) + 1;
  expect(inNotebook.locations[0].physicalLocation.region).toEqual({ startLine: fileLine });
  expect(inNotebook.properties).toMatchObject({ cell: 1, cellLine: 2 });
  // An invalid log is caught by the same schema check (the test can fail).
  expect({ ...log, version: '2.0.0' }).not.toBeValidSarifLog();
});

test('discovery skips venvs, site-packages, node_modules, build folders, .gitignore and --exclude; names them when given', () => {
  write('proj/.git/HEAD', 'ref: refs/heads/main\n');
  write('proj/.gitignore', 'generated/\n*_old.py\n');
  write('proj/keep.py', FLAGGED);
  write('proj/env/pyvenv.cfg', 'home = /usr/bin\n');
  write('proj/env/lib/x.py', FLAGGED);
  write('proj/lib/python3.11/site-packages/pkg/y.py', FLAGGED);
  write('proj/node_modules/z.py', FLAGGED);
  write('proj/build/lib/b.py', FLAGGED);
  write('proj/generated/g.py', FLAGGED);
  write('proj/model_old.py', FLAGGED);
  write('proj/scratch/s.py', FLAGGED);
  const paths = (r: Result) => [...new Set(JSON.parse(r.stdout).map((f: { path: string }) => f.path))].sort();
  expect(paths(run(['check', '--output-format', 'json', 'proj']))).toEqual(['proj/keep.py', 'proj/scratch/s.py']);
  expect(paths(run(['check', '--output-format', 'json', '--exclude', 'scratch', 'proj']))).toEqual(['proj/keep.py']);
  // A file named on the command line is checked whatever would have skipped it.
  expect(paths(run(['check', '--output-format', 'json', 'proj/model_old.py', 'proj/build/lib/b.py']))).toEqual(['proj/build/lib/b.py', 'proj/model_old.py']);
});

test('check --show-files lists what a check would read, analysing nothing (the runner reuses it)', () => {
  write('proj/.git/HEAD', 'ref: refs/heads/main\n');
  write('proj/.gitignore', 'generated/\n');
  write('proj/a.py', FLAGGED);
  write('proj/sub/b.ipynb', notebookText([['import tensorflow as tf\n']]));
  write('proj/generated/g.py', FLAGGED);
  write('proj/skip/s.py', FLAGGED);
  const text = run(['check', '--show-files', '--exclude', 'skip', 'proj']);
  expect(text.code).toBe(0);
  expect(text.stdout).toBe('proj/a.py\nproj/sub/b.ipynb\n');
  const json = run(['check', '--show-files', '--output-format', 'json', 'proj', 'missing.py']);
  expect(json.code).toBe(2);
  expect(JSON.parse(json.stdout)).toEqual({
    files: ['proj/a.py', 'proj/skip/s.py', 'proj/sub/b.ipynb'],
    errors: [{ path: 'missing.py', reason: expect.stringMatching(/no such file/i) }]
  });
  expect(run(['check', '--show-files', '--output-format', 'sarif', 'proj']).code).toBe(2);
});

test('symlinked files are followed, broken links reported; a FIFO on the command line is refused', () => {
  write('real/a.py', FLAGGED);
  fs.mkdirSync(path.join(dir, 'proj'));
  fs.symlinkSync('../real/a.py', path.join(dir, 'proj/link.py'));
  fs.symlinkSync('../nowhere.py', path.join(dir, 'proj/broken.py'));
  const r = run(['check', '--output-format', 'concise', 'proj']);
  expect(r.stdout).toMatch(/^proj\/link\.py:2:5: KM012/);
  expect(r.stderr).toContain('proj/broken.py: broken symbolic link');
  expect(r.code).toBe(2);
  execFileSync('mkfifo', [path.join(dir, 'pipe.py')]);
  const fifo = run(['check', 'pipe.py']);
  expect(fifo.code).toBe(2);
  expect(fifo.stderr).toContain('pipe.py: refusing to read a FIFO');
});

test('[tool.keras-migrate] is found by walking up from each file; the command line overrides it', () => {
  write('pyproject.toml', '[tool.keras-migrate]\nignore = ["KM012"]\nper-file-ignores = { "legacy/*.py" = ["KM011"] }\n');
  write('pkg/deep/a.py', FLAGGED);
  write('pkg/deep/b.py', 'from tensorflow import keras\n');
  write('legacy/c.py', 'from tensorflow import keras\n');
  write('other/pyproject.toml', '[tool.keras-migrate]\nselect = ["KM011"]\n');
  write('other/d.py', FLAGGED);
  const rules = (args: string[]) => JSON.parse(run(['check', '--output-format', 'json', ...args]).stdout).map((f: any) => `${f.path} ${f.rule}`);
  expect(rules(['pkg', 'legacy'])).toEqual(['pkg/deep/b.py KM011']);
  // --select replaces the config's select; the config's ignore still applies (as in ruff).
  expect(rules(['--select', 'KM011,KM012', 'pkg/deep/b.py', 'pkg/deep/a.py'])).toEqual(['pkg/deep/b.py KM011']);
  expect(rules(['--no-config', 'pkg/deep/a.py'])).toEqual(['pkg/deep/a.py KM012']);
  // The nearest pyproject.toml with the table wins (other/ selects KM011 only, and does not ignore KM012).
  expect(rules(['other'])).toEqual([]);
  expect(rules(['--select', 'KM012', 'other'])).toEqual(['other/d.py KM012']);
  write('bad/pyproject.toml', '[tool.keras-migrate]\nselct = ["KM012"]\n');
  write('bad/e.py', FLAGGED);
  const bad = run(['check', 'bad']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('unknown key [tool.keras-migrate] selct');
});

test('-j2 and --jobs=2 give the same findings, in the same order, as one job', () => {
  for (let i = 0; i < 12; i++) {
    write(`many/f${String(i).padStart(2, '0')}.py`, i % 3 ? FLAGGED : 'x = 1\n');
  }
  const one = run(['check', '--output-format', 'json', '--jobs', '1', 'many']);
  expect(JSON.parse(one.stdout)).toHaveLength(8);
  expect(run(['check', '--output-format', 'json', '-j2', 'many']).stdout).toBe(one.stdout);
  expect(run(['check', '--output-format', 'json', '--jobs=2', 'many']).stdout).toBe(one.stdout);
  expect(run(['check', '--jobs=0', 'many']).code).toBe(2);
});

test('colour only on a terminal (FORCE_COLOR stands in for one), never with NO_COLOR', () => {
  write('a.py', FLAGGED);
  expect(run(['check', 'a.py']).stdout).not.toContain('\x1b[');
  expect(run(['check', 'a.py'], { FORCE_COLOR: '1' }).stdout).toContain('\x1b[');
  expect(run(['check', 'a.py'], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toContain('\x1b[');
});

test('every command has its own --help with options, exit codes and the suppression syntax', () => {
  for (const command of ['check', 'fix']) {
    const r = run([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`usage: keras-migrate ${command}`);
    expect(r.stdout).toContain('--output-format');
    expect(r.stdout).toContain('exit codes:');
    expect(r.stdout).toContain('# keras-migrate: ignore[KM012]');
  }
  expect(run(['fix', '--help']).stdout).toContain('--diff');
  expect(run(['rules', '--help']).stdout).toContain('usage: keras-migrate rules');
  expect(run(['check', '--diff', 'x.py'])).toMatchObject({ code: 2, stderr: expect.stringContaining('check does not take --diff') });
});

test('no stack trace when the reader closes the pipe early', () => {
  for (let i = 0; i < 40; i++) {
    write(`p/f${i}.py`, FLAGGED.repeat(50));
  }
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" check p | head -n 1`], { cwd: dir, encoding: 'utf8' });
  expect(r.stdout.split('\n')).toHaveLength(2);
  expect(r.stderr).toBe('');
});

test('fix writes through a symbolic link, says "fixed" only for files it wrote, and reports what remains', () => {
  write('real/a.py', FLAGGED);
  write('real/clean.py', 'x = 1\n');
  write('real/remains.py', 'import keras\nopt = keras.optimizers.Adam(decay=1e-6)\n');
  fs.mkdirSync(path.join(dir, 'proj'));
  fs.symlinkSync('../real/a.py', path.join(dir, 'proj/link.py'));
  const r = run(['fix', 'proj/link.py', 'real/clean.py', 'real/remains.py']);
  expect(fs.lstatSync(path.join(dir, 'proj/link.py')).isSymbolicLink()).toBe(true);
  expect(fs.readFileSync(path.join(dir, 'real/a.py'), 'utf8')).toBe('import keras\nm = keras.Sequential()\n');
  // Two fixes: tf.keras, then the TensorFlow import nothing uses any more (KM014).
  expect(r.stderr.split('\n').filter(l => l.startsWith('fixed'))).toEqual(['fixed proj/link.py (2 fixes)']);
  expect(r.stderr).toContain('Fixed 2 findings in 1 file; 1 remaining');
  expect(r.code).toBe(1);
  const json = JSON.parse(run(['fix', '--output-format', 'json', 'real']).stdout);
  expect(json.fixed).toBe(0);
  expect(json.remaining.map((f: any) => f.path)).toEqual(['real/remains.py']);
  expect(fs.readdirSync(path.join(dir, 'real')).sort()).toEqual(['a.py', 'clean.py', 'remains.py']);
});

test('an interrupted fix stops between files: no temporary file left, every file whole', async () => {
  const original = FLAGGED + 'y = 2\n'.repeat(3000);
  for (let i = 0; i < 300; i++) {
    write(`big/f${String(i).padStart(3, '0')}.py`, original);
  }
  const child = spawn(process.execPath, [cli, 'fix', 'big'], { cwd: dir });
  let stderr = '';
  const code = await new Promise<number | null>(resolve => {
    child.stderr.on('data', chunk => {
      stderr += String(chunk);
      if (stderr.includes('fixed ') && !child.killed) {
        child.kill('SIGINT');
      }
    });
    child.on('exit', c => resolve(c));
  });
  expect(code).toBe(130);
  expect(stderr).toContain('interrupted (SIGINT)');
  const names = fs.readdirSync(path.join(dir, 'big'));
  expect(names.filter(n => !/^f\d{3}\.py$/.test(n))).toEqual([]);
  const fixedText = 'import keras\nm = keras.Sequential()\n' + 'y = 2\n'.repeat(3000);
  const states = names.map(n => fs.readFileSync(path.join(dir, 'big', n), 'utf8'));
  expect(states.every(t => t === original || t === fixedText)).toBe(true);
  expect(states.filter(t => t === original).length).toBeGreaterThan(0);
});
