/**
 * Reading and rewriting .ipynb files without disturbing them. A notebook is rewritten by
 * splicing new `source` values into the original text, so outputs, metadata, key order,
 * indentation, escapes and the trailing newline stay exactly as they were.
 */

import { LineIndex, lineStartAt } from '../analysis/text';

export interface NotebookCellSpan {
  /** Offsets of the `source` value (string or array) in the file text. */
  start: number;
  end: number;
  cellType: string;
  source: string;
  /** Whether the original value was a JSON array of lines (nbformat's usual form). */
  isArray: boolean;
}

export interface ParsedNotebook {
  text: string;
  cells: NotebookCellSpan[];
  /** Kernel language from metadata; null when the notebook does not say. */
  language: string | null;
}

class JsonScanner {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string): never {
    throw new SyntaxError(`${message} at offset ${this.pos}`);
  }

  ws(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        this.pos++;
      } else {
        break;
      }
    }
  }

  /** Skips one value and returns its parsed form only when `keep` is set. */
  value(keep: boolean): unknown {
    this.ws();
    const c = this.text[this.pos];
    if (c === '{') {
      return this.object(keep);
    }
    if (c === '[') {
      this.pos++;
      const out: unknown[] = [];
      this.ws();
      if (this.text[this.pos] === ']') {
        this.pos++;
        return out;
      }
      for (;;) {
        out.push(this.value(keep));
        this.ws();
        const d = this.text[this.pos++];
        if (d === ']') {
          return out;
        }
        if (d !== ',') {
          this.fail('expected , or ]');
        }
      }
    }
    if (c === '"') {
      return this.string();
    }
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity)/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!m) {
      this.fail('unexpected character');
    }
    this.pos += m[0].length;
    return keep ? JSON.parse(m[0] === 'NaN' || m[0].endsWith('Infinity') ? 'null' : m[0]) : null;
  }

  string(): string {
    const start = this.pos;
    this.pos++;
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '\\') {
        this.pos += 2;
      } else if (c === '"') {
        this.pos++;
        return JSON.parse(t.slice(start, this.pos)) as string;
      } else {
        this.pos++;
      }
    }
    return this.fail('unterminated string');
  }

  object(keep: boolean, onMember?: (key: string) => boolean): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') {
        this.fail('expected key');
      }
      const key = this.string();
      this.ws();
      if (this.text[this.pos++] !== ':') {
        this.fail('expected :');
      }
      if (!onMember || !onMember(key)) {
        out[key] = this.value(keep);
      }
      this.ws();
      const d = this.text[this.pos++];
      if (d === '}') {
        return out;
      }
      if (d !== ',') {
        this.fail('expected , or }');
      }
    }
  }
}

function joinSource(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value) && value.every(v => typeof v === 'string')) {
    return value.join('');
  }
  throw new SyntaxError('cell source is neither a string nor a list of strings');
}

/** Space, tab, CR, LF, `,`, `]` and `}`: what ends a number, true, false or null. */
const SCALAR_END = new Set([32, 9, 13, 10, 44, 93, 125]);

/**
 * Offset just past the JSON value starting at `pos` (after whitespace), in text already known
 * to be valid JSON: nothing is checked or built, and a string is crossed with indexOf, so a
 * notebook's outputs (base64 images, long logs) cost a few native scans.
 */
function skipValidValue(text: string, pos: number): number {
  let depth = 0;
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === 34 /* " */) {
      pos = skipValidString(text, pos);
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      pos++;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
      pos++;
    } else {
      pos++;
    }
    if (depth === 0) {
      // A scalar (number, true, false, null) runs to the next delimiter.
      if (c !== 34 && c !== 125 && c !== 93) {
        while (pos < text.length && !SCALAR_END.has(text.charCodeAt(pos))) {
          pos++;
        }
      }
      return pos;
    }
  }
}

/** Offset just past the string whose opening quote is at `pos` (valid JSON). */
function skipValidString(text: string, pos: number): number {
  for (let q = text.indexOf('"', pos + 1); ; q = text.indexOf('"', q + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 92) {
      backslashes++;
    }
    if (backslashes % 2 === 0) {
      return q + 1;
    }
  }
}

function skipWs(text: string, pos: number): number {
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      pos++;
    } else {
      return pos;
    }
  }
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * The usual case, a notebook that is valid JSON with a list of cell objects: the native
 * parser reads the values, and a scan that trusts the text (it just parsed) finds where each
 * cell's `source` value lies. Anything else (NaN, a BOM, a broken file) returns null and is
 * read by the checking scanner below, which gives the same result and the precise error.
 * Exported for tests.
 */
