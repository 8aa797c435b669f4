/**
 * A readable diff of one cell: only the changed hunks, each with a few lines of
 * context and the line numbers of both sides (computed by src/diff.ts, the one diff).
 * Text only (no HTML from the cell).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { diffHunks } from '../diff';
import { plainTranslation } from '../translate';

/** Diff blocks, one per changed cell, every changed line shown at full height. */
export function renderDiff(
  fixes: ReadonlyArray<{ label: string; before: string; after: string }>,
  trans: TranslationBundle = plainTranslation
): HTMLElement {
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
      header.textContent = trans.__('Line %1', first.oldLine ?? first.newLine ?? 1);
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
