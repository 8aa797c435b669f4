/** Notebook-wide "fix all" to a fixpoint: the one fix-all loop (the editor and the CLI call it too). */
import type { NotebookAnalysisImpl } from './notebook';
import type { OffsetEdit } from './rule';
import { applyOffsetEdits, editsOverlap, resolveEdits } from './text';
import type { Finding, FixOptions, FixResult } from './types';

const MAX_PASSES = 8;

/**
 * Applies every safe (or, with `unsafe`, every) fix until nothing fixable is left.
 * `import keras` (like `import os`) is added once per notebook: after the first TensorFlow
 * import, or at the top of the first code cell, unless the module is imported before its first use.
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
    /** Per module to import, where the first fix that writes `keras.` (`os.`) starts (cell, offset in the text before this pass). */
    const firstUses = new Map<string, { cell: number; offset: number }>();
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
      for (const module of new Set(raw.fix.edits.map(e => e.addsImport))) {
        if (!module || !edits.length) {
          continue;
        }
        const offset = Math.min(...edits.map(e => e.start));
        const firstUse = firstUses.get(module);
        if (!firstUse || cell < firstUse.cell || (cell === firstUse.cell && offset < firstUse.offset)) {
          firstUses.set(module, { cell, offset });
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
    // The first uses in the fixed text: shifted by the edits applied before them.
    const uses = [...firstUses].map(([module, use]) => ({ module, cell: use.cell, offset: shiftedOffset(use.offset, perCell.get(use.cell) ?? []) }));
    for (const use of uses) {
      analysis.update(current);
      const placement = analysis.importPlacement(use.module, use);
      if (placement) {
        current = current.slice();
        current[placement.cell] = applyOffsetEdits(current[placement.cell] as string, [placement.edit]);
        // An import placed before another module's first use moves that use down.
        for (const other of uses) {
          if (other.cell === placement.cell && placement.edit.start <= other.offset) {
            other.offset += placement.edit.text.length;
          }
        }
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
