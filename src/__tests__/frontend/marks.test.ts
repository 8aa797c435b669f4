/**
 * Where a finding's mark is drawn in the cell editor: a range that ends at the start
 * of the next line (a multi-line call, a block) must not underline that line's
 * indentation; a fix that needs review says so on its button, through the translator.
 */
import { Text } from '@codemirror/state';
import type { Finding } from '../../analysis/types';
import { docOffset, fixLabel, markEnd } from '../../lint/extension';

const doc = Text.of(['model = keras.Sequential([', '    layers.Dense(3),', '])', 'x = 1']);

describe('markEnd', () => {
  it('stops a multi-line range before the indentation it ends in', () => {
    const from = docOffset(doc, 1, 9);
    // Ends after the 4 spaces of line 2: the mark stops at the end of line 1.
    expect(markEnd(doc, from, docOffset(doc, 2, 5))).toBe(doc.line(1).to);
    // Ends at the very start of line 3: the same.
    expect(markEnd(doc, from, docOffset(doc, 3, 1))).toBe(doc.line(2).to);
  });

  it('keeps a range that ends in code, or on its own line', () => {
    const from = docOffset(doc, 1, 9);
    expect(markEnd(doc, from, docOffset(doc, 3, 2))).toBe(docOffset(doc, 3, 2));
    expect(markEnd(doc, docOffset(doc, 2, 5), docOffset(doc, 2, 17))).toBe(docOffset(doc, 2, 17));
    // An empty range at a line start stays where it is.
    expect(markEnd(doc, docOffset(doc, 4, 1), docOffset(doc, 4, 1))).toBe(docOffset(doc, 4, 1));
  });
});

describe('fixLabel', () => {
  const finding = (safe: boolean) =>
    ({ fix: { title: 'Use `keras.ops.relu`', safe, edits: [] } }) as unknown as Finding;

  it('drops the code marks; a fix to review says so', () => {
    expect(fixLabel(finding(true))).toBe('Use keras.ops.relu');
    expect(fixLabel(finding(false))).toBe('Use keras.ops.relu (review)');
  });

  it('words "(review)" through the translator', () => {
    const trans = { __: (message: string, ...args: unknown[]) => `«${message.replace('%1', String(args[0]))}»` } as any;
    expect(fixLabel(finding(false), trans)).toBe('«Use keras.ops.relu (review)»');
  });
});
