/**
 * Text primitives shared by the analyser, the editor (src/lint) and the CLI: the one
 * line/offset index and the one edit applier with its one overlap policy.
 */
import type { TextEdit } from './types';

/** Line starts of a text, for turning offsets into 1-based line/column and back. */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** Lines end at `\n`, `\r\n` or a lone `\r` (old Mac files), as Python and CodeMirror read them. */
  constructor(readonly text: string) {
    if (text.indexOf('\r') < 0) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
        this.starts.push(i + 1);
      }
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        this.starts.push(i + 1);
      }
    }
  }
  /** 1-based line and column of a UTF-16 offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
  /** Offset of a 1-based line and column, clamped to the line (and the line to the text). */
  offset(line: number, column: number): number {
    const index = Math.min(Math.max(line - 1, 0), this.starts.length - 1);
    const lineEnd = index + 1 < this.starts.length ? this.starts[index + 1] - 1 : this.text.length;
    return Math.min(this.starts[index] + Math.max(column - 1, 0), lineEnd);
  }
  get lineCount(): number {
    return this.starts.length;
  }
  lineStart(line: number): number {
    return this.starts[line - 1];
  }
}

/** An edit in offsets of a text. */
export interface OffsetRange {
  start: number;
  end: number;
  text: string;
}

/**
 * The edits that apply, in text order, under the one overlap policy: identical edits count
 * once; of two overlapping edits the one that starts first wins (on a tie, the one listed
 * first); insertions at the same offset all apply, in listed order.
 */
export function resolveEdits<E extends OffsetRange>(edits: readonly E[]): E[] {
  const ordered = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  const kept: E[] = [];
  let pos = 0;
  let last: E | null = null;
  for (const { e } of ordered) {
    if (last !== null && e.start === last.start && e.end === last.end && e.text === last.text) {
      continue;
    }
    if (e.start < pos) {
      continue;
    }
    kept.push(e);
    pos = e.end;
    last = e;
  }
  return kept;
}

/** Whether two edits cannot both apply (two insertions at one offset can, unless they differ). */
export function editsOverlap(a: OffsetRange, b: OffsetRange): boolean {
  if (a.start === a.end && b.start === b.end) {
    return a.start === b.start && a.text !== b.text;
  }
  return a.start < b.end && b.start < a.end;
}

export function applyOffsetEdits(source: string, edits: readonly OffsetRange[]): string {
  let out = '';
  let pos = 0;
  for (const e of resolveEdits(edits)) {
    out += source.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + source.slice(pos);
}

/** Edits given in 1-based line/column as offset edits of `source`. */
export function toOffsetEdits(source: string, edits: readonly TextEdit[], lines = new LineIndex(source)): OffsetRange[] {
  return edits.map(e => ({ start: lines.offset(e.line, e.column), end: lines.offset(e.endLine, e.endColumn), text: e.text }));
}

/** Applies edits given in 1-based line/column (a finding's fix) to a text. */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  return applyOffsetEdits(source, toOffsetEdits(source, edits));
}

/**
 * Offset of the start of the line holding `offset`: after the last line break before it (`\n`,
 * `\r\n` or a lone `\r`, the breaks LineIndex ends lines at), 0 on the first line.
 */
export function lineStartAt(text: string, offset: number): number {
  if (offset <= 0) {
    return 0;
  }
  return Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
}

/** The text's line break: the first one it uses (`\r\n`, `\r` or `\n`); `\n` when it has none. */
export function lineBreakOf(text: string): string {
  const m = /\r\n|\r|\n/.exec(text);
  return m ? m[0] : '\n';
}

/** `text` as a regular expression that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A suppression comment: `# keras-migrate: ignore` (every rule) or `# keras-migrate: ignore[KM012, imports]`. */
export const SUPPRESSION_COMMENT = /#\s*keras-migrate:\s*ignore(?:\[([^\]]*)\])?/g;

/**
 * Whether the line of `text` holding `offset` ends with a suppression comment naming any of
 * `names` (rule codes or guide slugs) or naming none (every rule). For a rule that sums up
 * other places (KM190 counts the TF calls that KM131 reports): a call the user silenced there
 * is silenced in the summary too.
 */
export function suppressedOnLine(text: string, offset: number, names: readonly string[]): boolean {
  const start = lineStartAt(text, offset);
  const breakAt = text.slice(offset).search(/\r\n|\r|\n/);
  const line = text.slice(start, breakAt < 0 ? text.length : offset + breakAt);
  for (const m of line.matchAll(SUPPRESSION_COMMENT)) {
    if (m[1] === undefined || m[1].split(',').some(n => names.includes(n.trim()))) {
      return true;
    }
  }
  return false;
}
