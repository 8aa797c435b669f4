/**
 * "Run on all backends": the matrix of the active notebook's last run (one row per code
 * cell, one column per backend). Draws the RunModel; clicks become actions.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { DiagnosisCard } from '../explainui/card';
import { readDiagnosis } from '../explainui/diagnosis';
import { plainTranslation } from '../translate';
import { cellOf, describeVerified, RunModel, verifiedReadiness } from './model';
import type { RunCell } from './types';

export interface IRunViewActions {
  /** Path (contents API) of the active notebook, or null. */
  currentPath(): string | null;
  /** Whether the active notebook has unsaved changes. */
  isDirty(): boolean;
  /** last_modified of the saved notebook, in seconds since the epoch, if known. */
  savedAt(): number | null;
  start(): void;
  cancel(): void;
  jumpTo(cellIndex: number): void;
}

const ICONS: Record<string, string> = {
  ok: '✓',
  warning: '!',
  error: '✗',
  timeout: '⏱',
  'not-run': '–',
  skipped: '·'
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

export function cellTitle(cell: RunCell, trans: TranslationBundle = plainTranslation): string {
  const parts: string[] = [cell.status];
  if (cell.seconds !== null) {
    parts.push(trans.__('%1 s', cell.seconds.toFixed(2)));
  }
  if (cell.consequence_of !== null) {
    parts.push(trans.__('follows from the failure of cell %1', cell.consequence_of + 1));
  }
  if (cell.environment) {
    parts.push(trans.__('environment: %1', cell.environment));
  }
  if (cell.diagnosis?.title) {
    parts.push(cell.diagnosis.title);
  } else if (cell.error) {
    parts.push(`${cell.error.type}: ${cell.error.message}`);
  }
  if (cell.reason) {
    parts.push(cell.reason);
  }
  return parts.join(' · ');
}

function cellKind(cell: RunCell): string {
  if (cell.status === 'error' && cell.consequence_of !== null) {
    return 'consequence';
  }
  if (cell.status === 'error' && cell.environment) {
    return 'environment';
  }
  return cell.status;
}

export class RunMatrixView extends Widget {
  constructor(
    private readonly _model: RunModel,
    private readonly _actions: IRunViewActions,
    private readonly _trans: TranslationBundle = plainTranslation
  ) {
    super();
    this.addClass('jp-KerasMigrate-run');
    _model.changed.connect(() => this.render(), this);
    this.render();
  }

  /** Redraw (also called when the active notebook changes). */
  render(): void {
    const node = this.node;
    const scrollTop = node.scrollTop;
    const t = this._trans;
    node.textContent = '';
    node.appendChild(el('h2', 'jp-KerasMigrate-sidebar-title', t.__('Run on all backends')));
    const path = this._actions.currentPath();
    if (!path) {
      node.appendChild(el('p', 'jp-KerasMigrate-sidebar-note', t.__('Open a notebook to run it on every backend.')));
      return;
    }
    node.appendChild(el('div', 'jp-KerasMigrate-sidebar-notebook', path));
    const job = this._model.job(path);
    const running = job?.status === 'running';
    const controls = el('div', 'jp-KerasMigrate-run-controls');
    const button = el(
      'button',
      `jp-Button jp-mod-styled ${running ? 'jp-mod-warn jp-KerasMigrate-run-cancel' : 'jp-mod-accept jp-KerasMigrate-run-start'}`,
      running ? t.__('Cancel') : t.__('Run on all backends')
    );
    button.type = 'button';
    button.addEventListener('click', () => (running ? this._actions.cancel() : this._actions.start()));
    controls.appendChild(button);
    node.appendChild(controls);
    node.appendChild(
      el(
        'p',
        'jp-KerasMigrate-sidebar-note',
        t.__('Runs the saved notebook in fresh background kernels, never in this notebook’s kernel.')
      )
    );
    if (this._actions.isDirty()) {
      node.appendChild(el('p', 'jp-KerasMigrate-run-dirty', t.__('Unsaved changes are not part of a run: save first.')));
    }
    const error = this._model.error(path);
    if (error) {
      node.appendChild(el('div', 'jp-KerasMigrate-sidebar-error', error));
    }
    if (!job) {
      return;
    }
    const status = el('div', 'jp-KerasMigrate-run-status');
    status.dataset.status = job.status;
    if (running) {
      const progress = Object.entries(job.progress.running)
        .map(([backend, where]) => `${backend}: ${where}`)
        .join(' · ');
      status.textContent =
        t.__('Running… %1/%2 backends done', job.progress.done, job.progress.total) + (progress ? ` · ${progress}` : '');
    } else if (job.status === 'cancelled') {
      const stopped = job.kernel_pids.length - job.kernels_left.length;
      status.textContent = job.kernels_left.length
        ? t._n(
            'Cancelled; %1 background kernel stopped, %2 still running.',
            'Cancelled; %1 background kernels stopped, %2 still running.',
            stopped,
            job.kernels_left.length
          )
        : t._n('Cancelled; %1 background kernel stopped.', 'Cancelled; %1 background kernels stopped.', stopped);
    } else if (job.status === 'failed') {
      status.textContent = t.__('The run failed: %1', job.error ?? t.__('unknown error'));
    } else {
      const when = job.finished ? new Date(job.finished * 1000).toLocaleTimeString() : '';
      status.textContent = t.__('Ran at %1', when);
      const saved = this._actions.savedAt();
      if ((saved !== null && job.file_last_modified !== null && saved > job.file_last_modified + 0.5) || this._actions.isDirty()) {
        status.appendChild(el('span', 'jp-KerasMigrate-run-stale', ` · ${t.__('the notebook changed since')}`));
      }
    }
    node.appendChild(status);

    const report = job.report;
    const runs = report?.variants.original?.backends;
    if (report && report.error) {
      node.appendChild(el('div', 'jp-KerasMigrate-sidebar-error', report.error));
    }
    if (!report || !runs) {
      return;
    }
    const verified = el('ul', 'jp-KerasMigrate-run-verified');
    for (const v of verifiedReadiness(job)) {
      const item = el('li', `jp-KerasMigrate-run-verified-${v.state}`, `${v.backend}: ${describeVerified(v, t)}`);
      item.dataset.backend = v.backend;
      verified.appendChild(item);
    }
    node.appendChild(verified);

    const backends = job.backends.filter(b => runs[b]);
    const table = el('table', 'jp-KerasMigrate-run-matrix');
    const head = el('tr', '');
    head.appendChild(el('th', '', t.__('Cell')));
    for (const backend of backends) {
      head.appendChild(el('th', '', backend));
    }
    table.appendChild(head);
    for (const info of report.cells) {
      const row = el('tr', 'jp-KerasMigrate-run-row');
      row.dataset.cell = String(info.index);
      const label = el('td', 'jp-KerasMigrate-run-cellname', String(info.index + 1));
      label.title = info.head;
      row.appendChild(label);
      for (const backend of backends) {
        const cell = cellOf(runs[backend], info.index);
        const td = el('td', 'jp-KerasMigrate-run-cell');
        td.dataset.backend = backend;
        if (cell) {
          const kind = cellKind(cell);
          td.dataset.status = kind;
          td.textContent = kind === 'consequence' ? '↳' : kind === 'environment' ? t.__('env') : ICONS[cell.status] ?? cell.status;
          td.title = cellTitle(cell, t);
          if (cell.status === 'error' || cell.status === 'timeout') {
            td.addEventListener('click', event => {
              event.stopPropagation();
              this._selected = { backend, index: info.index };
              this._actions.jumpTo(info.index);
              this.render();
            });
          }
        }
        row.appendChild(td);
      }
      row.addEventListener('click', () => this._actions.jumpTo(info.index));
      table.appendChild(row);
    }
    node.appendChild(table);
    const selected = this._selected && cellOf(runs[this._selected.backend], this._selected.index);
    if (selected && this._selected) {
      node.appendChild(this._detail(this._selected.backend, selected));
    }
    node.scrollTop = scrollTop;
  }

  private _detail(backend: string, cell: RunCell): HTMLElement {
    const t = this._trans;
    const box = el('div', 'jp-KerasMigrate-run-detail');
    box.dataset.backend = backend;
    box.dataset.cell = String(cell.index);
    box.appendChild(el('div', 'jp-KerasMigrate-card-label', t.__('Cell %1 on %2', cell.index + 1, backend)));
    // The same explanation card as under a failed cell in the notebook (no host: the
    // run's kernel is gone, so it offers no jump or fix of its own; the row click jumps).
    this._card?.dispose();
    this._card = null;
    const diagnosis = cell.diagnosis
      ? readDiagnosis({ ...cell.diagnosis, exception_type: cell.error?.type, message: cell.error?.message })
      : null;
    if (diagnosis) {
      // No traceback is shown here: the card says what happened itself.
      this._card = new DiagnosisCard(null, t, { showMessage: true });
      this._card.showDiagnosis(diagnosis);
      box.appendChild(this._card.node);
    }
    if (cell.error && !diagnosis) {
      box.appendChild(el('pre', 'jp-KerasMigrate-run-detail-error', `${cell.error.type}: ${cell.error.message}`));
    } else if (cell.reason) {
      box.appendChild(el('p', 'jp-KerasMigrate-run-detail-error', cell.reason));
    }
    for (const finding of cell.static) {
      box.appendChild(el('p', 'jp-KerasMigrate-sidebar-note', t.__('Predicted by %1: %2', finding.rule, finding.message)));
    }
    if (cell.verdict === 'static-miss') {
      box.appendChild(el('p', 'jp-KerasMigrate-sidebar-note', t.__('No static finding predicted this failure.')));
    }
    return box;
  }

  private _selected: { backend: string; index: number } | null = null;
  private _card: DiagnosisCard | null = null;
}
