/**
 * The problems panel: every finding of the active notebook with its severity,
 * rule, message, cell and line and whether a fix exists; grouped by guide
 * section or by cell; filtered by severity and blocked backend; a click jumps
 * to the finding. Long lists are drawn a page at a time.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { Backend, Finding, Severity } from '../analysis/types';
import type { INotebookFindingsTracker } from '../tokens';
import { DrawnWhenShownWidget } from './drawnwhenshown';
import { renderInlineCode } from './extension';
import { isPythonNotebook } from './language';
import { filterFindings, GroupBy, groupFindings, summarize } from './problems';

/** Rows drawn per group before "Show more". */
export const PAGE_SIZE = 100;

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
const BACKEND_CHOICES: Array<Backend | ''> = ['', 'jax', 'tensorflow', 'torch'];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

export class ProblemsPanel extends DrawnWhenShownWidget {
  constructor(
    private readonly _tracker: INotebookFindingsTracker,
    private readonly _jump: (panel: NotebookPanel, finding: Finding) => void,
    trans?: TranslationBundle
  ) {
    super();
    this._trans = trans ?? nullTranslator.load('jupyterlab_keras_migrate');
    this.addClass('jp-KerasMigrate-problems');
    this.title.label = this._trans.__('Keras problems');
    this.title.closable = true;
    _tracker.changed.connect((_, notebook) => {
      if (notebook.panel === this._panel) {
        this.scheduleRedraw();
      }
    });
  }

  get panel(): NotebookPanel | null {
    return this._panel;
  }

  setPanel(panel: NotebookPanel | null): void {
    if (panel === this._panel) {
      return;
    }
    this._panel = panel;
    this._shown.clear();
    this.redraw();
    if (panel) {
      // A notebook that just opened is analysed shortly.
      void this._tracker
        .whenReady(panel)
        .then(() => panel === this._panel && this.redraw())
        .catch(() => undefined);
    }
  }

  protected draw(): void {
    const trans = this._trans;
    const node = this.node;
    const scrollTop = this._list?.scrollTop ?? 0;
    node.textContent = '';
    const panel = this._panel;
    const findings = panel ? this._tracker.get(panel) : null;
    const all = findings ? [...findings.findings] : [];
    const shown = filterFindings(all, { severities: this._severities, backend: this._backend });

    const header = el('div', 'jp-KerasMigrate-problems-header');
    const heading = el('span', 'jp-KerasMigrate-problems-title', trans.__('Keras migration problems'));
    header.appendChild(heading);
    const count = el(
      'span',
      'jp-KerasMigrate-problems-count',
      shown.length === all.length ? String(all.length) : trans.__('%1 of %2', shown.length, all.length)
    );
    count.dataset.count = String(shown.length);
    header.appendChild(count);
    header.appendChild(this._controls());
    node.appendChild(header);

    const body = el('div', 'jp-KerasMigrate-problems-body');
    this._list = body;
    node.appendChild(body);
    if (!panel) {
      body.appendChild(el('p', 'jp-KerasMigrate-problems-note', trans.__('Open a notebook to see its problems.')));
      return;
    }
    body.appendChild(el('div', 'jp-KerasMigrate-problems-notebook', panel.context.localPath));
    if (!findings) {
      body.appendChild(
        el(
          'p',
          'jp-KerasMigrate-problems-note',
          isPythonNotebook(panel)
            ? trans.__('Analysing…')
            : trans.__('This notebook’s kernel is not Python: nothing to check.')
        )
      );
      return;
    }
    body.appendChild(this._summary(all));
    if (!shown.length) {
      body.appendChild(
        el(
          'p',
          'jp-KerasMigrate-problems-note',
          all.length ? trans.__('No problems match the filters.') : trans.__('No Keras migration problems found.')
        )
      );
      return;
    }
    for (const group of groupFindings(shown, this._groupBy, trans)) {
      const details = el('details', 'jp-KerasMigrate-problems-group');
      details.open = !this._collapsed.has(group.key);
      details.dataset.group = group.key;
      details.addEventListener('toggle', () => {
        if (details.open) {
          this._collapsed.delete(group.key);
        } else {
          this._collapsed.add(group.key);
        }
      });
      const summary = el('summary', 'jp-KerasMigrate-problems-grouptitle');
      summary.appendChild(el('span', '', group.title));
      summary.appendChild(el('span', 'jp-KerasMigrate-problems-groupcount', String(group.findings.length)));
      details.appendChild(summary);
      const list = el('ul', 'jp-KerasMigrate-problems-list');
      const limit = this._shown.get(group.key) ?? PAGE_SIZE;
      for (const finding of group.findings.slice(0, limit)) {
        list.appendChild(this._row(panel, finding));
      }
      details.appendChild(list);
      if (group.findings.length > limit) {
        const more = el(
          'button',
          'jp-Button jp-mod-minimal jp-KerasMigrate-problems-more',
          trans.__('Show %1 more', Math.min(PAGE_SIZE, group.findings.length - limit))
        );
        more.type = 'button';
        more.addEventListener('click', () => {
          this._shown.set(group.key, limit + PAGE_SIZE);
          this.redraw();
        });
        details.appendChild(more);
      }
      body.appendChild(details);
    }
    body.scrollTop = scrollTop;
  }

