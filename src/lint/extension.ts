/**
 * CodeMirror 6 side of the analyser: a `linter()` per code cell editor whose
 * diagnostics come from the notebook's shared analysis, so a cell knows the
 * imports of the cells above it.
 */
import { Diagnostic, setDiagnostics } from '@codemirror/lint';
import { Extension, Facet } from '@codemirror/state';
import { EditorView, ViewPlugin, ViewUpdate } from '@codemirror/view';
import type { Text } from '@codemirror/state';
import type { ICellModel } from '@jupyterlab/cells';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Finding } from '../analysis/types';
import { plainTranslation } from '../translate';
import { apiExplanation } from '../analysis/catalog';
import { guideLink, guideSection } from './guide';

/** What a cell's linter needs from the notebook's findings. */
export interface ICellFindingsSource {
  /** The cell's findings from the last analysis (null: not a Python notebook, or not loaded). */
  findings(cell: ICellModel): Finding[] | null;
  /** The text those findings were computed from (null: the cell was not analysed yet). */
  analysedSource(cell: ICellModel): string | null;
  /** Apply a finding's fix as recomputed from the cell's current text (previewed first if not safe). */
  applyFix(cell: ICellModel, finding: Finding): void;
  /** The tooltip's and the fix button's words (JupyterLab's translator; untranslated without it). */
  readonly trans?: TranslationBundle;
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

/**
 * The explanation paragraph of a finding's tooltip: the API's own (what Keras 3 did to it, since
 * which version) where the catalog has one, as a section such as api-changes covers many
 * unrelated APIs; else its guide section's. Null for an unknown section.
 */
export function tooltipExplanation(finding: Finding): string | null {
  return apiExplanation(finding.rule, finding.message)?.explanation ?? guideSection(finding.guide)?.explanation ?? null;
}

/** The hover body of one diagnostic: message, the guide's explanation, the fix and a link. */
export function renderFindingTooltip(finding: Finding, trans: TranslationBundle = plainTranslation): HTMLElement {
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
    renderInlineCode(explanation, tooltipExplanation(finding) ?? section.explanation);
    root.appendChild(explanation);
    const fix = document.createElement('p');
    fix.className = 'jp-KerasMigrate-tooltip-fix';
    const label = document.createElement('strong');
    label.textContent = trans.__('Fix:') + ' ';
    fix.appendChild(label);
    renderInlineCode(fix, section.fix);
    root.appendChild(fix);
  }
  const link = document.createElement('a');
  link.className = 'jp-KerasMigrate-guide-link';
  link.href = guideLink(finding.guide);
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.textContent = section ? trans.__('Migration guide: %1', section.title) : trans.__('Migration guide');
  root.appendChild(link);
  if (finding.fix) {
    // CodeMirror draws the fix button right after this message, with its title as plain
    // text; once it is there, the title names code as code (the lint panel's buttons,
    // which underline an access key, are left as they are).
    const fix = finding.fix;
    queueMicrotask(() => {
      const button = root.closest('.cm-diagnostic')?.querySelector('.jp-KerasMigrate-fixbutton');
      if (button && !button.querySelector('u')) {
        button.textContent = '';
        renderInlineCode(button as HTMLElement, fix.safe ? fix.title : trans.__('%1 (review)', fix.title));
      }
    });
  }
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
export function fixLabel(finding: Finding, trans: TranslationBundle = plainTranslation): string {
  if (!finding.fix) {
    return '';
  }
  const title = finding.fix.title.replace(/`/g, '');
  return finding.fix.safe ? title : trans.__('%1 (review)', title);
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
    renderMessage: () => renderFindingTooltip(finding, source.trans),
    markClass: 'jp-KerasMigrate-mark'
  };
  if (finding.fix) {
    diagnostic.actions = [
      {
        name: fixLabel(finding, source.trans),
        // Styled as a JupyterLab button (style/base.css); a fix to review in the warning colour.
        markClass: finding.fix.safe ? 'jp-KerasMigrate-fixbutton' : 'jp-KerasMigrate-fixbutton jp-mod-review',
        apply: () => source.applyFix(cell, finding)
      }
    ];
  }
  return diagnostic;
}

/**
 * Above this many findings in one cell, only those near the part of the cell on
 * screen are handed to CodeMirror (and again as the user scrolls): building the
 * marks of thousands of findings takes the main thread 100 ms and more, and the
 * problems panel and F8 read all findings from the model anyway.
 */
export const MARKED_AT_ONCE = 300;
/** Lines around the visible part of a big cell whose findings are marked too. */
const VIEWPORT_MARGIN_LINES = 40;
/** Quiet time after scrolling a big cell before its marks follow the viewport. */
const VIEWPORT_DELAY_MS = 150;

export function visibleFindings(view: EditorView, list: Finding[]): Finding[] {
  if (list.length <= MARKED_AT_ONCE) {
    return list;
  }
  const doc = view.state.doc;
  const first = doc.lineAt(view.viewport.from).number - VIEWPORT_MARGIN_LINES;
  const last = doc.lineAt(view.viewport.to).number + VIEWPORT_MARGIN_LINES;
  return list.filter(f => f.endLine >= first && f.line <= last);
}

/** The cell an editor shows and where its findings come from. */
const cellFindingsFacet = Facet.define<
  { cell: ICellModel; source: ICellFindingsSource },
  { cell: ICellModel; source: ICellFindingsSource } | null
>({ combine: values => values[0] ?? null });

/**
 * Draws a cell's diagnostics. They are pushed, not polled: drawn when the model has
 * findings for the cell's current text (after an analysis, and when a big cell
 * scrolls). CodeMirror's linter() would call back after every typing pause and
 * rebuild all marks although the findings (computed in the worker) are not there
 * yet; between analyses CodeMirror maps the marks through the edits by itself.
 */
class CellDiagnostics {
  constructor(readonly view: EditorView) {
    this.schedule(0);
  }

  /** True when the last draw was skipped because the findings described older text. */
  waiting = false;

  update(update: ViewUpdate): void {
    const bound = update.view.state.facet(cellFindingsFacet);
    if (update.viewportChanged && bound && (bound.source.findings(bound.cell)?.length ?? 0) > MARKED_AT_ONCE) {
      this.schedule(VIEWPORT_DELAY_MS);
    }
  }

  destroy(): void {
    clearTimeout(this._timer);
    this._destroyed = true;
  }

  /** Views cannot be updated from inside an update: draw in a task of its own. */
  schedule(delay: number): void {
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this._draw(), delay);
  }

  private _draw(): void {
    const view = this.view;
    const bound = view.state.facet(cellFindingsFacet);
    if (this._destroyed || !bound) {
      return;
    }
    const { cell, source } = bound;
    const list = source.findings(cell);
    if (!list) {
      return;
    }
    const analysed = source.analysedSource(cell);
    const doc = view.state.doc;
    this.waiting = analysed !== null && (analysed.length !== doc.length || analysed !== doc.toString());
    if (this.waiting) {
      // These findings describe older text: the next analysis draws this cell again.
      return;
    }
    const diagnostics = visibleFindings(view, list).map(finding => toDiagnostic(view, cell, finding, source));
    if (!diagnostics.length && !this._drawn) {
      // Nothing drawn and nothing to draw: do not load the lint extensions for nothing.
      return;
    }
    this._drawn = true;
    view.dispatch(setDiagnostics(view.state, diagnostics));
  }

  private _timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private _drawn = false;
  private _destroyed = false;
}

const cellDiagnostics = ViewPlugin.fromClass(CellDiagnostics);

/** The editor extension for one cell editor. */
export function cellLinter(cell: ICellModel, source: ICellFindingsSource): Extension {
  return [cellFindingsFacet.of({ cell, source }), cellDiagnostics];
}

/**
 * Draw an editor's diagnostics again: its findings changed (maybe because another
 * cell changed), or, with `onlyIfWaiting`, a new analysis exists and the last draw
 * was skipped because the cell had changed since the analysis before.
 */
export function relint(view: EditorView, onlyIfWaiting = false): void {
  const plugin = view.plugin(cellDiagnostics);
  if (plugin && (!onlyIfWaiting || plugin.waiting)) {
    plugin.schedule(0);
  }
}
