/**
 * The explain card. Everything is built with textContent: the data can come from
 * an untrusted saved output, and an error message may contain HTML or script.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';
import { Widget } from '@lumino/widgets';
import { guideLink, guideSection } from '../lint/guide';
import { renderInlineCode } from '../lint/extension';
import { renderDiff } from '../lint/fixall';
import { plainTranslation } from '../translate';
import { describeLocation, Diagnosis } from './diagnosis';

/** Longest exception message shown before it is cut (tracebacks already show it whole). */
const MAX_MESSAGE = 300;

/** A fix computed from the cell's current source, ready to preview and apply. */
export interface ProposedFix {
  title: string;
  before: string;
  after: string;
  /** Writes exactly `after`; false (nothing written) when the cell changed since. */
  apply(): boolean;
}

/** The notebook cell that holds the diagnosis's line. */
export interface CardTarget {
  /** Index of the cell in the notebook. */
  index: number;
  /** True when it is the cell the card's output belongs to. */
  own: boolean;
  /** True when the cell shows the diagnosis's execution count (false: the fallback to the own cell). */
  matched: boolean;
}

/** What the card can do in the notebook it sits in; provided by the plugin. */
export interface ICardHost {
  /** The cell holding the diagnosis's line, or null (a line in a file, a card outside a notebook). */
  locateTarget(card: Widget, diagnosis: Diagnosis): CardTarget | null;
  /** Call `changed` when cells run or move, since that can change the target; null outside a notebook. */
  watchTarget(card: Widget, changed: () => void): IDisposable | null;
  /** Select the diagnosis's line in its cell. */
  jumpToLine(card: Widget, diagnosis: Diagnosis): boolean;
  /** A fix for the diagnosis's cell from the analyser, or null when there is none. */
  proposeFix(card: Widget, diagnosis: Diagnosis): Promise<ProposedFix | null>;
  /** Ask the user to confirm the previewed fix. */
  confirmFix(fix: ProposedFix): Promise<boolean>;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function section(label: string, className: string): HTMLElement {
  const node = element('div', `jp-KerasMigrate-card-section ${className}`);
  node.appendChild(element('div', 'jp-KerasMigrate-card-label', label));
  return node;
}

export interface ICardOptions {
  /**
   * Show the exception line. Off under a traceback, which prints it just above the
   * card; on where no traceback is shown (the run matrix's detail).
   */
  showMessage?: boolean;
}

export class DiagnosisCard extends Widget {
  constructor(
    private readonly _host: ICardHost | null,
    trans: TranslationBundle = plainTranslation,
    private readonly _options: ICardOptions = {}
  ) {
    super();
    this._trans = trans;
    this.addClass('jp-KerasMigrate-card');
  }

  /** "Not recognised" (or "could not ask") as a one-line card. */
  showNote(text: string): void {
    this._diagnosis = null;
    this.addClass('jp-KerasMigrate-card-none');
    this.node.textContent = text;
  }

  /**
   * The text had stack frames but no exception line: say so and what is missing,
   * rather than "not recognised" (it could be a migration problem).
   */
  showIncomplete(diagnosis: Diagnosis): void {
    const t = this._trans;
    this._diagnosis = diagnosis;
    const node = this.node;
    node.textContent = '';
    node.dataset.incomplete = 'true';
    this.addClass('jp-KerasMigrate-card-incomplete');
    const header = element('div', 'jp-KerasMigrate-card-header');
    header.appendChild(element('span', 'jp-KerasMigrate-card-badge', t.__('Incomplete traceback')));
    const title = element('span', 'jp-KerasMigrate-card-title');
    renderInlineCode(title, diagnosis.title || t.__('Keras migration problem'));
    header.appendChild(title);
    node.appendChild(header);
    const missing = section(t.__('What is missing'), 'jp-KerasMigrate-card-missing');
    const explanation = element('p', 'jp-KerasMigrate-card-explanation');
    renderInlineCode(explanation, diagnosis.explanation);
    missing.appendChild(explanation);
    if (diagnosis.fix) {
      const fix = element('p', 'jp-KerasMigrate-card-fixtext');
      renderInlineCode(fix, diagnosis.fix);
      missing.appendChild(fix);
    }
    node.appendChild(missing);
  }

  get diagnosis(): Diagnosis | null {
    return this._diagnosis;
  }

