/**
 * The explain card's view of the notebook: where an output sits, its cell's
 * current source, the analyser's fix for it, and the recognizer for raw text.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import type { TranslationBundle } from '@jupyterlab/translation';
import { INotebookFindingsTracker } from '../tokens';
import { plainTranslation } from '../translate';
import { isPythonNotebook } from '../lint/language';
import { replaceCellText } from '../lint/model';
import { applyEdits } from '../analysis/text';
import { renderDiff } from '../lint/fixall';
import { CardTarget, DiagnosisCard, ProposedFix } from './card';
import { Diagnosis, readDiagnosis, targetCellIndex } from './diagnosis';
import { IExplainHost } from './renderer';
import { ExplainService } from './service';

interface Location {
  panel: NotebookPanel;
  cell: NotebookPanel['content']['widgets'][number];
  index: number;
}

export class ExplainHost implements IExplainHost {
  constructor(
    private readonly _notebooks: INotebookTracker,
    private readonly _findings: INotebookFindingsTracker | null,
    private readonly _service: ExplainService = new ExplainService(),
    /** Card and dialog strings (JupyterLab's translator). */
    readonly trans: TranslationBundle = plainTranslation
  ) {}

  /** Every live card, so the traceback action can find the kernel's card in its cell. */
  readonly cards = new Set<DiagnosisCard>();

  /** Emitted when a card appears or goes away, so "Explain this error" can hide beside one. */
  get cardsChanged(): ISignal<this, void> {
    return this._cardsChanged;
  }

  track(card: DiagnosisCard): DiagnosisCard {
    this.cards.add(card);
    card.disposed.connect(() => {
      this.cards.delete(card);
      this._cardsChanged.emit();
    });
    // The card's node is in the cell only once the output area attaches it.
    requestAnimationFrame(() => this._cardsChanged.emit());
    return card;
  }

  private readonly _cardsChanged = new Signal<this, void>(this);

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

  /** Asks the server's recognizer (the only one); only when the user clicks "Explain this error". */
  async explainText(text: string): Promise<Diagnosis | null> {
    const answer = await this._service.explain(text);
    const result = answer.diagnosis as { guide?: unknown; incomplete?: unknown } | null;
    // Nothing recognised is null, unless the text lacked its exception line: that is said as such.
    if (!result || (result.guide == null && result.incomplete !== true)) {
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

  /** The output's cell, or the cell that holds the diagnosis's line if that is another one. */
  private _target(card: Widget, diagnosis: Diagnosis): (Location & CardTarget) | null {
    const own = this.locate(card);
    if (!own) {
      return null;
    }
    const cells = own.panel.content.widgets;
    const counts = cells.map(cell => {
      const model = cell.model as { type: string; executionCount?: number | null };
      return model.type === 'code' ? model.executionCount ?? null : null;
    });
    const index = targetCellIndex(diagnosis, counts, own.index);
    if (index === null) {
      return null;
    }
    return {
      panel: own.panel,
      cell: cells[index],
      index,
      own: index === own.index,
      matched: diagnosis.cell !== null && counts[index] === diagnosis.cell
    };
  }

  locateTarget(card: Widget, diagnosis: Diagnosis): CardTarget | null {
    const target = this._target(card, diagnosis);
    return target ? { index: target.index, own: target.own, matched: target.matched } : null;
  }

  watchTarget(card: Widget, changed: () => void): IDisposable | null {
    const panel = this.locate(card)?.panel;
    const cells = panel?.content.model?.cells;
    if (!panel || !cells) {
      return null;
    }
    // Execution counts are set when a cell's reply arrives, which `executed` follows.
    const onExecuted = (_: unknown, args: { notebook: unknown }) => {
      if (args.notebook === panel.content) {
        changed();
      }
    };
    const onCellsChanged = () => changed();
    // A new analysis (the notebook just opened, or the cell was edited) may change the fix.
    const onFindings = (_: unknown, notebook: { panel: unknown }) => {
      if (notebook.panel === panel) {
        changed();
      }
    };
    NotebookActions.executed.connect(onExecuted);
    cells.changed.connect(onCellsChanged);
    this._findings?.changed.connect(onFindings);
    return new DisposableDelegate(() => {
      NotebookActions.executed.disconnect(onExecuted);
      cells.changed.disconnect(onCellsChanged);
      this._findings?.changed.disconnect(onFindings);
    });
  }

  jumpToLine(card: Widget, diagnosis: Diagnosis): boolean {
    const target = this._target(card, diagnosis);
    if (!target || diagnosis.line === null) {
      return false;
    }
    const line = diagnosis.line;
    const { panel, cell, index } = target;
    const notebook = panel.content;
    notebook.activeCellIndex = index;
    notebook.deselectAll();
    void notebook.scrollToItem(index).catch(() => undefined);
    const select = () => {
      const editor = cell.editor;
      if (!editor || cell.isDisposed) {
        return;
      }
      const lineIndex = Math.min(Math.max(line - 1, 0), editor.lineCount - 1);
      const text = editor.getLine(lineIndex) ?? '';
      notebook.mode = 'edit';
      editor.setSelection({ start: { line: lineIndex, column: 0 }, end: { line: lineIndex, column: text.length } });
      editor.revealSelection(editor.getSelection());
      editor.focus();
    };
    if (cell.editor) {
      select();
    } else {
      // The defining cell can be far above and not rendered yet in a windowed notebook.
      void cell.ready.then(select).catch(() => undefined);
    }
    return true;
  }

  async proposeFix(card: Widget, diagnosis: Diagnosis): Promise<ProposedFix | null> {
    const location = this._target(card, diagnosis);
    if (!location || !this._findings || !diagnosis.guide) {
      return null;
    }
    // A notebook that just opened is analysed shortly: wait for it rather than offer nothing.
    const findings = await this._findings.whenReady(location.panel);
    if (!findings) {
      return null;
    }
    await findings.refresh();
    // Cells may have moved while the analyser ran.
    const index = location.panel.content.widgets.indexOf(location.cell);
    if (index < 0) {
      return null;
    }
    const model = location.cell.model;
    // The preview is computed from the text the findings describe, which must be the cell's text now.
    const before = findings.analysedSource(model);
    if (before === null || before !== model.sharedModel.getSource()) {
      return null;
    }
    const candidates = findings.findings.filter(
      f => f.cell === index && f.guide === diagnosis.guide && f.fix && f.fix.edits.length
    );
    const chosen = candidates.find(f => f.line === diagnosis.line) ?? candidates[0];
    if (!chosen?.fix) {
      return null;
    }
    const after = applyEdits(before, chosen.fix.edits);
    return {
      title: this.trans.__('Cell %1: %2', index + 1, chosen.fix.title.replace(/`/g, '')),
      before,
      after,
      // Exactly the previewed text, or nothing if the cell changed since the preview.
      apply: () => replaceCellText(model, before, after)
    };
  }


  async confirmFix(fix: ProposedFix): Promise<boolean> {
    const result = await showDialog({
      title: this.trans.__('Apply this fix?'),
      body: new Widget({ node: renderDiff([{ label: fix.title, before: fix.before, after: fix.after }], this.trans) }),
      buttons: [Dialog.cancelButton({ label: this.trans.__('Cancel') }), Dialog.okButton({ label: this.trans.__('Apply fix') })]
    });
    return result.button.accept;
  }
}
