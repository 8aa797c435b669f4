import { applyEdits, maskIPython } from '../../analysis';
import { getAnalyzer } from './helpers';

describe('maskIPython', () => {
  test('keeps length and blanks magics, shell lines and help', () => {
    const src = '%matplotlib inline\nx = 1\n!pip install keras\nfiles = !ls\ntf.keras?\n  %time y = 2\nz = a % b\n';
    const masked = maskIPython(src);
    expect(masked.length).toBe(src.length);
    expect(masked.split('\n')).toEqual([
      ' '.repeat(18),
      'x = 1',
      ' '.repeat(18),
      'files = _  ',
      ' '.repeat(9),
      ' '.repeat(13),
      'z = a % b',
      ''
    ]);
  });
  test('cell magics: non-Python bodies are blanked, %%time bodies kept', () => {
    expect(maskIPython('%%bash\necho tf.keras\n')).toBe('      \n' + ' '.repeat(13) + '\n');
    expect(maskIPython('%%time\nimport tensorflow as tf\n')).toBe('      \nimport tensorflow as tf\n');
  });
  test('.py files are not masked: a `%` continuation line stays code', async () => {
    const a = await getAnalyzer();
    const f = a.analyzeFile('import tensorflow as tf\nx = (3\n     % tf.keras.backend.epsilon())\n');
    expect(f.map(x => [x.line, x.rule])).toEqual([[3, 'KM012']]);
  });
  test('plain Python is returned as is', () => {
    const src = 'if x != 3:\n    y = x % 2  # 50% off?\n';
    expect(maskIPython(src)).toBe(src);
  });
});

describe('applyEdits', () => {
  test('applies edits given in line/column, in any order', () => {
    const src = 'a = tf.keras.X\nb = 2\n';
    expect(
      applyEdits(src, [
        { line: 2, column: 5, endLine: 2, endColumn: 6, text: '3' },
        { line: 1, column: 5, endLine: 1, endColumn: 13, text: 'keras' }
      ])
    ).toBe('a = keras.X\nb = 3\n');
  });
});

describe('NotebookAnalysis', () => {
  test('never throws on broken code and still reports what parses', async () => {
    const a = await getAnalyzer();
    const nb = a.openNotebook();
    nb.update(['import tensorflow as tf\nm = tf.keras.Sequential(\nif x\n  def (\n', 'y = tf.keras.layers.Dense(']);
    const f = nb.findings();
    expect(f.map(x => [x.cell, x.line, x.rule])).toEqual([
      [0, 2, 'KM012'],
      [1, 1, 'KM012']
    ]);
    nb.dispose();
  });

  test('empty notebooks, markdown-only notebooks, and empty cells', async () => {
    const a = await getAnalyzer();
    const nb = a.openNotebook();
    nb.update([]);
    expect(nb.findings()).toEqual([]);
    nb.update([null, '', null]);
    expect(nb.findings()).toEqual([]);
    nb.dispose();
  });

  test('incremental edits give the same findings as a fresh analysis', async () => {
    const a = await getAnalyzer();
    const nb = a.openNotebook();
    let cells = ['import tensorflow as tf\n', 'x = tf.keras.layers.Dense(3)\n', 'y = 1\n'];
    nb.update(cells);
    expect(nb.findings().length).toBe(1);
    // Break the import: later cells lose the binding.
    cells = ['import tensorflo as tf\n', cells[1], cells[2]];
    nb.update(cells);
    expect(nb.findings()).toEqual([]);
    // Restore it and add a use in the last cell.
    cells = ['import tensorflow as tf\n', cells[1], 'y = tf.keras.Model()\n'];
    nb.update(cells);
    const fresh = a.openNotebook();
    fresh.update(cells);
    expect(nb.findings()).toEqual(fresh.findings());
    expect(nb.findings().map(f => f.cell)).toEqual([1, 2]);
    // Moving cells keeps results keyed to the new positions.
    cells = [cells[0], null, cells[2], cells[1]];
    nb.update(cells);
    expect(nb.findings().map(f => f.cell)).toEqual([2, 3]);
    nb.dispose();
    fresh.dispose();
  });

  test('later rebinding overrides an earlier import', async () => {
    const a = await getAnalyzer();
    const nb = a.openNotebook();
    nb.update(['import tensorflow as tf\n', 'import torch as tf\n', 'x = tf.keras.layers.Dense(3)\n']);
    // `tf.keras` is torch's here: no Keras finding. The TensorFlow import nothing uses is one (KM014).
    expect(nb.findings().map(f => `${f.rule}@${f.cell}`)).toEqual(['KM014@0']);
    nb.dispose();
  });

  test('a fallback assignment in an except branch keeps the import', async () => {
    const a = await getAnalyzer();
    const f = a.analyzeFile('try:\n    import tensorflow as tf\nexcept ImportError:\n    tf = None\nm = tf.keras.Model()\n');
    expect(f.map(x => [x.line, x.rule])).toEqual([[5, 'KM012']]);
  });

  test('suppression comments by code, by slug, or all', async () => {
    const a = await getAnalyzer();
    const f = a.analyzeFile(
      'import tensorflow as tf\na = tf.keras.X  # keras-migrate: ignore[KM012]\nb = tf.keras.Y  # keras-migrate: ignore[imports]\nc = tf.keras.Z  # keras-migrate: ignore\nd = tf.keras.W  # keras-migrate: ignore[KM031]\n'
    );
    expect(f.map(x => x.line)).toEqual([5]);
  });

  test('select, ignore, target and version filters', async () => {
    const a = await getAnalyzer();
    const src = 'import tensorflow as tf\nimport keras\nm = tf.keras.Model()\nx = keras.Model({"a": {"b": i}}, o)\nclass L(keras.layers.Layer):\n    def call(self, x):\n        return tf.abs(x)\n';
    const rules = (o: object) => a.analyzeFile(src, o).map(f => f.rule);
    expect(rules({})).toEqual(['KM012', 'KM131']);
    expect(rules({ kerasVersion: '3.2' })).toEqual(['KM012', 'KM051', 'KM131']);
    expect(rules({ target: 'tensorflow' })).toEqual(['KM012']);
    expect(rules({ select: ['keras-ops'] })).toEqual(['KM131']);
    expect(rules({ ignore: ['KM012'] })).toEqual(['KM131']);
    expect(rules({ select: ['KM1'] })).toEqual(['KM131']);
    expect(rules({ select: ['KM01'], ignore: ['KM011'] })).toEqual(['KM012']);
  });

  test('a one-character edit re-analyses only the edited cell', async () => {
    const a = await getAnalyzer();
    const nb = a.openNotebook();
    const cells = ['import tensorflow as tf\n'];
    for (let i = 0; i < 50; i++) {
      cells.push(`x${i} = tf.keras.layers.Dense(${i})\n`);
    }
    nb.update(cells);
    const before = nb.findings();
    const edited = cells.slice();
    edited[10] = edited[10].replace('Dense', 'Densx');
    nb.update(edited);
    const after = nb.findings();
    // Findings of untouched cells are the very same objects' values, and cell 10 changed text.
    expect(after.length).toBe(before.length);
    expect(after.find(f => f.cell === 10)!.message).toContain('Densx');
    nb.dispose();
  });
});

