/**
 * Shared by the specs: collecting browser errors, and where screenshots go.
 */
import { Page } from '@playwright/test';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The README's screenshots come from the Galata run. */
export const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

export function screenshotPath(name: string): string {
  return path.join(SCREENSHOTS, name);
}

/** The command-line analyser, built from the same sources as the extension. */
const CLI = path.resolve(__dirname, '..', '..', 'lib', 'cli', 'keras-migrate.cjs');

export interface CliFinding {
  cell: number;
  line: number;
  rule: string;
  fix: { safe: boolean } | null;
}

/** The CLI's findings for a .py or .ipynb file. */
export function cliCheckFile(file: string): CliFinding[] {
  // Exit status 1 means "findings found", as with ruff: read the output either way.
  const out = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', file], { encoding: 'utf-8' }).stdout;
  return JSON.parse(out) as CliFinding[];
}

/** The CLI's findings for this Python source (written to a throw-away file of this name). */
export function cliCheck(source: string, name: string): CliFinding[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-migrate-galata-'));
  try {
    const file = path.join(dir, name);
    fs.writeFileSync(file, source);
    return cliCheckFile(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Uncaught page errors and console errors, recorded from now on. */
export function collectErrors(page: Page): { all: string[]; ours: () => string[] } {
  const all: string[] = [];
  page.on('pageerror', error => all.push(`pageerror: ${error.message}\n${error.stack ?? ''}`));
  page.on('console', message => {
    if (message.type() === 'error') {
      all.push(`console.error: ${message.text()}`);
    }
  });
  return {
    all,
    // Errors that can come from this extension: uncaught exceptions anywhere, and
    // console errors that mention it, its analyser or its WASM.
    ours: () =>
      all.filter(
        text => text.startsWith('pageerror') || /keras|migrate|tree-sitter|wasm|KerasMigrate/i.test(text)
      )
  };
}

/** Source text of a cell as the shared model holds it. */
export async function cellSource(page: Page, index: number): Promise<string> {
  return page.evaluate(i => {
    const app = (window as any).jupyterapp;
    const panel = app.shell.currentWidget;
    return panel.content.model.cells.get(i).sharedModel.getSource();
  }, index);
}

/** Replace a cell's source through the shared model (typing would auto-indent class bodies). */
export async function setCellSource(page: Page, index: number, text: string): Promise<void> {
  await page.evaluate(
    ([i, source]) =>
      (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(i).sharedModel.setSource(source),
    [index, text] as [number, string]
  );
}

/** The editor of the i-th cell of the current notebook. */
export function cellEditor(page: Page, index: number) {
  return page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell').nth(index).locator('.jp-InputArea-editor');
}

/** Write a notebook with these code cells (no outputs) and open it. */
type KernelSpec = { name: string; display_name: string; language: string };
const PYTHON3: KernelSpec = { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' };

/**
 * The JSON of a notebook of code cells: a cell is its source, or the fields it sets (saved
 * outputs, an id, an execution count) over an empty code cell.
 */
export function notebookJson(cells: Array<string | Record<string, unknown>>, kernel: KernelSpec = PYTHON3): object {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: kernel },
    cells: cells.map((cell, i) => ({
      cell_type: 'code',
      id: `cell-${i}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      ...(typeof cell === 'string' ? { source: cell } : cell)
    }))
  };
}

export async function openNotebook(
  page: import('@jupyterlab/galata').IJupyterLabPageFixture,
  path: string,
  cells: string[],
  kernel: KernelSpec = PYTHON3
): Promise<void> {
  const notebook = notebookJson(cells, kernel);
  await page.contents.uploadContent(JSON.stringify(notebook), 'text', path);
  await page.notebook.openByPath(path);
  await page.notebook.activate(path.split('/').pop()!);
}
