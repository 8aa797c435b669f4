/**
 * The analysis Web Worker: the DOM-free analysis core, one incremental analysis
 * per open notebook, so parsing a 3,000-line cell never blocks typing.
 */
import { createAnalyzer } from '../analysis/index';
import type { KerasMigrateAnalyzer, NotebookAnalysis } from '../analysis/index';
import { wasmLocations } from './wasm';
import { findingsJsonByCell } from './protocol';
import type { AnalysisRequest, AnalysisResponse } from './protocol';

// The worker global; typed loosely because tsconfig's lib is DOM, not WebWorker.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<AnalysisRequest>) => void) | null;
  postMessage(message: AnalysisResponse): void;
};

let analyzer: Promise<KerasMigrateAnalyzer> | null = null;
const notebooks = new Map<number, NotebookAnalysis>();

function load(): Promise<KerasMigrateAnalyzer> {
  if (!analyzer) {
    analyzer = createAnalyzer(wasmLocations()).catch(reason => {
      analyzer = null;
      throw reason;
    });
  }
  return analyzer;
}

async function handle(request: AnalysisRequest): Promise<AnalysisResponse> {
  if (request.kind === 'close') {
    notebooks.get(request.notebook)?.dispose();
    notebooks.delete(request.notebook);
    return { id: request.id, ok: true };
  }
  const core = await load();
  if (request.kind === 'fix') {
    const result = core.fixCells(request.cells, { ...request.options, unsafe: false });
    return { id: request.id, ok: true, fixed: { cells: result.cells, applied: result.applied } };
  }
  let notebook = notebooks.get(request.notebook);
  if (!notebook) {
    notebook = core.openNotebook();
    notebooks.set(request.notebook, notebook);
  }
  notebook.update(request.cells);
  return { id: request.id, ok: true, findings: findingsJsonByCell(notebook.findings(request.options), request.cells.length) };
}

// Requests are answered in order: each one waits for the one before it.
let queue: Promise<unknown> = Promise.resolve();
scope.onmessage = event => {
  const request = event.data;
  queue = queue.then(async () => {
    let response: AnalysisResponse;
    try {
      response = await handle(request);
    } catch (reason) {
      response = { id: request.id, ok: false, error: reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason) };
    }
    scope.postMessage(response);
  });
};
