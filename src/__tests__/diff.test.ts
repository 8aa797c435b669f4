import { unifiedDiff } from '../diff';

describe('unifiedDiff', () => {
  test('no change, no output', () => {
    expect(unifiedDiff('a\n', 'a\n', 'a/x', 'b/x')).toBe('');
  });

  test('separate hunks with three lines of context', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const after = before.replace('line 2\n', 'LINE 2\n').replace('line 17\n', 'LINE 17\n');
    expect(unifiedDiff(before, after, 'a/f.py', 'b/f.py')).toBe(
      [
        '--- a/f.py',
        '+++ b/f.py',
        '@@ -1,6 +1,6 @@',
        ' line 0',
        ' line 1',
        '-line 2',
        '+LINE 2',
        ' line 3',
        ' line 4',
        ' line 5',
        '@@ -15,6 +15,6 @@',
        ' line 14',
        ' line 15',
        ' line 16',
        '-line 17',
        '+LINE 17',
        ' line 18',
        ' line 19',
        ''
      ].join('\n')
    );
  });

  test('marks a missing newline at the end of a side', () => {
    expect(unifiedDiff('a\nb', 'a\nc', 'a/f', 'b/f')).toBe('--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n');
  });
});

describe('diff growth', () => {
  test('a 20,000-line file with a few changed lines diffs in linear work, not a quadratic table', () => {
    const make = (n: number) => Array.from({ length: n }, (_, i) => `x_${i} = tf.keras.layers.Dense(${i})`).join('\n') + '\n';
    const change = (text: string) => text.replace('x_10 = tf.keras', 'x_10 = keras')
      .replace(`x_${text.split('\n').length - 12} = tf.keras`, `x_${text.split('\n').length - 12} = keras`);
    const small = make(2000);
    const large = make(20000);
    const t0 = process.hrtime.bigint();
    const smallDiff = unifiedDiff(small, change(small), 'a', 'b');
    const t1 = process.hrtime.bigint();
    const largeDiff = unifiedDiff(large, change(large), 'a', 'b');
    const t2 = process.hrtime.bigint();
    expect(smallDiff).toContain('+x_10 = keras.layers.Dense(10)');
    expect(largeDiff).toContain('+x_19989 = keras.layers.Dense(19989)');
    // 10x the lines: a quadratic table would cost 100x; allow generous noise around linear.
    expect(Number(t2 - t1)).toBeLessThan(40 * Number(t1 - t0) + 50e6);
  });
});
