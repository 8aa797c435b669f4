import { unifiedDiff } from '../../cli/diff';

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
