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