export function parseValidNotebook(text: string): ParsedNotebook | null {
  let top: unknown;
  try {
    top = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isPlainObject(top) || !Array.isArray(top.cells) || !top.cells.every(isPlainObject)) {
    return null;
  }
  const values = top.cells as Array<Record<string, unknown>>;
  const cells: NotebookCellSpan[] = [];
  // Walk the top-level object's members to "cells", then each cell's members to its last
  // "source" (JSON.parse keeps the last of duplicate keys, as the scanner does).
  let cellsAt = -1;
  let pos = skipWs(text, 0) + 1;
  for (;;) {
    pos = skipWs(text, pos);
    if (text.charCodeAt(pos) === 125) {
      break;
    }
    const keyEnd = skipValidString(text, pos);
    const key = JSON.parse(text.slice(pos, keyEnd)) as string;
    pos = skipWs(text, skipWs(text, keyEnd) + 1);
    if (key === 'cells') {
      if (cellsAt >= 0) {
        // The scanner reads the cells of both lists; leave that rare file to it.
        return null;
      }
      cellsAt = pos;
    }
    pos = skipWs(text, skipValidValue(text, pos));
    if (text.charCodeAt(pos) === 44) {
      pos++;
    }
  }
  pos = cellsAt + 1;
  for (const cell of values) {
    pos = skipWs(text, pos);
    if (text.charCodeAt(pos) === 44) {
      pos = skipWs(text, pos + 1);
    }
    // pos is at the cell's `{`.
    let start = -1;
    let end = -1;
    pos++;
    for (;;) {
      pos = skipWs(text, pos);
      if (text.charCodeAt(pos) === 125) {
        pos++;
        break;
      }
      const keyEnd = skipValidString(text, pos);
      const key = JSON.parse(text.slice(pos, keyEnd)) as string;
      pos = skipWs(text, skipWs(text, keyEnd) + 1);
      const valueEnd = skipValidValue(text, pos);
      if (key === 'source') {
        start = pos;
        end = valueEnd;
      }
      pos = skipWs(text, valueEnd);
      if (text.charCodeAt(pos) === 44) {
        pos++;
      }
    }
    const found = start >= 0;
    cells.push({
      start,
      end,
      cellType: typeof cell.cell_type === 'string' ? cell.cell_type : 'code',
      source: found ? joinSource(cell.source) : '',
      isArray: found ? Array.isArray(cell.source) : true
    });
  }
  return { text, cells, language: languageOf(top) };
}

function languageOf(top: Record<string, unknown>): string | null {
  const metadata = (top.metadata ?? {}) as Record<string, any>;
  const language =
    (metadata.kernelspec && typeof metadata.kernelspec.language === 'string' && metadata.kernelspec.language) ||
    (metadata.language_info && typeof metadata.language_info.name === 'string' && metadata.language_info.name) ||
    null;
  return language ? String(language).toLowerCase() : null;
}

export function parseNotebook(text: string): ParsedNotebook {
  return parseValidNotebook(text) ?? scanNotebook(text);
}

/** The checking scanner alone: any text, exact error messages (exported for tests). */
export function scanNotebook(text: string): ParsedNotebook {
  const s = new JsonScanner(text.charCodeAt(0) === 0xfeff ? text : text);
  if (text.charCodeAt(0) === 0xfeff) {
    s.pos = 1;
  }
  s.ws();
  if (text[s.pos] !== '{') {
    s.fail('a notebook must be a JSON object');
  }
  const cells: NotebookCellSpan[] = [];
  let sawCells = false;
  const top = s.object(true, key => {
    if (key !== 'cells') {
      return false;
    }
    sawCells = true;
    s.ws();
    if (text[s.pos] !== '[') {
      s.fail('"cells" must be a list');
    }
    s.pos++;
    s.ws();
    if (text[s.pos] === ']') {
      s.pos++;
      return true;
    }
    for (;;) {
      s.ws();
      if (text[s.pos] !== '{') {
        s.fail('a cell must be an object');
      }
      let span: { start: number; end: number; value: unknown } | null = null;
      const cell = s.object(true, cellKey => {
        if (cellKey !== 'source') {
          return false;
        }
        s.ws();
        const start = s.pos;
        const value = s.value(true);
        span = { start, end: s.pos, value };
        return true;
      });
      const found = span as { start: number; end: number; value: unknown } | null;
      cells.push({
        start: found ? found.start : -1,
        end: found ? found.end : -1,
        cellType: typeof cell.cell_type === 'string' ? cell.cell_type : 'code',
        source: found ? joinSource(found.value) : '',
        isArray: found ? Array.isArray(found.value) : true
      });
      s.ws();
      const d = text[s.pos++];
      if (d === ']') {
        return true;
      }
      if (d !== ',') {
        s.fail('expected , or ] in cells');
      }
    }
  });
  s.ws();
  if (s.pos !== text.length) {
    s.fail('trailing characters after the notebook');
  }
  if (!sawCells) {
    throw new SyntaxError(
      'worksheets' in top ? 'nbformat 3 is not supported (upgrade it with `jupyter nbconvert --to notebook`)' : 'not a notebook: no "cells" list'
    );
  }
  return { text, cells, language: languageOf(top) };
}

