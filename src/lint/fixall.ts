/**
 * "Fix all safe problems in notebook": compute the fixed sources on a scratch
 * analysis (the live one keeps describing what the user sees), show a preview
 * diff, then write every changed cell in one notebook transaction.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { NotebookPanel } from '@jupyterlab/notebook';
import { Widget } from '@lumino/widgets';
import type { Analyzer, AnalyzeOptions, TextEdit } from '../analysis/types';
import { lineStarts, offsetOf } from './model';

/** Passes of fix → re-analyse; a fix can reveal another (e.g. after an import rewrite). */
const MAX_PASSES = 5;

export interface CellFix {
  index: number;
  before: string;
  after: string;
}

/** Apply non-overlapping edits to a text; identical duplicates count once, later overlaps are dropped. */
export function applyTextEdits(source: string, edits: ReadonlyArray<TextEdit>): string {
  const starts = lineStarts(source);
  const seen = new Set<string>();
  const ranges = edits
    .filter(edit => {
      const key = JSON.stringify(edit);
      if (seen.has(key)) {
        return false;
      }
      seen.add(key);
      return true;
    })
    .map(edit => ({
      from: offsetOf(starts, source.length, edit.line, edit.column),
      to: offsetOf(starts, source.length, edit.endLine, edit.endColumn),
      text: edit.text
    }))
    .sort((a, b) => b.from - a.from || b.to - a.to);
  let result = source;
  let lastFrom = Infinity;
  for (const range of ranges) {
    if (range.to > lastFrom) {
      continue;
    }
    result = result.slice(0, range.from) + range.text + result.slice(range.to);
    lastFrom = range.from;
  }
  return result;
}

/** The sources after applying every safe fix, repeated until nothing safe is left. */
export function computeSafeFixes(
  analyzer: Analyzer,
  sources: ReadonlyArray<string | null>,
  options: AnalyzeOptions
): CellFix[] {
  // The analyser's own fixCells knows how fixes combine (one `import keras`, ...).
  const withFixCells = analyzer as Analyzer & {
    fixCells?: (cells: ReadonlyArray<string | null>, options?: AnalyzeOptions) => { cells: Array<string | null> };
  };
  if (typeof withFixCells.fixCells === 'function') {
    return changedCells(sources, withFixCells.fixCells(sources, options).cells);
  }
  const scratch = analyzer.openNotebook();
  try {
    let current = sources.slice();
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      scratch.update(current);
      const edits = new Map<number, TextEdit[]>();
      for (const finding of scratch.findings(options)) {
        if (finding.cell === null || !finding.fix?.safe || !finding.fix.edits.length) {
          continue;
        }
        const list = edits.get(finding.cell) ?? [];
        // All edits of one fix or none: a half-applied fix could break the code.
        if (finding.fix.edits.every(e => !list.some(o => overlaps(o, e) && JSON.stringify(o) !== JSON.stringify(e)))) {
          list.push(...finding.fix.edits);
        }
        edits.set(finding.cell, list);
      }
      if (!edits.size) {
        break;
      }
      const next = current.slice();
      let changed = false;
      edits.forEach((list, index) => {
        const source = current[index];
        if (source === null || source === undefined) {
          return;
        }
        const fixed = applyTextEdits(source, list);
        if (fixed !== source) {
          next[index] = fixed;
          changed = true;
        }
      });
      current = next;
      if (!changed) {
        break;
      }
    }
    return changedCells(sources, current);
  } finally {
    scratch.dispose();
  }
}

function changedCells(sources: ReadonlyArray<string | null>, fixed: ReadonlyArray<string | null>): CellFix[] {
  const fixes: CellFix[] = [];
  sources.forEach((before, index) => {
    const after = fixed[index];
    if (before !== null && after !== null && after !== undefined && after !== before) {
      fixes.push({ index, before, after });
    }
  });
  return fixes;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  return !(before(a.endLine, a.endColumn, b.line, b.column) || before(b.endLine, b.endColumn, a.line, a.column));
}

/** A line diff (longest common subsequence) rendered as `-`/`+`/` ` lines. */
export function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) {
      out.push(`- ${a[i++]}`);
    } else {
      out.push(`+ ${b[j++]}`);
    }
  }
  while (i < n) {
    out.push(`- ${a[i++]}`);
  }
  while (j < m) {
    out.push(`+ ${b[j++]}`);
  }
  return out;
}

/** A text-only diff view: one block per cell, lines coloured by their first character. */
export function renderDiff(fixes: ReadonlyArray<{ label: string; before: string; after: string }>): HTMLElement {
  const root = document.createElement('div');
  root.className = 'jp-KerasMigrate-diff';
  for (const fix of fixes) {
    const heading = document.createElement('div');
    heading.className = 'jp-KerasMigrate-diff-heading';
    heading.textContent = fix.label;
    root.appendChild(heading);
    const pre = document.createElement('pre');
    for (const line of lineDiff(fix.before, fix.after)) {
      const span = document.createElement('span');
      span.className =
        line[0] === '+'
          ? 'jp-KerasMigrate-diff-add'
          : line[0] === '-'
            ? 'jp-KerasMigrate-diff-del'
            : 'jp-KerasMigrate-diff-same';
      span.textContent = `${line}\n`;
      pre.appendChild(span);
    }
    root.appendChild(pre);
  }
  return root;
}

/** Show the preview and, if accepted, write the fixed cells. Returns the number of cells changed. */
export async function fixAllSafe(
  panel: NotebookPanel,
  analyzer: Analyzer,
  options: AnalyzeOptions
): Promise<number> {
  const model = panel.model;
  if (!model) {
    return 0;
  }
  const sources: Array<string | null> = [];
  for (let i = 0; i < model.cells.length; i++) {
    const cell = model.cells.get(i);
    sources.push(cell.type === 'code' ? cell.sharedModel.getSource() : null);
  }
  const fixes = computeSafeFixes(analyzer, sources, options);
  if (!fixes.length) {
    await showDialog({
      title: 'Fix all safe problems in notebook',
      body: 'No safe fixes to apply in this notebook.',
      buttons: [Dialog.okButton()]
    });
    return 0;
  }
  const body = new Widget({
    node: renderDiff(fixes.map(f => ({ label: `Cell ${f.index + 1}`, ...f })))
  });
  const result = await showDialog({
    title: `Apply safe fixes to ${fixes.length} cell${fixes.length === 1 ? '' : 's'}?`,
    body,
    buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Apply fixes' })]
  });
  if (!result.button.accept) {
    return 0;
  }
  // Only write cells that still hold the text the preview was computed from.
  const still = fixes.filter(f => {
    const cell = model.cells.get(f.index);
    return cell && cell.sharedModel.getSource() === f.before;
  });
  model.sharedModel.transact(() => {
    for (const fix of still) {
      model.cells.get(fix.index).sharedModel.setSource(fix.after);
    }
  });
  return still.length;
}
