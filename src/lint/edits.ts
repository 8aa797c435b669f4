/**
 * Fix-all results and line diffs for the editor. Pure functions (no DOM, no JupyterLab) so
 * jest can test them directly; positions and edit application are the analyser's
 * (src/analysis/text.ts).
 */
import type { Analyzer, AnalyzeOptions } from '../analysis/types';

export interface CellFix {
  index: number;
  before: string;
  after: string;
}

/**
 * The sources after applying every safe fix until nothing safe is left: the analyser's one
 * fix-all loop (it knows how fixes combine: one `import keras` per notebook, ...).
 */
export function computeSafeFixes(
  analyzer: Analyzer,
  sources: ReadonlyArray<string | null>,
  options: AnalyzeOptions
): CellFix[] {
  return changedCells(sources, analyzer.fixCells(sources, options).cells);
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

