/**
 * The result cache of `check` (and `fix`), as ruff keeps `.ruff_cache`: one entry per file
 * content, holding that file's findings. A file whose bytes, kind (.py or .ipynb), analysis
 * options and analyser build are unchanged is not read as a notebook, parsed or analysed again.
 *
 * The key is a SHA-256 over the cache format, the tool version, the build id (a hash of the
 * bundle stamped in by src/cli/build.mjs, so a rebuilt analyser never reads an older build's
 * results), the file kind, the options that decide findings (target, Keras version, select and
 * ignore after the config and per-file-ignores are applied) and the whole file: in a notebook a
 * cell's findings depend on the other cells' imports, so no part of a file is keyed alone. The
 * path is not in the key (findings do not depend on it; the report adds it on reading).
 *
 * Entries are written to a temporary file in the cache folder and renamed into place, so a
 * reader sees a whole entry or none, and concurrent runs (or worker threads) writing the same
 * entry each rename a complete file over the other's. An entry that cannot be read, is not
 * JSON, holds another key or has the wrong shape is a miss: it is analysed again and rewritten.
 * The folder holds a `.gitignore` of `*` and a CACHEDIR.TAG (https://bford.info/cachedir/), so
 * git and backup tools leave it alone; it is safe to delete at any time.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { AnalyzeOptions } from '../analysis/types';
import { writeAtomically } from './inputs';
import type { FileFinding } from './report';

/** Bumped when the entry layout changes. */
const FORMAT = 'keras-migrate-cache-1';

/** The default cache folder's name, in the project root; file discovery never searches it. */
export const DEFAULT_CACHE_DIR_NAME = '.keras_migrate_cache';

/**
 * Replaced in the bundle by src/cli/build.mjs with a hash of the bundle and its WASM files.
 * Unreplaced (the TypeScript sources run directly): the version alone keys the results.
 */
const BUILD_ID: string = '__KERAS_MIGRATE_BUILD_ID__';

export function buildId(): string {
  // The stamp is hex: a placeholder still in place starts with underscores.
  return BUILD_ID.startsWith('__') ? 'unbuilt' : BUILD_ID;
}

const CACHEDIR_TAG =
  'Signature: 8a477f597d28d172789f06886806bc55\n' +
  '# This file is a cache directory tag created by keras-migrate.\n' +
  '# For information about cache directory tags see https://bford.info/cachedir/\n';

/** A finding as stored: the report's finding without its path. */
type StoredFinding = Omit<FileFinding, 'path'>;

/** The part of the options that decides findings, in one canonical spelling. */
export function optionsKey(options: AnalyzeOptions): string {
  const sorted = (list: readonly string[] | undefined) => [...new Set(list ?? [])].sort();
  return JSON.stringify([options.target ?? 'multi-backend', options.kerasVersion ?? null, sorted(options.select), sorted(options.ignore)]);
}

export class ResultCache {
  /** Where entries go: a folder per tool version, as ruff has (an old version's is easy to delete). */
  private readonly entries: string;
  private readonly salt: string;

  private constructor(readonly dir: string, version: string) {
    this.entries = path.join(dir, version);
    this.salt = `${FORMAT}\0${version}\0${buildId()}\0`;
  }

  /**
   * Opens (creating it if needed) the cache folder, with its .gitignore and CACHEDIR.TAG.
   * Returns the reason instead when the folder cannot be made (a read-only checkout): the
   * command then runs without a cache.
   */
  static open(dir: string, version: string): ResultCache | { reason: string } {
    const cache = new ResultCache(dir, version);
    try {
      fs.mkdirSync(cache.entries, { recursive: true });
      for (const [name, text] of [
        ['.gitignore', '# Automatically created by keras-migrate.\n*\n'],
        ['CACHEDIR.TAG', CACHEDIR_TAG]
      ]) {
        const file = path.join(dir, name);
        if (!fs.existsSync(file)) {
          writeAtomically(file, text);
        }
      }
    } catch (err) {
      return { reason: String((err as Error).message ?? err).split('\n')[0] };
    }
    return cache;
  }

  /** Reopens a cache another thread opened (its folder exists): worker threads get the folder. */
  static reopen(dir: string, version: string): ResultCache {
    return new ResultCache(dir, version);
  }

  /** The key of one file's findings: its kind, options and bytes. */
  key(file: string, bytes: Uint8Array, optionsKeyText: string): string {
    const kind = file.endsWith('.ipynb') ? 'ipynb' : 'py';
    return createHash('sha256').update(this.salt + kind + '\0' + optionsKeyText + '\0').update(bytes).digest('hex');
  }

  /** The findings stored under `key`, with `file` as their path; null on a miss or a damaged entry. */
  get(key: string, file: string): FileFinding[] | null {
    let text: string;
    try {
      text = fs.readFileSync(this.entryPath(key), 'utf8');
    } catch {
      return null;
    }
    try {
      const entry = JSON.parse(text) as { key?: unknown; findings?: unknown };
      if (!entry || entry.key !== key || !Array.isArray(entry.findings) || !entry.findings.every(isStoredFinding)) {
        return null;
      }
      return (entry.findings as StoredFinding[]).map(f => ({ path: file, ...f }));
    } catch {
      return null;
    }
  }

  /** Stores a file's findings; a failure to write only costs the next run a miss. */
  set(key: string, findings: readonly FileFinding[]): void {
    const stored = findings.map(({ path: _path, ...rest }) => rest);
    try {
      writeAtomically(this.entryPath(key), JSON.stringify({ key, findings: stored }));
    } catch {
      // A full disk or a folder removed meanwhile: the run's own results are unaffected.
    }
  }

  private entryPath(key: string): string {
    return path.join(this.entries, key + '.json');
  }

}

const isInt = (v: unknown): boolean => Number.isInteger(v);
const isString = (v: unknown): boolean => typeof v === 'string';

/** Enough of the finding's shape that rendering it cannot throw or print `undefined`. */
function isStoredFinding(f: unknown): boolean {
  if (!f || typeof f !== 'object') {
    return false;
  }
  const x = f as Record<string, unknown>;
  const fix = x.fix as Record<string, unknown> | null;
  return (
    (x.cell === null || isInt(x.cell)) &&
    isInt(x.line) &&
    isInt(x.column) &&
    isInt(x.endLine) &&
    isInt(x.endColumn) &&
    isString(x.rule) &&
    isString(x.guide) &&
    (x.severity === 'error' || x.severity === 'warning' || x.severity === 'info') &&
    isString(x.message) &&
    Array.isArray(x.blocks) &&
    x.blocks.every(isString) &&
    (x.fileLine === undefined || isInt(x.fileLine)) &&
    (fix === null ||
      (typeof fix === 'object' &&
        isString(fix.title) &&
        typeof fix.safe === 'boolean' &&
        Array.isArray(fix.edits) &&
        fix.edits.every(
          e => !!e && typeof e === 'object' && isInt(e.line) && isInt(e.column) && isInt(e.endLine) && isInt(e.endColumn) && isString(e.text)
        )))
  );
}
