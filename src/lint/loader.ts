/**
 * Lazy loading of the analyser. JupyterLab starts without it: the first Python
 * notebook that needs findings starts a Web Worker that loads web-tree-sitter,
 * the grammar and the rules, so analysis never runs on the main thread. Where a
 * worker cannot start, the same core runs in the page (a separate webpack chunk).
 */
import type { AnalyzeOptions } from '../analysis/types';
import type { IAnalyzerLoader } from '../tokens';
import type {
  AnalysisRequest,
  AnalysisResponse,
  FixCellsResult,
  IAsyncAnalyzer,
  IAsyncNotebookAnalysis
} from './protocol';
import { InProcessAnalyzer } from './inprocess';
import { wasmLocations } from './wasm';

type Pending = { resolve: (response: AnalysisResponse & { ok: true }) => void; reject: (reason: Error) => void };

/** RPC over postMessage to src/lint/worker.ts. */
export class WorkerAnalyzer implements IAsyncAnalyzer {
  readonly where = 'worker' as const;

  constructor(private readonly _worker: Worker) {
    _worker.onmessage = (event: MessageEvent<AnalysisResponse>) => {
      const response = event.data;
      const pending = this._pending.get(response.id);
      this._pending.delete(response.id);
      if (!pending) {
        return;
      }
      if (response.ok) {
        pending.resolve(response);
      } else {
        pending.reject(new Error(response.error));
      }
    };
    _worker.onerror = event => {
      // A worker that died answers nothing: fail what waits, so callers can fall back.
      const error = new Error(`analysis worker failed: ${event.message ?? 'unknown error'}`);
      this._failed = error;
      this._pending.forEach(p => p.reject(error));
      this._pending.clear();
    };
  }

  /** Resolves once the worker has loaded the analyser (it analyses an empty notebook). */
  async ready(): Promise<void> {
    await this._send({ kind: 'fix', cells: [], options: {} });
  }

  openNotebook(): IAsyncNotebookAnalysis {
    const notebook = ++this._notebooks;
    return {
      analyze: async (cells, options) =>
        (await this._send({ kind: 'analyze', notebook, cells: cells.slice(), options })).findings ?? {
          cells: cells.map(() => []),
          unplaced: '[]'
        },
      dispose: () => void this._send({ kind: 'close', notebook }).catch(() => undefined)
    };
  }

  async fixCells(cells: ReadonlyArray<string | null>, options: AnalyzeOptions): Promise<FixCellsResult> {
    const response = await this._send({ kind: 'fix', cells: cells.slice(), options });
    return response.fixed ?? { cells: cells.slice(), applied: [] };
  }

  private _send(request: DistributiveOmit<AnalysisRequest, 'id'>): Promise<AnalysisResponse & { ok: true }> {
    if (this._failed) {
      return Promise.reject(this._failed);
    }
    const id = ++this._nextId;
    return new Promise((resolve, reject) => {
      this._pending.set(id, { resolve, reject });
      this._worker.postMessage({ ...request, id } as AnalysisRequest);
    });
  }

  private _nextId = 0;
  private _notebooks = 0;
  private _failed: Error | null = null;
  private _pending = new Map<number, Pending>();
}

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;

export class AnalyzerLoader implements IAnalyzerLoader {
  private _promise: Promise<IAsyncAnalyzer> | null = null;
  private _loaded: IAsyncAnalyzer | null = null;

  get loaded(): IAsyncAnalyzer | null {
    return this._loaded;
  }

  analyzer(): Promise<IAsyncAnalyzer> {
    if (!this._promise) {
      this._promise = this._start()
        .then(analyzer => {
          this._loaded = analyzer;
          return analyzer;
        })
        .catch(reason => {
          // Let a later notebook try again (e.g. after a network hiccup).
          this._promise = null;
          throw reason;
        });
    }
    return this._promise;
  }

  private async _start(): Promise<IAsyncAnalyzer> {
    let worker: Worker | null = null;
    try {
      worker = new Worker(new URL('./worker.js', import.meta.url));
      const analyzer = new WorkerAnalyzer(worker);
      await analyzer.ready();
      return analyzer;
    } catch (reason) {
      worker?.terminate();
      console.warn('keras-migrate: the analysis worker could not start; analysing in the page instead', reason);
    }
    const module = await import(/* webpackChunkName: "keras-migrate-analysis" */ '../analysis/index');
    return new InProcessAnalyzer(await module.createAnalyzer(wasmLocations()));
  }
}
