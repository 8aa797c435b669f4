/**
 * The findings of one notebook, kept in step with its cells. No widgets here:
 * the CodeMirror extension, the sidebar, the problems panel and the fix-all
 * command all read this. The analysis itself runs in a Web Worker: this model
 * sends the cell sources after a quiet period and keeps the last answer.
 */
import type { ICellModel } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';
import type { AnalyzeOptions, Finding } from '../analysis/types';
import type { IAnalyzerLoader, INotebookFindings } from '../tokens';
import type { CellFindingsJson, IAsyncNotebookAnalysis } from './protocol';

/** Edits are analysed after this many milliseconds of quiet typing. */
const RECOMPUTE_DELAY = 250;
/** Parsing the worker's answer yields to the browser after this much work. */
const PARSE_SLICE_MS = 8;

interface ParsedChunk {
  json: string;
  findings: Finding[];
}

export class NotebookFindings implements INotebookFindings {
  constructor(
    readonly panel: NotebookPanel,
    private readonly _loader: Pick<IAnalyzerLoader, 'analyzer'>,
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

  /** The findings of the last analysis (cell indices as they were then). */
  get findings(): ReadonlyArray<Finding> {
    return this._findings;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted with the cells whose findings changed. */
  get cellsChanged(): ISignal<this, ICellModel[]> {
    return this._cellsChanged;
  }

  /** Emitted after every analysis, changed or not (editors that waited for one draw then). */
  get analysed(): ISignal<this, void> {
    return this._analysed;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  get options(): AnalyzeOptions {
    return this._options;
  }

  /** True when the last analysis saw the notebook as it is now. */
  get upToDate(): boolean {
    return !!this._analysis && !this._dirty && !this._running;
  }

  /** Options passed to the analyser (Keras version of the kernel, target, ...). */
  setOptions(options: AnalyzeOptions): void {
    const merged = { ...this._options, ...options };
    if (JSON.stringify(merged) === JSON.stringify(this._options)) {
      return;
    }
    this._options = merged;
    this._dirty = true;
    this._schedule();
  }

  /** Findings for one cell from the last analysis; null while the analyser is still loading. */
  findingsFor(cell: ICellModel): Finding[] | null {
    if (!this._analysis) {
      return null;
    }
    return this._byCell.get(cell) ?? [];
  }

  /** The source a cell had when its findings were computed (null: not analysed). */
  analysedSource(cell: ICellModel): string | null {
    const index = this._cellModels.indexOf(cell);
    return index < 0 ? null : this._sources[index] ?? null;
  }

  /** Findings for one cell computed from its current text (waits for the analysis). */
  async currentFindingsFor(cell: ICellModel): Promise<Finding[] | null> {
    await this.refresh();
    return this.findingsFor(cell);
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

  /** Analyse now and resolve once the findings describe the notebook as it is. */
  async refresh(): Promise<void> {
    await this.ready;
    clearTimeout(this._timer);
    // Edits made while an analysis runs leave the model dirty: go round again.
    for (let round = 0; round < 20 && !this._disposed && (this._dirty || this._running); round++) {
      await this._run();
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    clearTimeout(this._timer);
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
    this._dirty = true;
    await this._run();
  }

  /** One analysis at a time; a caller during one waits for it. */
  private _run(): Promise<void> {
    if (!this._running) {
      this._running = this._analyseOnce().finally(() => {
        this._running = null;
      });
    }
    return this._running;
  }

  private async _analyseOnce(): Promise<void> {
    const model = this.panel.model;
    const analysis = this._analysis;
    if (!analysis || !model || this._disposed) {
      this._dirty = false;
      return;
    }
    this._dirty = false;
    const cells = model.cells;
    const sources: Array<string | null> = [];
    const cellModels: ICellModel[] = [];
    for (let i = 0; i < cells.length; i++) {
      const cell = cells.get(i);
      cellModels.push(cell);
      sources.push(cell.type === 'code' ? cell.sharedModel.getSource() : null);
    }
    let result: CellFindingsJson;
    try {
      result = await analysis.analyze(sources, this._options);
    } catch (reason) {
      // A bug in one rule must not take the editor down; show nothing instead.
      console.warn('keras-migrate: analysis failed', reason);
      result = { cells: sources.map(() => []), unplaced: '[]' };
    }
    if (this._disposed) {
      return;
    }
    // Only the chunks whose text changed are parsed again, a slice at a time: typing in
    // a big cell must not hold the main thread for the parsing of all its findings.
    const byCell = new Map<ICellModel, Finding[]>();
    const chunksOf = new Map<ICellModel, ParsedChunk[]>();
    const changedCells: ICellModel[] = [];
    const findings: Finding[] = [];
    // The first parse waits for a task of its own too: the task that received the
    // worker's answer stays short.
    let sliceStart = -Infinity;
    for (let index = 0; index < cellModels.length; index++) {
      const cell = cellModels[index];
      const texts = result.cells[index] ?? [];
      const previous = this._chunks.get(cell) ?? [];
      const parsed: ParsedChunk[] = [];
      for (let i = 0; i < texts.length; i++) {
        if (previous[i]?.json === texts[i]) {
          parsed.push(previous[i]);
          continue;
        }
        if (Date.now() - sliceStart > PARSE_SLICE_MS) {
          await new Promise(resolve => setTimeout(resolve, 0));
          if (this._disposed) {
            return;
          }
          sliceStart = Date.now();
        }
        parsed.push({ json: texts[i], findings: JSON.parse(texts[i]) as Finding[] });
      }
      if (parsed.length !== previous.length || parsed.some((chunk, i) => chunk !== previous[i])) {
        changedCells.push(cell);
      }
      chunksOf.set(cell, parsed);
      if (parsed.length) {
        const list = parsed.length === 1 ? parsed[0].findings : parsed.flatMap(chunk => chunk.findings);
        byCell.set(cell, list);
        for (const finding of list) {
          findings.push(finding);
        }
      }
    }
    const unplaced = result.unplaced === '[]' ? [] : (JSON.parse(result.unplaced) as Finding[]);
    for (const finding of unplaced) {
      findings.push(finding);
    }
    if (changedCells.length) {
      // The listeners (marks, counts, panels) run in a task of their own, not after the parsing.
      await new Promise(resolve => setTimeout(resolve, 0));
      if (this._disposed) {
        return;
      }
    }
    const cellsMoved =
      cellModels.length !== this._cellModels.length || cellModels.some((c, i) => c !== this._cellModels[i]);
    this._sources = sources;
    this._cellModels = cellModels;
    this._findings = findings;
    this._byCell = byCell;
    this._chunks = chunksOf;
    if (changedCells.length) {
      this._cellsChanged.emit(changedCells);
    }
    if (changedCells.length || cellsMoved || unplaced.length || !this._emittedOnce) {
      this._emittedOnce = true;
      this._changed.emit();
    }
    this._analysed.emit();
  }

  private _schedule(): void {
    clearTimeout(this._timer);
    this._timer = setTimeout(() => {
      if (this._running) {
        // Analyse again once the running analysis is done.
        void this._running.then(() => this._schedule());
      } else if (this._dirty) {
        void this._run();
      }
    }, RECOMPUTE_DELAY);
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

  private _analysis: IAsyncNotebookAnalysis | null = null;
  private _running: Promise<void> | null = null;
  private _sources: Array<string | null> = [];
  private _cellModels: ICellModel[] = [];
  private _findings: Finding[] = [];
  private _byCell = new Map<ICellModel, Finding[]>();
  /** Each cell's findings as the analyser serialised them (in chunks), to tell what changed. */
  private _chunks = new Map<ICellModel, ParsedChunk[]>();
  private _watched = new Set<ICellModel>();
  private _emittedOnce = false;
  /** Set by every source, cell list or option change; cleared when an analysis starts. */
  private _dirty = true;
  private _timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
  private _cellsChanged = new Signal<this, ICellModel[]>(this);
  private _analysed = new Signal<this, void>(this);
}

/**
 * Replace a cell's text `before` by `after` as one small edit (the changed middle
 * only), so the cell ends up exactly as previewed and one undo reverts it.
 * Returns false, changing nothing, when the cell no longer holds `before`.
 */
export function replaceCellText(cell: ICellModel, before: string, after: string): boolean {
  if (cell.sharedModel.getSource() !== before) {
    return false;
  }
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) {
    start++;
  }
  let end = 0;
  while (
    end < shorter - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  ) {
    end++;
  }
  cell.sharedModel.updateSource(start, before.length - end, after.slice(start, after.length - end));
  return true;
}
