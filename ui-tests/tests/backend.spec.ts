/**
 * Backend sidebar: it shows what the kernel reports, and each switch restarts
 * the kernel so that keras.backend.backend() in the notebook returns the choice.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { collectErrors, openNotebook, screenshotPath, setCellSource } from './helpers';

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

/** Open the sidebar on the kernel's default, switch with its button, wait for the new backend. */
async function switchInSidebar(page: import('@playwright/test').Page, backend: string) {
  await (page as any).sidebar.openTab('jp-KerasMigrate-backend-sidebar');
  const sidebar = page.locator(SIDEBAR);
  const current = sidebar.locator('.jp-KerasMigrate-sidebar-current');
  await expect(current).toHaveAttribute('data-backend', 'tensorflow');
  await sidebar.locator(`.jp-KerasMigrate-switch[data-backend="${backend}"]`).click();
  await expect(current).toHaveAttribute('data-backend', backend);
  await expect(sidebar).toHaveAttribute('data-status', 'ready');
  return { sidebar, current };
}

// Galata's kernel route mock answers POST /api/kernels/{id}/restart with 201,
// which JupyterLab rejects; these tests restart kernels, so they go unmocked.
test.use({ kernels: null });

// These tests switch many times; asking first is tested in problems.spec.ts.
test.use({
  mockSettings: { ...galata.DEFAULT_SETTINGS, 'jupyterlab-keras-migrate:backend': { confirmSwitch: false } }
});

