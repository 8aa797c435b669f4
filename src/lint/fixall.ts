/**
 * "Fix all safe problems in notebook": compute the fixed sources on a scratch
 * analysis (the live one keeps describing what the user sees), show a preview
 * diff, then write every changed cell in one notebook transaction.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { NotebookPanel } from '@jupyterlab/notebook';
import { Widget } from '@lumino/widgets';
import type { Analyzer, AnalyzeOptions } from '../analysis/types';
import { CellFix, computeSafeFixes, lineDiff } from './edits';

/** A text-only diff view: one block per cell, lines coloured by their first character. */
export function renderDiff(fixes: ReadonlyArray<{ label: string; before: string; after: string }>): HTMLElement {
  const root = document.createElement('div');
  root.className = 'jp-KerasMigrate-diff';
  for (const fix of fixes) {
    const heading = document.createElement('div');
    heading.className = 'jp-KerasMigrate-diff-heading';
    heading.textContent = fix.label;
    root.appendChild(heading);
    const pre = document.createElement('pre');
    for (const line of lineDiff(fix.before, fix.after)) {
      const span = document.createElement('span');
      span.className =
        line[0] === '+'
          ? 'jp-KerasMigrate-diff-add'
          : line[0] === '-'
            ? 'jp-KerasMigrate-diff-del'
            : 'jp-KerasMigrate-diff-same';
      span.textContent = `${line}\n`;
      pre.appendChild(span);
    }
    root.appendChild(pre);
  }
  return root;
}

/** Show the preview and, if accepted, write the fixed cells. Returns the number of cells changed. */
export async function fixAllSafe(
  panel: NotebookPanel,
  analyzer: Analyzer,
  options: AnalyzeOptions
): Promise<number> {
  const model = panel.model;
  if (!model) {
    return 0;
  }
  const sources: Array<string | null> = [];
  for (let i = 0; i < model.cells.length; i++) {
    const cell = model.cells.get(i);
    sources.push(cell.type === 'code' ? cell.sharedModel.getSource() : null);
  }
  const fixes = computeSafeFixes(analyzer, sources, options);
  if (!fixes.length) {
    await showDialog({
      title: 'Fix all safe problems in notebook',
      body: 'No safe fixes to apply in this notebook.',
      buttons: [Dialog.okButton()]
    });
    return 0;
  }
  const body = new Widget({
    node: renderDiff(fixes.map(f => ({ label: `Cell ${f.index + 1}`, ...f })))
  });
  const result = await showDialog({
    title: `Apply safe fixes to ${fixes.length} cell${fixes.length === 1 ? '' : 's'}?`,
    body,
    buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Apply fixes' })]
  });
  if (!result.button.accept) {
    return 0;
  }
  // Only write cells that still hold the text the preview was computed from.
  const still = fixes.filter(f => {
    const cell = model.cells.get(f.index);
    return cell && cell.sharedModel.getSource() === f.before;
  });
  const write = (pick: (fix: CellFix) => string, expect: (fix: CellFix) => string) =>
    model.sharedModel.transact(() => {
      for (const fix of still) {
        const cell = model.cells.get(fix.index);
        if (cell && cell.sharedModel.getSource() === expect(fix)) {
          cell.sharedModel.setSource(pick(fix));
        }
      }
    });
  write(
    fix => fix.after,
    fix => fix.before
  );
  // Cells keep separate undo histories, so Ctrl+Z would revert one cell at a time;
  // this reverts the whole fix at once (cells edited since are left alone).
  Notification.success(`Applied safe fixes to ${still.length} cell${still.length === 1 ? '' : 's'}.`, {
    autoClose: 15000,
    actions: [
      {
        label: 'Undo',
        caption: 'Restore the cells as they were before the fixes',
        callback: () =>
          write(
            fix => fix.before,
            fix => fix.after
          )
      }
    ]
  });
  return still.length;
}