  /** The migration summary of the notebook (all findings, whatever the filters). */
  private _summary(all: ReadonlyArray<Finding>): HTMLElement {
    const trans = this._trans;
    const summary = summarize(all);
    const node = el('div', 'jp-KerasMigrate-problems-summary');
    node.dataset.total = String(summary.total);
    node.dataset.fixable = String(summary.fixable);
    node.dataset.safe = String(summary.safe);
    if (!summary.total) {
      return node;
    }
    node.appendChild(
      el(
        'div',
        '',
        trans._n('%1 finding', '%1 findings', summary.total) +
          ' · ' +
          trans._n('in %1 guide section', 'in %1 guide sections', summary.sections.length) +
          ' · ' +
          trans.__('%1 with a fix (%2 safe, applied by Fix all)', summary.fixable, summary.safe)
      )
    );
    const blocks = el('div', 'jp-KerasMigrate-problems-blocks');
    for (const backend of ['jax', 'tensorflow', 'torch'] as Backend[]) {
      const item = el(
        'span',
        'jp-KerasMigrate-problems-block',
        summary.blocks[backend]
          ? trans.__('%1: %2 blocking', backend, summary.blocks[backend])
          : trans.__('%1: nothing blocking', backend)
      );
      item.dataset.backend = backend;
      item.dataset.count = String(summary.blocks[backend]);
      blocks.appendChild(item);
    }
    node.appendChild(blocks);
    if (summary.tfOnly) {
      const layers = el(
        'div',
        'jp-KerasMigrate-problems-tfonly',
        trans._n(
          '%1 layer or model function stays TensorFlow-only after the safe fixes (KM190 says which TF calls remain)',
          '%1 layers or model functions stay TensorFlow-only after the safe fixes (KM190 says which TF calls remain)',
          summary.tfOnly
        )
      );
      layers.dataset.count = String(summary.tfOnly);
      node.appendChild(layers);
    }
    return node;
  }

