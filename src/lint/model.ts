/**
 * The findings of one notebook, kept in step with its cells. No widgets here:
 * the CodeMirror extension, the sidebar and the fix-all command all read this.
 */
import { ICellModel } from '@jupyterlab/cells';
import { NotebookPanel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';
import type { AnalyzeOptions, Finding, NotebookAnalysis } from '../analysis/types';
import type { IAnalyzerLoader, INotebookFindings } from '../tokens';
import { resolveEdits, toOffsetEdits } from '../analysis/text';

/** Edits are computed against this many milliseconds of quiet typing. */
const RECOMPUTE_DELAY = 250;

export class NotebookFindings implements INotebookFindings {
  constructor(
    readonly panel: NotebookPanel,
    private readonly _loader: IAnalyzerLoader,
    private _options: AnalyzeOptions = {}
  ) {
    this.ready = this._open();
    const cells = panel.model?.cells;
    if (cells) {
      for (let i = 0; i < cells.length; i++) {
        this._watch(cells.get(i));
      }
      cells.changed.connect(this._onCellsChanged, this);
    }
  }

  /** Resolves once the analyser is loaded and the notebook analysed once. */
  readonly ready: Promise<void>;

  get findings(): ReadonlyArray<Finding> {
    this._compute();
    return this._findings;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted (after a short quiet period) with the cells whose findings changed. */
  get cellsChanged(): ISignal<this, ICellModel[]> {
    return this._cellsChanged;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  get options(): AnalyzeOptions {
    return this._options;
  }

  /** Options passed to the analyser (Keras version of the kernel, target, ...). */
  setOptions(options: AnalyzeOptions): void {
    const merged = { ...this._options, ...options };
    if (JSON.stringify(merged) === JSON.stringify(this._options)) {
      return;
    }
    this._options = merged;
    this._optionsChanged = true;
    this._dirty = true;
    this._schedule();
  }

  /**
   * Findings for one cell, computed from the notebook's current sources. Returns
   * null while the analyser is still loading.
   */
  findingsFor(cell: ICellModel): Finding[] | null {
    if (!this._analysis) {
      return null;
    }
    this._compute();
    return this._byCell.get(cell) ?? [];
  }

  /** Index of a cell model in this notebook, -1 if it is not there. */
  indexOf(cell: ICellModel): number {
    const cells = this.panel.model?.cells;
    if (!cells) {
      return -1;
    }
    for (let i = 0; i < cells.length; i++) {
      if (cells.get(i) === cell) {
        return i;
      }
    }
    return -1;
  }

  async refresh(): Promise<void> {
    await this.ready;
    this._flush();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    window.clearTimeout(this._timer);
    this.panel.model?.cells.changed.disconnect(this._onCellsChanged, this);
    for (const cell of this._watched) {
      cell.sharedModel.changed.disconnect(this._onCellChanged, this);
    }
    this._watched.clear();
    this._analysis?.dispose();
    this._analysis = null;
    Signal.clearData(this);
  }

  private async _open(): Promise<void> {
    const analyzer = await this._loader.analyzer();
    if (this._disposed) {
      return;
    }
    this._analysis = analyzer.openNotebook();
    this._flush();
  }

  /** Bring the analysis up to date with the current cell sources (cheap when nothing changed). */
  private _compute(): void {
    const model = this.panel.model;
    if (!this._analysis || !model || !this._dirty) {
      return;
    }
    // Every cell's linter asks; only the first ask after a change reads the sources.
    this._dirty = false;
    const cells = model.cells;
    const sources: Array<string | null> = [];
    const cellModels: ICellModel[] = [];
    for (let i = 0; i < cells.length; i++) {
      const cell = cells.get(i);
      cellModels.push(cell);
      sources.push(cell.type === 'code' ? cell.sharedModel.getSource() : null);
    }
    if (
      !this._optionsChanged &&
      sources.length === this._sources.length &&
      sources.every((s, i) => s === this._sources[i]) &&
      cellModels.every((c, i) => c === this._cellModels[i])
    ) {
      return;
    }
    this._optionsChanged = false;
    this._sources = sources;
    this._cellModels = cellModels;
    let findings: Finding[];
    try {
      this._analysis.update(sources);
      findings = this._analysis.findings(this._options);
    } catch (reason) {
      // A bug in one rule must not take the editor down; show nothing instead.
      console.warn('keras-migrate: analysis failed', reason);
      findings = [];
    }
    this._findings = findings;
    const byCell = new Map<ICellModel, Finding[]>();
    for (const finding of findings) {
      const cell = finding.cell === null ? undefined : cellModels[finding.cell];
      if (!cell) {
        continue;
      }
      let list = byCell.get(cell);
      if (!list) {
        list = [];
        byCell.set(cell, list);
      }
      list.push(finding);
    }
    this._byCell = byCell;
    this._version++;
  }

  /** Recompute and tell listeners which cells now have different findings. */
  private _flush(): void {
    if (!this._analysis || this._disposed) {
      return;
    }
    const before = this._version;
    this._compute();
    const keys = new Map<ICellModel, string>();
    for (const cell of this._cellModels) {
      keys.set(cell, JSON.stringify(this._byCell.get(cell) ?? []));
    }
    const changedCells = this._cellModels.filter(
      cell => this._lastKeys.get(cell) !== keys.get(cell)
    );
    this._lastKeys = keys;
    if (changedCells.length) {
      this._cellsChanged.emit(changedCells);
    }
    if (changedCells.length || before !== this._version) {
      this._changed.emit();
    }
  }

  private _schedule(): void {
    window.clearTimeout(this._timer);
    this._timer = window.setTimeout(() => this._flush(), RECOMPUTE_DELAY);
  }

  private _watch(cell: ICellModel): void {
    if (!this._watched.has(cell)) {
      this._watched.add(cell);
      cell.sharedModel.changed.connect(this._onCellChanged, this);
    }
  }

  private _onCellsChanged(): void {
    const cells = this.panel.model?.cells;
    if (!cells) {
      return;
    }
    const present = new Set<ICellModel>();
    for (let i = 0; i < cells.length; i++) {
      present.add(cells.get(i));
      this._watch(cells.get(i));
    }
    this._dirty = true;
    for (const cell of [...this._watched]) {
      if (!present.has(cell)) {
        cell.sharedModel.changed.disconnect(this._onCellChanged, this);
        this._watched.delete(cell);
      }
    }
    this._schedule();
  }

  private _onCellChanged(_: unknown, change: { sourceChange?: unknown }): void {
    if (change.sourceChange) {
      this._dirty = true;
      this._schedule();
    }
  }

  private _analysis: NotebookAnalysis | null = null;
  private _sources: Array<string | null> = [];
  private _cellModels: ICellModel[] = [];
  private _findings: Finding[] = [];
  private _byCell = new Map<ICellModel, Finding[]>();
  private _lastKeys = new Map<ICellModel, string>();
  private _watched = new Set<ICellModel>();
  private _optionsChanged = false;
  /** Set by every source, cell list or option change; cleared when the analysis caught up. */
  private _dirty = true;
  private _version = 0;
  private _timer = 0;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
  private _cellsChanged = new Signal<this, ICellModel[]>(this);
}

/**
 * Apply a finding's edits to a cell through the shared model, as one transaction so one
 * undo reverts it; which edits apply is the analyser's one overlap policy. Edits are applied
 * from the end so offsets stay valid.
 */
export function applyEditsToCell(
  cell: ICellModel,
  edits: ReadonlyArray<{ line: number; column: number; endLine: number; endColumn: number; text: string }>
): void {
  const ranges = resolveEdits(toOffsetEdits(cell.sharedModel.getSource(), edits));
  cell.sharedModel.transact(() => {
    for (let i = ranges.length - 1; i >= 0; i--) {
      cell.sharedModel.updateSource(ranges[i].start, ranges[i].end, ranges[i].text);
    }
  });
}
