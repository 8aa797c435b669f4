/**
 * State of the backend switcher for the active notebook: what the kernel
 * reports, what is being switched, what went wrong, and the findings that
 * block each backend. Widgets render this; they hold no state of their own.
 */
import { NotebookPanel } from '@jupyterlab/notebook';
import { ISignal, Signal } from '@lumino/signaling';
import { NOTEBOOK_METADATA_KEY } from '../analysis/catalog';
import type { Backend, Finding } from '../analysis/types';
import { blockedBackends } from '../lint/guide';
import { isPythonNotebook } from '../lint/language';
import type { IBackendService, IHookStatus, IKernelEnvironment, INotebookFindingsTracker } from '../tokens';
import { BACKENDS, RecordError } from './service';

/** How often, and how many times, the sidebar asks a kernel that restarted by itself. */
const ASK_AFTER_AUTORESTART_INTERVAL_MS = 1500;
const ASK_AFTER_AUTORESTART_ATTEMPTS = 40;
/** Quiet time after a cell ran before the kernel is asked again (runs come in bursts). */
const REFRESH_AFTER_RUN_MS = 300;

export type SwitcherStatus = 'none' | 'not-python' | 'loading' | 'ready' | 'switching' | 'error';

export const METADATA_KEY = NOTEBOOK_METADATA_KEY;

