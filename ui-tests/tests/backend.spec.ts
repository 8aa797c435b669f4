/**
 * Backend sidebar: it shows what the kernel reports, and each switch restarts
 * the kernel so that keras.backend.backend() in the notebook returns the choice.
 */
import { expect, test } from '@jupyterlab/galata';
import { collectErrors, screenshotPath } from './helpers';

const SIDEBAR = '#jp-KerasMigrate-backend-sidebar';

/** Run the cell that prints the backend and return its printed text. */
async function backendInNotebook(page: import('@playwright/test').Page): Promise<string> {
  await page.notebook.runCell(0, true);
  const text = await page.evaluate(() => {
    const panel = (window as any).jupyterapp.shell.currentWidget;
    const outputs = panel.content.model.cells.get(0).outputs.toJSON();
    return outputs
      .filter((o: any) => o.output_type === 'stream' && o.name === 'stdout')
      .map((o: any) => (Array.isArray(o.text) ? o.text.join('') : o.text))
      .join('');
  });
  return text.trim();
}

// Galata's kernel route mock answers POST /api/kernels/{id}/restart with 201,
// which JupyterLab rejects; these tests restart kernels, so they go unmocked.
test.use({ kernels: null });

test.describe('backend sidebar', () => {
  test('switches jax → torch → tensorflow with a kernel restart', async ({ page }) => {
    const errors = collectErrors(page);
    await page.notebook.createNew('backend.ipynb', { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', 'import keras\nprint(keras.backend.backend())');
    await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
    const sidebar = page.locator(SIDEBAR);
    await expect(sidebar).toBeVisible();
    // The kernel's own default before any choice.
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-current')).toHaveAttribute('data-backend', 'tensorflow');
    await expect(page.locator('.jp-KerasMigrate-status')).toHaveText('Keras: tensorflow');

    for (const backend of ['jax', 'torch', 'tensorflow']) {
      await sidebar.locator(`.jp-KerasMigrate-switch[data-backend="${backend}"]`).click();
      await expect(sidebar.locator('.jp-KerasMigrate-sidebar-current')).toHaveAttribute('data-backend', backend);
      await expect(sidebar.locator(`.jp-KerasMigrate-switch[data-backend="${backend}"]`)).toBeDisabled();
      expect(await backendInNotebook(page)).toBe(backend);
      const saved = await page.evaluate(
        () => (window as any).jupyterapp.shell.currentWidget.model.getMetadata('keras_migrate')
      );
      expect(saved).toEqual({ backend });
      if (backend === 'jax') {
        await page.screenshot({ path: screenshotPath('backend-sidebar.png') });
      }
    }
    expect(errors.ours()).toEqual([]);
  });

  test('a backend the kernel does not have is shown as not installed', async ({ page }) => {
    await page.notebook.createNew('backend-missing.ipynb', { kernel: 'python3' });
    await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
    const sidebar = page.locator(SIDEBAR);
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-current')).toHaveAttribute('data-backend', 'tensorflow');
    // openvino is not installed in the test environment.
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-other[data-backend="openvino"]')).toContainText(
      'not installed'
    );
  });
});
