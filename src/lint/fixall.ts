/**
 * "Fix all safe problems in notebook": the fixed sources are computed in the
 * analysis worker on a scratch analysis (the live one keeps describing what the
 * user sees), previewed as changed hunks, then written in one notebook
 * transaction; afterwards the user learns what was fixed and what is left.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { AnalyzeOptions } from '../analysis/types';
import type { INotebookFindings } from '../tokens';
import { renderDiff } from './diffview';
import { replaceCellText } from './model';
import type { IAsyncAnalyzer } from './protocol';

export { renderDiff } from './diffview';

export interface CellFix {
  index: number;
  before: string;
  after: string;
}

export interface FixAllOutcome {
  /** Cells written. */
  cells: number;
  /** Findings whose fixes were applied. */
  fixed: number;
  /** Findings left for manual work after the fixes. */
  remaining: number;
}

export interface FixAllOptions {
  trans?: TranslationBundle;
  /** Opens the problems panel (the link in the message after applying). */
  showProblems?: () => void;
}

export async function fixAllSafe(
  panel: NotebookPanel,
  analyzer: IAsyncAnalyzer,
  findings: INotebookFindings,
  analyzeOptions: AnalyzeOptions,
  options: FixAllOptions = {}
): Promise<FixAllOutcome | null> {
  const trans = options.trans ?? nullTranslator.load('jupyterlab_keras_migrate');
  const model = panel.model;
  if (!model) {
    return null;
  }
  const sources: Array<string | null> = [];
  for (let i = 0; i < model.cells.length; i++) {
    const cell = model.cells.get(i);
    sources.push(cell.type === 'code' ? cell.sharedModel.getSource() : null);
  }
  // The notebook fixed as the program its cells make, as `keras-migrate fix` does: a fix follows a name into any cell.
  const result = await analyzer.fixCells(sources, { ...analyzeOptions, wholeProgram: true });
  const fixes: CellFix[] = [];
  sources.forEach((before, index) => {
    const after = result.cells[index];
    if (before !== null && typeof after === 'string' && after !== before) {
      fixes.push({ index, before, after });
    }
  });
  const title = trans.__('Fix all safe problems in notebook');
  if (!fixes.length) {
    await showDialog({ title, body: trans.__('No safe fixes to apply in this notebook.'), buttons: [Dialog.okButton()] });
    return { cells: 0, fixed: 0, remaining: findings.findings.length };
  }
  const body = new Widget({
    node: renderDiff(
      fixes.map(f => ({
        label: trans.__('Cell %1', f.index + 1),
        ...f
      })),
      trans
    )
  });
  body.addClass('jp-KerasMigrate-fixall-body');
  const answer = await showDialog({
    title: trans._n(
      'Apply %2 safe fix to %1 cell?',
      'Apply %2 safe fixes to %1 cells?',
      fixes.length,
      result.applied.length
    ),
    body,
    buttons: [Dialog.cancelButton(), Dialog.okButton({ label: trans.__('Apply fixes') })]
  });
  if (!answer.button.accept) {
    return null;
  }
  // Only cells that still hold the text the preview was computed from are written.
  const written: CellFix[] = [];
  model.sharedModel.transact(() => {
    for (const fix of fixes) {
      const cell = model.cells.get(fix.index);
      if (cell && replaceCellText(cell, fix.before, fix.after)) {
        written.push(fix);
      }
    }
  });
  await findings.refresh();
  const writtenCells = new Set(written.map(f => f.index));
  const fixed = result.applied.filter(f => f.cell !== null && writtenCells.has(f.cell)).length;
  const remaining = findings.findings.length;
  const actions: Notification.IAction[] = [];
  if (options.showProblems && remaining) {
    actions.push({ label: trans.__('Show problems'), callback: () => options.showProblems?.() });
  }
  // Cells keep separate undo histories, so Ctrl+Z would revert one cell at a time;
  // this reverts the whole fix at once (cells edited since are left alone).
  actions.push({
    label: trans.__('Undo'),
    caption: trans.__('Restore the cells as they were before the fixes'),
    callback: () =>
      model.sharedModel.transact(() => {
        for (const fix of written) {
          const cell = model.cells.get(fix.index);
          if (cell) {
            replaceCellText(cell, fix.after, fix.before);
          }
        }
      })
  });
  const message =
    trans._n('Fixed %1 finding', 'Fixed %1 findings', fixed) +
    ' ' +
    trans._n('in %1 cell.', 'in %1 cells.', written.length) +
    ' ' +
    (remaining
      ? trans._n('%1 finding needs manual work.', '%1 findings need manual work.', remaining)
      : trans.__('Nothing left to fix.'));
  Notification.success(message, { autoClose: 20000, actions });
  return { cells: written.length, fixed, remaining };
}
