import type { Finding } from '../../analysis/types';
import { diffHunks, diffLines } from '../../diff';
import {
  adjacentFinding,
  filterFindings,
  findingsAtCursor,
  groupFindings,
  lineWithSuppression,
  summarize
} from '../../lint/problems';

function finding(cell: number, line: number, column: number, extra: Partial<Finding> = {}): Finding {
  return {
    cell,
    line,
    column,
    endLine: line,
    endColumn: column + 5,
    rule: 'KM001',
    guide: 'imports',
    severity: 'warning',
    message: 'm',
    blocks: [],
    fix: null,
    ...extra
  };
}

describe('problems: order, filters, groups', () => {
  const list = [
    finding(2, 1, 1),
    finding(0, 3, 4, { severity: 'error', rule: 'KM002', guide: 'tf-ops-in-layers' }),
    finding(0, 1, 1)
  ];

  it('groups by cell in notebook order', () => {
    const groups = groupFindings(list, 'cell');
    expect(groups.map(g => g.title)).toEqual(['Cell 1', 'Cell 3']);
    expect(groups[0].findings.map(f => f.line)).toEqual([1, 3]);
  });

  it('groups by guide section, worst severity first', () => {
    const groups = groupFindings(list, 'section');
    expect(groups.map(g => g.key)).toEqual(['tf-ops-in-layers', 'imports']);
    expect(groups[1].findings).toHaveLength(2);
  });

  it('filters by severity and by blocked backend', () => {
    expect(filterFindings(list, { severities: new Set(['error']), backend: null })).toHaveLength(1);
    expect(filterFindings(list, { severities: new Set(), backend: null })).toHaveLength(3);
    // A finding says which backends it blocks.
    const blocksJax = finding(1, 1, 1, { blocks: ['jax', 'torch'] });
    expect(filterFindings([...list, blocksJax], { severities: new Set(), backend: 'jax' })).toEqual([blocksJax]);
    expect(filterFindings([...list, blocksJax], { severities: new Set(), backend: 'tensorflow' })).toEqual([]);
  });
});

describe('problems: keyboard navigation', () => {
  const list = [finding(0, 1, 1), finding(0, 3, 4), finding(2, 1, 1)];

  it('finds the next finding after the cursor and wraps around', () => {
    expect(adjacentFinding(list, { cell: 0, line: 1, column: 6 }, 1)).toBe(list[1]);
    expect(adjacentFinding(list, { cell: 1, line: 1, column: 1 }, 1)).toBe(list[2]);
    expect(adjacentFinding(list, { cell: 2, line: 5, column: 1 }, 1)).toBe(list[0]);
  });

  it('finds the previous finding before the cursor and wraps around', () => {
    expect(adjacentFinding(list, { cell: 0, line: 3, column: 4 }, -1)).toBe(list[0]);
    expect(adjacentFinding(list, { cell: 0, line: 1, column: 1 }, -1)).toBe(list[2]);
    expect(adjacentFinding([], { cell: 0, line: 1, column: 1 }, -1)).toBeNull();
  });

  it('finds what lies under the cursor, else what starts on its line', () => {
    expect(findingsAtCursor(list, { cell: 0, line: 3, column: 6 })).toEqual([list[1]]);
    expect(findingsAtCursor(list, { cell: 0, line: 3, column: 40 })).toEqual([list[1]]);
    expect(findingsAtCursor(list, { cell: 0, line: 2, column: 1 })).toEqual([]);
  });
});

describe('ignore on this line', () => {
  it('adds the suppression comment the analyser reads', () => {
    expect(lineWithSuppression('x = tf.keras.layers.Dense(3)   ', ['KM001', 'KM001'])).toBe(
      'x = tf.keras.layers.Dense(3)  # keras-migrate: ignore[KM001]'
    );
  });

  it('merges codes into an existing comment, and leaves a blanket ignore alone', () => {
    expect(lineWithSuppression('x = 1  # keras-migrate: ignore[KM001]', ['KM002'])).toBe(
      'x = 1  # keras-migrate: ignore[KM001, KM002]'
    );
    expect(lineWithSuppression('x = 1  # keras-migrate: ignore', ['KM002'])).toBe('x = 1  # keras-migrate: ignore');
  });

  it('refuses a line that continues on the next one', () => {
    expect(lineWithSuppression('x = tf.keras.layers.Dense(3) + \\', ['KM001'])).toBeNull();
  });
});

describe('readable diff', () => {
  it('shows changed lines with a little context, not the whole cell', () => {
    const before = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 5', 'LINE 5').replace('line 30', 'LINE 30');
    const hunks = diffHunks(before, after, 2);
    expect(hunks).toHaveLength(2);
    expect(hunks[0].lines.map(l => l.kind)).toEqual(['same', 'same', 'del', 'add', 'same', 'same']);
    expect(hunks[0].lines[2]).toEqual({ kind: 'del', text: 'line 5', oldLine: 6, newLine: null });
    expect(hunks[1].lines.find(l => l.kind === 'add')).toEqual({ kind: 'add', text: 'LINE 30', oldLine: null, newLine: 31 });
  });

  it('handles added and removed lines at the ends and empty texts', () => {
    expect(diffLines('a', 'a\nb').map(l => l.kind)).toEqual(['same', 'add']);
    expect(diffLines('a\nb', 'b').map(l => l.kind)).toEqual(['del', 'same']);
    expect(diffHunks('same', 'same')).toEqual([]);
  });

  it('diffs a 20,000-line cell changed at both ends down to the changed lines', () => {
    const lines = Array.from({ length: 20000 }, (_, i) => `x${i} = ${i}`);
    const changed = lines.slice();
    changed[0] = 'import keras';
    changed[19999] = 'y = 1';
    const hunks = diffHunks(lines.join('\n'), changed.join('\n'));
    expect(hunks).toHaveLength(2);
    expect(hunks.flatMap(h => h.lines).filter(l => l.kind !== 'same')).toHaveLength(4);
  });

});

describe('migration summary', () => {
  it('counts findings per section, fixable and safe ones, and what blocks each backend', () => {
    const safeFix = { title: 't', safe: true, edits: [] };
    const reviewFix = { title: 't', safe: false, edits: [] };
    const list = [
      finding(0, 1, 1, { fix: safeFix }),
      finding(0, 2, 1, { fix: reviewFix }),
      finding(1, 1, 1, { guide: 'no-such-section' })
    ];
    const summary = summarize([...list, finding(2, 1, 1, { blocks: ['jax', 'torch'] })]);
    expect(summary.total).toBe(4);
    expect(summary.sections).toEqual([
      { slug: 'imports', count: 3 },
      { slug: 'no-such-section', count: 1 }
    ]);
    expect([summary.fixable, summary.safe]).toEqual([2, 1]);
    expect(summary.blocks).toEqual({ jax: 1, tensorflow: 0, torch: 1 });
    expect(summary.tfOnly).toBe(0);
  });

  it('counts the layers that stay TensorFlow-only: KM190 findings that block a backend', () => {
    const remaining = (blocks: Finding['blocks']) => finding(0, 1, 1, { rule: 'KM190', guide: 'keras-ops', severity: 'info', blocks });
    // A layer whose remaining TF calls only make Python values runs on every backend.
    const summary = summarize([remaining(['jax', 'torch']), remaining([]), remaining(['jax', 'torch']), finding(1, 1, 1, { blocks: ['jax'] })]);
    expect(summary.tfOnly).toBe(2);
    expect(summary.blocks).toEqual({ jax: 3, tensorflow: 0, torch: 2 });
  });
});
