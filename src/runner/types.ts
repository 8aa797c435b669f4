/** The run job and report shapes the server sends (docs/run-report.md, python keras_migrate.runner.server). */

export type CellStatus = 'ok' | 'error' | 'warning' | 'not-run' | 'timeout' | 'skipped';
export type BackendStatus = 'ok' | 'failed' | 'timeout' | 'environment' | 'not-installed' | 'error';

export interface RunDiagnosis {
  guide: string | null;
  title: string | null;
  fix: string | null;
  explanation: string | null;
  line: number | null;
  cell: number | null;
  guide_url: string | null;
}

export interface RunCell {
  index: number;
  status: CellStatus;
  seconds: number | null;
  error: { type: string; message: string; traceback: string[] } | null;
  environment: string | null;
  consequence_of: number | null;
  diagnosis: RunDiagnosis | null;
  reason: string | null;
  static: Array<{ rule: string; guide: string; message: string; blocks: string[] }>;
  verdict: 'predicted-and-failed' | 'static-miss' | 'false-blocker' | null;
}

export interface BackendRun {
  backend: string;
  status: BackendStatus;
  reason: string | null;
  cells: RunCell[];
  summary: {
    cells: number;
    ok: number;
    first_failure: { cell: number; status: string; text: string | null; guide: string | null } | null;
  };
}

export interface NotebookRunReport {
  path: string;
  error: string | null;
  status: string;
  cells: Array<{ index: number; head: string }>;
  variants: { original?: { backends: Record<string, BackendRun>; status: string } };
}

export interface RunJob {
  id: string;
  path: string;
  backends: string[];
  status: 'running' | 'done' | 'cancelled' | 'failed';
  error: string | null;
  started: number;
  finished: number | null;
  progress: { total: number; done: number; running: Record<string, string> };
  kernel_pids: number[];
  kernels_left: number[];
  exit_code: number | null;
  file_last_modified: number | null;
  /** SHA-256 of the code cells of the file that ran (see freshness.ts); absent from older servers. */
  code_sha256?: string | null;
  report: NotebookRunReport | null;
}
