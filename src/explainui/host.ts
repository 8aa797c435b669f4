/**
 * The explain card's view of the notebook: where an output sits, its cell's
 * current source, the analyser's fix for it, and the recognizer for raw text.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { Widget } from '@lumino/widgets';
import { INotebookFindingsTracker } from '../tokens';
import { isPythonNotebook } from '../lint/language';
import { applyEditsToCell } from '../lint/model';
import { applyTextEdits } from '../lint/edits';
import { renderDiff } from '../lint/fixall';
import { DiagnosisCard, ProposedFix } from './card';
import { Diagnosis, readDiagnosis } from './diagnosis';
import { IExplainHost } from './renderer';

interface Location {
  panel: NotebookPanel;
  cell: NotebookPanel['content']['widgets'][number];
  index: number;
}

export class ExplainHost implements IExplainHost {
  constructor(
    private readonly _notebooks: INotebookTracker,
    private readonly _findings: INotebookFindingsTracker | null
  ) {}

  /** Every live card, so the traceback action can find the kernel's card in its cell. */
  readonly cards = new Set<DiagnosisCard>();

  track(card: DiagnosisCard): DiagnosisCard {
    this.cards.add(card);
    card.disposed.connect(() => this.cards.delete(card));
    return card;
  }

  locate(widget: Widget): Location | null {
    const panel = this._notebooks.find(p => p.node.contains(widget.node));
    if (!panel) {
      return null;
    }
    const cells = panel.content.widgets;
    for (let index = 0; index < cells.length; index++) {
      if (cells[index].node.contains(widget.node)) {
        return { panel, cell: cells[index], index };
      }
    }
    return null;
  }

  isPythonContext(widget: Widget): boolean {
    const location = this.locate(widget);
    return location ? isPythonNotebook(location.panel) : true;
  }

  async explainText(text: string): Promise<Diagnosis | null> {
    const recognizer = await import(
      /* webpackChunkName: "keras-migrate-recognize" */ '../explain/recognize'
    );
    const result = recognizer.explainText(text) as unknown;
    if (!result || (result as { guide?: unknown }).guide == null) {
      return null;
    }
    return readDiagnosis(result);
  }

  kernelCardFor(widget: Widget): DiagnosisCard | null {
    const cellNode = widget.node.closest('.jp-Cell');
    if (!cellNode) {
      return null;
    }
    for (const card of this.cards) {
      if ((card as Widget) !== widget && cellNode.contains(card.node) && card.hasClass('jp-KerasMigrate-diagnosis')) {
        return card;
      }
    }
    return null;
  }

  jumpToLine(card: Widget, line: number): boolean {
    const location = this.locate(card);
    if (!location) {
      return false;
    }
    const { panel, cell, index } = location;
    const notebook = panel.content;
    notebook.activeCellIndex = index;
    notebook.deselectAll();
    void notebook.scrollToItem(index).catch(() => undefined);
    const editor = cell.editor;
    if (!editor) {
      return false;
    }
    const lineIndex = Math.min(Math.max(line - 1, 0), editor.lineCount - 1);
    const text = editor.getLine(lineIndex) ?? '';
    notebook.mode = 'edit';
    editor.setSelection({ start: { line: lineIndex, column: 0 }, end: { line: lineIndex, column: text.length } });
    editor.revealSelection(editor.getSelection());
    editor.focus();
    return true;
  }

  async proposeFix(card: Widget, diagnosis: Diagnosis): Promise<ProposedFix | null> {
    const location = this.locate(card);
    if (!location || !this._findings || !diagnosis.guide) {
      return null;
    }
    const findings = this._findings.get(location.panel);
    if (!findings) {
      return null;
    }
    await findings.refresh();
    const model = location.cell.model;
    const candidates = findings.findings.filter(
      f => f.cell === location.index && f.guide === diagnosis.guide && f.fix && f.fix.edits.length
    );
    const chosen = candidates.find(f => f.line === diagnosis.line) ?? candidates[0];
    if (!chosen?.fix) {
      return null;
    }
    const before = model.sharedModel.getSource();
    const edits = chosen.fix.edits;
    return {
      title: `Cell ${location.index + 1}: ${chosen.fix.title.replace(/`/g, '')}`,
      before,
      after: applyTextEdits(before, edits),
      apply: () => {
        // Never write a fix computed for text the user has since changed.
        if (model.sharedModel.getSource() === before) {
          applyEditsToCell(model, edits);
        }
      }
    };
  }

  async confirmFix(fix: ProposedFix): Promise<boolean> {
    const result = await showDialog({
      title: 'Apply this fix?',
      body: new Widget({ node: renderDiff([{ label: fix.title, before: fix.before, after: fix.after }]) }),
      buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Apply fix' })]
    });
    return result.button.accept;
  }
}
