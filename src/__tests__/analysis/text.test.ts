/** The text primitives every part uses: the line/offset index and the edit applier. */
import { applyEdits, LineIndex, lineStartAt, resolveEdits } from '../../analysis/text';

describe('positions', () => {
  const text = 'ab\ncde\n';
  const lines = new LineIndex(text);

  it('maps 1-based line and column to offsets and back', () => {
    expect([1, 2, 3].map(l => lines.lineStart(l))).toEqual([0, 3, 7]);
    expect(lines.offset(1, 1)).toBe(0);
    expect(lines.offset(2, 2)).toBe(4);
    expect(lines.offset(3, 1)).toBe(7);
    expect(lines.position(4)).toEqual({ line: 2, column: 2 });
  });

  it('clamps positions past a line end or past the text', () => {
    expect(lines.offset(1, 99)).toBe(2);
    expect(lines.offset(9, 1)).toBe(7);
  });
});

describe('lineStartAt (the one line start: rules and helpers indent with it)', () => {
  it('agrees with the line index on every offset, whatever the line breaks', () => {
    for (const text of ['ab\ncde\n', 'a\r\nbc\r\n\r\nd', 'a\rbc\rd', 'x = 1\r    y\n\tz', '', '\n\n']) {
      const lines = new LineIndex(text);
      for (let offset = 0; offset <= text.length; offset++) {
        // Inside a `\r\n` pair is no place a node starts; the index counts it to the line before.
        if (text[offset - 1] === '\r' && text[offset] === '\n') {
          continue;
        }
        expect([text, offset, lineStartAt(text, offset)]).toEqual([text, offset, lines.lineStart(lines.position(offset).line)]);
      }
    }
  });
});

describe('applyEdits (the one edit applier: analyser, editor, CLI)', () => {
  it('applies edits from the end so earlier offsets stay valid', () => {
    const source = 'from tensorflow import keras\nx = tf.keras.layers.Dense(3)';
    const fixed = applyEdits(source, [
      { line: 1, column: 1, endLine: 1, endColumn: 29, text: 'import keras' },
      { line: 2, column: 5, endLine: 2, endColumn: 13, text: 'keras' }
    ]);
    expect(fixed).toBe('import keras\nx = keras.layers.Dense(3)');
  });

  it('applies an identical edit once and drops one that overlaps', () => {
    const insert = { line: 1, column: 1, endLine: 1, endColumn: 1, text: 'import keras\n' };
    expect(applyEdits('x = 1', [insert, insert])).toBe('import keras\nx = 1');
    const fixed = applyEdits('abcdef', [
      { line: 1, column: 2, endLine: 1, endColumn: 5, text: 'X' },
      { line: 1, column: 3, endLine: 1, endColumn: 6, text: 'Y' }
    ]);
    // The one overlap policy: the edit that starts first wins.
    expect(fixed).toBe('aXef');
  });
});

describe('resolveEdits', () => {
  it('keeps insertions at one offset in listed order and drops an edit inside another', () => {
    const kept = resolveEdits([
      { start: 0, end: 0, text: 'a' },
      { start: 0, end: 0, text: 'b' },
      { start: 2, end: 6, text: 'X' },
      { start: 3, end: 4, text: 'Y' }
    ]);
    expect(kept.map(e => e.text)).toEqual(['a', 'b', 'X']);
  });
});
