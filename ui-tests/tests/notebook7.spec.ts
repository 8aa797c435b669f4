/**
 * Jupyter Notebook 7 (the `notebook7` project: `jupyter notebook` with the same server
 * configuration, see playwright.config.js): the three features work there too.
 * Notebook 7 has no status bar, so the findings count and the backend are notebook
 * toolbar items. Galata's fixtures drive JupyterLab; here plain Playwright drives
 * /notebooks/<file>, and files are written through the server's contents API.
 */
import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { cellEditor, cellSource, cliCheck, collectErrors, notebookJson, screenshotPath } from './helpers';

const FINDINGS_CELL = 'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(3)])';

const KERASTENSOR_CELL = [
  'import keras',
  'import tensorflow as tf',
  'inputs = keras.Input(shape=(3,))',
  'outputs = tf.nn.relu(inputs)'
].join('\n');

const BACKEND_CELL = 'import keras\nprint(keras.backend.backend())';

/** Writes a notebook of these code cells (Python kernel) and opens it in Notebook 7. */
async function openInNotebook7(page: Page, request: APIRequestContext, name: string, cells: string[]): Promise<void> {
  const notebook = notebookJson(cells);
  const put = await request.put(`/api/contents/${name}`, {
    data: { type: 'notebook', format: 'json', content: notebook }
  });
  expect(put.ok(), await put.text()).toBe(true);
  // As a user does: the file browser (/tree), then the notebook in its own tab.
  await page.goto('/tree');
  await expect(page.locator('.jp-DirListing-item', { hasText: name })).toBeVisible();
  await page.goto(`/notebooks/${name}`);
  await expect(page.locator('.jp-Notebook .jp-Cell').first()).toBeVisible();
  // Notebook 7's own app, not JupyterLab's.
  expect(await page.evaluate(() => (window as any).jupyterapp.name)).toBe('Jupyter Notebook');
  await expect(page.locator('.jp-NotebookPanel-toolbar .jp-KernelName')).toContainText('Python 3');
  // Cells run once the kernel has started (a run asked for earlier is dropped).
  await expect
    .poll(() => page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.sessionContext.kernelDisplayStatus), {
      timeout: 120000
    })
    .toBe('idle');
}

/** The notebook's toolbar item registered under this name. */
function toolbarItem(page: Page, name: string) {
  return page.locator(`.jp-NotebookPanel-toolbar [data-jp-item-name="${name}"]`);
}

