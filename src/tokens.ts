/**
 * Services the plugins share. Each one is provided by exactly one plugin and
 * consumed through its token, so a plugin can be disabled or replaced alone.
 */
import { Token } from '@lumino/coreutils';
import type { RunJob } from './runner/types';
import { ISignal } from '@lumino/signaling';
import { NotebookPanel } from '@jupyterlab/notebook';
import type { ICellModel } from '@jupyterlab/cells';
import type { AnalyzeOptions, Backend, Finding } from './analysis/types';
import type { IAsyncAnalyzer } from './lint/protocol';

/** Loads the analyser (web-tree-sitter + the Python grammar, in a Web Worker) on first use. */
export interface IAnalyzerLoader {
  /** The shared analyser; the first call starts the worker, which loads the WASM. */
  analyzer(): Promise<IAsyncAnalyzer>;
  /** The analyser if it is already loaded. */
  readonly loaded: IAsyncAnalyzer | null;
}

export const IAnalyzerLoader = new Token<IAnalyzerLoader>(
  'jupyterlab-keras-migrate:IAnalyzerLoader',
  'Lazily loads the Keras migration analyser (tree-sitter WASM).'
);

/** Findings of one notebook, kept current as its cells change. */
export interface INotebookFindings {
  readonly panel: NotebookPanel;
  /** Findings of the last analysis (cell indices as in the model then; call refresh() for current ones). */
  readonly findings: ReadonlyArray<Finding>;
  /** Emitted after the findings were recomputed. */
  readonly changed: ISignal<INotebookFindings, void>;
  /** Analyse now (normally debounced after edits); resolves once the findings describe the current cells. */
  refresh(): Promise<void>;
  /** Options in effect (Keras version, target). */
  readonly options: AnalyzeOptions;
  /** The text a cell had when the current findings were computed (null: not analysed). */
  analysedSource(cell: ICellModel): string | null;
  /** Merge analyser options (the kernel's Keras version, the target) and recompute. */
  setOptions(options: AnalyzeOptions): void;
}

/** Notebook panel → its findings, for the sidebar's readiness list and the explain card. */
export interface INotebookFindingsTracker {
  /** Findings of a notebook, or null for a notebook that is not Python. */
  get(panel: NotebookPanel): INotebookFindings | null;
  /** The findings once the notebook is known to be Python and analysed once (null: not Python). */
  whenReady(panel: NotebookPanel): Promise<INotebookFindings | null>;
  /** Emitted whenever any notebook's findings changed. */
  readonly changed: ISignal<INotebookFindingsTracker, INotebookFindings>;
}

export const INotebookFindingsTracker = new Token<INotebookFindingsTracker>(
  'jupyterlab-keras-migrate:INotebookFindingsTracker',
  'Per-notebook Keras migration findings.'
);

/** What the kernel reports about its Keras environment (keras_migrate.environment.describe_json). */
export interface IKernelEnvironment {
  backend: string | null;
  keras_version: string | null;
  backends: {
    [name: string]: {
      installed: boolean;
      version: string | null;
      /** Null when the backend is not imported in the kernel (devices unknown). */
      devices?: Array<{ type: string; name: string } | string> | null;
      /** What jit_compile does on this backend with these devices. */
      jit_compile?: { auto: boolean | null; note: string } | null;
      active?: boolean;
      reason?: string;
    };
  };
  hook_loaded?: boolean;
  /** Whether Keras is imported in the kernel; if not, `backend` is the one it will load. */
  keras_imported?: boolean;
  /** Where `backend` comes from ("keras", "env", "config", ...). */
  backend_source?: string | null;
  /** Problems the report ran into (e.g. Keras failed to import). */
  keras_error?: string | null;
  errors?: Record<string, string>;
}

/** Whether a kernel's environment can import keras_migrate (the server's provisioner checks at launch). */
export interface IHookStatus {
  available: boolean;
  /** The kernel's Python executable. */
  python: string;
  /** The command that installs keras_migrate there (null when available). */
  install: string | null;
}

/** Talks to the server extension and the kernel about a kernel's Keras backend. */
export interface IBackendService {
  /** What the server knows about the kernel's hook (null: not started by the provisioner, or unknown). */
  hookStatus?(kernelId: string): Promise<IHookStatus | null>;
  /** The backend recorded on the server for a kernel (null if none recorded). */
  getRecorded(kernelId: string): Promise<string | null>;
  /** Record a backend choice for a kernel; it takes effect at the next (re)start. */
  record(kernelId: string, backend: Backend): Promise<void>;
  /**
   * Ask the running kernel for its Keras environment (a silent user_expressions request).
   * Without `importKeras` the kernel reports without importing Keras (so the user can
   * still set KERAS_BACKEND in a cell); with it, Keras is imported and the report is
   * what Keras itself says.
   */
  describe(panel: NotebookPanel, options?: { importKeras?: boolean }): Promise<IKernelEnvironment>;
  /** Record the choice, restart the kernel and wait until it reports the new environment. */
  switchBackend(panel: NotebookPanel, backend: Backend): Promise<IKernelEnvironment>;
}

export const IBackendService = new Token<IBackendService>(
  'jupyterlab-keras-migrate:IBackendService',
  'Records and applies the Keras backend of notebook kernels.'
);

/** Runs of whole notebooks on every backend (src/runner), for views that show what a run proved. */
export interface IBackendRuns {
  /** Emits the notebook path whose run changed. */
  readonly changed: ISignal<unknown, string>;
  /** Start a run of the active notebook's saved content on every backend. */
  runAll(): void;
  /** The latest run job of the notebook at `path`, if any. */
  verified(path: string): RunJob | null;
}

export const IBackendRuns = new Token<IBackendRuns>(
  'jupyterlab-keras-migrate:IBackendRuns',
  'Runs notebooks on every Keras backend in background kernels.'
);
