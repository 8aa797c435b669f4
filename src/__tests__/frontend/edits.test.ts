import { applyTextEdits, computeSafeFixes, lineDiff, lineStarts, offsetOf } from '../../lint/edits';
import { getAnalyzer } from '../analysis/helpers';

describe('positions', () => {
  const text = 'ab\ncde\n';
  const starts = lineStarts(text);

  it('maps 1-based line and column to offsets', () => {
    expect(starts).toEqual([0, 3, 7]);
    expect(offsetOf(starts, text.length, 1, 1)).toBe(0);
    expect(offsetOf(starts, text.length, 2, 2)).toBe(4);
    expect(offsetOf(starts, text.length, 3, 1)).toBe(7);
  });

  it('clamps positions past a line end or past the text', () => {
    expect(offsetOf(starts, text.length, 1, 99)).toBe(2);
    expect(offsetOf(starts, text.length, 9, 1)).toBe(7);
  });
});

describe('applyTextEdits', () => {
  it('applies edits from the end so earlier offsets stay valid', () => {
    const source = 'from tensorflow import keras\nx = tf.keras.layers.Dense(3)';
    const fixed = applyTextEdits(source, [
      { line: 1, column: 1, endLine: 1, endColumn: 29, text: 'import keras' },
      { line: 2, column: 5, endLine: 2, endColumn: 13, text: 'keras' }
    ]);
    expect(fixed).toBe('import keras\nx = keras.layers.Dense(3)');
  });

  it('applies an identical edit once and drops one that overlaps', () => {
    const insert = { line: 1, column: 1, endLine: 1, endColumn: 1, text: 'import keras\n' };
    expect(applyTextEdits('x = 1', [insert, insert])).toBe('import keras\nx = 1');
    const fixed = applyTextEdits('abcdef', [
      { line: 1, column: 2, endLine: 1, endColumn: 5, text: 'X' },
      { line: 1, column: 3, endLine: 1, endColumn: 6, text: 'Y' }
    ]);
    expect(['aXef', 'abYf']).toContain(fixed);
  });
});

describe('lineDiff', () => {
  it('marks removed and added lines and keeps the common ones', () => {
    expect(lineDiff('a\nb\nc', 'a\nB\nc')).toEqual(['  a', '- b', '+ B', '  c']);
  });

  it('is empty of changes for equal texts', () => {
    expect(lineDiff('x\ny', 'x\ny').every(line => line.startsWith('  '))).toBe(true);
  });
});

describe('computeSafeFixes', () => {
  it('fixes every cell of a notebook and leaves clean and non-code cells alone', async () => {
    const analyzer = await getAnalyzer();
    const cells = ['import tensorflow as tf', null, 'layer = tf.keras.layers.Dense(3)', 'print(1)'];
    const fixes = computeSafeFixes(analyzer, cells, {});
    expect(fixes.map(f => f.index)).toEqual(expect.arrayContaining([2]));
    expect(fixes.find(f => f.index === 2)!.after).toContain('keras.layers.Dense(3)');
    expect(fixes.every(f => f.index !== 1 && f.index !== 3)).toBe(true);
    for (const fix of fixes) {
      expect(fix.before).toBe(cells[fix.index]);
      expect(fix.after).not.toContain('tf.keras');
    }
  });

  it('returns nothing for clean Keras 3 code', async () => {
    const analyzer = await getAnalyzer();
    expect(computeSafeFixes(analyzer, ['import keras\nlayer = keras.layers.Dense(3)'], {})).toEqual([]);
  });
});