  /** Draw the card for a diagnosis (again, if the output was updated). */
  showDiagnosis(diagnosis: Diagnosis): void {
    if (diagnosis.incomplete && !diagnosis.guide) {
      this.showIncomplete(diagnosis);
      return;
    }
    const t = this._trans;
    this._diagnosis = diagnosis;
    const node = this.node;
    node.textContent = '';
    node.dataset.guide = diagnosis.guide ?? '';
    node.classList.toggle('jp-KerasMigrate-card-warning', diagnosis.kind === 'warning');

    const header = element('div', 'jp-KerasMigrate-card-header');
    const warning = diagnosis.kind === 'warning';
    header.appendChild(
      element('span', 'jp-KerasMigrate-card-badge', warning ? t.__('Keras 3 warning') : t.__('Keras 3 migration'))
    );
    // Titles name code in backticks: drawn as code, never as HTML.
    const title = element('span', 'jp-KerasMigrate-card-title');
    renderInlineCode(title, diagnosis.title || t.__('Keras migration problem'));
    header.appendChild(title);
    node.appendChild(header);

    if (this._options.showMessage && (diagnosis.exceptionType || diagnosis.message)) {
      const what = section(t.__('What happened'), 'jp-KerasMigrate-card-what');
      // The first line says what happened; the traceback above has the whole message.
      const full = diagnosis.message ?? '';
      let first = full.split('\n').find(line => line.trim()) ?? '';
      if (first.length > MAX_MESSAGE) {
        first = `${first.slice(0, MAX_MESSAGE)}…`;
      }
      what.appendChild(
        element(
          'div',
          'jp-KerasMigrate-card-message',
          diagnosis.exceptionType ? `${diagnosis.exceptionType}: ${first}` : first
        )
      );
      if (full.trim() !== first.trim()) {
        const details = element('details', 'jp-KerasMigrate-card-fullmessage');
        details.appendChild(element('summary', '', t.__('Full message')));
        details.appendChild(element('pre', '', full));
        what.appendChild(details);
      }
      node.appendChild(what);
    }

    this._where = null;
    if (diagnosis.line !== null) {
      const where = section(t.__('Where'), 'jp-KerasMigrate-card-where');
      const row = element('div', 'jp-KerasMigrate-card-row');
      this._where = element('span', 'jp-KerasMigrate-card-line', describeLocation(diagnosis, null, t));
      row.appendChild(this._where);
      if (diagnosis.cellLineText) {
        row.appendChild(element('code', 'jp-KerasMigrate-card-code', diagnosis.cellLineText.trim()));
      }
      // A line in a .py file: the path says where; there is no cell to jump to.
      if (this._host && !diagnosis.file) {
        const jump = element('button', 'jp-Button jp-mod-minimal jp-KerasMigrate-card-jump', t.__('Jump to line'));
        jump.type = 'button';
        jump.addEventListener('click', () => this._host?.jumpToLine(this, diagnosis));
        row.appendChild(jump);
      }
      where.appendChild(row);
      node.appendChild(where);
    }

    // A warning gets a small card: the explanation folded away, the fix and the link shown.
    const why = warning ? element('details', 'jp-KerasMigrate-card-section jp-KerasMigrate-card-why') : section(t.__('Why'), 'jp-KerasMigrate-card-why');
    if (warning) {
      why.appendChild(element('summary', 'jp-KerasMigrate-card-label', t.__('Why')));
    }
    const explanation = element('p', 'jp-KerasMigrate-card-explanation');
    renderInlineCode(explanation, diagnosis.explanation);
    why.appendChild(explanation);
    const link = element(
      'a',
      'jp-KerasMigrate-guide-link',
      t.__('Migration guide: %1', guideSection(diagnosis.guide)?.title ?? (diagnosis.title.replace(/`/g, '') || t.__('Keras migration problem')))
    );
    link.href = guideLink(diagnosis.guide, diagnosis.guideUrl);
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    why.appendChild(link);
    node.appendChild(why);

    const fix = section(t.__('Fix'), 'jp-KerasMigrate-card-fix');
    const fixText = element('p', 'jp-KerasMigrate-card-fixtext');
    renderInlineCode(fixText, diagnosis.fix);
    fix.appendChild(fixText);
    this._fixArea = element('div', 'jp-KerasMigrate-card-fixarea');
    fix.appendChild(this._fixArea);
    node.appendChild(fix);

    if (this.isAttached) {
      this._updateWhere();
      void this._updateFix();
    }
  }

  protected onAfterAttach(): void {
    this._watch?.dispose();
    // The target is found by execution count, which the running cell only gets
    // when its reply arrives: look again whenever cells run or move.
    this._watch =
      this._host?.watchTarget(this, () => {
        this._updateWhere();
        // The target's text or its analysis may have changed: the fix is proposed again.
        void this._updateFix();
      }) ?? null;
    this._updateWhere();
    void this._updateFix();
  }

  protected onBeforeDetach(): void {
    this._watch?.dispose();
    this._watch = null;
  }

  dispose(): void {
    this._watch?.dispose();
    this._watch = null;
    super.dispose();
  }

  /** Name the cell that holds the line once the card knows its notebook. */
  private _updateWhere(): void {
    const diagnosis = this._diagnosis;
    if (!diagnosis || !this._where) {
      return;
    }
    const target = this._host?.locateTarget(this, diagnosis) ?? null;
    this._where.textContent = describeLocation(diagnosis, target, this._trans);
    this.node.dataset.targetCell = target ? String(target.index) : '';
  }

  /** Offer "Apply fix" when the analyser has one for the cell's current code. */
  private async _updateFix(): Promise<void> {
    const diagnosis = this._diagnosis;
    const area = this._fixArea;
    if (!diagnosis || !area || !this._host) {
      return;
    }
    // Only the latest request draws: an earlier one may have looked at another cell.
    const request = ++this._fixRequest;
    let proposed: ProposedFix | null = null;
    try {
      proposed = await this._host.proposeFix(this, diagnosis);
    } catch (reason) {
      console.warn('keras-migrate: could not compute a fix', reason);
    }
    if (this._diagnosis !== diagnosis || this.isDisposed || request !== this._fixRequest) {
      return;
    }
    area.textContent = '';
    if (!proposed) {
      return;
    }
    area.appendChild(renderDiff([{ label: proposed.title, before: proposed.before, after: proposed.after }], this._trans));
    const apply = element('button', 'jp-Button jp-mod-styled jp-mod-accept jp-KerasMigrate-card-apply', this._trans.__('Apply fix'));
    apply.type = 'button';
    apply.addEventListener('click', async () => {
      // Computed again from the cell's current text: what the dialog shows is what is written.
      const current = await this._host?.proposeFix(this, diagnosis);
      if (!current) {
        void this._updateFix();
        return;
      }
      if (await this._host?.confirmFix(current)) {
        current.apply();
      }
      void this._updateFix();
    });
    area.appendChild(apply);
  }

  private _trans: TranslationBundle;
  private _diagnosis: Diagnosis | null = null;
  private _fixArea: HTMLElement | null = null;
  private _where: HTMLElement | null = null;
  private _fixRequest = 0;
  private _watch: IDisposable | null = null;
}
