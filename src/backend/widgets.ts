/**
 * Views of the BackendModel: the sidebar and the status-bar item. They draw
 * the model and turn clicks into model calls; all state lives in the model.
 */
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { Backend, Finding } from '../analysis/types';
import { DrawnWhenShownWidget } from '../lint/drawnwhenshown';
import { guideSection } from '../lint/guide';
import type { VerifiedLine } from '../runner/freshness';
import { BackendModel } from './model';
import { BACKENDS } from './service';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** Readiness entries drawn per backend before "Show more". */
const READINESS_PAGE = 50;

export interface ISidebarActions {
  switchTo(backend: Backend): void;
  jumpTo(finding: Finding): void;
  refresh(): void;
  /** Run the notebook on every backend (when the runner plugin is there). */
  runAll?(): void;
  /** What the last run proved for this backend ("Verified: ...", when, changed since?), or null without a run. */
  verifiedLine?(backend: Backend): VerifiedLine | null;
  /** Whether the last run on this backend ran the finding's cell although the finding claims it blocks it. */
  provedHarmless?(backend: Backend, finding: Finding): boolean;
}

export class BackendSidebar extends DrawnWhenShownWidget {
  constructor(
    private readonly _model: BackendModel,
    private readonly _actions: ISidebarActions,
    trans?: TranslationBundle
  ) {
    super();
    this._trans = trans ?? nullTranslator.load('jupyterlab_keras_migrate');
    this.addClass('jp-KerasMigrate-sidebar');
    // Also redrawn by its owner when something outside the model changed (a run finished).
    _model.changed.connect(this.redraw, this);
  }

  protected draw(): void {
    // Redrawn on every findings change: keep the user's scroll position.
    const scrollTop = this.node.scrollTop;
    this._draw();
    this.node.scrollTop = scrollTop;
  }

