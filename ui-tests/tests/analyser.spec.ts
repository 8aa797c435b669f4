/**
 * The analyser in the editor: diagnostics across cells, the guide's explanation
 * on hover, and the quick fix through the shared model.
 */
import { expect, test } from '@jupyterlab/galata';
import { cellEditor, cellSource, collectErrors, openNotebook, screenshotPath } from './helpers';

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
    // The quick-fix button has JupyterLab's button colours (theme variables), not CodeMirror's grey.
    const colours = await page.locator('.cm-tooltip-lint .cm-diagnosticAction').first().evaluate(button => {
      const probe = document.createElement('div');
      probe.style.backgroundColor = 'var(--jp-brand-color1)';
      document.body.appendChild(probe);
      const brand = getComputedStyle(probe).backgroundColor;
      probe.remove();
      return { button: getComputedStyle(button).backgroundColor, brand };
    });
    expect(colours.button).toBe(colours.brand);
    // Its title names code as code.
    await expect(page.locator('.cm-tooltip-lint .cm-diagnosticAction').first().locator('code')).toHaveText(
      'keras.layers.Dense'
    );

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

  test('tree-sitter is loaded only once a notebook is open, in a Web Worker', async ({ page }) => {
    const requested: string[] = [];
    page.on('request', request => requested.push(request.url()));
    const inPage = () =>
      page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map(entry => entry.name)
          .filter(name => /keras-migrate-analysis|lint_worker|\.wasm$/.test(name))
      );
    // JupyterLab has started (Galata waited for it) without the analyser.
    expect(await inPage()).toEqual([]);
    expect(page.workers().filter(worker => /lint_worker/.test(worker.url()))).toEqual([]);
    await page.notebook.createNew('lazy.ipynb', { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', 'from tensorflow import keras');
    await expect(cellEditor(page, 0).locator('.cm-lintRange')).toHaveCount(1);
    // The analysis runs in a worker: the page itself fetched neither the grammar nor the analyser.
    expect(page.workers().filter(worker => /lint_worker/.test(worker.url()))).toHaveLength(1);
    expect((await inPage()).filter(name => name.endsWith('.wasm') || name.includes('keras-migrate-analysis'))).toEqual([]);
    expect(requested.filter(url => url.endsWith('.wasm'))).toHaveLength(2);
  });

  test('"Fix all safe problems in notebook" previews the diff, then fixes every cell', async ({ page, tmpPath }) => {
    const errors = collectErrors(page);
    await openNotebook(page, `${tmpPath}/fix-all.ipynb`, [
      'import tensorflow as tf\nfrom tensorflow.keras import layers',
      'model = tf.keras.Sequential([layers.Dense(4)])\nmodel.compile(optimizer=tf.keras.optimizers.Adam(lr=0.01), loss="mse")',
      'model.save("saved_model_dir")'
    ]);
    await expect(cellEditor(page, 1).locator('.cm-lintRange').first()).toBeVisible();
    await page.evaluate(() => {
      void (window as any).jupyterapp.commands.execute('keras-migrate:fix-all-safe');
    });
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.locator('.jp-KerasMigrate-diff')).toBeVisible();
    await expect(dialog.locator('.jp-KerasMigrate-diff-add').first()).toBeVisible();
    // The README's fix-all screenshot is taken on a real notebook (problems.spec.ts).
    await dialog.locator('.jp-mod-accept').click();

    await expect.poll(() => cellSource(page, 1)).toContain('keras.Sequential([layers.Dense(4)])');
    const fixed = [await cellSource(page, 0), await cellSource(page, 1), await cellSource(page, 2)].join('\n');
    expect(fixed).not.toContain('tf.keras');
    expect(fixed).toContain('learning_rate=0.01');
    expect(fixed).toContain('import keras');
    for (const index of [0, 1]) {
      await expect(cellEditor(page, index).locator('.cm-lintRange')).toHaveCount(0);
    }

    // One action reverts the whole fix.
    await page.locator('.jp-toast-button', { hasText: 'Undo' }).click();
    await expect.poll(() => cellSource(page, 2)).toBe('model.save("saved_model_dir")');
    expect(await cellSource(page, 0)).toBe('import tensorflow as tf\nfrom tensorflow.keras import layers');
    expect(errors.ours()).toEqual([]);
  });
});
