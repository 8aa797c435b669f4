/** Notebook-wide "fix all" to a fixpoint: the one fix-all loop (the editor and the CLI call it too). */
import type { NotebookAnalysisImpl } from './notebook';
import type { OffsetEdit } from './rule';
import { applyOffsetEdits, editsOverlap } from './text';
import type { Finding, FixOptions, FixResult } from './types';

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
      if (edits.some(e => taken.some(t => editsOverlap(e, t)))) {
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
