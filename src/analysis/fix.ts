/** Applying fixes: text edits to strings, and notebook-wide "fix all" to a fixpoint. */
import { LineIndex } from './ast';
import type { NotebookAnalysisImpl } from './notebook';
import type { OffsetEdit } from './rule';
import type { AnalyzeOptions, Finding, TextEdit } from './types';

/**
 * Applies edits given in 1-based line/column. Overlapping edits: the one that starts first
 * (then the one listed first) wins, the others are dropped.
 */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(source);
  return applyOffsetEdits(
    source,
    edits.map(e => ({ start: lines.offset(e.line, e.column), end: lines.offset(e.endLine, e.endColumn), text: e.text }))
  );
}

export function applyOffsetEdits(source: string, edits: readonly OffsetEdit[]): string {
  const ordered = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const { e } of ordered) {
    if (e.start < pos) {
      continue;
    }
    out += source.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + source.slice(pos);
}

function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  if (a.start === a.end && b.start === b.end) {
    return a.start === b.start && a.text !== b.text;
  }
  return a.start < b.end && b.start < a.end;
}

export interface FixOptions extends AnalyzeOptions {
  /** Also apply fixes marked unsafe. */
  unsafe?: boolean;
}

export interface FixResult {
  cells: Array<string | null>;
  /** Findings whose fixes were applied, in the coordinates of the text they were found in. */
  applied: Finding[];
}

const MAX_PASSES = 8;

/**
 * Applies every safe (or, with `unsafe`, every) fix until nothing fixable is left.
 * `import keras` is added once per notebook: after the first TensorFlow import, or at the
 * top of the first code cell.
 */
export function fixNotebook(
  analysis: NotebookAnalysisImpl,
  cells: ReadonlyArray<string | null>,
  options: FixOptions = {}
): FixResult {
  let current = cells.slice();
  const applied: Finding[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    analysis.update(current);
    const perCell = new Map<number, OffsetEdit[]>();
    let needsImport = false;
    for (const { cell, raw } of analysis.rawFindings(options)) {
      if (!raw.fix || (!raw.fix.safe && !options.unsafe)) {
        continue;
      }
      const edits = raw.fix.edits.filter(e => !e.addsImport);
      const taken = perCell.get(cell) ?? [];
      if (edits.some(e => taken.some(t => overlaps(e, t)))) {
        continue; // the next pass sees the result of the fix that won
      }
      taken.push(...edits);
      perCell.set(cell, taken);
      needsImport = needsImport || raw.fix.edits.some(e => e.addsImport);
      applied.push(analysis.convert(cell, raw));
    }
    if (perCell.size === 0) {
      break;
    }
    const next = current.slice();
    for (const [cell, edits] of perCell) {
      next[cell] = applyOffsetEdits(current[cell] as string, edits);
    }
    current = next;
    if (needsImport) {
      analysis.update(current);
      const placement = analysis.kerasImportPlacement();
      if (placement) {
        current = current.slice();
        current[placement.cell] = applyOffsetEdits(current[placement.cell] as string, [placement.edit]);
      }
    }
  }
  return { cells: current, applied };
}