describe('incremental reparsing', () => {
  test('an edited tree equals a fresh parse, and untouched cells keep their cached results', async () => {
    const a = await getAnalyzer();
    const nb = a.openNotebook();
    const internals = nb as unknown as {
      cells: Array<{ result: unknown; tree: { rootNode: { toString(): string } } | null } | null>;
      treeOf(state: unknown): { rootNode: { toString(): string } };
    };
    const fresh = a.openNotebook() as unknown as typeof internals & { update(c: Array<string | null>): void; dispose(): void };
    const cells = [
      'import tensorflow as tf\n',
      'class L(tf.keras.layers.Layer):\n    def call(self, x):\n        return tf.reduce_sum(x, axis=1)\n',
      'x = tf.keras.Input((3,))\ny = tf.nn.relu(x)\n'
    ];
    nb.update(cells);
    nb.findings();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 200; i++) {
      const before = internals.cells.map(c => c && c.result);
      const target = 1 + Math.floor(rnd() * 2);
      const text = cells[target];
      const at = Math.floor(rnd() * text.length);
      cells[target] = rnd() < 0.5 ? text.slice(0, at) + '(xy: '[Math.floor(rnd() * 5)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
      nb.update(cells);
      nb.findings();
      fresh.update(cells);
      const state = internals.cells[target]!;
      expect(internals.treeOf(state).rootNode.toString()).toBe(fresh.treeOf(fresh.cells[target]).rootNode.toString());
      // Edits in cells 1-2 bind nothing new that cell 0 reads: its cached result is reused.
      expect(internals.cells[0]!.result).toBe(before[0]);
      const other = target === 1 ? 2 : 1;
      if (!/import|=\s*tf\.keras\b/.test(cells[target])) {
        expect(internals.cells[other]!.result === before[other] || other < target).toBe(true);
      }
    }
    nb.dispose();
    fresh.dispose();
  });
});

describe('large and deep input', () => {
  test('a huge cell and deeply nested expressions do not throw', async () => {
    const a = await getAnalyzer();
    const lines = ['import tensorflow as tf', 'import keras', 'inputs = keras.Input((3,))'];
    for (let i = 0; i < 5000; i++) {
      lines.push(`x${i} = tf.keras.layers.Dense(${i})(inputs)`);
    }
    lines.push('y = ' + Array(4000).fill('inputs').join(' + '));
    lines.push('z = tf.nn.relu(' + '('.repeat(2000) + 'inputs' + ')'.repeat(2000) + ')');
    lines.push('w = tf.reduce_sum(' + '['.repeat(1500) + 'None' + ']'.repeat(1500) + ')');
    const findings = a.analyzeFile(lines.join('\n') + '\n');
    expect(findings.filter(f => f.rule === 'KM012')).toHaveLength(5000);
    expect(findings.filter(f => f.rule === 'KM071').map(f => f.line)).toEqual([5005]);
  });
});