  private _draw(): void {
    const t = this._trans;
    const model = this._model;
    const node = this.node;
    node.textContent = '';
    node.dataset.status = model.status;
    const header = el('div', 'jp-KerasMigrate-sidebar-header');
    header.appendChild(el('h2', 'jp-KerasMigrate-sidebar-title', t.__('Keras backend')));
    if (model.panel && model.status !== 'not-python') {
      const refresh = el('button', 'jp-Button jp-mod-minimal jp-KerasMigrate-sidebar-refresh', t.__('Refresh'));
      refresh.type = 'button';
      refresh.title = t.__('Ask the kernel again what it runs');
      refresh.disabled = model.status === 'switching' || model.status === 'loading';
      refresh.addEventListener('click', () => this._actions.refresh());
      header.appendChild(refresh);
    }
    node.appendChild(header);

    const panel = model.panel;
    if (!panel) {
      node.appendChild(el('p', 'jp-KerasMigrate-sidebar-note', t.__('Open a notebook to see its Keras backend.')));
      return;
    }
    node.appendChild(el('div', 'jp-KerasMigrate-sidebar-notebook', panel.context.localPath));
    if (model.status === 'not-python') {
      node.appendChild(el('p', 'jp-KerasMigrate-sidebar-note', t.__('This notebook’s kernel is not Python: no Keras backend to switch.')));
      return;
    }
    if (this._actions.runAll) {
      const runAll = el('button', 'jp-Button jp-mod-styled jp-KerasMigrate-sidebar-runall', t.__('Run on all backends'));
      runAll.type = 'button';
      runAll.title = t.__('Run the saved notebook in background kernels on every backend and show where it fails');
      runAll.addEventListener('click', () => this._actions.runAll?.());
      node.appendChild(runAll);
    }

    const environment = model.environment;
    const current = el('div', 'jp-KerasMigrate-sidebar-current');
    current.dataset.backend = environment?.backend ?? '';
    if (model.status === 'switching') {
      current.textContent = t.__('Restarting the kernel with %1…', model.switchingTo ?? '');
    } else if (model.status === 'loading') {
      current.textContent = t.__('Asking the kernel…');
    } else if (environment) {
      current.appendChild(el('span', 'jp-KerasMigrate-sidebar-label', t.__('Backend') + ' '));
      current.appendChild(el('strong', 'jp-KerasMigrate-sidebar-backend', environment.backend ?? t.__('unknown')));
      current.appendChild(
        el('span', 'jp-KerasMigrate-sidebar-keras', ` · ${t.__('Keras %1', environment.keras_version ?? t.__('not installed'))}`)
      );
      if (environment.keras_imported === false && environment.backend) {
        current.appendChild(
          el('div', 'jp-KerasMigrate-sidebar-note', t.__('Keras is not imported yet; this is the backend it will load.'))
        );
      }
      if (environment.keras_error) {
        current.appendChild(el('div', 'jp-KerasMigrate-sidebar-error', t.__('Keras: %1', environment.keras_error)));
      }
      if (environment.hook_loaded === false) {
        current.appendChild(this._hookNote());
      }
    }
    node.appendChild(current);

    if (model.error) {
      const error = el('div', 'jp-KerasMigrate-sidebar-error');
      error.appendChild(el('div', '', model.error));
      const previous = model.previousBackend;
      if (previous) {
        const back = el('button', 'jp-Button jp-mod-styled jp-mod-warn jp-KerasMigrate-sidebar-switchback', t.__('Switch back to %1', previous));
        back.type = 'button';
        back.addEventListener('click', () => this._actions.switchTo(previous));
        error.appendChild(back);
      } else {
        const retry = el('button', 'jp-Button jp-mod-styled jp-KerasMigrate-sidebar-retry', t.__('Ask the kernel again'));
        retry.type = 'button';
        retry.addEventListener('click', () => this._actions.refresh());
        error.appendChild(retry);
      }
      node.appendChild(error);
    }

    const busy = model.status === 'switching' || model.status === 'loading';
    const readiness = model.readiness;
    const list = el('ul', 'jp-KerasMigrate-sidebar-backends');
    for (const backend of BACKENDS) {
      const info = environment?.backends?.[backend];
      const item = el('li', 'jp-KerasMigrate-sidebar-backendrow');
      item.dataset.backend = backend;
      const head = el('div', 'jp-KerasMigrate-sidebar-backendhead');
      head.appendChild(el('span', 'jp-KerasMigrate-sidebar-name', backend));
      if (info?.version) {
        head.appendChild(el('span', 'jp-KerasMigrate-sidebar-version', ` ${info.version}`));
      }
      const active = environment?.backend === backend;
      const button = el('button', 'jp-Button jp-mod-styled jp-KerasMigrate-switch', active ? t.__('Active') : t.__('Use %1', backend));
      button.type = 'button';
      button.dataset.backend = backend;
      button.classList.toggle('jp-mod-active', active);
      button.addEventListener('click', () => this._actions.switchTo(backend));
      // Without a report we cannot say it is missing; let the user try.
      const missing = info ? !info.installed : false;
      button.disabled = busy || active || missing;
      if (missing) {
        button.title = info?.reason ?? t.__('%1 is not installed in the kernel’s environment.', backend);
        item.classList.add('jp-mod-disabled');
        item.appendChild(head);
        item.appendChild(el('div', 'jp-KerasMigrate-sidebar-reason', button.title));
      } else {
        item.appendChild(head);
      }
      head.appendChild(button);
      if (info?.devices?.length) {
        const devices = info.devices.map(d => (typeof d === 'string' ? d : `${d.type} (${d.name})`)).join(', ');
        item.appendChild(el('div', 'jp-KerasMigrate-sidebar-devices', t.__('Devices: %1', devices)));
      } else if (info?.installed) {
        // The report lists devices only for backends it imported.
        item.appendChild(
          el(
            'div',
            'jp-KerasMigrate-sidebar-devices',
            active ? t.__('Devices: not reported by the kernel') : t.__('Devices: listed once this backend is active')
          )
        );
      }
      if (info?.jit_compile?.note) {
        item.appendChild(el('div', 'jp-KerasMigrate-sidebar-jit', info.jit_compile.note));
      }
      const verified = this._actions.verifiedLine?.(backend);
      if (verified) {
        const line = el('div', 'jp-KerasMigrate-sidebar-verified', verified.text);
        line.dataset.freshness = verified.freshness;
        line.classList.toggle('jp-mod-stale', verified.freshness === 'changed');
        item.appendChild(line);
      }
      item.appendChild(this._readiness(backend, readiness.get(backend) ?? []));
      list.appendChild(item);
    }
    node.appendChild(list);

    // Backends Keras supports beyond the three we switch between (numpy, openvino).
    const others = Object.entries(environment?.backends ?? {}).filter(
      ([name]) => !(BACKENDS as ReadonlyArray<string>).includes(name)
    );
    if (others.length) {
      const extra = el('ul', 'jp-KerasMigrate-sidebar-others');
      for (const [name, info] of others) {
        const item = el('li', 'jp-KerasMigrate-sidebar-other');
        item.dataset.backend = name;
        item.appendChild(
          el('span', 'jp-KerasMigrate-sidebar-name', `${name} ${info.installed ? info.version ?? '' : t.__('(not installed)')}`)
        );
        if (info.jit_compile?.note) {
          item.appendChild(el('div', 'jp-KerasMigrate-sidebar-jit', info.jit_compile.note));
        }
        extra.appendChild(item);
      }
      node.appendChild(el('div', 'jp-KerasMigrate-card-label', t.__('Also supported by this Keras')));
      node.appendChild(extra);
    }
  }

