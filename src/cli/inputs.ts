/**
 * Finding the files a command was given, and reading them as analyser input.
 *
 * Discovery follows ruff: folders are searched for .py and .ipynb files, skipping virtual
 * environments, site-packages, node_modules, build output, caches and what .gitignore
 * files ignore; --exclude and the config's exclude add patterns. A file named on the
 * command line is always checked. Symbolic links are followed (a folder link once, by its
 * real path); a broken link is reported, never silently dropped. A FIFO, socket or device
 * is refused: reading one could block forever or consume someone else's data.
 */
import * as fs from 'fs';
import * as path from 'path';
import { threadId } from 'worker_threads';
import ignore, { Ignore } from 'ignore';
import { ConfigFinder, globMatcher } from './config';
import { codeCells, parseNotebook, ParsedNotebook } from './notebook-file';

/** Folder names never searched (a file inside one can still be named explicitly). */
export const SKIPPED_DIRS = new Set([
  '.git', '.hg', '.svn', '.bzr', '.jj',
  '.venv', 'venv', '.env', '.conda', '__pypackages__', 'site-packages', 'dist-packages',
  'node_modules', '__pycache__', '.ipynb_checkpoints',
  '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.keras_migrate_cache', '.pytype', '.direnv', '.eggs',
  'build', 'dist', '_build', 'buck-out', '.pants.d', '.vscode', '.idea'
]);

export interface InputError {
  path: string;
  reason: string;
}

export interface DiscoveryOptions {
  /** Extra patterns from --exclude (relative to the working folder). */
  exclude: readonly string[];
  configs: ConfigFinder;
}

function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'ENOENT') {
    return 'no such file or directory';
  }
  if (e && e.code === 'EACCES') {
    return 'permission denied';
  }
  if (e && e.code === 'ELOOP') {
    return 'too many levels of symbolic links';
  }
  return e && e.message ? e.message.split('\n')[0] : String(err);
}

function specialKind(stat: fs.Stats): string | null {
  if (stat.isFIFO()) {
    return 'a FIFO (named pipe)';
  }
  if (stat.isSocket()) {
    return 'a socket';
  }
  if (stat.isCharacterDevice() || stat.isBlockDevice()) {
    return 'a device';
  }
  return null;
}

function isVirtualEnv(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'pyvenv.cfg')) || fs.existsSync(path.join(dir, 'conda-meta'));
}

const isChecked = (name: string): boolean => name.endsWith('.py') || name.endsWith('.ipynb');

/** .gitignore files apply to their folder and below, as git reads them. */
interface IgnoreLayer {
  base: string;
  rules: Ignore;
}

function gitignoreLayer(dir: string): IgnoreLayer | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return null;
  }
  return { base: dir, rules: ignore().add(text) };
}

/** The .gitignore files above a starting folder, up to the repository's top (the folder holding .git). */
function ancestorLayers(start: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  let dir = path.dirname(start);
  for (;;) {
    const layer = gitignoreLayer(dir);
    if (layer) {
      layers.unshift(layer);
    }
    if (fs.existsSync(path.join(dir, '.git'))) {
      return layers;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      // Not inside a repository: git would not read these files either.
      return [];
    }
    dir = parent;
  }
}

function ignoredByGit(layers: readonly IgnoreLayer[], full: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const rel = path.relative(layer.base, full).split(path.sep).join('/');
    if (rel && !rel.startsWith('..') && layer.rules.ignores(isDir ? rel + '/' : rel)) {
      return true;
    }
  }
  return false;
}

