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

/** The project's one line diff (jsdiff), shared with `keras-migrate fix --diff`. */

