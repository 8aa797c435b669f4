/**
 * Moving the user to a finding: activate its notebook, scroll to the cell and
 * select the finding's range in the editor.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { Finding } from '../analysis/types';

export function jumpToFinding(app: JupyterFrontEnd, panel: NotebookPanel, finding: Finding): void {
  if (finding.cell === null) {
    return;
  }
  app.shell.activateById(panel.id);
  const notebook = panel.content;
  const index = finding.cell;
  notebook.activeCellIndex = index;
  notebook.deselectAll();
  void notebook.scrollToItem(index).catch(() => undefined);
  const cell = notebook.widgets[index];
  const select = () => {
    const editor = cell?.editor;
    if (!editor || cell.isDisposed) {
      return;
    }
    const last = Math.max(editor.lineCount - 1, 0);
    const start = { line: Math.min(Math.max(finding.line - 1, 0), last), column: Math.max(finding.column - 1, 0) };
    const end = { line: Math.min(Math.max(finding.endLine - 1, 0), last), column: Math.max(finding.endColumn - 1, 0) };
    notebook.mode = 'edit';
    editor.setSelection({ start, end });
    editor.revealSelection(editor.getSelection());
    editor.focus();
  };
  if (cell?.editor) {
    select();
  } else {
    // A cell far away in a windowed notebook is not rendered yet.
    void cell?.ready.then(select).catch(() => undefined);
  }
}
