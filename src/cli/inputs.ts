/** Finding the files a command was given, and reading them as analyser input. */
import * as fs from 'fs';
import * as path from 'path';
import { codeCells, parseNotebook, ParsedNotebook } from './notebook-file';

const SKIPPED_DIRS = new Set(['.ipynb_checkpoints', 'node_modules', '.venv', '.git', '__pycache__', '.tox', '.mypy_cache']);

export interface InputError {
  path: string;
  reason: string;
}

function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'ENOENT') {
    return 'no such file or directory';
  }
  if (e && e.code === 'EACCES') {
    return 'permission denied';
  }
  return e && e.message ? e.message.split('\n')[0] : String(err);
}

/** Expands directories (recursively, sorted) into .py and .ipynb files. */
export function collectFiles(paths: readonly string[]): { files: string[]; errors: InputError[] } {
  const files: string[] = [];
  const errors: InputError[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      errors.push({ path: dir, reason: reasonOf(err) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) {
          walk(full);
        }
      } else if (entry.isFile() && (entry.name.endsWith('.py') || entry.name.endsWith('.ipynb'))) {
        files.push(full);
      }
    }
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (err) {
      errors.push({ path: p, reason: reasonOf(err) });
      continue;
    }
    if (stat.isDirectory()) {
      walk(p);
    } else {
      files.push(p);
    }
  }
  return { files, errors };
}

export type LoadedInput =
  | { kind: 'python'; path: string; text: string }
  | { kind: 'notebook'; path: string; text: string; notebook: ParsedNotebook; cells: Array<string | null>; python: boolean };

export function loadInput(file: string): LoadedInput | InputError {
  let text: string;
  try {
    // Strict decoding: rewriting a file whose bytes were replaced on reading would corrupt it.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(fs.readFileSync(file));
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

/** Writes through a temporary file in the same directory and renames it into place. */
export function writeAtomically(file: string, text: string): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.keras-migrate-${process.pid}-${Date.now()}.tmp`);
  let mode: number | undefined;
  try {
    mode = fs.statSync(file).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  try {
    fs.writeFileSync(tmp, text, { encoding: 'utf8', mode });
    fs.renameSync(tmp, file);
  } catch (err) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // the temporary file was never created
    }
    throw err;
  }
}
