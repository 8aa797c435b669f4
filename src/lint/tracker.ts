/**
 * One NotebookFindings per open Python notebook, created when the notebook is
 * ready and dropped when it closes or stops being Python.
 */
import { ICellModel } from '@jupyterlab/cells';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';
import type { AnalyzeOptions, Finding } from '../analysis/types';
import type { IAnalyzerLoader, INotebookFindings, INotebookFindingsTracker } from '../tokens';
import { isPythonNotebook } from './language';
import { NotebookFindings } from './model';

export class NotebookFindingsTracker implements INotebookFindingsTracker {
  constructor(
    notebooks: INotebookTracker,
    private readonly _loader: IAnalyzerLoader
  ) {
    notebooks.widgetAdded.connect((_, panel) => this._track(panel));
    notebooks.forEach(panel => this._track(panel));
  }

  get changed(): ISignal<this, INotebookFindings> {
    return this._changed;
  }

  /** Emitted with the cells whose diagnostics must be redrawn. */
  get cellsChanged(): ISignal<this, { panel: NotebookPanel; cells: ICellModel[] }> {
    return this._cellsChanged;
  }

  /** Emitted after every analysis of a notebook. */
  get analysed(): ISignal<this, NotebookPanel> {
    return this._analysed;
  }

  get(panel: NotebookPanel): NotebookFindings | null {
    return this._byPanel.get(panel) ?? null;
  }

  /** Options applied to every notebook (the user's target setting, ...). */
  setDefaultOptions(options: AnalyzeOptions): void {
    this._defaults = { ...this._defaults, ...options };
    this._byPanel.forEach(findings => findings.setOptions(this._defaults));
  }

  /**
   * The findings of a notebook once it is known whether it is Python and, if it
   * is, once it was analysed; null for a notebook that is not Python.
   */
  async whenReady(panel: NotebookPanel): Promise<NotebookFindings | null> {
    await panel.context.ready;
    await panel.sessionContext.ready.catch(() => undefined);
    const findings = this.get(panel);
    if (findings) {
      await findings.ready;
    }
    return findings;
  }

  /** Findings of the cell, used by the cell's CodeMirror linter. */
  findingsForCell = (cell: ICellModel): Finding[] | null => {
    return this.ownerOf(cell)?.findingsFor(cell) ?? null;
  };

  /** The notebook findings a cell belongs to. */
  ownerOf(cell: ICellModel): NotebookFindings | null {
    let owner = this._cellOwner.get(cell);
    if (!owner || owner.isDisposed || owner.indexOf(cell) < 0) {
      owner = undefined;
      for (const candidate of this._byPanel.values()) {
        if (candidate.indexOf(cell) >= 0) {
          owner = candidate;
          this._cellOwner.set(cell, candidate);
          break;
        }
      }
    }
    return owner ?? null;
  }

  private _track(panel: NotebookPanel): void {
    const update = () => {
      if (panel.isDisposed) {
        return;
      }
      const python = isPythonNotebook(panel);
      const existing = this._byPanel.get(panel);
      if (python && !existing && panel.model) {
        const findings = new NotebookFindings(panel, this._loader, this._defaults);
        this._byPanel.set(panel, findings);
        findings.changed.connect(() => this._changed.emit(findings));
        findings.cellsChanged.connect((_, cells) => this._cellsChanged.emit({ panel, cells }));
        findings.analysed.connect(() => this._analysed.emit(panel));
        findings.ready.catch(reason => console.warn('keras-migrate: the analyser could not be loaded', reason));
      } else if (!python && existing) {
        this._byPanel.delete(panel);
        existing.dispose();
        // Clear the diagnostics the notebook showed while it was Python.
        this._cellsChanged.emit({ panel, cells: allCells(panel) });
      }
    };
    void panel.context.ready.then(update);
    panel.sessionContext.kernelChanged.connect(update);
    panel.sessionContext.ready.then(update).catch(() => undefined);
    panel.disposed.connect(() => {
      panel.sessionContext.kernelChanged.disconnect(update);
      this._byPanel.get(panel)?.dispose();
      this._byPanel.delete(panel);
    });
  }

  private _byPanel = new Map<NotebookPanel, NotebookFindings>();
  private _cellOwner = new WeakMap<ICellModel, NotebookFindings>();
  private _defaults: AnalyzeOptions = {};
  private _changed = new Signal<this, INotebookFindings>(this);
  private _cellsChanged = new Signal<this, { panel: NotebookPanel; cells: ICellModel[] }>(this);
  private _analysed = new Signal<this, NotebookPanel>(this);
}

function allCells(panel: NotebookPanel): ICellModel[] {
  const cells: ICellModel[] = [];
  const list = panel.model?.cells;
  for (let i = 0; list && i < list.length; i++) {
    cells.push(list.get(i));
  }
  return cells;
}
