/**
 * The analyser in the editor: diagnostics across cells, the guide's explanation
 * on hover, and the quick fix through the shared model.
 */
import { expect, test } from '@jupyterlab/galata';
import { cellEditor, cellSource, collectErrors, screenshotPath } from './helpers';

test.describe('analyser in notebook cells', () => {
  test('marks tf.keras uses knowing an earlier cell imported tensorflow, and fixes them', async ({ page }) => {
    const errors = collectErrors(page);
    await page.notebook.createNew('analyser.ipynb', { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', 'import tensorflow as tf');
    await page.notebook.addCell('code', 'from tensorflow import keras\nlayer = tf.keras.layers.Dense(3)');

    const cell = cellEditor(page, 1);
    const marks = cell.locator('.cm-lintRange');
    await expect(marks).toHaveCount(2);

    // Hover the tf.keras use: the tooltip carries the guide's explanation and a link.
    await cell.locator('.cm-lintRange', { hasText: 'tf.keras' }).first().hover();
    const tooltip = page.locator('.cm-tooltip-lint .jp-KerasMigrate-tooltip').first();
    await expect(tooltip).toBeVisible();
    await expect(tooltip).toContainText('tf.keras.layers.Dense');
    await expect(tooltip).toContainText('Keras 3 is its own package');
    await expect(tooltip.locator('a.jp-KerasMigrate-guide-link')).toHaveAttribute('href', /keras\.io/);
    await page.screenshot({ path: screenshotPath('analyser-hover.png') });

    await page.locator('.cm-tooltip-lint .cm-diagnosticAction').first().click();
    await expect.poll(() => cellSource(page, 1)).toBe('from tensorflow import keras\nlayer = keras.layers.Dense(3)');

    // The import line's own quick fix.
    await cellEditor(page, 1).locator('.cm-lintRange', { hasText: 'from tensorflow' }).first().hover();
    await page.locator('.cm-tooltip-lint .cm-diagnosticAction').first().click();
    await expect.poll(() => cellSource(page, 1)).toBe('import keras\nlayer = keras.layers.Dense(3)');
    await expect(cellEditor(page, 1).locator('.cm-lintRange')).toHaveCount(0);

    expect(errors.ours()).toEqual([]);
  });

  test('an import in an earlier cell changes the findings of the cells below', async ({ page }) => {
    const errors = collectErrors(page);
    await page.notebook.createNew('cross-cell.ipynb', { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', 'import numpy as np');
    // The import line is flagged on its own; `tf` is not TensorFlow yet, so that is all.
    await page.notebook.addCell('code', 'from tensorflow import keras\ndense = tf.keras.layers.Dense(4)');
    const below = cellEditor(page, 1);
    await expect(below.locator('.cm-lintRange')).toHaveCount(1);
    await expect(below.locator('.cm-lintRange')).toHaveText('from tensorflow import keras');

    // Editing the cell above re-lints the cell below.
    await page.notebook.setCell(0, 'code', 'import tensorflow as tf');
    await expect(below.locator('.cm-lintRange')).toHaveCount(2);
    expect(errors.ours()).toEqual([]);
  });
});
