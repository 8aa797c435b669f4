/**
 * `[tool.keras-migrate]` in pyproject.toml, as ruff reads `[tool.ruff]`: the nearest
 * pyproject.toml that has the table, found by walking up from each file checked.
 * Command-line options override what it says.
 */
import * as fs from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';
import { parse as parseToml } from 'smol-toml';
import type { Target } from '../analysis/types';

export interface ProjectConfig {
  /** The pyproject.toml the settings came from; null when none applies. */
  source: string | null;
  /** Its folder: exclude and per-file-ignores patterns are relative to it. */
  root: string;
  target?: Target;
  kerasVersion?: string;
  select?: string[];
  ignore?: string[];
  exclude: string[];
  /** `cache-dir`: the result cache's folder, relative to `root` (default .keras_migrate_cache there). */
  cacheDir?: string;
  perFileIgnores: Array<{ pattern: string; match: (relative: string) => boolean; codes: string[] }>;
}

export class ConfigError extends Error {}

const KNOWN_KEYS = new Set(['target', 'keras-version', 'select', 'ignore', 'exclude', 'extend-exclude', 'per-file-ignores', 'cache-dir']);

function stringList(value: unknown, key: string, source: string): string[] {
  if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) {
    throw new ConfigError(`${source}: [tool.keras-migrate] ${key} must be a list of strings`);
  }
  return value as string[];
}

/** Reads the table from one pyproject.toml; null when the file has none. */
export function readProjectConfig(file: string): ProjectConfig | null {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`${file}: ${String((err as Error).message).split('\n')[0]}`);
  }
  const tool = doc.tool as Record<string, unknown> | undefined;
  const table = tool?.['keras-migrate'] as Record<string, unknown> | undefined;
  if (!table || typeof table !== 'object') {
    return null;
  }
  for (const key of Object.keys(table)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new ConfigError(`${file}: unknown key [tool.keras-migrate] ${key} (known: ${[...KNOWN_KEYS].join(', ')})`);
    }
  }
  const config: ProjectConfig = { source: file, root: path.dirname(file), exclude: [], perFileIgnores: [] };
  if (table.target !== undefined) {
    if (table.target !== 'tensorflow' && table.target !== 'multi-backend') {
      throw new ConfigError(`${file}: [tool.keras-migrate] target must be "tensorflow" or "multi-backend"`);
    }
    config.target = table.target;
  }
  if (table['keras-version'] !== undefined) {
    const v = String(table['keras-version']);
    if (!/^3(\.\d+){0,2}$/.test(v)) {
      throw new ConfigError(`${file}: [tool.keras-migrate] keras-version must look like "3.X"`);
    }
    config.kerasVersion = v;
  }
  if (table.select !== undefined) {
    config.select = stringList(table.select, 'select', file);
  }
  if (table.ignore !== undefined) {
    config.ignore = stringList(table.ignore, 'ignore', file);
  }
  for (const key of ['exclude', 'extend-exclude']) {
    if (table[key] !== undefined) {
      config.exclude.push(...stringList(table[key], key, file));
    }
  }
  if (table['cache-dir'] !== undefined) {
    if (typeof table['cache-dir'] !== 'string' || !table['cache-dir']) {
      throw new ConfigError(`${file}: [tool.keras-migrate] cache-dir must be a folder name (a string)`);
    }
    config.cacheDir = table['cache-dir'];
  }
  const perFile = table['per-file-ignores'];
  if (perFile !== undefined) {
    if (typeof perFile !== 'object' || perFile === null || Array.isArray(perFile)) {
      throw new ConfigError(`${file}: [tool.keras-migrate] per-file-ignores must be a table of pattern = [codes]`);
    }
    for (const [pattern, codes] of Object.entries(perFile)) {
      config.perFileIgnores.push({ pattern, match: globMatcher([pattern]), codes: stringList(codes, `per-file-ignores."${pattern}"`, file) });
    }
  }
  return config;
}

/**
 * Matches ruff-style patterns against a path relative to the config's folder: a pattern
 * without a slash matches any path component (`build`, `*.ipynb`); one with a slash
 * matches the relative path from the start (`notebooks/old/**`).
 */
export function globMatcher(patterns: readonly string[]): (relative: string) => boolean {
  if (patterns.length === 0) {
    return () => false;
  }
  const anchored = patterns.filter(p => p.includes('/')).map(p => p.replace(/^\.\//, '').replace(/\/$/, ''));
  const names = patterns.filter(p => !p.includes('/'));
  const matchAnchored = anchored.length ? picomatch(anchored.flatMap(p => [p, `${p}/**`]), { dot: true }) : () => false;
  const matchName = names.length ? picomatch(names, { dot: true }) : () => false;
  return (relative: string) => {
    const posix = relative.split(path.sep).join('/');
    return matchAnchored(posix) || posix.split('/').some(part => matchName(part));
  };
}

/** Finds and caches the nearest config for each folder. */
export class ConfigFinder {
  private byDir = new Map<string, ProjectConfig | null>();

  /** `explicit` is a --config file: then it applies everywhere and nothing is searched. */
  constructor(private readonly explicit: ProjectConfig | null = null) {}

  forFile(file: string): ProjectConfig | null {
    return this.explicit ?? this.forDir(path.dirname(path.resolve(file)));
  }

  forDir(dir: string): ProjectConfig | null {
    if (this.explicit) {
      return this.explicit;
    }
    const cached = this.byDir.get(dir);
    if (cached !== undefined) {
      return cached;
    }
    const candidate = path.join(dir, 'pyproject.toml');
    let found: ProjectConfig | null = null;
    if (fs.existsSync(candidate)) {
      found = readProjectConfig(candidate);
    }
    if (!found) {
      const parent = path.dirname(dir);
      found = parent === dir ? null : this.forDir(parent);
    }
    this.byDir.set(dir, found);
    return found;
  }
}
