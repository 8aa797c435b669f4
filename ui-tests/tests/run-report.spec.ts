/**
 * The HTML run report is inert: a notebook whose name, source, stored outputs and error
 * message carry HTML and script produces a page on which nothing runs and nothing loads.
 * The report comes from a real run (`python -m keras_migrate run`, numpy backend: the
 * lightest Keras backend to start).
 */
import { expect, test } from '@jupyterlab/galata';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

function hostileNotebook(file: string): void {
  const cell = (source: string, outputs: object[] = []) => ({
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs,
    source
  });
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
    cells: [
      cell(`# ${HOSTILE}\nimport keras`, [
        { output_type: 'display_data', metadata: {}, data: { 'text/html': HOSTILE, 'text/plain': 'x' } }
      ]),
      cell(`raise ValueError(${JSON.stringify(HOSTILE)})`),
      cell(`print(${JSON.stringify(HOSTILE)})`)
    ]
  };
  fs.writeFileSync(file, JSON.stringify(notebook));
}

function runReport(args: string[]): Promise<number> {
  return new Promise(resolve => {
    execFile('python', ['-m', 'keras_migrate', 'run', ...args], { cwd: path.resolve(__dirname, '..', '..'), timeout: 240000 }, error =>
      resolve(error ? Number((error as { code?: number }).code ?? -1) : 0)
    );
  });
}

// A plain browser page: the report is a standalone file, not part of JupyterLab.
test('the HTML run report of a notebook full of HTML and script is inert', async ({ browser }) => {
  test.setTimeout(300000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'km-run-report-'));
  const notebook = path.join(dir, 'a<b onmouseover=alert(1)>.ipynb');
  const report = path.join(dir, 'report.html');
  hostileNotebook(notebook);
  const code = await runReport([notebook, '--backends', 'numpy', '--format', 'html', '--output', report]);
  expect(code).toBe(1); // the ValueError cell fails on numpy

  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', dialog => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const requests: string[] = [];
  page.on('request', request => requests.push(request.url()));
  const url = pathToFileURL(report).href;
  await page.goto(url);

  await expect(page.locator('h1')).toHaveText('keras-migrate run report');
  // The hostile text is shown as text ...
  await expect(page.locator('body')).toContainText('window.__pwned=2</script>');
  await expect(page.locator('h2').first()).toContainText('<b onmouseover=alert(1)>');
  // ... and never became markup.
  expect(await page.locator('script, img, iframe, object, embed, link, b[onmouseover]').count()).toBe(0);
  await page.locator('h2').first().hover();
  for (const details of await page.locator('details').all()) {
    await details.locator('summary').click();
  }
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(requests).toEqual([url]);
  await context.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