  private _row(panel: NotebookPanel, finding: Finding): HTMLElement {
    const trans = this._trans;
    const item = el('li', 'jp-KerasMigrate-problems-item');
    item.dataset.severity = finding.severity;
    item.dataset.rule = finding.rule;
    item.dataset.cell = String(finding.cell ?? '');
    item.dataset.line = String(finding.line);
    item.tabIndex = 0;
    item.title = trans.__('Go to cell %1, line %2', (finding.cell ?? 0) + 1, finding.line);
    item.appendChild(el('span', `jp-KerasMigrate-problems-severity jp-mod-${finding.severity}`, finding.severity));
    item.appendChild(el('span', 'jp-KerasMigrate-problems-rule', finding.rule));
    const message = el('span', 'jp-KerasMigrate-problems-message');
    renderInlineCode(message, finding.message);
    item.appendChild(message);
    item.appendChild(
      el(
        'span',
        'jp-KerasMigrate-problems-where',
        trans.__('cell %1, line %2', (finding.cell ?? 0) + 1, finding.line)
      )
    );
    if (finding.fix) {
      item.appendChild(
        el(
          'span',
          `jp-KerasMigrate-problems-fix${finding.fix.safe ? ' jp-mod-safe' : ''}`,
          finding.fix.safe ? trans.__('fix') : trans.__('fix (review)')
        )
      );
    }
    const go = () => this._jump(panel, finding);
    item.addEventListener('click', go);
    item.addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        go();
      }
    });
    return item;
  }

  private _controls(): HTMLElement {
    const trans = this._trans;
    const controls = el('div', 'jp-KerasMigrate-problems-controls');
    const group = el('select', 'jp-KerasMigrate-problems-groupby');
    group.title = trans.__('Group by');
    for (const [value, label] of [
      ['section', trans.__('By guide section')],
      ['cell', trans.__('By cell')]
    ]) {
      const option = el('option', '', label);
      option.value = value;
      option.selected = value === this._groupBy;
      group.appendChild(option);
    }
    group.addEventListener('change', () => {
      this._groupBy = group.value as GroupBy;
      this.redraw();
    });
    controls.appendChild(group);
    for (const severity of SEVERITIES) {
      const label = el('label', 'jp-KerasMigrate-problems-severityfilter');
      const box = el('input', '');
      box.type = 'checkbox';
      box.dataset.severity = severity;
      box.checked = this._severities.size === 0 || this._severities.has(severity);
      box.addEventListener('change', () => {
        const next = new Set(this._severities.size ? this._severities : SEVERITIES);
        if (box.checked) {
          next.add(severity);
        } else {
          next.delete(severity);
        }
        // All checked is "no filter"; none checked shows nothing.
        this._severities = next.size === SEVERITIES.length ? new Set() : next.size ? next : new Set(['none' as Severity]);
        this.redraw();
      });
      label.appendChild(box);
      label.appendChild(document.createTextNode(` ${severity}`));
      controls.appendChild(label);
    }
    const backend = el('select', 'jp-KerasMigrate-problems-backend');
    backend.title = trans.__('Only what blocks a backend');
    for (const value of BACKEND_CHOICES) {
      const option = el('option', '', value ? trans.__('Blocks %1', value) : trans.__('All backends'));
      option.value = value;
      option.selected = value === (this._backend ?? '');
      backend.appendChild(option);
    }
    backend.addEventListener('change', () => {
      this._backend = (backend.value || null) as Backend | null;
      this.redraw();
    });
    controls.appendChild(backend);
    return controls;
  }

  private _trans: TranslationBundle;
  private _panel: NotebookPanel | null = null;
  private _list: HTMLElement | null = null;
  private _groupBy: GroupBy = 'section';
  private _severities = new Set<Severity>();
  private _backend: Backend | null = null;
  private _shown = new Map<string, number>();
  private _collapsed = new Set<string>();
}

/**
 * "⚠ 3 Keras problems": in the status bar (for the active notebook) and in a
 * notebook's toolbar (Notebook 7 has no status bar); a click opens the panel.
 */
export class ProblemsCountItem extends Widget {
  constructor(
    private readonly _tracker: INotebookFindingsTracker,
    onClick: () => void,
    trans?: TranslationBundle
  ) {
    super({ node: document.createElement('button') });
    this._trans = trans ?? nullTranslator.load('jupyterlab_keras_migrate');
    this.addClass('jp-KerasMigrate-problemcount');
    (this.node as HTMLButtonElement).type = 'button';
    this.node.title = this._trans.__('Keras migration problems in this notebook (click to list them)');
    this.node.addEventListener('click', onClick);
    _tracker.changed.connect((_, notebook) => {
      if (notebook.panel === this._panel) {
        this._render();
      }
    });
    this._render();
  }

  setPanel(panel: NotebookPanel | null): void {
    this._panel = panel;
    this._render();
    if (panel) {
      void this._tracker
        .whenReady(panel)
        .then(() => panel === this._panel && this._render())
        .catch(() => undefined);
    }
  }

  private _render(): void {
    const findings = this._panel ? this._tracker.get(this._panel) : null;
    if (!findings) {
      this.node.textContent = '';
      this.node.dataset.count = '';
      this.addClass('jp-mod-hidden');
      return;
    }
    this.removeClass('jp-mod-hidden');
    const list = findings.findings;
    const errors = list.filter(f => f.severity === 'error').length;
    this.node.dataset.count = String(list.length);
    this.node.dataset.errors = String(errors);
    this.node.textContent = this._trans._n('Keras: %1 problem', 'Keras: %1 problems', list.length);
  }

  private _trans: TranslationBundle;
  private _panel: NotebookPanel | null = null;
}
