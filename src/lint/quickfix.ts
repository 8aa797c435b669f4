/**
 * One quick fix, from a diagnostic's button or the "quick fix" command: found
 * again in the analysis of the cell's current text, previewed when it is not
 * safe, and written exactly as previewed.
 */
import type { ICellModel } from '@jupyterlab/cells';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Finding } from '../analysis/types';
import { applyEdits } from '../analysis/text';
import { fixLabel } from './extension';
import { NotebookFindings, replaceCellText } from './model';

export interface FixPreview {
  title: string;
  before: string;
  after: string;
}

/** The same finding in a newer analysis: same rule and message, nearest position. */
export function sameFinding(findings: ReadonlyArray<Finding>, wanted: Finding): Finding | null {
  const candidates = findings.filter(f => f.rule === wanted.rule && f.fix && f.fix.edits.length);
  const exact = candidates.find(
    f => f.line === wanted.line && f.column === wanted.column && f.message === wanted.message
  );
  if (exact) {
    return exact;
  }
  const distance = (f: Finding) => Math.abs(f.line - wanted.line) * 1000 + Math.abs(f.column - wanted.column);
  return candidates.filter(f => f.message === wanted.message).sort((a, b) => distance(a) - distance(b))[0] ?? null;
}

export type QuickFixOutcome = 'applied' | 'cancelled' | 'gone' | 'changed';

/**
 * Apply `finding`'s fix to `cell`. `confirm` sees the exact before/after text for a
 * fix that is not safe; what it was shown is what is written.
 */
export async function applyQuickFix(
  owner: NotebookFindings,
  cell: ICellModel,
  finding: Finding,
  confirm: (preview: FixPreview) => Promise<boolean>,
  trans?: TranslationBundle
): Promise<QuickFixOutcome> {
  const current = (await owner.currentFindingsFor(cell)) ?? [];
  const fresh = sameFinding(current, finding);
  const before = owner.analysedSource(cell);
  if (!fresh?.fix || before === null) {
    return 'gone';
  }
  const after = applyEdits(before, fresh.fix.edits);
  if (after === before) {
    return 'gone';
  }
  if (!fresh.fix.safe && !(await confirm({ title: fixLabel(fresh, trans), before, after }))) {
    return 'cancelled';
  }
  return replaceCellText(cell, before, after) ? 'applied' : 'changed';
}
