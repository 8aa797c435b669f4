/**
 * Whether the notebook changed since its last run: the server hashes the code cells of
 * the file it ran (keras_migrate.runner.server.code_cells_sha256), the sidebar hashes the
 * open notebook's code cells the same way (SHA-256 of the sources joined by NUL) and
 * compares. Outputs, markdown and metadata do not count. No widgets here.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';
import { plainTranslation } from '../translate';
import type { Verified } from './model';
import { describeVerified } from './model';

/** Hex SHA-256 of the code cell sources joined by NUL; null where WebCrypto is missing (plain http). */
export async function codeCellsSha256(sources: ReadonlyArray<string>): Promise<string | null> {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!subtle) {
    return null;
  }
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(sources.join('\0')));
  return Array.from(new Uint8Array(digest), byte => byte.toString(16).padStart(2, '0')).join('');
}

export type Freshness = 'unchanged' | 'changed' | 'unknown';

/** The run's code against the notebook's code now ("unknown" when either hash is missing). */
export function freshness(runHash: string | null | undefined, currentHash: string | null): Freshness {
  if (!runHash || !currentHash) {
    return 'unknown';
  }
  return runHash === currentHash ? 'unchanged' : 'changed';
}

/** "just now", "5 min ago", "3 h ago", "2 days ago" for a time in seconds since the epoch. */
export function describeAge(whenSeconds: number, nowMs: number, trans: TranslationBundle = plainTranslation): string {
  const seconds = Math.max(0, Math.round(nowMs / 1000 - whenSeconds));
  if (seconds < 60) {
    return trans.__('just now');
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return trans._n('%1 min ago', '%1 min ago', minutes);
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return trans._n('%1 h ago', '%1 h ago', hours);
  }
  return trans._n('%1 day ago', '%1 days ago', Math.floor(hours / 24));
}

export interface VerifiedLine {
  /** What the run proved, when, and whether it still describes the notebook. */
  text: string;
  freshness: Freshness;
}

/** The sidebar's "verified" line for one backend. */
export function verifiedLine(
  v: Verified,
  state: Freshness,
  nowMs: number,
  trans: TranslationBundle = plainTranslation
): VerifiedLine {
  const parts = [describeVerified(v, trans)];
  if (v.when !== null) {
    parts.push(trans.__('run %1', describeAge(v.when, nowMs, trans)));
  }
  if (state === 'changed') {
    parts.push(trans.__('the code changed since: run again to verify'));
  }
  return { text: parts.join(' · '), freshness: state };
}

/**
 * The hash of the active notebook's code cells, recomputed after a quiet period
 * when the cells change (typing does not hash on every key).
 */
export class CodeHash {
  constructor(private readonly _delayMs = 500) {}

  get value(): string | null {
    return this._value;
  }

  /** Emitted when the value changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The code cell sources now; hashed after the quiet period (0: at once). */
  update(sources: () => ReadonlyArray<string>, delayMs = this._delayMs): Promise<void> {
    clearTimeout(this._timer);
    const generation = ++this._generation;
    return new Promise(resolve => {
      this._timer = setTimeout(() => {
        void codeCellsSha256(sources()).then(value => {
          if (generation === this._generation && value !== this._value) {
            this._value = value;
            this._changed.emit();
          }
          resolve();
        });
      }, delayMs);
    });
  }

  /** No notebook (or not Python): no hash. */
  clear(): void {
    clearTimeout(this._timer);
    this._generation++;
    if (this._value !== null) {
      this._value = null;
      this._changed.emit();
    }
  }

  dispose(): void {
    clearTimeout(this._timer);
    Signal.clearData(this);
  }

  private _value: string | null = null;
  private _timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private _generation = 0;
  private _changed = new Signal<this, void>(this);
}
