/**
 * CodeMirror 6 side of the analyser: a `linter()` per code cell editor whose
 * diagnostics come from the notebook's shared analysis, so a cell knows the
 * imports of the cells above it.
 */
import { Diagnostic, forEachDiagnostic, forceLinting, linter } from '@codemirror/lint';
import { Extension, StateEffect } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import type { Text } from '@codemirror/state';
import type { ICellModel } from '@jupyterlab/cells';
import type { Finding } from '../analysis/types';
import { guideLink, guideSection } from './guide';

/** What a cell's linter needs from the notebook's findings. */
export interface ICellFindingsSource {
  /** The cell's findings from the last analysis (null: not a Python notebook, or not loaded). */
  findings(cell: ICellModel): Finding[] | null;
  /** The text those findings were computed from (null: the cell was not analysed yet). */
  analysedSource(cell: ICellModel): string | null;
  /** Apply a finding's fix as recomputed from the cell's current text (previewed first if not safe). */
  applyFix(cell: ICellModel, finding: Finding): void;
}

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

/** 1-based line/column → document offset, clamped to the document (O(log n), no text copy). */
export function docOffset(doc: Text, line: number, column: number): number {
  const lineInfo = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return Math.min(lineInfo.from + Math.max(column - 1, 0), lineInfo.to);
}

/** A multi-line range that ends in the next line's indentation ends at the line before instead. */
export function markEnd(doc: Text, from: number, to: number): number {
  const end = doc.lineAt(to);
  if (end.from <= from) {
    return to;
  }
  const indentation = /^\s*/.exec(end.text)?.[0].length ?? 0;
  return to - end.from <= indentation ? Math.max(from, end.from - 1) : to;
}

/** The title of a fix as plain text for a button (the Markdown code marks dropped). */
export function fixLabel(finding: Finding): string {
  if (!finding.fix) {
    return '';
  }
  const title = finding.fix.title.replace(/`/g, '');
  return finding.fix.safe ? title : `${title} (review)`;
}

function toDiagnostic(view: EditorView, cell: ICellModel, finding: Finding, source: ICellFindingsSource): Diagnostic {
  const doc = view.state.doc;
  const from = docOffset(doc, finding.line, finding.column);
  const to = markEnd(doc, from, Math.max(from, docOffset(doc, finding.endLine, finding.endColumn)));
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
    diagnostic.actions = [{ name: fixLabel(finding), apply: () => source.applyFix(cell, finding) }];
  }
  return diagnostic;
}

/**
 * Asks a cell's linter to run again although its text did not change: the
 * findings depend on the other cells too. (forceLinting alone only hurries a
 * run that is already pending.)
 */
const relintEffect = StateEffect.define<null>();

/**
 * Above this many findings in one cell, only those near the part of the cell on
 * screen are handed to CodeMirror (and again as the user scrolls): building the
 * marks of thousands of findings takes the main thread 100 ms and more, and the
 * problems panel and F8 read all findings from the model anyway.
 */
export const MARKED_AT_ONCE = 300;
/** Lines around the visible part of a big cell whose findings are marked too. */
const VIEWPORT_MARGIN_LINES = 150;

export function visibleFindings(view: EditorView, list: Finding[]): Finding[] {
  if (list.length <= MARKED_AT_ONCE) {
    return list;
  }
  const doc = view.state.doc;
  const first = doc.lineAt(view.viewport.from).number - VIEWPORT_MARGIN_LINES;
  const last = doc.lineAt(view.viewport.to).number + VIEWPORT_MARGIN_LINES;
  return list.filter(f => f.endLine >= first && f.line <= last);
}

/** The editor extension for one cell editor. */
export function cellLinter(cell: ICellModel, source: ICellFindingsSource): Extension {
  return linter(
    view => {
      const list = source.findings(cell);
      if (!list) {
        return [];
      }
      const analysed = source.analysedSource(cell);
      if (analysed !== null && analysed !== view.state.doc.toString()) {
        // These findings describe older text (the worker has not answered yet): keep the
        // marks CodeMirror mapped through the edits; the answer re-lints this cell.
        const kept: Diagnostic[] = [];
        forEachDiagnostic(view.state, (diagnostic, from, to) => kept.push({ ...diagnostic, from, to }));
        return kept;
      }
      return visibleFindings(view, list).map(finding => toDiagnostic(view, cell, finding, source));
    },
    {
      delay: 300,
      needsRefresh: update =>
        update.transactions.some(tr => tr.effects.some(e => e.is(relintEffect))) ||
        (update.viewportChanged && (source.findings(cell)?.length ?? 0) > MARKED_AT_ONCE)
    }
  );
}

/** Re-run the linter of an editor whose findings changed because another cell changed. */
export function relint(view: EditorView): void {
  view.dispatch({ effects: relintEffect.of(null) });
  forceLinting(view);
}