export class BackendModel {
  constructor(
    private readonly _service: IBackendService,
    private readonly _findings: INotebookFindingsTracker | null,
    /** NotebookActions.executed: a cell that ran may have imported Keras. */
    executed: ISignal<unknown, { notebook: unknown }> | null = null
  ) {
    _findings?.changed.connect((_, notebook) => {
      if (notebook.panel === this._panel) {
        this._changed.emit();
      }
    });
    executed?.connect(this._onExecuted, this);
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get panel(): NotebookPanel | null {
    return this._panel;
  }

  get status(): SwitcherStatus {
    return this._status;
  }

  get environment(): IKernelEnvironment | null {
    return this._environment;
  }

  /** Why the last switch or report failed, for the user. */
  get error(): string | null {
    return this._error;
  }

  /** The backend that worked before a failed switch, offered as "switch back". */
  get previousBackend(): Backend | null {
    return this._previous;
  }

  /** The server's word on the kernel's hook when the kernel did not load it (null otherwise). */
  get hook(): IHookStatus | null {
    return this._hook;
  }

  get switchingTo(): Backend | null {
    return this._switchingTo;
  }

  /** Findings that keep each backend from running the notebook. */
  get readiness(): Map<Backend, Finding[]> {
    const result = new Map<Backend, Finding[]>(BACKENDS.map(b => [b, []]));
    const findings = this._panel && this._findings?.get(this._panel);
    if (!findings) {
      return result;
    }
    for (const finding of findings.findings) {
      // The finding's own list: a deprecation warning or a tf.keras spelling blocks nothing.
      for (const backend of finding.blocks ?? blockedBackends(finding.guide)) {
        result.get(backend as Backend)?.push(finding);
      }
    }
    return result;
  }

  /** Follow another notebook (or none). */
  setPanel(panel: NotebookPanel | null): void {
    if (panel === this._panel) {
      return;
    }
    if (this._panel) {
      this._panel.sessionContext.statusChanged.disconnect(this._onKernelStatus, this);
      this._panel.sessionContext.kernelChanged.disconnect(this._onKernelChanged, this);
    }
    this._panel = panel;
    this._environment = null;
    this._error = null;
    this._previous = null;
    this._switchingTo = null;
    this._awaitingReport = null;
    if (panel) {
      panel.sessionContext.statusChanged.connect(this._onKernelStatus, this);
      panel.sessionContext.kernelChanged.connect(this._onKernelChanged, this);
      // Say at once what this notebook is: nothing of the previous notebook's state
      // (its backend, its switch in progress) may show while the kernel is asked.
      this._setStatus(isPythonNotebook(panel) ? 'loading' : 'not-python');
      void this.refresh();
    } else {
      this._setStatus('none');
    }
  }

  /** Ask the kernel again what it runs; `quiet` keeps the current report shown meanwhile. */
  async refresh(options: { quiet?: boolean } = {}): Promise<void> {
    const panel = this._panel;
    if (!panel) {
      return;
    }
    if (!isPythonNotebook(panel)) {
      this._environment = null;
      this._setStatus('not-python');
      return;
    }
    await panel.sessionContext.ready;
    if (panel !== this._panel || this._isSwitching()) {
      return;
    }
    if (!isPythonNotebook(panel)) {
      this._environment = null;
      this._setStatus('not-python');
      return;
    }
    if (!panel.sessionContext.session?.kernel) {
      this._environment = null;
      this._error = 'No kernel is running for this notebook.';
      this._setStatus('error');
      return;
    }
    if (!options.quiet) {
      this._setStatus('loading');
    }
    try {
      const environment = await this._service.describe(panel);
      // Without the hook, the server can say whether its environment lacks keras_migrate.
      const kernelId = panel.sessionContext.session?.kernel?.id;
      const hook =
        environment.hook_loaded === false && kernelId && this._service.hookStatus
          ? await this._service.hookStatus(kernelId).catch(() => null)
          : null;
      if (panel !== this._panel || this._isSwitching()) {
        return;
      }
      this._environment = environment;
      this._hook = hook;
      this._error = null;
      this._reportsReceived += 1;
      this._setStatus('ready');
    } catch (reason) {
      if (panel !== this._panel || this._isSwitching()) {
        return;
      }
      this._error = `The kernel did not report its Keras environment: ${message(reason)}`;
      this._setStatus('error');
    }
  }

  /** Record the choice, restart the kernel and save the choice in the notebook. */
  async switchTo(backend: Backend, panel: NotebookPanel | null = this._panel): Promise<boolean> {
    if (!panel) {
      return false;
    }
    const before = panel === this._panel ? this._environment?.backend ?? null : null;
    const following = () => panel === this._panel;
    if (following()) {
      this._switchingTo = backend;
      this._error = null;
      this._setStatus('switching');
    }
    try {
      const environment = await this._service.switchBackend(panel, backend);
      panel.model?.setMetadata(METADATA_KEY, { ...(panel.model.getMetadata(METADATA_KEY) as object), backend });
      if (following()) {
        this._environment = environment;
        this._previous = null;
        this._switchingTo = null;
        this._setStatus('ready');
      }
      return true;
    } catch (reason) {
      if (following()) {
        this._switchingTo = null;
        // A refused record changed nothing; after a restart, offer the backend that worked.
        const restarted = !(reason instanceof RecordError);
        const saved = (panel.model?.getMetadata(METADATA_KEY) as { backend?: unknown } | undefined)?.backend;
        const fallback = isBackend(before) ? before : isBackend(saved) ? saved : null;
        this._previous = restarted && fallback !== backend ? fallback : null;
        this._error = `Switching to ${backend} failed: ${message(reason)}`;
        this._setStatus('error');
        if (restarted) {
          // Show what the kernel runs now, if it runs at all; the error stays visible.
          this._service
            .describe(panel)
            .then(environment => {
              if (following() && this._status === 'error') {
                this._environment = environment;
                this._changed.emit();
              }
            })
            .catch(() => {
              if (following()) {
                this._environment = null;
                this._changed.emit();
              }
            });
        }
      }
      return false;
    }
  }

  /**
   * After a cell of this notebook ran, ask again while the report says Keras is not
   * imported yet (the cell may have imported it, or set KERAS_BACKEND). Once Keras
   * is imported its backend cannot change until a restart, so nothing is asked.
   */
  private _onExecuted(_: unknown, args: { notebook: unknown }): void {
    const panel = this._panel;
    if (!panel || args.notebook !== panel.content || this._status !== 'ready') {
      return;
    }
    if (this._environment && this._environment.keras_imported !== false) {
      return;
    }
    window.clearTimeout(this._afterRunTimer);
    this._afterRunTimer = window.setTimeout(() => {
      if (panel === this._panel && this._status === 'ready') {
        void this.refresh({ quiet: true });
      }
    }, REFRESH_AFTER_RUN_MS);
  }

  private _onKernelStatus(): void {
    const status = this._panel?.sessionContext.kernelDisplayStatus;
    if (this._status === 'switching') {
      return;
    }
    if (status === 'restarting' || status === 'autorestarting' || status === 'starting') {
      if (status === 'autorestarting') {
        this._awaitingReport = 'autorestart';
        this._askUntilAnswered();
      } else if (!this._awaitingReport) {
        this._awaitingReport = 'restart';
      }
    } else if (status === 'idle' && this._awaitingReport) {
      // A restart from the toolbar (or any other) ends in idle: report the new kernel.
      this._reportAfterRestart();
    } else if (status === 'dead') {
      this._awaitingReport = null;
      this._error = 'The kernel died.';
      this._setStatus('error');
    }
  }

  /**
   * After an automatic restart JupyterLab may never show the new kernel as idle: its
   * status can stay "starting" or "unknown" until the kernel is sent something. So ask
   * the kernel (which is such a message) until it answers, a bounded number of times.
   */
  private _askUntilAnswered(): void {
    const panel = this._panel;
    const reportsBefore = this._reportsReceived;
    let attempts = 0;
    // Not awaited one by one: a request sent too early may never be answered.
    const ask = () => {
      if (this._awaitingReport !== 'autorestart' || panel !== this._panel) {
        return;
      }
      if (this._reportsReceived > reportsBefore || this._isSwitching()) {
        this._awaitingReport = null;
        return;
      }
      if (attempts < ASK_AFTER_AUTORESTART_ATTEMPTS) {
        attempts += 1;
        void this.refresh();
        setTimeout(ask, ASK_AFTER_AUTORESTART_INTERVAL_MS);
      }
    };
    setTimeout(ask, ASK_AFTER_AUTORESTART_INTERVAL_MS);
  }

  /** Once per restart: the report itself makes the kernel busy and idle again. */
  private _reportAfterRestart(): void {
    this._awaitingReport = null;
    void this.refresh();
  }

  private _onKernelChanged(): void {
    if (this._status !== 'switching') {
      // A new kernel may still be starting: ask now, and again once it is idle.
      this._awaitingReport = 'restart';
      void this.refresh();
    }
  }

  /** A method, not a field test, because the status changes across awaits. */
  private _isSwitching(): boolean {
    return this._status === 'switching';
  }

  private _setStatus(status: SwitcherStatus): void {
    this._status = status;
    this._changed.emit();
  }

  private _panel: NotebookPanel | null = null;
  private _status: SwitcherStatus = 'none';
  private _environment: IKernelEnvironment | null = null;
  private _error: string | null = null;
  private _previous: Backend | null = null;
  private _switchingTo: Backend | null = null;
  private _hook: IHookStatus | null = null;
  /** A restart is under way and the new kernel has not been asked yet. */
  private _awaitingReport: 'restart' | 'autorestart' | null = null;
  /** Counts answered refreshes, so a retry loop can tell a new answer from an old one. */
  private _reportsReceived = 0;
  private _afterRunTimer = 0;
  private _changed = new Signal<this, void>(this);
}

export function isBackend(value: unknown): value is Backend {
  return typeof value === 'string' && (BACKENDS as ReadonlyArray<string>).includes(value);
}

function message(reason: unknown): string {
  if (reason instanceof Error) {
    return reason.message;
  }
  return String(reason);
}
