/**
 * Cached syntax-tree copies and results across edits that change which names are relevant:
 * a copy that left statements out is kept only while those statements stay irrelevant, and
 * whatever is kept, the findings equal a fresh analysis and the exhaustive one.
 */
import { loadPython } from '../../analysis/parser';
import { NotebookAnalysisImpl } from '../../analysis/notebook';
import { WASM } from './helpers';

interface Internals {
  cells: Array<{ root: unknown; result: unknown; partial: boolean } | null>;
}

async function analysers(): Promise<{ incremental: NotebookAnalysisImpl; check(cells: string[]): void; dispose(): void }> {
  const grammar = await loadPython(WASM);
  const incremental = new NotebookAnalysisImpl(grammar);
  return {
    incremental,
    check(cells: string[]) {
      incremental.update(cells);
      const fresh = new NotebookAnalysisImpl(grammar);
      const exhaustive = new NotebookAnalysisImpl(grammar, true);
      fresh.update(cells);
      exhaustive.update(cells);
      const found = incremental.findings();
      expect(found).toEqual(fresh.findings());
      expect(found).toEqual(exhaustive.findings());
      fresh.dispose();
      exhaustive.dispose();
    },
    dispose() {
      incremental.dispose();
    }
  };
}

test('a left-out statement that becomes relevant is copied and analysed', async () => {
  const a = await analysers();
  const cells = ['import tensorflow as tf\n', 'x = 5\n', 'w = x\nv = tf.abs(w)\n'];
  a.check(cells);
  const internals = a.incremental as unknown as Internals;
  // `w = x` mentions nothing relevant yet: the copy of cell 2 leaves it out.
  expect(internals.cells[2]!.partial).toBe(true);
  expect(a.incremental.findings().map(f => f.rule)).toEqual([]);
  // Now `x` holds a KerasTensor: `w = x` matters, and `tf.abs(w)` is a TF op on a KerasTensor.
  cells[1] = 'x = tf.keras.Input((3,))\n';
  a.check(cells);
  expect(a.incremental.findings().some(f => f.cell === 2)).toBe(true);
  // And back.
  cells[1] = 'x = 5\n';
  a.check(cells);
  expect(a.incremental.findings().some(f => f.cell === 2)).toBe(false);
  a.dispose();
});

test('a relevance change that leaves the skipped statements irrelevant keeps the copy and the result', async () => {
  const a = await analysers();
  const cells = ['import tensorflow as tf\n', 'inp = tf.keras.Input((3,))\n', 'n = 1\nm = n + 1\ny = tf.nn.relu(inp)\n'];
  a.check(cells);
  const internals = a.incremental as unknown as Internals;
  expect(internals.cells[2]!.partial).toBe(true);
  const root = internals.cells[2]!.root;
  const result = internals.cells[2]!.result;
  // A new relevant name (`extra`, a layer) appears before cell 2; cell 2 neither mentions nor reads it.
  cells.splice(2, 0, 'extra = tf.keras.layers.Dense(2)\n');
  a.check(cells);
  expect(internals.cells[3]!.root).toBe(root);
  expect(internals.cells[3]!.result).toBe(result);
  a.dispose();
});

test('random edits of binding names: incremental, fresh and exhaustive agree', async () => {
  const a = await analysers();
  const names = ['x', 'y', 'z', 'inp', 'layer'];
  const rhs = ['tf.keras.Input((3,))', 'tf.keras.layers.Dense(2)', '5', 'layer(x)', 'tf.abs(y)', '[inp, [x]]', 'inp'];
  let seed = 3;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const statement = () => `${pick(names)} = ${pick(rhs)}\n`;
  const cells = ['import tensorflow as tf\n'];
  for (let i = 0; i < 6; i++) {
    cells.push(statement() + statement() + statement());
  }
  for (let i = 0; i < 150; i++) {
    const cell = 1 + Math.floor(rnd() * (cells.length - 1));
    const lines = cells[cell].split('\n');
    lines[Math.floor(rnd() * 3)] = statement().trimEnd();
    cells[cell] = lines.join('\n');
    a.check(cells);
  }
  a.dispose();
});

test('environments handed from cell to cell: an edit that binds the same things re-does only the edited cell', async () => {
  const a = await analysers();
  const cells = ['import tensorflow as tf\n', 'inp = tf.keras.Input((3,))\n', 'y = tf.nn.relu(inp)\n', 'z = tf.abs(y)\n', 'n = 1\n'];
  a.check(cells);
  const before = { ...a.incremental.work };
  // Same binding kinds before and after: nothing later needs a look.
  cells[1] = 'inp = tf.keras.Input((4,))\n';
  a.check(cells);
  expect(a.incremental.work.analysed - before.analysed).toBe(1);
  // `inp` is no longer a KerasTensor: the cells that read it (and what they bound) are redone.
  const mid = { ...a.incremental.work };
  cells[1] = 'inp = 4\n';
  a.check(cells);
  expect(a.incremental.work.analysed - mid.analysed).toBeGreaterThan(1);
  a.dispose();
});

test('random edits, moves, insertions and deletions of cells: incremental equals fresh and exhaustive', async () => {
  const a = await analysers();
  const pool = [
    'import tensorflow as tf\n',
    'from tensorflow import keras\n',
    'import numpy as np\n',
    'x = tf.keras.Input((3,))\n',
    'x = 5\n',
    'layer = keras.layers.Dense(2)\n',
    'y = layer(x)\nw = tf.abs(y)\n',
    'class L(keras.layers.Layer):\n    def call(self, t):\n        return tf.reduce_sum(t)\n',
    'L2 = L\nl = L2()\nq = l(x)\nr = tf.nn.relu(q)\n',
    'tf = None\n',
    'model = keras.Model(x, [y, w])\nmodel.evaluate(x, [y, w])\n',
    '%time z = tf.keras.layers.Dense(3)\n',
    'n = np.zeros(3)\nm = n + 1\n'
  ];
  let seed = 17;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  let cells = [pool[0], pool[1], pool[3], pool[5], pool[6]];
  for (let i = 0; i < 200; i++) {
    const op = rnd();
    const at = Math.floor(rnd() * cells.length);
    if (op < 0.4) {
      cells[at] = pick(pool);
    } else if (op < 0.55 && cells.length < 12) {
      cells.splice(at, 0, pick(pool));
    } else if (op < 0.7 && cells.length > 1) {
      cells.splice(at, 1);
    } else if (op < 0.85) {
      const [moved] = cells.splice(at, 1);
      cells.splice(Math.floor(rnd() * (cells.length + 1)), 0, moved);
    } else {
      // A one-character change somewhere in a cell.
      const text = cells[at];
      const k = Math.floor(rnd() * (text.length + 1));
      cells[at] = text.slice(0, k) + pick(['x', '(', ' ', '1', '\n']) + text.slice(k);
    }
    cells = cells.slice();
    a.check(cells);
  }
  a.dispose();
});