/** Runs a cell through Notebook 7's own command, and waits until the kernel has answered. */
async function runCell(page: Page, index: number): Promise<void> {
  await page.evaluate(async i => {
    const app = (window as any).jupyterapp;
    const notebook = app.shell.currentWidget.content;
    notebook.activeCellIndex = i;
    await app.commands.execute('notebook:run-cell');
  }, index);
  await expect
    .poll(() =>
      page.evaluate(i => (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(i).executionCount, index)
    )
    .not.toBeNull();
}

/** A cell's printed text. */
function cellText(page: Page, index: number): Promise<string> {
  return page.evaluate(i => {
    const outputs = (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(i).outputs.toJSON();
    return outputs
      .filter((o: any) => o.output_type === 'stream' && o.name === 'stdout')
      .map((o: any) => (Array.isArray(o.text) ? o.text.join('') : o.text))
      .join('');
  }, index);
}

/**
 * Errors from this extension. Notebook 7.6.5 itself throws one uncaught TypeError at
 * start-up (its shortcuts plugin reads `.schema` of a setting it has not loaded; it is
 * thrown with this extension's bundle blocked as well), so page errors count only when
 * they mention this extension or its analyser, as console errors do.
 */
function oursInNotebook7(errors: ReturnType<typeof collectErrors>): string[] {
  return errors.all.filter(text => /keras|migrate|tree-sitter|wasm/i.test(text));
}

test.describe('Jupyter Notebook 7', () => {
  test('cell findings: marks, the count in the toolbar and the problems panel, a quick fix', async ({
    page,
    request
  }) => {
    const errors = collectErrors(page);
    await openInNotebook7(page, request, 'nb7-findings.ipynb', [FINDINGS_CELL]);
    const expected = cliCheck(FINDINGS_CELL, 'nb7-findings.py').length;
    expect(expected).toBeGreaterThan(1);

    const marks = cellEditor(page, 0).locator('.cm-lintRange');
    await expect(marks).toHaveCount(expected);
    // No status bar here: the count is a notebook toolbar item, and a click opens the list.
    await expect(page.locator('#jp-main-statusbar')).toHaveCount(0);
    const count = toolbarItem(page, 'keras-migrate-problems');
    await expect(count).toHaveAttribute('data-count', String(expected));
    await count.click();
    const panel = page.locator('#jp-KerasMigrate-problems');
    await expect(panel).toBeVisible();
    await expect(panel.locator('.jp-KerasMigrate-problems-item')).toHaveCount(expected);

    // The quick fix from the hover tooltip rewrites the cell; the count follows.
    await marks.filter({ hasText: 'tf.keras.Sequential' }).first().hover();
    const tooltip = page.locator('.cm-tooltip-lint .jp-KerasMigrate-tooltip').first();
    await expect(tooltip).toBeVisible();
    await page.locator('.cm-tooltip-lint .cm-diagnosticAction').first().click();
    await expect.poll(() => cellSource(page, 0)).toContain('model = keras.Sequential(');
    const after = cliCheck(await cellSource(page, 0), 'nb7-findings-fixed.py').length;
    expect(after).toBeLessThan(expected);
    await expect(count).toHaveAttribute('data-count', String(after));
    await expect(marks).toHaveCount(after);
    expect(oursInNotebook7(errors)).toEqual([]);
  });

  test('explain: a Keras 3 migration error gets the diagnosis card under its traceback', async ({ page, request }) => {
    const errors = collectErrors(page);
    await openInNotebook7(page, request, 'nb7-explain.ipynb', [KERASTENSOR_CELL]);
    await runCell(page, 0);
    const outputs = page.locator('.jp-Notebook .jp-Cell').first().locator('.jp-OutputArea-child');
    const card = outputs.locator('.jp-KerasMigrate-diagnosis');
    await expect(card).toBeVisible();
    await expect(card).toHaveAttribute('data-guide', 'kerastensor-tf-op');
    await expect(card.locator('.jp-KerasMigrate-card-code')).toHaveText('outputs = tf.nn.relu(inputs)');
    // Under the traceback: the card's output comes after the error's, which is still shown.
    const order = await outputs.evaluateAll(children =>
      children.map(child =>
        child.querySelector('.jp-KerasMigrate-diagnosis')
          ? 'card'
          : /Traceback|KerasTensor/.test(child.textContent ?? '')
            ? 'traceback'
            : 'other'
      )
    );
    expect(order.filter(kind => kind !== 'other')).toEqual(['traceback', 'card']);
    expect(oursInNotebook7(errors)).toEqual([]);
  });

  test('backend: the toolbar item shows the kernel’s backend and follows a switch', async ({ page, request }) => {
    const errors = collectErrors(page);
    await openInNotebook7(page, request, 'nb7-backend.ipynb', [BACKEND_CELL]);
    const backend = toolbarItem(page, 'keras-migrate-backend');
    await expect(backend).toHaveAttribute('data-backend', /^(jax|tensorflow|torch)$/);
    await runCell(page, 0);
    const reported = (await cellText(page, 0)).trim();
    await expect(backend).toHaveAttribute('data-backend', reported);
    await expect(backend).toHaveText(`Keras: ${reported}`);

    // A click opens the backend sidebar (Notebook 7's right panel); switching restarts the kernel.
    await backend.click();
    const sidebar = page.locator('#jp-KerasMigrate-backend-sidebar');
    await expect(sidebar).toBeVisible();
    const other = reported === 'jax' ? 'torch' : 'jax';
    await sidebar.locator(`.jp-KerasMigrate-switch[data-backend="${other}"]`).click();
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    await expect(backend).toHaveAttribute('data-backend', other);
    await runCell(page, 0);
    await expect.poll(async () => (await cellText(page, 0)).trim()).toBe(other);
    await page.screenshot({ path: screenshotPath('notebook7-backend.png') });
    expect(oursInNotebook7(errors)).toEqual([]);
  });
});
