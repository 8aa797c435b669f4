/**
 * A notebook analysed and fixed as the one program its cells make (the CLI's mode): a rule follows
 * a name into any cell, as in a .py file, and the cells come back split as they were.
 */
import { getAnalyzer } from './helpers';

/** keras.io style: the augmenter made in one cell, mapped in tf.data in the next. */
const AUGMENTER_CELLS = [
  'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n',
  'data_augmentation = keras.Sequential(\n    [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)],\n    name="data_augmentation",\n)\n',
  'train_ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)\ntrain_ds = train_ds.map(lambda a, b: (data_augmentation(a, training=True), b))\n'
];

test('a Sequential made in one cell and mapped in tf.data in another becomes a Pipeline, as in a .py file', async () => {
  const analyzer = await getAnalyzer();
  const whole = analyzer.fixCells(AUGMENTER_CELLS, { unsafe: true, wholeProgram: true }).cells;
  const asFile = analyzer.fixFile(AUGMENTER_CELLS.join('\n'), { unsafe: true }).source;
  expect(whole).toHaveLength(3);
  expect(whole[1]).toContain('data_augmentation = keras.layers.Pipeline(');
  // The same program text as the .py fix, cell boundaries aside.
  expect(whole.join('\n')).toBe(asFile);
  // Cell by cell, the definition's cell cannot see the map.
  expect(analyzer.fixCells(AUGMENTER_CELLS, { unsafe: true }).cells[1]).not.toContain('Pipeline');
});

test('findings come back in cell coordinates, with a fix that stands alone in its cell', async () => {
  const analyzer = await getAnalyzer();
  const cells = ['# setup\nimport tensorflow as tf\n', null, 'x = 1\n\nm = tf.keras.Sequential()\n'];
  const findings = analyzer.analyzeCells(cells, { wholeProgram: true });
  const spelling = findings.find(f => f.rule === 'KM012')!;
  expect(spelling).toMatchObject({ cell: 2, line: 3, column: 5 });
  // `import keras` goes to the top of the finding's cell, as the cell-by-cell analysis puts it.
  expect(spelling.fix!.edits).toContainEqual({ line: 1, column: 1, endLine: 1, endColumn: 1, text: 'import keras\n' });
  expect(findings.map(f => [f.cell, f.line, f.rule])).toEqual(analyzer.analyzeCells(cells).map(f => [f.cell, f.line, f.rule]));
});

test('a cell that does not parse on its own keeps the notebook cell by cell (joined, it would swallow its neighbours)', async () => {
  const analyzer = await getAnalyzer();
  const cells = ['import tensorflow as tf\nm = tf.keras.Sequential(\n', 'n = tf.keras.Sequential()\n'];
  expect(analyzer.fixCells(cells, { wholeProgram: true })).toEqual(analyzer.fixCells(cells, {}));
  expect(analyzer.analyzeCells(cells, { wholeProgram: true })).toEqual(analyzer.analyzeCells(cells));
});

test('a foreign cell magic stays as it is, line magics are masked, and a cell naming the boundary keeps the notebook cell by cell', async () => {
  const analyzer = await getAnalyzer();
  const cells = ['%%bash\npip install tensorflow\n', 'import tensorflow as tf\n%matplotlib inline\nm = tf.keras.Sequential()\n', 'n = tf.keras.Sequential()'];
  const fixed = analyzer.fixCells(cells, { wholeProgram: true }).cells;
  // The TensorFlow import nothing uses any more goes too (KM014).
  expect(fixed).toEqual([cells[0], 'import keras\n%matplotlib inline\nm = keras.Sequential()\n', 'n = keras.Sequential()']);
  const naming = [cells[1], '# %% keras-migrate: cell boundary\nk = tf.keras.Sequential()\n'];
  expect(analyzer.fixCells(naming, { wholeProgram: true })).toEqual(analyzer.fixCells(naming, {}));
});

/**
 * Every runnable corpus program split into notebook cells at its blank-line-separated top-level
 * statements (as people lay out notebooks): fixed as a notebook, its cells joined are the text the
 * .py fix gives (blank lines aside). Measured by running on 30 programs (30 of 30 ran on JAX and PyTorch after
 * `fix --unsafe`, 19 and 20 cell by cell); this keeps the notebook path on the .py path's fixes.
 */
test('corpus programs split into cells are fixed exactly as the .py files are', async () => {
  const fs = await import('fs');
  const path = await import('path');
  const analyzer = await getAnalyzer();
  const dir = path.resolve(__dirname, '../../../examples/runnable');
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.py')).sort();
  expect(files.length).toBeGreaterThan(100);
  let split = 0;
  for (const file of files) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    const lines = source.split('\n');
    // A cell starts at a column-0 line after a blank line (not a comment, decorator target or continuation).
    const cells: string[] = [];
    let current: string[] = [];
    lines.forEach((line, i) => {
      if (i > 0 && current.length && lines[i - 1].trim() === '' && /^[A-Za-z_@]/.test(line) && !/^(else|elif|except|finally)\b/.test(line)) {
        cells.push(current.join('\n'));
        current = [];
      }
      current.push(line);
    });
    cells.push(current.join('\n'));
    expect(cells.join('\n')).toBe(source);
    if (!analyzer.analyzeCells(cells).length && !analyzer.analyzeFile(source).length) {
      continue;
    }
    const asFile = analyzer.fixFile(source, { unsafe: true }).source;
    const whole = analyzer.fixCells(cells, { unsafe: true, wholeProgram: true }).cells;
    // A cell that does not parse alone (a triple-quoted string with a blank line) keeps the notebook cell by cell: not compared.
    // The cell-by-cell fix (the slowest of the three) is made only where it is read.
    let perCell: string[] | null = null;
    const differsCellByCell = (): boolean => whole.some((c, i) => c !== (perCell ??= analyzer.fixCells(cells, { unsafe: true }).cells)[i]);
    if (split <= 10 && cells.length > 1 && differsCellByCell()) {
      split++;
    }
    // Blank lines aside: a helper a fix inserts counts the blank lines around it, and a cell boundary is no blank line.
    const code = (text: string): string => text.replace(/\n[ \t]*(?=\n)/g, '');
    const joined = whole.join('\n');
    if (code(joined) !== code(asFile) && differsCellByCell()) {
      // Cells fixed cell by cell (one did not parse alone) are the only allowed difference.
      expect({ file, text: code(joined) }).toEqual({ file, text: code(asFile) });
    }
  }
  // The whole-program path made a difference somewhere (the comparison is not vacuous).
  expect(split).toBeGreaterThan(10);
}, 600000);
