/**
 * "Explain this error" is offered only where the recognizer can have an answer: every
 * collected real migration paste keeps it; a plain Python error (produced here by
 * running Python) does not get it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { mayBeMigrationError } from '../../explainui/explainable';

const PASTES = path.resolve(__dirname, '../../../python_kernel_hooks/tests/pastes');

function pastes(): Array<{ file: string; guide: string }> {
  const [header, ...rows] = fs.readFileSync(path.join(PASTES, 'SOURCES.tsv'), 'utf8').trim().split('\n');
  const columns = header.split('\t');
  return rows.map(row => {
    const cells = row.split('\t');
    return { file: cells[columns.indexOf('paste')], guide: cells[columns.indexOf('expected_guide')] };
  });
}

/** A real traceback from running `code` in Python: its text and exception name. */
function pythonError(code: string): { ename: string; text: string } {
  const run = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
  const text = run.stderr;
  const ename = /^(\w+)(?::|$)/m.exec(text.trim().split('\n').pop() ?? '')?.[1] ?? '';
  return { ename, text };
}

/** An exception line, as every error output of a notebook ends with (some pastes are a bare message). */
const EXCEPTION_LINE = /^(?:[\w.]+\.)?\w+(?:Error|Exception|Warning)\b/m;

test('every migration paste that names its exception keeps the action', () => {
  const migration = pastes()
    .filter(p => p.guide && p.guide !== '-')
    .map(p => ({ file: p.file, text: fs.readFileSync(path.join(PASTES, p.file), 'utf8') }))
    .filter(p => EXCEPTION_LINE.test(p.text));
  expect(migration.length).toBeGreaterThan(50);
  const hidden = migration.filter(p => !mayBeMigrationError('SomeError', p.text)).map(p => p.file);
  expect(hidden).toEqual([]);
});

test('a plain Python error gets no action', () => {
  for (const code of ['1 / 0', 'def broken(:\n    pass', 'undefined_name', '[][1]']) {
    const { ename, text } = pythonError(code);
    expect(ename).toMatch(/Error$/);
    expect(mayBeMigrationError(ename, text)).toBe(false);
  }
});

test('the same error through Keras code, a recognised type in a chain, or a cut traceback keeps it', () => {
  const chained = pythonError('try:\n    raise ValueError("bad shape")\nexcept ValueError:\n    1 / 0');
  expect(chained.ename).toBe('ZeroDivisionError');
  expect(mayBeMigrationError(chained.ename, chained.text)).toBe(true);
  const throughKeras = pythonError('keras_model = None\nkeras_model.fit()');
  expect(mayBeMigrationError(throughKeras.ename, throughKeras.text)).toBe(true);
  expect(mayBeMigrationError('', 'Traceback (most recent call last)\nCell In[2], line 3')).toBe(true);
});
