/**
 * Text arithmetic for findings and fixes: positions, edits, line diffs. Pure
 * functions (no DOM, no JupyterLab) so jest can test them directly.
 */
import type { Analyzer, AnalyzeOptions, TextEdit } from '../analysis/types';

/** Offsets of each line start in a text, for converting 1-based line/column positions. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** 1-based line and column → offset in the text, clamped to the text. */
export function offsetOf(starts: number[], length: number, line: number, column: number): number {
  const lineIndex = Math.min(Math.max(line - 1, 0), starts.length - 1);
  const lineEnd = lineIndex + 1 < starts.length ? starts[lineIndex + 1] - 1 : length;
  return Math.min(starts[lineIndex] + Math.max(column - 1, 0), lineEnd);
}

/** Passes of fix → re-analyse; a fix can reveal another (e.g. after an import rewrite). */
const MAX_PASSES = 5;

export interface CellFix {
  index: number;
  before: string;
  after: string;
}

/** Apply non-overlapping edits to a text; identical duplicates count once, later overlaps are dropped. */
export function applyTextEdits(source: string, edits: ReadonlyArray<TextEdit>): string {
  const starts = lineStarts(source);
  const seen = new Set<string>();
  const ranges = edits
    .filter(edit => {
      const key = JSON.stringify(edit);
      if (seen.has(key)) {
        return false;
      }
      seen.add(key);
      return true;
    })
    .map(edit => ({
      from: offsetOf(starts, source.length, edit.line, edit.column),
      to: offsetOf(starts, source.length, edit.endLine, edit.endColumn),
      text: edit.text
    }))
    .sort((a, b) => b.from - a.from || b.to - a.to);
  let result = source;
  let lastFrom = Infinity;
  for (const range of ranges) {
    if (range.to > lastFrom) {
      continue;
    }
    result = result.slice(0, range.from) + range.text + result.slice(range.to);
    lastFrom = range.from;
  }
  return result;
}

/** The sources after applying every safe fix, repeated until nothing safe is left. */
export function computeSafeFixes(
  analyzer: Analyzer,
  sources: ReadonlyArray<string | null>,
  options: AnalyzeOptions
): CellFix[] {
  // The analyser's own fixCells knows how fixes combine (one `import keras`, ...).
  const withFixCells = analyzer as Analyzer & {
    fixCells?: (cells: ReadonlyArray<string | null>, options?: AnalyzeOptions) => { cells: Array<string | null> };
  };
  if (typeof withFixCells.fixCells === 'function') {
    return changedCells(sources, withFixCells.fixCells(sources, options).cells);
  }
  const scratch = analyzer.openNotebook();
  try {
    let current = sources.slice();
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      scratch.update(current);
      const edits = new Map<number, TextEdit[]>();
      for (const finding of scratch.findings(options)) {
        if (finding.cell === null || !finding.fix?.safe || !finding.fix.edits.length) {
          continue;
        }
        const list = edits.get(finding.cell) ?? [];
        // All edits of one fix or none: a half-applied fix could break the code.
        if (finding.fix.edits.every(e => !list.some(o => overlaps(o, e) && JSON.stringify(o) !== JSON.stringify(e)))) {
          list.push(...finding.fix.edits);
        }
        edits.set(finding.cell, list);
      }
      if (!edits.size) {
        break;
      }
      const next = current.slice();
      let changed = false;
      edits.forEach((list, index) => {
        const source = current[index];
        if (source === null || source === undefined) {
          return;
        }
        const fixed = applyTextEdits(source, list);
        if (fixed !== source) {
          next[index] = fixed;
          changed = true;
        }
      });
      current = next;
      if (!changed) {
        break;
      }
    }
    return changedCells(sources, current);
  } finally {
    scratch.dispose();
  }
}

function changedCells(sources: ReadonlyArray<string | null>, fixed: ReadonlyArray<string | null>): CellFix[] {
  const fixes: CellFix[] = [];
  sources.forEach((before, index) => {
    const after = fixed[index];
    if (before !== null && after !== null && after !== undefined && after !== before) {
      fixes.push({ index, before, after });
    }
  });
  return fixes;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  return !(before(a.endLine, a.endColumn, b.line, b.column) || before(b.endLine, b.endColumn, a.line, a.column));
}

/** A line diff (longest common subsequence) rendered as `-`/`+`/` ` lines. */
export function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) {
      out.push(`- ${a[i++]}`);
    } else {
      out.push(`+ ${b[j++]}`);
    }
  }
  while (i < n) {
    out.push(`- ${a[i++]}`);
  }
  while (j < m) {
    out.push(`+ ${b[j++]}`);
  }
  return out;
}