// So the kernels of one test (TensorFlow, JAX, torch loaded) do not pile up.
test.afterEach(async ({ page }) => {
  await page.evaluate(() => (window as any).jupyterapp.serviceManager.sessions.shutdownAll()).catch(() => undefined);
});

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

  test('showing the backend does not import Keras, so a cell can still choose it the guide’s way', async ({
    page
  }) => {
    await page.notebook.createNew('guide-way.ipynb', { kernel: 'python3' });
    // The status-bar item opens the sidebar.
    await expect(page.locator('.jp-KerasMigrate-status')).toHaveText('Keras: tensorflow');
    await page.locator('.jp-KerasMigrate-status').click();
    await expect(page.locator(SIDEBAR)).toBeVisible();
    const current = page.locator(`${SIDEBAR} .jp-KerasMigrate-sidebar-current`);
    await expect(current).toHaveAttribute('data-backend', 'tensorflow');
    await expect(current).toContainText('not imported yet');
    // Typography: the note reads as a note (smaller than the backend line); "Active" is a label, not a button.
    const sizes = await current.evaluate(node => ({
      line: parseFloat(getComputedStyle(node.querySelector('.jp-KerasMigrate-sidebar-backend')!).fontSize),
      note: parseFloat(getComputedStyle(node.querySelector('.jp-KerasMigrate-sidebar-note')!).fontSize)
    }));
    expect(sizes.note).toBeLessThan(sizes.line);
    const active = page.locator(`${SIDEBAR} .jp-KerasMigrate-switch.jp-mod-active`);
    await expect(active).toHaveText('Active');
    await expect(active).toHaveCSS('background-color', 'rgba(0, 0, 0, 0)');
    await expect(active).toHaveCSS('border-top-style', 'none');
    await setCellSource(page, 0, 'import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\nprint(keras.backend.backend())');
    expect(await backendInNotebook(page)).toBe('jax');
    // The sidebar follows the execution by itself (no Refresh): Keras is imported, on jax.
    await expect(current).toHaveAttribute('data-backend', 'jax');
    await expect(current).not.toContainText('not imported yet');
  });

  test('a backend the kernel does not have is shown disabled, with the reason', async ({ page }) => {
    await page.notebook.createNew('backend-missing.ipynb', { kernel: 'python3' });
    await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
    const sidebar = page.locator(SIDEBAR);
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-current')).toHaveAttribute('data-backend', 'tensorflow');
    // openvino is not installed in the test environment.
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-other[data-backend="openvino"]')).toContainText(
      'not installed'
    );

    // Every switchable backend is installed here, so the kernel's report says torch is not.
    // Set through the model: typing would auto-indent the lines after the def.
    const source = [
      'import json, keras_migrate.environment as environment',
      'real_describe = environment.describe_json',
      'def describe_without_torch(*args, **kwargs):',
      '    report = json.loads(real_describe(*args, **kwargs))',
      "    report['backends']['torch'] = {'installed': False, 'version': None, 'devices': None}",
      '    return json.dumps(report)',
      'environment.describe_json = describe_without_torch'
    ].join('\n');
    await setCellSource(page, 0, source);
    await page.notebook.runCell(0, true);
    await sidebar.locator('.jp-KerasMigrate-sidebar-refresh').click();
    // The reason first: while the sidebar asks the kernel, every button is disabled anyway.
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-backendrow[data-backend="torch"]')).toContainText(
      'not installed'
    );
    await expect(sidebar.locator('.jp-KerasMigrate-switch[data-backend="torch"]')).toBeDisabled();
    await expect(sidebar.locator('.jp-KerasMigrate-switch[data-backend="jax"]')).toBeEnabled();
  });

  test('the readiness list counts what blocks each backend and jumps to it', async ({ page, tmpPath }) => {
    const errors = collectErrors(page);
    await openNotebook(page, `${tmpPath}/readiness.ipynb`, [
      'import numpy as np',
      'import tensorflow as tf\nfrom tensorflow import keras',
      'class Scale(keras.layers.Layer):\n    def call(self, x):\n        return tf.math.square(x)'
    ]);
    await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
    const sidebar = page.locator(SIDEBAR);
    const jax = sidebar.locator('.jp-KerasMigrate-readiness[data-backend="jax"]');
    // The TF op in a layer (keras-ops) blocks JAX, not TensorFlow; `from tensorflow import keras`
    // gives Keras 3 on any backend while TensorFlow is installed, so it blocks nothing.
    await expect(jax).toHaveAttribute('data-count', '1');
    await expect(sidebar.locator('.jp-KerasMigrate-readiness[data-backend="tensorflow"]')).toHaveAttribute(
      'data-count',
      '0'
    );
    await jax.locator('summary').click();
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-current')).toHaveAttribute('data-backend', 'tensorflow');
    await page.screenshot({ path: screenshotPath('backend-readiness.png') });
    await jax.locator('.jp-KerasMigrate-readiness-link', { hasText: 'Cell 3' }).click();
    await expect
      .poll(() => page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.activeCellIndex))
      .toBe(2);
    expect(errors.ours()).toEqual([]);
  });

  test('"Restart Kernel and Run All Cells" keeps the chosen backend', async ({ page }) => {
    await page.notebook.createNew('restart-run-all.ipynb', { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', 'import keras\nprint(keras.backend.backend())');
    await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
    const current = page.locator(`${SIDEBAR} .jp-KerasMigrate-sidebar-current`);
    await expect(current).toHaveAttribute('data-backend', 'tensorflow');
    // The command palette entry's command.
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('keras-migrate:switch-backend', { backend: 'torch' })
    );
    await expect(current).toHaveAttribute('data-backend', 'torch');

    void page.evaluate(() => (window as any).jupyterapp.commands.execute('notebook:restart-run-all'));
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    await expect
      .poll(() =>
        page.evaluate(() => {
          const outputs = (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(0).outputs.toJSON();
          return outputs.map((o: any) => (Array.isArray(o.text) ? o.text.join('') : o.text ?? '')).join('').trim();
        })
      )
      .toBe('torch');
  });

  test('the toolbar’s restart keeps the choice, and the sidebar asks the new kernel', async ({ page }) => {
    const errors = collectErrors(page);
    await page.notebook.createNew('toolbar-restart.ipynb', { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', 'import keras\nprint(keras.backend.backend())');
    const { sidebar, current } = await switchInSidebar(page, 'jax');
    // Right after a switch the sidebar has Keras imported; a fresh kernel has not.
    await expect(current.locator('.jp-KerasMigrate-sidebar-note', { hasText: 'not imported yet' })).toHaveCount(0);

    await page.locator('.jp-NotebookPanel-toolbar [data-jp-item-name="restart"] button').click();
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    await expect(current.locator('.jp-KerasMigrate-sidebar-note', { hasText: 'not imported yet' })).toBeVisible();
    await expect(current).toHaveAttribute('data-backend', 'jax');
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-error')).toHaveCount(0);
    await expect(page.locator('.jp-KerasMigrate-status')).toHaveText('Keras: jax');
    expect(await backendInNotebook(page)).toBe('jax');
    expect(errors.ours()).toEqual([]);
  });

  test('after the kernel dies and restarts by itself, the choice holds and the sidebar shows it', async ({ page }) => {
    const errors = collectErrors(page);
    await page.notebook.createNew('auto-restart.ipynb', { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', 'import keras\nprint(keras.backend.backend())');
    const { sidebar, current } = await switchInSidebar(page, 'torch');
    await expect(current.locator('.jp-KerasMigrate-sidebar-note', { hasText: 'not imported yet' })).toHaveCount(0);
    const kernelBefore = await page.evaluate(
      () => (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel.id
    );

    await page.notebook.addCell('code', 'import os, signal\nos.kill(os.getpid(), signal.SIGKILL)');
    // Not awaited: the cell never finishes, its kernel is gone.
    void page.evaluate(() => (window as any).jupyterapp.commands.execute('notebook:run-cell'));
    // JupyterLab says the kernel died and will restart automatically.
    const dialog = page.locator('.jp-Dialog', { hasText: 'restart' });
    await expect(dialog).toBeVisible();
    await dialog.locator('.jp-mod-accept').click();

    await expect(current.locator('.jp-KerasMigrate-sidebar-note', { hasText: 'not imported yet' })).toBeVisible();
    await expect(current).toHaveAttribute('data-backend', 'torch');
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-error')).toHaveCount(0);
    await expect(page.locator('.jp-KerasMigrate-status')).toHaveText('Keras: torch');
    // The same kernel, restarted by the server: the provisioner set KERAS_BACKEND again.
    expect(
      await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.sessionContext.session.kernel.id)
    ).toBe(kernelBefore);
    expect(await backendInNotebook(page)).toBe('torch');
    expect(errors.ours()).toEqual([]);
  });

  test('two notebooks run two backends at once, and a reopened notebook gets its backend back', async ({
    page
  }) => {
    await page.notebook.createNew('first.ipynb', { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', 'import keras\nprint(keras.backend.backend())');
    await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
    const current = page.locator(`${SIDEBAR} .jp-KerasMigrate-sidebar-current`);
    await expect(current).toHaveAttribute('data-backend', 'tensorflow');
    await page.locator(`${SIDEBAR} .jp-KerasMigrate-switch[data-backend="jax"]`).click();
    await expect(current).toHaveAttribute('data-backend', 'jax');
    await page.notebook.save();

    // A second notebook, by file, on torch.
    await page.evaluate(async () => {
      const app = (window as any).jupyterapp;
      const first = app.shell.currentWidget.context.path as string;
      const second = first.replace('first.ipynb', 'second.ipynb');
      await app.serviceManager.contents.copy(first, first.replace(/[^/]*$/, ''));
      await app.serviceManager.contents.rename(first.replace('first.ipynb', 'first-Copy1.ipynb'), second);
    });
    const dir = await page.evaluate(() =>
      ((window as any).jupyterapp.shell.currentWidget.context.path as string).replace(/[^/]*$/, '')
    );
    // The copy carries jax in its metadata; it must restore that, then we move it to torch.
    await page.notebook.openByPath(`${dir}second.ipynb`);
    await page.notebook.activate('second.ipynb');
    await expect(current).toHaveAttribute('data-backend', 'jax');
    await page.locator(`${SIDEBAR} .jp-KerasMigrate-switch[data-backend="torch"]`).click();
    await expect(current).toHaveAttribute('data-backend', 'torch');
    expect(await backendInNotebook(page)).toBe('torch');

    await page.notebook.activate('first.ipynb');
    await expect(current).toHaveAttribute('data-backend', 'jax');
    expect(await backendInNotebook(page)).toBe('jax');
  });

  test('a notebook with a saved backend starts its kernel once, on that backend', async ({ page, tmpPath }) => {
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
        keras_migrate: { backend: 'jax' }
      },
      cells: [{ cell_type: 'code', id: 'c0', metadata: {}, execution_count: null, source: 'x = 1', outputs: [] }]
    };
    await page.contents.uploadContent(JSON.stringify(notebook), 'text', `${tmpPath}/saved-jax.ipynb`);
    await page.notebook.openByPath(`${tmpPath}/saved-jax.ipynb`);
    await page.notebook.activate('saved-jax.ipynb');
    await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
    await expect(page.locator(`${SIDEBAR} .jp-KerasMigrate-sidebar-current`)).toHaveAttribute('data-backend', 'jax');
    await expect(page.locator(SIDEBAR)).toHaveAttribute('data-status', 'ready');
    // Time for a restart to begin if the front end still wanted one.
    await page.waitForTimeout(3000);
    // The server counts process launches per kernel: one start, with jax.
    const model = await page.evaluate(async () => {
      const app = (window as any).jupyterapp;
      const kernel = app.shell.currentWidget.sessionContext.session.kernel;
      const settings = app.serviceManager.serverSettings;
      const response = await fetch(`${settings.baseUrl}keras-migrate/kernels/${kernel.id}/backend`, {
        headers: { Authorization: `token ${settings.token}` }
      });
      return response.json();
    });
    expect(model.launched_with).toBe('jax');
    expect(model.launches).toBe(1);
  });

  test('a failed switch says why and offers to switch back', async ({ page }) => {
    await page.notebook.createNew('failing-switch.ipynb', { kernel: 'python3' });
    await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
    const sidebar = page.locator(SIDEBAR);
    const current = sidebar.locator('.jp-KerasMigrate-sidebar-current');
    await expect(current).toHaveAttribute('data-backend', 'tensorflow');

    // One route whose answer the test changes: refuse, then "record" without recording.
    let answer: 'refuse' | 'pretend' | 'pass' = 'refuse';
    await page.route('**/keras-migrate/kernels/*/backend*', route => {
      if (answer === 'refuse') {
        return route.fulfill({ status: 400, contentType: 'application/json', body: '{"message": "Unknown Keras backend"}' });
      }
      if (answer === 'pretend') {
        return route.fulfill({ status: 200, contentType: 'application/json', body: '{"backend": "jax"}' });
      }
      return route.continue();
    });

    // The server refuses the choice: nothing was restarted, so there is nothing to switch back from.
    await sidebar.locator('.jp-KerasMigrate-switch[data-backend="torch"]').click();
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-error')).toContainText('did not record');
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-switchback')).toHaveCount(0);

    // The choice never reaches the kernel: it restarts on the old backend.
    answer = 'pretend';
    await sidebar.locator('.jp-KerasMigrate-switch[data-backend="jax"]').click();
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-error')).toContainText('instead of "jax"');
    const back = sidebar.locator('.jp-KerasMigrate-sidebar-switchback');
    await expect(back).toHaveText('Switch back to tensorflow');
    await page.screenshot({ path: screenshotPath('backend-switch-failed.png') });
    answer = 'pass';
    await back.click();
    await expect(sidebar.locator('.jp-KerasMigrate-sidebar-error')).toHaveCount(0);
    await expect(current).toHaveAttribute('data-backend', 'tensorflow');
  });
});