/** Expands folders (recursively, sorted) into .py and .ipynb files. */
export function collectFiles(paths: readonly string[], options?: DiscoveryOptions): { files: string[]; errors: InputError[] } {
  const files: string[] = [];
  const errors: InputError[] = [];
  const cwd = process.cwd();
  const cliExclude = globMatcher(options?.exclude ?? []);
  const excluded = (full: string): boolean => {
    if (cliExclude(path.relative(cwd, full))) {
      return true;
    }
    const config = options?.configs.forDir(path.dirname(path.resolve(full)));
    return !!config && config.exclude.length > 0 && globMatcher(config.exclude)(path.relative(config.root, path.resolve(full)));
  };
  const visited = new Set<string>();
  const walk = (dir: string, layers: IgnoreLayer[]): void => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (err) {
      errors.push({ path: dir, reason: reasonOf(err) });
      return;
    }
    if (visited.has(real)) {
      return; // a folder link back into a folder already searched
    }
    visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      errors.push({ path: dir, reason: reasonOf(err) });
      return;
    }
    const own = gitignoreLayer(dir);
    const here = own ? [...layers, own] : layers;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target: fs.Stats;
        try {
          target = fs.statSync(full);
        } catch (err) {
          if (isChecked(entry.name)) {
            errors.push({ path: full, reason: 'broken symbolic link: ' + reasonOf(err) });
          }
          continue;
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
      }
      if (isDir) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.endsWith('.egg-info') && !isVirtualEnv(full) &&
            !ignoredByGit(here, full, true) && !excluded(full)) {
          walk(full, here);
        }
      } else if (isChecked(entry.name) && !ignoredByGit(here, full, false) && !excluded(full)) {
        if (isFile) {
          files.push(full);
        } else {
          errors.push({ path: full, reason: 'not a regular file' });
        }
      }
    }
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (err) {
      errors.push({ path: p, reason: fs.lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink() ? 'broken symbolic link' : reasonOf(err) });
      continue;
    }
    const special = specialKind(stat);
    if (special) {
      errors.push({ path: p, reason: `refusing to read ${special}: only .py and .ipynb files and folders are checked` });
    } else if (stat.isDirectory()) {
      walk(p, ancestorLayers(path.resolve(p)));
    } else {
      files.push(p);
    }
  }
  return { files, errors };
}

export type LoadedInput =
  | { kind: 'python'; path: string; text: string }
  | { kind: 'notebook'; path: string; text: string; notebook: ParsedNotebook; cells: Array<string | null>; python: boolean };

/** Reads and decodes a file (`bytes`: its content, already read by the caller). */
export function loadInput(file: string, bytes?: Uint8Array): LoadedInput | InputError {
  let text: string;
  try {
    // Strict decoding: rewriting a file whose bytes were replaced on reading would corrupt it.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes ?? fs.readFileSync(file));
  } catch (err) {
    return { path: file, reason: err instanceof TypeError ? 'not valid UTF-8' : reasonOf(err) };
  }
  if (!file.endsWith('.ipynb')) {
    return { kind: 'python', path: file, text };
  }
  try {
    const notebook = parseNotebook(text);
    const python = notebook.language === null || notebook.language === 'python' || notebook.language.startsWith('python');
    return { kind: 'notebook', path: file, text, notebook, cells: codeCells(notebook), python };
  } catch (err) {
    return { path: file, reason: 'invalid notebook: ' + reasonOf(err) };
  }
}

export function isInputError(x: LoadedInput | InputError): x is InputError {
  return (x as InputError).reason !== undefined;
}

/** Temporary files being written, removed if the process is interrupted. */
export const pendingTemporaryFiles = new Set<string>();

/**
 * Writes through a temporary file in the target's folder and renames it into place.
 * A symbolic link is written through: the file it points to is replaced, the link stays.
 * The temporary name is this process's and thread's own, so concurrent writers (runs, worker
 * threads) each rename a whole file into place.
 */
export function writeAtomically(file: string, text: string): void {
  let target = file;
  try {
    target = fs.realpathSync(file);
  } catch {
    target = file; // a new file
  }
  const dir = path.dirname(target);
  const unique = `${process.pid}-${threadId}-${Math.random().toString(36).slice(2)}`;
  const tmp = path.join(dir, `.${path.basename(target)}.keras-migrate-${unique}.tmp`);
  let mode: number | undefined;
  try {
    mode = fs.statSync(target).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  pendingTemporaryFiles.add(tmp);
  try {
    fs.writeFileSync(tmp, text, { encoding: 'utf8', mode });
    fs.renameSync(tmp, target);
  } catch (err) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // the temporary file was never created
    }
    throw err;
  } finally {
    pendingTemporaryFiles.delete(tmp);
  }
}
