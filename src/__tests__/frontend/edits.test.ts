import { diffLines } from '../../diff';
import { computeSafeFixes } from '../../lint/edits';
import { getAnalyzer } from '../analysis/helpers';

describe('diffLines', () => {
  const marked = (before: string, after: string) =>
    diffLines(before, after).map(line => ({ same: '  ', del: '- ', add: '+ ' })[line.kind] + line.text);

  it('marks removed and added lines and keeps the common ones', () => {
    expect(marked('a\nb\nc', 'a\nB\nc')).toEqual(['  a', '- b', '+ B', '  c']);
  });

  it('is empty of changes for equal texts', () => {
    expect(marked('x\ny', 'x\ny').every(line => line.startsWith('  '))).toBe(true);
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
