/**
 * The demo notebook: every guide section is found in it, and it makes the
 * README's overview screenshot.
 */
import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { collectErrors, screenshotPath } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const TOUR = path.resolve(__dirname, '..', '..', 'examples', 'keras2_tour.ipynb');

test('the Keras 2 tour notebook shows findings in its cells and the readiness per backend', async ({
  page,
  tmpPath
}) => {
  const errors = collectErrors(page);
  await page.contents.uploadContent(fs.readFileSync(TOUR, 'utf-8'), 'text', `${tmpPath}/keras2_tour.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/keras2_tour.ipynb`);
  await page.notebook.activate('keras2_tour.ipynb');
  await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
  const sidebar = page.locator('#jp-KerasMigrate-backend-sidebar');
  await expect(sidebar.locator('.jp-KerasMigrate-sidebar-current')).toHaveAttribute('data-backend', 'tensorflow');
  const jax = sidebar.locator('.jp-KerasMigrate-readiness[data-backend="jax"]');
  await expect.poll(async () => Number(await jax.getAttribute('data-count'))).toBeGreaterThan(10);

  // Scroll to the custom layer and hover its tf.Variable.
  const layerCell = page.locator('.jp-Cell', { hasText: 'class NoisyDense' });
  await layerCell.evaluate(node => node.scrollIntoView({ block: 'start' }));
  const mark = layerCell.locator('.cm-lintRange', { hasText: 'tf.Variable' }).first();
  await expect(mark).toBeVisible();
  await mark.hover();
  await expect(page.locator('.cm-tooltip-lint .jp-KerasMigrate-tooltip').first()).toBeVisible();
  await page.screenshot({ path: screenshotPath('tour-overview.png') });
  expect(errors.ours()).toEqual([]);
});
