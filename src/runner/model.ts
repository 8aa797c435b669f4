/**
 * Run state per notebook: the latest job for each notebook path, polled while it runs,
 * and what the last run proves per backend ("verified" readiness).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';
import { plainTranslation } from '../translate';
import type { BackendRun, RunCell, RunJob } from './types';

export interface IRunClient {
  start(path: string, backends: string[]): Promise<RunJob>;
  get(id: string): Promise<RunJob>;
  cancel(id: string): Promise<RunJob>;
}

export interface Verified {
  backend: string;
  state: 'ran' | 'fails' | 'not-installed' | 'environment' | 'timeout' | 'error';
  /** Notebook cell index of the first failure, for 'fails' and 'timeout'. */
  cell: number | null;
  reason: string | null;
  /** Seconds since the epoch when the run finished. */
  when: number | null;
}

/** What one finished run says about each backend. */
export function verifiedReadiness(job: RunJob | null): Verified[] {
  const backends = job?.report?.variants.original?.backends;
  if (!job || job.status !== 'done' || !backends) {
    return [];
  }
  return Object.values(backends).map((run: BackendRun) => {
    const first = run.summary.first_failure;
    const state: Verified['state'] =
      run.status === 'ok'
        ? 'ran'
        : run.status === 'failed'
          ? 'fails'
          : run.status === 'not-installed'
            ? 'not-installed'
            : run.status === 'environment'
              ? 'environment'
              : run.status === 'timeout'
                ? 'timeout'
                : 'error';
    return { backend: run.backend, state, cell: first ? first.cell : null, reason: first?.text ?? run.reason, when: job.finished };
  });
}

function short(text: string, limit = 100): string {
  const line = text.split('\n')[0];
  return line.length <= limit ? line : `${line.slice(0, limit - 1)}…`;
}

/** One line for the sidebar: "ran", "fails at cell 3 (reason)", "not installed". Cells are shown 1-based. */
export function describeVerified(v: Verified, trans: TranslationBundle = plainTranslation): string {
  const cell = (v.cell ?? 0) + 1;
  switch (v.state) {
    case 'ran':
      return trans.__('Verified: runs the whole notebook');
    case 'fails':
      return v.reason
        ? trans.__('Verified: fails at cell %1 (%2)', cell, short(v.reason))
        : trans.__('Verified: fails at cell %1', cell);
    case 'timeout':
      return trans.__('Verified: cell %1 timed out', cell);
    case 'not-installed':
      return v.reason ? trans.__('Not installed (%1)', v.reason) : trans.__('Not installed');
    case 'environment':
      return trans.__('Could not verify: %1', v.reason ?? trans.__('environment problem'));
    default:
      return trans.__('Run failed: %1', v.reason ?? trans.__('unknown error'));
  }
}

export function cellOf(run: BackendRun | undefined, index: number): RunCell | undefined {
  return run?.cells.find(c => c.index === index);
}

export class RunModel {
  constructor(
    private readonly _client: IRunClient,
    private readonly _pollMs = 1000
  ) {}

  get changed(): ISignal<this, string> {
    return this._changed;
  }

  job(path: string): RunJob | null {
    return this._jobs.get(path) ?? null;
  }

  error(path: string): string | null {
    return this._errors.get(path) ?? null;
  }

  isRunning(path: string): boolean {
    return this._jobs.get(path)?.status === 'running';
  }

  async start(path: string, backends: string[]): Promise<void> {
    this._errors.delete(path);
    try {
      const job = await this._client.start(path, backends);
      this._jobs.set(path, job);
      this._changed.emit(path);
      void this._poll(path, job.id);
    } catch (reason) {
      this._errors.set(path, String((reason as Error).message ?? reason));
      this._changed.emit(path);
    }
  }

  async cancel(path: string): Promise<void> {
    const job = this._jobs.get(path);
    if (!job || job.status !== 'running') {
      return;
    }
    try {
      this._jobs.set(path, await this._client.cancel(job.id));
    } catch (reason) {
      this._errors.set(path, String((reason as Error).message ?? reason));
    }
    this._changed.emit(path);
  }

  private async _poll(path: string, id: string): Promise<void> {
    while (!this._disposed) {
      await new Promise(resolve => setTimeout(resolve, this._pollMs));
      const current = this._jobs.get(path);
      if (!current || current.id !== id || current.status !== 'running') {
        return;
      }
      try {
        const job = await this._client.get(id);
        if (this._jobs.get(path)?.id === id && this._jobs.get(path)?.status === 'running') {
          this._jobs.set(path, job);
          this._changed.emit(path);
        }
        if (job.status !== 'running') {
          return;
        }
      } catch (reason) {
        this._errors.set(path, String((reason as Error).message ?? reason));
        this._changed.emit(path);
        return;
      }
    }
  }

  dispose(): void {
    this._disposed = true;
  }

  private _disposed = false;
  private _jobs = new Map<string, RunJob>();
  private _errors = new Map<string, string>();
  private _changed = new Signal<this, string>(this);
}
