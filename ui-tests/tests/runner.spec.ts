/**
 * "Run on all backends": the saved notebook runs in background kernels on TensorFlow,
 * JAX and PyTorch; the matrix shows each cell per backend, a failed cell's reason, and
 * jumps to the cell; cancelling stops the background kernels.
 */
import { expect, test } from '@jupyterlab/galata';
import { collectErrors, openNotebook, screenshotPath, setCellSource } from './helpers';

const RUN_SIDEBAR = '#jp-KerasMigrate-run-sidebar';

// Runs go to the real server endpoint; kernels are not mocked.
test.use({ kernels: null });

test.afterEach(async ({ page }) => {
  await page.evaluate(() => (window as any).jupyterapp.serviceManager.sessions.shutdownAll()).catch(() => undefined);
});

test.describe('run on all backends', () => {
  test('shows the matrix, a failed cell’s reason, and jumps to it', async ({ page, tmpPath }) => {
    test.setTimeout(420000);
    const errors = collectErrors(page);
    // Item assignment works on torch tensors, not on TensorFlow or JAX arrays: a real per-backend difference.
    await openNotebook(page, `${tmpPath}/matrix.ipynb`, [
      'import keras\nprint(keras.backend.backend())',
      'x = keras.ops.zeros((2,))\nx[0] = 1.0',
      'print("later cells still run")'
    ]);
    await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
    await page.locator('.jp-KerasMigrate-sidebar-runall').click();

    const view = page.locator(RUN_SIDEBAR);
    await expect(view).toBeVisible();
    const matrix = view.locator('.jp-KerasMigrate-run-matrix');
    await expect(matrix).toBeVisible({ timeout: 360000 });
    await expect(view.locator('.jp-KerasMigrate-run-status')).toHaveAttribute('data-status', 'done');
    await expect(matrix.locator('.jp-KerasMigrate-run-row')).toHaveCount(3);

    const second = matrix.locator('.jp-KerasMigrate-run-row[data-cell="1"]');
    await expect(second.locator('[data-backend="torch"]')).toHaveAttribute('data-status', 'ok');
    for (const backend of ['tensorflow', 'jax']) {
      const failed = second.locator(`[data-backend="${backend}"]`);
      await expect(failed).toHaveAttribute('data-status', 'error');
      await expect(failed).toHaveAttribute('title', /TypeError|assign|immutable/);
    }
    await expect(matrix.locator('.jp-KerasMigrate-run-row[data-cell="2"] [data-backend="jax"]')).toHaveAttribute('data-status', 'ok');
    await expect(view.locator('.jp-KerasMigrate-run-verified li[data-backend="torch"]')).toContainText(
      'runs the whole notebook'
    );
    await expect(view.locator('.jp-KerasMigrate-run-verified-fails').first()).toContainText('fails at cell 2');

    // A failed cell opens its reason and selects the cell in the notebook.
    await page.evaluate(() => ((window as any).jupyterapp.shell.currentWidget.content.activeCellIndex = 0));
    await (page as any).sidebar.openTab('jp-KerasMigrate-run-sidebar');
    await second.locator('[data-backend="jax"]').click();
    const detail = view.locator('.jp-KerasMigrate-run-detail');
    await expect(detail).toContainText('Cell 2 on jax');
    await expect(detail.locator('.jp-KerasMigrate-run-detail-error')).toContainText(/TypeError|assign|immutable/);
    await expect
      .poll(() => page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.activeCellIndex))
      .toBe(1);
    await page.screenshot({ path: screenshotPath('run-matrix.png') });

    // The backend sidebar now says what the run proved.
    await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
    const torchRow = page.locator('#jp-KerasMigrate-backend-sidebar .jp-KerasMigrate-sidebar-backendrow[data-backend="torch"]');
    const torchVerified = torchRow.locator('.jp-KerasMigrate-sidebar-verified');
    await expect(torchVerified).toHaveText(/^Verified: runs the whole notebook · run (just now|\d+ min ago)$/);
    await expect(torchVerified).toHaveAttribute('data-freshness', 'unchanged');
    const jaxRow = page.locator('#jp-KerasMigrate-backend-sidebar .jp-KerasMigrate-sidebar-backendrow[data-backend="jax"]');
    await expect(jaxRow.locator('.jp-KerasMigrate-sidebar-verified')).toContainText('Verified: fails at cell 2');
    // Editing a code cell makes the run describe older code: the line says so.
    await setCellSource(page, 2, 'print("edited after the run")');
    await expect(torchVerified).toHaveAttribute('data-freshness', 'changed');
    await expect(torchVerified).toContainText('the code changed since: run again to verify');
    // Back to the code that ran: the run describes it again.
    await setCellSource(page, 2, 'print("later cells still run")');
    await expect(torchVerified).toHaveAttribute('data-freshness', 'unchanged');
    expect(errors.ours()).toEqual([]);
  });

  test('cancel stops the background kernels', async ({ page, tmpPath }) => {
    test.setTimeout(300000);
    await openNotebook(page, `${tmpPath}/slow.ipynb`, ['import time', 'time.sleep(600)']);
    await page.sidebar.openTab('jp-KerasMigrate-run-sidebar');
    const view = page.locator(RUN_SIDEBAR);
    await view.locator('.jp-KerasMigrate-run-start').click();
    const status = view.locator('.jp-KerasMigrate-run-status');
    await expect(status).toHaveAttribute('data-status', 'running');
    // Every backend's kernel is in the sleeping cell.
    await expect(status).toContainText(/(cell 2\/2.*){3}/, { timeout: 240000 });
    await view.locator('.jp-KerasMigrate-run-cancel').click();
    await expect(status).toHaveAttribute('data-status', 'cancelled', { timeout: 60000 });
    await expect(status).toHaveText('Cancelled; 3 background kernels stopped.');
    await expect(view.locator('.jp-KerasMigrate-run-start')).toBeVisible();
  });
});