/** Code cells' sources (null for other cells), the analyser's view of a notebook. */
export function codeCells(nb: ParsedNotebook): Array<string | null> {
  return nb.cells.map(c => (c.cellType === 'code' ? c.source : null));
}

/** Splits like Python's str.splitlines(keepends=True) restricted to \n, as nbformat stores lines. */
function sourceLines(source: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) {
    lines.push(source.slice(start, i + 1));
    start = i + 1;
  }
  if (start < source.length) {
    lines.push(source.slice(start));
  }
  return lines;
}

/** The new JSON text of a `source` value, laid out like the value it replaces. */
function renderSource(original: string, span: NotebookCellSpan, source: string): string {
  if (!span.isArray) {
    return JSON.stringify(source);
  }
  const oldText = original.slice(span.start, span.end);
  const lines = sourceLines(source);
  if (lines.length === 0) {
    return '[]';
  }
  const itemIndent = /^\[(\s*)/.exec(oldText)?.[1] ?? '';
  const closing = /(\s*)\]$/.exec(oldText)?.[1] ?? '\n';
  const indentedFile = /\n[ \t]+"/.test(original);
  // An empty array `[]` in an indented file: derive the layout from the line the key is on
  // and the file's indentation unit.
  if (/^\[\s*\]$/.test(oldText) && indentedFile) {
    const lineStart = lineStartAt(original, span.start);
    const keyIndent = /^[ \t]*/.exec(original.slice(lineStart))![0];
    const unit = /\n([ \t]+)"/.exec(original)?.[1] ?? ' ';
    const eol = original.includes('\r\n') ? '\r\n' : '\n';
    return '[' + eol + lines.map(l => keyIndent + unit + JSON.stringify(l)).join(',' + eol) + eol + keyIndent + ']';
  }
  if (!itemIndent.includes('\n')) {
    return '[' + lines.map(l => JSON.stringify(l)).join(', ') + ']';
  }
  return '[' + lines.map(l => itemIndent + JSON.stringify(l)).join(',') + closing + ']';
}

/** Rewrites the sources of the given cells; every other byte of the file is kept. */
export function replaceSources(nb: ParsedNotebook, sources: ReadonlyArray<string | null>): string {
  let out = '';
  let pos = 0;
  nb.cells.forEach((cell, i) => {
    const next = sources[i];
    if (next === null || next === undefined || next === cell.source || cell.start < 0) {
      return;
    }
    out += nb.text.slice(pos, cell.start) + renderSource(nb.text, cell, next);
    pos = cell.end;
  });
  return out + nb.text.slice(pos);
}

/**
 * Where a cell's source line sits in the .ipynb file itself (1-based), for reports read
 * against the file (SARIF for code scanning, GitHub annotations). A source stored as a list
 * of strings has one line per element when the file is indented; a single string (or an
 * unindented file) keeps the whole cell on the line where the value starts.
 */
export function notebookFileLines(nb: ParsedNotebook): (cell: number, line: number) => number {
  const lines = new LineIndex(nb.text);
  const lineAt = (offset: number): number => lines.position(offset).line;
  return (cell: number, line: number): number => {
    const span = nb.cells[cell];
    if (!span || span.start < 0) {
      return 1;
    }
    if (!span.isArray) {
      return lineAt(span.start);
    }
    // Offsets of the array's string elements: each begins at a `"` outside any string.
    const text = nb.text;
    let element = 0;
    for (let i = span.start + 1; i < span.end; i++) {
      if (text[i] === '"') {
        if (element === line - 1) {
          return lineAt(i);
        }
        element++;
        for (i++; i < span.end && text[i] !== '"'; i++) {
          if (text[i] === '\\') {
            i++;
          }
        }
      }
    }
    return lineAt(span.start);
  };
}