  /** Why errors are not explained in the kernel, and what to do about it. */
  private _hookNote(): HTMLElement {
    const t = this._trans;
    const hook = this._model.hook;
    const note = el('div', 'jp-KerasMigrate-sidebar-note jp-KerasMigrate-sidebar-hook');
    if (hook && !hook.available) {
      // A kernel from another environment (conda, `ipykernel install --user`): say where and what to install.
      note.dataset.hook = 'missing';
      note.appendChild(
        el(
          'div',
          '',
          t.__('keras_migrate is not installed where this kernel runs (%1), so errors are not explained in the notebook and devices are not listed. Switching backends and the findings work without it.', hook.python)
        )
      );
      if (hook.install) {
        const row = el('div', 'jp-KerasMigrate-sidebar-install');
        row.appendChild(el('span', '', t.__('Install it there:') + ' '));
        row.appendChild(el('code', '', hook.install));
        note.appendChild(row);
      }
    } else {
      note.dataset.hook = 'not-loaded';
      note.appendChild(el('span', '', t.__('The explain hook is not loaded in this kernel; load it with') + ' '));
      note.appendChild(el('code', '', '%load_ext keras_migrate'));
    }
    return note;
  }

  private _readiness(backend: Backend, findings: Finding[]): HTMLElement {
    const t = this._trans;
    const details = el('details', 'jp-KerasMigrate-readiness');
    details.dataset.backend = backend;
    details.dataset.count = String(findings.length);
    const summary = el(
      'summary',
      'jp-KerasMigrate-readiness-summary',
      findings.length === 0
        ? t.__('No blocking findings')
        : t._n('%1 finding predicted to block %2', '%1 findings predicted to block %2', findings.length, backend)
    );
    details.appendChild(summary);
    if (this._open.has(backend)) {
      details.open = true;
    }
    details.addEventListener('toggle', () => {
      if (details.open) {
        this._open.add(backend);
      } else {
        this._open.delete(backend);
      }
    });
    const list = el('ul', 'jp-KerasMigrate-readiness-list');
    // A long list is drawn a page at a time (a 3,000-line cell can have thousands).
    const limit = this._limits.get(backend) ?? READINESS_PAGE;
    for (const finding of findings.slice(0, limit)) {
      const item = el('li', 'jp-KerasMigrate-readiness-item');
      const link = el(
        'a',
        'jp-KerasMigrate-readiness-link',
        t.__('Cell %1, line %2: %3 %4', (finding.cell ?? 0) + 1, finding.line, finding.rule, finding.message.replace(/`/g, ''))
      );
      link.href = '#';
      link.title = guideSection(finding.guide)?.title ?? finding.guide;
      if (this._actions.provedHarmless?.(backend, finding)) {
        item.classList.add('jp-mod-harmless');
        item.dataset.harmless = 'true';
        link.textContent += t.__(' (ran fine in the last run)');
      }
      link.addEventListener('click', event => {
        event.preventDefault();
        this._actions.jumpTo(finding);
      });
      item.appendChild(link);
      list.appendChild(item);
    }
    details.appendChild(list);
    if (findings.length > limit) {
      const more = el(
        'button',
        'jp-Button jp-mod-minimal jp-KerasMigrate-readiness-more',
        t.__('Show %1 more of %2', Math.min(READINESS_PAGE, findings.length - limit), findings.length - limit)
      );
      more.type = 'button';
      more.addEventListener('click', () => {
        this._limits.set(backend, limit + READINESS_PAGE);
        this.redraw();
      });
      details.appendChild(more);
    }
    return details;
  }

  private _open = new Set<string>();
  private _limits = new Map<string, number>();
  private _trans: TranslationBundle;
}

/** "Keras: jax" in the status bar; clicking opens the sidebar. */
export class BackendStatusItem extends Widget {
  constructor(
    private readonly _model: BackendModel,
    onClick: () => void,
    trans?: TranslationBundle
  ) {
    super();
    this._trans = trans ?? nullTranslator.load('jupyterlab_keras_migrate');
    this.addClass('jp-KerasMigrate-status');
    this.node.title = this._trans.__('Keras backend of this notebook’s kernel (click to switch)');
    this.node.addEventListener('click', onClick);
    _model.changed.connect(this._render, this);
    this._render();
  }

  private _render(): void {
    const model = this._model;
    const t = this._trans;
    let text = t.__('Keras: %1', '…');
    // The backend the kernel reported, for whoever reads the page (tests, styles).
    this.node.dataset.backend = model.status === 'switching' ? '' : model.environment?.backend ?? '';
    if (model.status === 'switching') {
      text = t.__('Keras: %1', `→ ${model.switchingTo}`);
    } else if (model.environment?.backend) {
      text = t.__('Keras: %1', model.environment.backend);
    } else if (model.status === 'error') {
      text = t.__('Keras: %1', '?');
    }
    this.node.textContent = text;
  }

  private _trans: TranslationBundle;
}
