/**
 * CodeMirror 6 side of the analyser: a `linter()` per code cell editor whose
 * diagnostics come from the notebook's shared analysis, so a cell knows the
 * imports of the cells above it.
 */
import { Diagnostic, forceLinting, linter } from '@codemirror/lint';
import { Extension, StateEffect } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { ICellModel } from '@jupyterlab/cells';
import type { Finding } from '../analysis/types';
import { guideLink, guideSection } from './guide';
import { LineIndex } from '../analysis/text';
import { applyEditsToCell } from './model';

/** Finds the findings of the notebook a cell belongs to (null: not a Python notebook, or not loaded). */
export type CellFindingsSource = (cell: ICellModel) => Finding[] | null;

/** Renders text with `code` spans as DOM, never as HTML. */
export function renderInlineCode(parent: HTMLElement, text: string): void {
  const parts = text.split('`');
  parts.forEach((part, i) => {
    if (!part) {
      return;
    }
    if (i % 2 === 1) {
      const code = document.createElement('code');
      code.textContent = part;
      parent.appendChild(code);
    } else {
      parent.appendChild(document.createTextNode(part));
    }
  });
}

/** The hover body of one diagnostic: message, the guide's explanation, the fix and a link. */
export function renderFindingTooltip(finding: Finding): HTMLElement {
  const section = guideSection(finding.guide);
  const root = document.createElement('div');
  root.className = 'jp-KerasMigrate-tooltip';
  const message = document.createElement('div');
  message.className = 'jp-KerasMigrate-tooltip-message';
  renderInlineCode(message, finding.message);
  root.appendChild(message);
  if (section) {
    const explanation = document.createElement('p');
    explanation.className = 'jp-KerasMigrate-tooltip-explanation';
    renderInlineCode(explanation, section.explanation);
    root.appendChild(explanation);
    const fix = document.createElement('p');
    fix.className = 'jp-KerasMigrate-tooltip-fix';
    const label = document.createElement('strong');
    label.textContent = 'Fix: ';
    fix.appendChild(label);
    renderInlineCode(fix, section.fix);
    root.appendChild(fix);
  }
  const link = document.createElement('a');
  link.className = 'jp-KerasMigrate-guide-link';
  link.href = guideLink(finding.guide);
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.textContent = section
    ? `Migration guide: ${section.title}`
    : 'Migration guide';
  root.appendChild(link);
  return root;
}

function toDiagnostic(view: EditorView, cell: ICellModel, finding: Finding, findings: CellFindingsSource): Diagnostic {
  const text = view.state.doc.toString();
  const lines = new LineIndex(text);
  const from = lines.offset(finding.line, finding.column);
  const to = Math.max(from, lines.offset(finding.endLine, finding.endColumn));
  const diagnostic: Diagnostic = {
    from,
    to,
    severity: finding.severity,
    source: `keras-migrate ${finding.rule}`,
    message: finding.message,
    renderMessage: () => renderFindingTooltip(finding),
    markClass: 'jp-KerasMigrate-mark'
  };
  if (finding.fix) {
    // Action buttons are plain text: drop the Markdown code marks of the title.
    const title = finding.fix.title.replace(/`/g, '');
    const fixTitle = finding.fix.safe ? title : `${title} (review)`;
    diagnostic.actions = [
      {
        name: fixTitle,
        apply: () => {
          // Recompute against the current text: the diagnostic may be older than the last keystroke.
          const current = findings(cell) ?? [];
          const same =
            current.find(
              f =>
                f.rule === finding.rule &&
                f.line === finding.line &&
                f.column === finding.column &&
                f.message === finding.message
            ) ?? current.find(f => f.rule === finding.rule && f.message === finding.message);
          if (same?.fix) {
            applyEditsToCell(cell, same.fix.edits);
          }
        }
      }
    ];
  }
  return diagnostic;
}

/**
 * Asks a cell's linter to run again although its text did not change: the
 * findings depend on the other cells too. (forceLinting alone only hurries a
 * run that is already pending.)
 */
const relintEffect = StateEffect.define<null>();

/** The editor extension for one cell editor. */
export function cellLinter(cell: ICellModel, findings: CellFindingsSource): Extension {
  return linter(
    view => {
      const list = findings(cell);
      if (!list) {
        return [];
      }
      return list.map(finding => toDiagnostic(view, cell, finding, findings));
    },
    {
      delay: 300,
      needsRefresh: update => update.transactions.some(tr => tr.effects.some(e => e.is(relintEffect)))
    }
  );
}

/** Re-run the linter of an editor whose findings changed because another cell changed. */
export function relint(view: EditorView): void {
  view.dispatch({ effects: relintEffect.of(null) });
  forceLinting(view);
}
