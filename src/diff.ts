/**
 * The one line diff of the project (jsdiff's Myers diff, O((N+M)·D)): `keras-migrate fix --diff`
 * prints unified diffs with it, and the editor's fix-all preview lists changed lines with it.
 */
import { createTwoFilesPatch, diffArrays } from 'diff';

/** A unified diff in the form `diff -u` and git print; '' when nothing changed. */
export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string, context = 3): string {
  if (before === after) {
    return '';
  }
  const patch = createTwoFilesPatch(fromLabel, toLabel, before, after, undefined, undefined, { context });
  // jsdiff starts with an `Index:`-less header `===...` line only for createPatch; drop any
  // header line before `---` so the output is exactly a unified diff.
  return patch.slice(patch.indexOf('--- '));
}

export interface DiffLine {
  kind: 'same' | 'add' | 'del';
  text: string;
  /** 1-based line numbers in the old and new text (null on the side the line is not in). */
  oldLine: number | null;
  newLine: number | null;
}

export interface DiffHunk {
  lines: DiffLine[];
}

/** Lines of context kept around each change. */
export const CONTEXT_LINES = 2;

/** The line diff of two texts (unchanged head and tail lines are skipped before diffing). */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) {
    head++;
  }
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) {
    tail++;
  }
  const lines: DiffLine[] = [];
  let oldLine = 1;
  let newLine = 1;
  const push = (kind: DiffLine['kind'], text: string) => {
    lines.push({
      kind,
      text,
      oldLine: kind === 'add' ? null : oldLine,
      newLine: kind === 'del' ? null : newLine
    });
    if (kind !== 'add') {
      oldLine++;
    }
    if (kind !== 'del') {
      newLine++;
    }
  };
  a.slice(0, head).forEach(line => push('same', line));
  // jsdiff (Myers, O(ND)): a big cell with a few changes stays cheap.
  for (const change of diffArrays(a.slice(head, a.length - tail), b.slice(head, b.length - tail))) {
    const kind = change.added ? 'add' : change.removed ? 'del' : 'same';
    change.value.forEach(line => push(kind, line));
  }
  a.slice(a.length - tail).forEach(line => push('same', line));
  return lines;
}

/** Group changed lines into hunks with `context` unchanged lines around them. */
export function diffHunks(before: string, after: string, context = CONTEXT_LINES): DiffHunk[] {
  const lines = diffLines(before, after);
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((line, i) => {
    if (line.kind !== 'same') {
      for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) {
        keep[j] = true;
      }
    }
  });
  const hunks: DiffHunk[] = [];
  let current: DiffHunk | null = null;
  lines.forEach((line, i) => {
    if (!keep[i]) {
      current = null;
      return;
    }
    if (!current) {
      current = { lines: [] };
      hunks.push(current);
    }
    current.lines.push(line);
  });
  return hunks;
}
