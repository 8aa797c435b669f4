/** Notebook-wide "fix all" to a fixpoint: the one fix-all loop (the editor and the CLI call it too). */
import type { NotebookAnalysisImpl } from './notebook';
import type { OffsetEdit } from './rule';
import { applyOffsetEdits, editsOverlap, resolveEdits } from './text';
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
    /** Where the first fix that writes `keras.` starts (cell, offset in the text before this pass). */
    let firstUse: { cell: number; offset: number } | null = null;
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
      if (raw.fix.edits.some(e => e.addsImport) && edits.length) {
        needsImport = true;
        const offset = Math.min(...edits.map(e => e.start));
        if (!firstUse || cell < firstUse.cell || (cell === firstUse.cell && offset < firstUse.offset)) {
          firstUse = { cell, offset };
        }
      }
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
    if (needsImport && firstUse) {
      analysis.update(current);
      // The first use in the fixed text: shifted by the edits applied before it.
      const use = { cell: firstUse.cell, offset: shiftedOffset(firstUse.offset, perCell.get(firstUse.cell) ?? []) };
      const placement = analysis.kerasImportPlacement(use);
      if (placement) {
        current = current.slice();
        current[placement.cell] = applyOffsetEdits(current[placement.cell] as string, [placement.edit]);
      }
    }
  }
  return { cells: current, applied };
}

/** Where `offset` of a text is after applying `edits` (those that end at or before it). */
function shiftedOffset(offset: number, edits: readonly OffsetEdit[]): number {
  let shifted = offset;
  for (const e of resolveEdits(edits)) {
    if (e.end <= offset && e.start < offset) {
      shifted += e.text.length - (e.end - e.start);
    }
  }
  return shifted;
}
