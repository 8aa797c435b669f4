/**
 * Notebooks the extension must not trip over: a kernel that is not Python,
 * syntax errors, IPython magics and shell lines, an empty notebook.
 */
import { expect, test } from '@jupyterlab/galata';
import { cellEditor, collectErrors, openNotebook, screenshotPath } from './helpers';

const TF_KERAS_CELL = 'from tensorflow import keras\nlayer = tf.keras.layers.Dense(3)';

test.describe('robustness', () => {
  test('a notebook whose kernel is not Python is left alone', async ({ page, tmpPath }) => {
    const errors = collectErrors(page);
    await page.notebook.createNew('echo.ipynb', { kernel: 'echo' });
    await page.notebook.setCell(0, 'code', TF_KERAS_CELL);
    await page.notebook.runCell(0, true);
    await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
    await expect(page.locator('#jp-KerasMigrate-backend-sidebar')).toContainText('not Python');

    // The same code in a Python notebook is flagged: the analyser is loaded and has run.
    await openNotebook(page, `${tmpPath}/python.ipynb`, [`import tensorflow as tf\n${TF_KERAS_CELL}`]);
    await expect(cellEditor(page, 0).locator('.cm-lintRange')).toHaveCount(2);

    await expect(page.locator('#jp-KerasMigrate-backend-sidebar')).toHaveAttribute('data-status', /ready|error/);

    // Back to the echo notebook after the Python one: the sidebar describes the echo
    // notebook (no backend, no switch buttons), the status bar shows nothing of Python's.
    await page.notebook.activate('echo.ipynb');
    await expect(cellEditor(page, 0).locator('.cm-line').first()).toBeVisible();
    await expect(cellEditor(page, 0).locator('.cm-lintRange')).toHaveCount(0);
    await expect(page.locator('.jp-KerasMigrate-status')).toBeHidden();
    await expect(page.locator('#jp-main-statusbar .jp-KerasMigrate-problemcount')).toBeHidden();
    const sidebar = page.locator('#jp-KerasMigrate-backend-sidebar');
    await expect(sidebar).toHaveAttribute('data-status', 'not-python');
    await expect(sidebar).toContainText('echo.ipynb');
    await expect(sidebar.locator('.jp-KerasMigrate-switch')).toHaveCount(0);
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-current')).toHaveCount(0);
    expect(errors.ours()).toEqual([]);
  });

  test('syntax errors, magics and shell lines: no crash, findings still found', async ({ page, tmpPath }) => {
    const errors = collectErrors(page);
    await openNotebook(page, `${tmpPath}/odd-cells.ipynb`, [
      'def broken(:\n    pass',
      '%%time\nx = 1',
      '!echo hello\n%pip --version\nimport tensorflow as tf\nfiles = !ls\nlayer = tf.keras.layers.Dense(2)',
      '',
      'raise ValueError("a value the user checks")'
    ]);
    // The magics and shell lines do not hide the tf.keras use below them.
    await expect(cellEditor(page, 2).locator('.cm-lintRange')).toHaveCount(1);
    await expect(cellEditor(page, 2).locator('.cm-lintRange')).toHaveText('tf.keras.layers.Dense');

    await page.notebook.runCell(0, true);
    // A SyntaxError is a plain Python error (no catalog signature names it, no Keras in
    // its traceback): no "Explain this error" under it.
    const syntaxError = page.locator('.jp-KerasMigrate-stderr', { hasText: 'SyntaxError' });
    await expect(syntaxError).toBeVisible();
    await expect(syntaxError.locator('.jp-KerasMigrate-explain-button')).toHaveCount(0);
    // A ValueError may be one: the action is there, and says when it is not.
    await page.notebook.runCell(4, true);
    const valueError = page.locator('.jp-KerasMigrate-stderr', { hasText: 'a value the user checks' });
    await valueError.locator('.jp-KerasMigrate-explain-button').click();
    await expect(valueError.locator('.jp-KerasMigrate-card-none')).toHaveText(
      'Not recognised as a Keras 3 migration problem.'
    );
    await page.notebook.runCell(1, true);
    await page.notebook.runCell(2, true);
    await page.screenshot({ path: screenshotPath('robustness-odd-cells.png') });
    expect(errors.ours()).toEqual([]);
  });

  test('an empty notebook', async ({ page }) => {
    const errors = collectErrors(page);
    await page.notebook.createNew('empty.ipynb', { kernel: 'python3' });
    await page.notebook.deleteCells();
    await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
    await expect(page.locator('#jp-KerasMigrate-backend-sidebar .jp-KerasMigrate-readiness').first()).toContainText(
      'No blocking findings'
    );
    await page.notebook.save();
    expect(errors.ours()).toEqual([]);
  });
});
