/**
 * A readable diff of one cell: only the changed hunks, each with a few lines of
 * context and the line numbers of both sides. Text only (no HTML from the cell).
 */
import { diffArrays } from 'diff';

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

/** Diff blocks, one per changed cell, every changed line shown at full height. */
export function renderDiff(fixes: ReadonlyArray<{ label: string; before: string; after: string }>): HTMLElement {
  const root = document.createElement('div');
  root.className = 'jp-KerasMigrate-diff';
  for (const fix of fixes) {
    const block = document.createElement('section');
    block.className = 'jp-KerasMigrate-diff-cell';
    const heading = document.createElement('div');
    heading.className = 'jp-KerasMigrate-diff-heading';
    heading.textContent = fix.label;
    block.appendChild(heading);
    for (const hunk of diffHunks(fix.before, fix.after)) {
      const first = hunk.lines[0];
      const header = document.createElement('div');
      header.className = 'jp-KerasMigrate-diff-hunkheader';
      header.textContent = `Line ${first.oldLine ?? first.newLine ?? 1}`;
      block.appendChild(header);
      const pre = document.createElement('pre');
      pre.className = 'jp-KerasMigrate-diff-hunk';
      for (const line of hunk.lines) {
        const row = document.createElement('span');
        row.className = `jp-KerasMigrate-diff-${line.kind}`;
        const gutter = document.createElement('span');
        gutter.className = 'jp-KerasMigrate-diff-gutter';
        gutter.textContent = line.kind === 'add' ? '+' : line.kind === 'del' ? '-' : ' ';
        row.appendChild(gutter);
        row.appendChild(document.createTextNode(`${line.text}\n`));
        pre.appendChild(row);
      }
      block.appendChild(pre);
    }
    root.appendChild(block);
  }
  return root;
}
