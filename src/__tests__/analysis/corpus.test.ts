/**
 * Whole-notebook properties over every notebook in ../shared/corpus and every rule
 * fixture: fixing is idempotent, fixed code still parses, and random mutations of real
 * cells never make the analyser throw or answer differently for the same input.
 */
import * as fs from 'fs';
import * as path from 'path';
import { maskIPython } from '../../analysis';
import { loadPython } from '../../analysis/parser';
import { getAnalyzer, prng, WASM } from './helpers';

const corpusDir = path.resolve(__dirname, '../../../../shared/corpus');
const notebooks = fs.existsSync(corpusDir) ? fs.readdirSync(corpusDir).filter(f => f.endsWith('.ipynb')).sort() : [];

function cellsOf(file: string): Array<string | null> {
  const nb = JSON.parse(fs.readFileSync(path.join(corpusDir, file), 'utf8'));
  return nb.cells.map((c: { cell_type: string; source: string | string[] }) =>
    c.cell_type === 'code' ? (Array.isArray(c.source) ? c.source.join('') : c.source) : null
  );
}

async function parsesCleanly(): Promise<(text: string) => boolean> {
  const grammar = await loadPython(WASM);
  const parser = grammar.newParser();
  return text => {
    const tree = parser.parse(maskIPython(text))!;
    const ok = !tree.rootNode.hasError;
    tree.delete();
    return ok;
  };
}

test('the corpus is present', () => {
  expect(notebooks.length).toBeGreaterThan(0);
});

describe.each(notebooks)('%s', file => {
  test.each([false, true])('fix (unsafe=%s) is idempotent and keeps the code parseable', async unsafe => {
    const analyzer = await getAnalyzer();
    const parses = await parsesCleanly();
    const cells = cellsOf(file);
    const once = analyzer.fixCells(cells, { unsafe });
    const twice = analyzer.fixCells(once.cells, { unsafe });
    expect(twice.cells).toEqual(once.cells);
    expect(twice.applied).toEqual([]);
    once.cells.forEach((text, i) => {
      if (text !== null && parses(cells[i] as string)) {
        expect({ cell: i, parses: parses(text) }).toEqual({ cell: i, parses: true });
      }
    });
    // After the safe fixes no safe fix is left to offer.
    const nb = analyzer.openNotebook();
    nb.update(once.cells);
    expect(nb.findings().filter(f => f.fix && (f.fix.safe || unsafe))).toEqual([]);
    nb.dispose();
  });
});

const SNIPPETS = ['(', ')', '[', ']', ':', '\n', '    ', '%', '!', '?', '"', "'''", '#', '\\', 'tf.keras.', 'import tensorflow as tf\n', 'keras.Input((3,))', 'tf.reduce_sum(', 'if ', 'class A(keras.layers.Layer):\n', 'def call(self, x):\n', '= ', ',', 'None', '\t', '\u00e9', '\ud83d\ude00', 'lambda x: '];

function mutate(text: string, rnd: () => number): string {
  const n = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (text.length + 1));
    const op = rnd();
    if (op < 0.45) {
      text = text.slice(0, at) + SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] + text.slice(at);
    } else if (op < 0.8) {
      const len = Math.floor(rnd() * 12);
      text = text.slice(0, at) + text.slice(at + len);
    } else {
      const lines = text.split('\n');
      const i = Math.floor(rnd() * lines.length);
      const j = Math.floor(rnd() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      text = lines.join('\n');
    }
  }
  return text;
}

test('fuzz: 5,000 seeded mutations of corpus cells, incremental and fresh agree, nothing throws', async () => {
  const analyzer = await getAnalyzer();
  const cells = notebooks.flatMap(cellsOf).filter((c): c is string => c !== null && c.trim() !== '');
  expect(cells.length).toBeGreaterThan(50);
  const rnd = prng(20240601);
  const notebook = analyzer.openNotebook();
  // A rolling 8-cell notebook: every step edits one cell, so the incremental path is exercised.
  const window: string[] = cells.slice(0, 8);
  notebook.update(window);
  let findings = 0;
  for (let i = 0; i < 5000; i++) {
    const slot = Math.floor(rnd() * window.length);
    const base = rnd() < 0.3 ? cells[Math.floor(rnd() * cells.length)] : window[slot];
    window[slot] = mutate(base, rnd);
    notebook.update(window);
    const incremental = notebook.findings();
    findings += incremental.length;
    if (i % 25 === 0) {
      const fresh = analyzer.openNotebook();
      fresh.update(window);
      expect(fresh.findings()).toEqual(incremental);
      fresh.dispose();
      const fixed = analyzer.fixCells(window, { unsafe: true });
      expect(analyzer.fixCells(fixed.cells, { unsafe: true }).cells).toEqual(fixed.cells);
    }
  }
  notebook.dispose();
  expect(findings).toBeGreaterThan(0);
});

test('relevance shortcuts change nothing: skipping cells and statements gives the exhaustive result', async () => {
  const { NotebookAnalysisImpl } = await import('../../analysis/notebook');
  const grammar = await loadPython(WASM);
  const crafted = [
    'try:\n    import tensorflow as tf\nexcept ImportError:\n    tf = None\nm = tf.keras.Model()\n',
    'if True:\n    from tensorflow import keras as tk\nfor layer in [tk.layers.Dense(2)]:\n    pass\nx = tk.Input((2,))\ny = x + 1\nz = tf.nn.relu(y)\n',
    'with open("f") as fh:\n    inputs = keras.Input((3,))\nh = inputs\nout = tf.reduce_sum(h)\n',
    'import tensorflow as tf\nclass A(tf.keras.layers.Layer):\n    pass\nB = A\nb = B()\nc = b(keras.Input((1,)))\nd = tf.abs(c)\n'
  ];
  const cells = [...crafted, ...notebooks.flatMap(cellsOf).filter((c): c is string => c !== null && c.trim() !== '')];
  const rnd = prng(99);
  const fast = new NotebookAnalysisImpl(grammar);
  const full = new NotebookAnalysisImpl(grammar, true);
  for (const file of notebooks) {
    fast.update(cellsOf(file));
    full.update(cellsOf(file));
    expect(fast.findings({ kerasVersion: '3.0' })).toEqual(full.findings({ kerasVersion: '3.0' }));
  }
  const window = cells.slice(0, 10);
  fast.update(crafted);
  full.update(crafted);
  expect(fast.findings()).toEqual(full.findings());
  expect(full.findings().length).toBeGreaterThan(3);
  for (let i = 0; i < 1500; i++) {
    const slot = Math.floor(rnd() * window.length);
    window[slot] = mutate(rnd() < 0.3 ? cells[Math.floor(rnd() * cells.length)] : window[slot], rnd);
    fast.update(window);
    full.update(window);
    expect(fast.findings({ kerasVersion: '3.0' })).toEqual(full.findings({ kerasVersion: '3.0' }));
  }
  fast.dispose();
  full.dispose();
});
