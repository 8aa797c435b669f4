/**
 * "Explain this error": the kernel hook's card on a real Keras 3 failure, the
 * action on a traceback without the hook, and saved outputs rendered as text.
 */
import { expect, test } from '@jupyterlab/galata';
import { cellSource, collectErrors, notebookJson, screenshotPath, setCellSource } from './helpers';

const KERASTENSOR_CELL = [
  'import keras',
  'import tensorflow as tf',
  'inputs = keras.Input(shape=(3,))',
  'outputs = tf.nn.relu(inputs)'
].join('\n');

/** A custom layer whose call() branches in Python on a tensor: autograph refuses it on TensorFlow. */
const GATE_LAYER_CELL = [
  'import keras',
  'import tensorflow as tf',
  '',
  'class Gate(keras.layers.Layer):',
  '    def call(self, x):',
  '        if tf.reduce_sum(x) > 0:',
  '            return x',
  '        return -x'
].join('\n');

/** On JAX, call() gets a JAX tracer, which a TF op cannot take: the keras-ops failure. */
const SQUARE_LAYER_CELL = [
  'import os',
  'os.environ["KERAS_BACKEND"] = "jax"',
  'import keras',
  'import tensorflow as tf',
  '',
  'class Square(keras.layers.Layer):',
  '    def call(self, x):',
  '        return tf.math.square(x)'
].join('\n');

/** Building the model traces Gate.call() symbolically, in a later cell. */
const GATE_MODEL_CELL = 'model = keras.Sequential([keras.Input(shape=(3,)), Gate()])';

const ANSI = /\u001b\[[0-9;]*m/g;

/** The traceback as the kernel sent it, and as the page shows it. */
async function tracebacks(page: import('@playwright/test').Page, cellIndex: number) {
  return page.evaluate(i => {
    const app = (window as any).jupyterapp;
    const panel = app.shell.currentWidget;
    const outputs = panel.content.model.cells.get(i).outputs.toJSON();
    const error = outputs.find((o: any) => o.output_type === 'error');
    const shown = [
      ...panel.content.widgets[i].node.querySelectorAll(
        '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"] pre'
      )
    ].map((pre: Element) => pre.textContent);
    return {
      // TensorFlow's import logs arrive as stderr streams; they are not what we check.
      types: outputs.map((o: any) => o.output_type).filter((t: string) => t !== 'stream'),
      sent: error ? (error.traceback as string[]).join('\n') : null,
      shown: shown.filter((text: string | null) => !!text && text.includes('Traceback')).pop() ?? null
    };
  }, cellIndex);
}

/** The wrapped stderr output that holds the traceback (not TensorFlow's log lines). */
function errorOutput(page: import('@playwright/test').Page) {
  return page.locator('.jp-KerasMigrate-stderr', { hasText: 'Traceback' }).last();
}

test.describe('explain this error', () => {
  test('the kernel hook explains a KerasTensor passed to a TF op, traceback unchanged', async ({ page }) => {
    const errors = collectErrors(page);
    await page.notebook.createNew('explain.ipynb', { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', KERASTENSOR_CELL);
    await page.notebook.runCell(0);
    await expect.poll(async () => (await tracebacks(page, 0)).types).toEqual(['error', 'display_data']);

    const card = page.locator('.jp-KerasMigrate-diagnosis');
    await expect(card).toBeVisible();
    await expect(card).toHaveAttribute('data-guide', 'kerastensor-tf-op');
    await expect(card.locator('.jp-KerasMigrate-card-line')).toHaveText('Cell line 4');
    await expect(card.locator('.jp-KerasMigrate-card-code')).toHaveText('outputs = tf.nn.relu(inputs)');
    await expect(card.locator('.jp-KerasMigrate-card-fixtext')).toContainText('keras.ops');
    await expect(card.locator('a.jp-KerasMigrate-guide-link')).toHaveAttribute('href', /keras\.io/);

    // The error output is still there and shown in full: the card is an extra output.
    const { types, sent, shown } = await tracebacks(page, 0);
    expect(types).toEqual(['error', 'display_data']);
    expect(sent).toContain('KerasTensor');
    expect(shown).toBe(sent!.replace(ANSI, ''));
    // The kernel's card is there: no second way to ask.
    await expect(errorOutput(page).locator('.jp-KerasMigrate-explain-button')).toBeHidden();

    // Traceback end and card in one view for the README.
    await card.evaluate(node => node.scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: screenshotPath('explain-card.png') });

    // "Jump to line" selects the offending line in the cell editor.
    await card.locator('.jp-KerasMigrate-card-jump').click();
    await expect
      .poll(() =>
        page.evaluate(() => {
          const panel = (window as any).jupyterapp.shell.currentWidget;
          const editor = panel.content.widgets[0].editor;
          return editor.getSelection().start.line;
        })
      )
      .toBe(3);

    // "Apply fix": computed from the cell's current source by the analyser, previewed, then applied.
    await expect(card.locator('.jp-KerasMigrate-diff')).toContainText('keras.ops.relu');
    await card.locator('.jp-KerasMigrate-card-apply').click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.locator('.jp-KerasMigrate-diff-add')).toContainText('outputs = keras.ops.relu(inputs)');
    await dialog.locator('.jp-mod-accept').click();
    await expect
      .poll(() =>
        page.evaluate(() =>
          (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(0).sharedModel.getSource()
        )
      )
      .toContain('outputs = keras.ops.relu(inputs)');
    expect(errors.ours()).toEqual([]);
  });

  test('a layer defined in an earlier cell: the card names and jumps to that cell’s line', async ({ page }) => {
    const errors = collectErrors(page);
    await page.notebook.createNew('explain-two-cells.ipynb', { kernel: 'python3' });
    // Through the model: typing would auto-indent the lines of the class body.
    await setCellSource(page, 0, GATE_LAYER_CELL);
    await page.notebook.runCell(0, true);
    await page.notebook.addCell('code', GATE_MODEL_CELL);
    await page.notebook.runCell(1, true);
    await expect.poll(async () => (await tracebacks(page, 1)).types).toEqual(['error', 'display_data']);
    // Keras really ran: autograph refused the Python `if` on a symbolic tensor.
    expect((await tracebacks(page, 1)).sent).toContain('OperatorNotAllowedInGraphError');

    const card = page.locator('.jp-KerasMigrate-diagnosis');
    await expect(card).toHaveAttribute('data-guide', 'autograph');
    // The card sits under cell 2 but the line is in cell 1, where call() was defined.
    await expect(page.locator('.jp-Notebook .jp-Cell').nth(1).locator('.jp-KerasMigrate-diagnosis')).toHaveCount(1);
    await expect(card.locator('.jp-KerasMigrate-card-line')).toHaveText('Cell 1 (In [1]), line 6');
    await expect(card.locator('.jp-KerasMigrate-card-code')).toHaveText('if tf.reduce_sum(x) > 0:');
    await expect(card.locator('a.jp-KerasMigrate-guide-link')).toHaveAttribute(
      'href',
      /^https:\/\/keras\.io\/guides\/migrating_to_keras_3\/#/
    );

    await card.locator('.jp-KerasMigrate-card-jump').click();
    await expect
      .poll(() =>
        page.evaluate(() => {
          const notebook = (window as any).jupyterapp.shell.currentWidget.content;
          const editor = notebook.widgets[notebook.activeCellIndex].editor;
          const selection = editor.getSelection();
          return {
            cell: notebook.activeCellIndex,
            line: selection.start.line,
            text: editor.getLine(selection.start.line).slice(selection.start.column, selection.end.column)
          };
        })
      )
      .toEqual({ cell: 0, line: 5, text: '        if tf.reduce_sum(x) > 0:' });

    // Running the defining cell again gives it a new prompt: no cell shows In[1] any more,
    // so the card names the prompt as the traceback does instead of pointing at cell 1.
    await page.notebook.runCell(0, true);
    await expect(card.locator('.jp-KerasMigrate-card-line')).toHaveText('In [1], line 6');
    expect(errors.ours()).toEqual([]);
  });

  test('the fix for a layer defined in an earlier cell is previewed and applied there', async ({ page }) => {
    const errors = collectErrors(page);
    await page.notebook.createNew('explain-fix-elsewhere.ipynb', { kernel: 'python3' });
    await setCellSource(page, 0, SQUARE_LAYER_CELL);
    await page.notebook.runCell(0, true);
    await page.notebook.addCell('code', 'model = keras.Sequential([keras.Input(shape=(3,)), Square()])');
    await page.notebook.runCell(1, true);
    await expect.poll(async () => (await tracebacks(page, 1)).types).toEqual(['error', 'display_data']);

    const card = page.locator('.jp-KerasMigrate-diagnosis');
    // JAX traced call(), and a TF op cannot take its tracer.
    await expect(card).toHaveAttribute('data-guide', 'keras-ops');
    await expect(card.locator('.jp-KerasMigrate-card-line')).toHaveText('Cell 1 (In [1]), line 8');
    await expect(card.locator('.jp-KerasMigrate-diff')).toContainText('Cell 1:');
    await expect(card.locator('.jp-KerasMigrate-diff')).toContainText('keras.ops.square(x)');
    await card.locator('.jp-KerasMigrate-card-apply').click();
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    await expect.poll(() => cellSource(page, 0)).toContain('return keras.ops.square(x)');
    expect(await cellSource(page, 1)).toBe('model = keras.Sequential([keras.Input(shape=(3,)), Square()])');
    expect(errors.ours()).toEqual([]);
  });

  test('without the hook the traceback text alone is explained', async ({ page }) => {
    const errors = collectErrors(page);
    await page.notebook.createNew('explain-text.ipynb', { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', '%unload_ext keras_migrate');
    await page.notebook.runCell(0, true);
    await page.notebook.addCell('code', KERASTENSOR_CELL);
    await page.notebook.runCell(1, true);
    await expect.poll(async () => (await tracebacks(page, 1)).types).toEqual(['error']);
    const before = await tracebacks(page, 1);
    expect(before.types).toEqual(['error']);

    await errorOutput(page).locator('.jp-KerasMigrate-explain-button').click();
    const card = page.locator('.jp-KerasMigrate-stderr .jp-KerasMigrate-card');
    await expect(card).toBeVisible();
    await expect(card).toHaveAttribute('data-guide', 'kerastensor-tf-op');
    await expect(card.locator('.jp-KerasMigrate-card-fixtext')).toContainText('keras.ops');
    const after = await tracebacks(page, 1);
    expect(after.shown).toBe(before.shown);
    await page.screenshot({ path: screenshotPath('explain-from-traceback.png') });
    expect(errors.ours()).toEqual([]);
  });

  test('a saved diagnosis with HTML in it is shown as text', async ({ page, tmpPath }) => {
    const errors = collectErrors(page);
    const payload = {
      guide: 'kerastensor-tf-op',
      title: '<b id="injected-title">bold</b>',
      explanation: 'why <img id="injected-img" src="x" onerror="window.__pwned = 1">',
      fix: 'fix <script>window.__pwned = 2</script>',
      line: 2,
      cell_line_text: '<i id="injected-line">x</i>',
      names: {},
      signature: 'test',
      exception_type: 'ValueError',
      message: '<a id="injected-link" href="javascript:alert(1)">click</a>',
      keras_version: '3.15.1',
      backend: 'tensorflow',
      kind: 'error',
      cell: 1,
      file: null,
      guide_url: 'javascript:window.__pwned = 5'
    };
    // The same problem with its line in a .py file: named by path, no cell to jump to.
    const inFile = { ...payload, title: 'in a file', file: '/home/me/<b id="injected-file">layers</b>.py', line: 12 };
    const notebook = notebookJson([
      {
        cell_type: 'code',
        id: 'c1',
        metadata: {},
        execution_count: 1,
        source: 'x = 1\ny = 2',
        outputs: [
          {
            output_type: 'display_data',
            metadata: {},
            data: { 'application/vnd.keras-migrate.diagnosis+json': payload, 'text/plain': 'diagnosis' }
          },
          {
            output_type: 'display_data',
            metadata: {},
            data: { 'application/vnd.keras-migrate.diagnosis+json': inFile, 'text/plain': 'diagnosis' }
          }
        ]
      }
    ]);
    await page.contents.uploadContent(JSON.stringify(notebook), 'text', `${tmpPath}/saved.ipynb`);
    await page.notebook.openByPath(`${tmpPath}/saved.ipynb`);
    const card = page.locator('.jp-KerasMigrate-diagnosis').first();
    await expect(card).toBeVisible();
    await expect(card.locator('.jp-KerasMigrate-card-title')).toHaveText('<b id="injected-title">bold</b>');
    await expect(card).toContainText('<img id="injected-img"');
    // A guide link that is not a web address is not used.
    await expect(card.locator('a.jp-KerasMigrate-guide-link')).toHaveAttribute('href', /^https:\/\/keras\.io\//);
    const fileCard = page.locator('.jp-KerasMigrate-diagnosis').nth(1);
    await expect(fileCard.locator('.jp-KerasMigrate-card-line')).toHaveText(
      '/home/me/<b id="injected-file">layers</b>.py, line 12'
    );
    await expect(fileCard.locator('.jp-KerasMigrate-card-jump')).toHaveCount(0);
    for (const id of ['injected-title', 'injected-img', 'injected-line', 'injected-link', 'injected-file']) {
      await expect(page.locator(`#${id}`)).toHaveCount(0);
    }
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    expect(errors.ours()).toEqual([]);
  });

  test('a saved card offers "Apply fix" as the notebook opens, and previews the cell’s current text', async ({
    page,
    tmpPath
  }) => {
    const errors = collectErrors(page);
    // As the kernel hook saved it: the error, then the card naming line 4 of In [1].
    const message = 'A KerasTensor cannot be used as input to a TensorFlow function.';
    const payload = {
      guide: 'kerastensor-tf-op',
      title: 'Calling TF ops with a `KerasTensor`',
      line: 4,
      cell: 1,
      cell_line_text: 'outputs = tf.nn.relu(inputs)',
      names: {},
      exception_type: 'ValueError',
      message,
      kind: 'error'
    };
    const notebook = notebookJson([
      {
        cell_type: 'code',
        id: 'relu',
        metadata: {},
        execution_count: 1,
        source: KERASTENSOR_CELL,
        outputs: [
          {
            output_type: 'error',
            ename: 'ValueError',
            evalue: message,
            traceback: ['Traceback (most recent call last)', 'Cell In[1], line 4', `ValueError: ${message}`]
          },
          {
            output_type: 'display_data',
            metadata: {},
            data: { 'application/vnd.keras-migrate.diagnosis+json': payload, 'text/plain': 'diagnosis' }
          }
        ]
      }
    ]);
    await page.contents.uploadContent(JSON.stringify(notebook), 'text', `${tmpPath}/saved-card.ipynb`);
    await page.notebook.openByPath(`${tmpPath}/saved-card.ipynb`);
    await page.notebook.activate('saved-card.ipynb');
    const card = page.locator('.jp-KerasMigrate-diagnosis');
    // The title's backticks are drawn as code.
    await expect(card.locator('.jp-KerasMigrate-card-title code')).toHaveText('KerasTensor');
    // No cell was touched: the analysis of the opened notebook is enough to offer the fix.
    await expect(card.locator('.jp-KerasMigrate-card-apply')).toBeVisible();
    await expect(card.locator('.jp-KerasMigrate-diff-add')).toHaveText(/outputs = keras\.ops\.relu\(inputs\)/);

    // The cell changes after the error: the preview follows its current text...
    await setCellSource(page, 0, KERASTENSOR_CELL.replace('outputs = tf.nn.relu', 'hidden = tf.nn.relu'));
    await expect(card.locator('.jp-KerasMigrate-diff-add')).toHaveText(/hidden = keras\.ops\.relu\(inputs\)/);
    // ...and what the dialog shows is what is written.
    await card.locator('.jp-KerasMigrate-card-apply').click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.locator('.jp-KerasMigrate-diff-add')).toHaveText(/hidden = keras\.ops\.relu\(inputs\)/);
    await dialog.locator('.jp-mod-accept').click();
    await expect.poll(() => cellSource(page, 0)).toContain('\nhidden = keras.ops.relu(inputs)');
    expect(await cellSource(page, 0)).not.toContain('tf.nn.relu');
    expect(errors.ours()).toEqual([]);
  });

  test('"Explain this error" on a saved error output with HTML in it shows text only', async ({ page, tmpPath }) => {
    const errors = collectErrors(page);
    const injected = '<script>window.__pwned = 3</script><img id="injected-tb" src="x" onerror="window.__pwned = 4">';
    const message = `A KerasTensor cannot be used as input to a TensorFlow function. ${injected}`;
    // As IPython writes it, colour codes included; the layer's line is in the cell above.
    const traceback = [
      '\u001b[0;31m---------------------------------------------------------------------------\u001b[0m',
      '\u001b[0;31mValueError\u001b[0m                                Traceback (most recent call last)',
      'Cell \u001b[0;32mIn[4], line 1\u001b[0m',
      '\u001b[0;32m----> 1\u001b[0m outputs \u001b[38;5;241m=\u001b[39m relu_of(inputs)',
      '',
      'Cell \u001b[0;32mIn[3], line 4\u001b[0m, in \u001b[0;36mrelu_of\u001b[0;34m(x)\u001b[0m',
      '\u001b[1;32m      3\u001b[0m \u001b[38;5;28;01mdef\u001b[39;00m \u001b[38;5;21mrelu_of\u001b[39m(x):',
      '\u001b[0;32m----> 4\u001b[0m     \u001b[38;5;28;01mreturn\u001b[39;00m tf\u001b[38;5;241m.\u001b[39mnn\u001b[38;5;241m.\u001b[39mrelu(x)  \u001b[38;5;66;03m# <i id="injected-code">x</i>\u001b[39;00m',
      '',
      `\u001b[0;31mValueError\u001b[0m: ${message}`
    ];
    const notebook = notebookJson([
      {
        cell_type: 'code',
        id: 'define',
        metadata: {},
        execution_count: 3,
        source: 'import keras, tensorflow as tf\ninputs = keras.Input(shape=(3,))\ndef relu_of(x):\n    return tf.nn.relu(x)  # <i id="injected-code">x</i>',
        outputs: []
      },
      {
        cell_type: 'code',
        id: 'use',
        metadata: {},
        execution_count: 4,
        source: 'outputs = relu_of(inputs)',
        outputs: [{ output_type: 'error', ename: 'ValueError', evalue: message, traceback }]
      }
    ]);
    await page.contents.uploadContent(JSON.stringify(notebook), 'text', `${tmpPath}/saved-error.ipynb`);
    await page.notebook.openByPath(`${tmpPath}/saved-error.ipynb`);
    await page.notebook.activate('saved-error.ipynb');
    const output = errorOutput(page);
    await expect(output).toBeVisible();
    // Nothing signed it: the notebook opens untrusted.
    expect(
      await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(1).trusted)
    ).toBe(false);
    const before = await tracebacks(page, 1);
    expect(before.types).toEqual(['error']);
    expect(before.shown).toBe(traceback.join('\n').replace(ANSI, ''));

    // The saved text is explained by the server's (Python) recognizer, only on click.
    const explained = page.waitForRequest(request => request.method() === 'POST' && request.url().includes('keras-migrate/explain'));
    await output.locator('.jp-KerasMigrate-explain-button').click();
    expect(JSON.parse((await explained).postData() ?? '{}').text).toContain('A KerasTensor cannot be used');
    const card = output.locator('.jp-KerasMigrate-card');
    await expect(card).toHaveAttribute('data-guide', 'kerastensor-tf-op');
    // The message is printed just above the card: not repeated in it.
    await expect(card.locator('.jp-KerasMigrate-card-message')).toHaveCount(0);
    await expect(card.locator('.jp-KerasMigrate-card-code')).toHaveText('return tf.nn.relu(x)  # <i id="injected-code">x</i>');
    // The line is in the saved cell that shows In[3].
    await expect(card.locator('.jp-KerasMigrate-card-line')).toHaveText('Cell 1 (In [3]), line 4');
    // Text only: no element from the message was created, no script or handler ran.
    expect(await card.locator('script, img, i, iframe, [onerror]').count()).toBe(0);
    for (const id of ['injected-tb', 'injected-code']) {
      await expect(page.locator(`#${id}`)).toHaveCount(0);
    }
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    // The traceback above the card is exactly what was saved.
    const after = await tracebacks(page, 1);
    expect(after.shown).toBe(before.shown);
    expect(after.sent).toBe(before.sent);
    expect(errors.ours()).toEqual([]);
  });

  test('a saved traceback cut before its exception line is explained as incomplete, saying what is missing', async ({
    page,
    tmpPath
  }) => {
    const errors = collectErrors(page);
    // Frames only: the line naming the exception was lost (an output trimmed by a tool, a partial copy).
    const traceback = [
      '---------------------------------------------------------------------------',
      'Traceback (most recent call last)',
      'Cell In[2], line 3',
      '      1 import keras',
      '      2 model = keras.Sequential([keras.layers.Dense(1)])',
      '----> 3 model.save("saved_dir")'
    ];
    const notebook = notebookJson([
      {
        cell_type: 'code',
        id: 'cut',
        metadata: {},
        execution_count: 2,
        source: 'import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.save("saved_dir")',
        outputs: [{ output_type: 'error', ename: '', evalue: '', traceback }]
      }
    ]);
    await page.contents.uploadContent(JSON.stringify(notebook), 'text', `${tmpPath}/cut.ipynb`);
    await page.notebook.openByPath(`${tmpPath}/cut.ipynb`);
    await page.notebook.activate('cut.ipynb');
    const output = errorOutput(page);
    await output.locator('.jp-KerasMigrate-explain-button').click();
    const card = output.locator('.jp-KerasMigrate-card');
    await expect(card).toHaveAttribute('data-incomplete', 'true');
    await expect(card.locator('.jp-KerasMigrate-card-badge')).toHaveText('Incomplete traceback');
    await expect(card.locator('.jp-KerasMigrate-card-title')).toContainText('exception line is missing');
    await expect(card.locator('.jp-KerasMigrate-card-missing')).toContainText('starts with the exception');
    await expect(card).not.toContainText('Not recognised');
    expect(errors.ours()).toEqual([]);
  });

  test('a migration warning gets a warning card and its own action', async ({ page }) => {
    const errors = collectErrors(page);
    await page.notebook.createNew('warning.ipynb', { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', 'import keras\nlayer = keras.layers.Dense(3, input_shape=(4,))');
    await page.notebook.runCell(0, true);
    const card = page.locator('.jp-KerasMigrate-diagnosis');
    await expect(card).toBeVisible();
    await expect(card).toHaveClass(/jp-KerasMigrate-card-warning/);
    await expect(card).toHaveAttribute('data-guide', 'api-changes');
    await expect(card.locator('.jp-KerasMigrate-card-line')).toHaveText('Cell line 2');
    // A warning's card is small: the explanation is folded away.
    await expect(card.locator('details.jp-KerasMigrate-card-why')).not.toHaveAttribute('open', /.*/);
    const warning = page.locator('.jp-KerasMigrate-stderr', { hasText: 'input_shape' });
    // Streams never get the action (the kernel's card explains warnings).
    await expect(warning.locator('.jp-KerasMigrate-explain-button')).toHaveCount(0);
    expect(errors.ours()).toEqual([]);
  });
  test('a notebook with a huge saved stream opens without work from the extension', async ({ page, tmpPath }) => {
    const errors = collectErrors(page);
    const line = 'WARNING:absl:You are saving your model as an HDF5 file via `model.save()`. step 12/100 loss 0.25\n';
    const stream = line.repeat(Math.ceil(430_000 / line.length));
    const notebook = notebookJson([
      {
        cell_type: 'code',
        id: 'train',
        metadata: {},
        execution_count: 1,
        source: 'model.fit(x, y, epochs=100)',
        outputs: [{ output_type: 'stream', name: 'stderr', text: stream }]
      }
    ]);
    await page.contents.uploadContent(JSON.stringify(notebook), 'text', `${tmpPath}/huge-stream.ipynb`);
    const requests: string[] = [];
    page.on('request', request => {
      if (request.url().includes('keras-migrate/explain')) {
        requests.push(request.url());
      }
    });
    // Observe the extension's own measured work from before the notebook opens.
    await page.evaluate(() => {
      const w = window as any;
      w.__kmMeasures = [];
      new PerformanceObserver(list => {
        for (const entry of list.getEntries()) {
          if (entry.name === 'keras-migrate:stderr-render') {
            w.__kmMeasures.push(entry.duration);
          }
        }
      }).observe({ type: 'measure', buffered: true });
    });
    await page.notebook.openByPath(`${tmpPath}/huge-stream.ipynb`);
    await page.notebook.activate('huge-stream.ipynb');
    const output = page.locator('.jp-KerasMigrate-stderr');
    await expect(output).toBeVisible();
    await expect.poll(() => page.evaluate(() => (window as any).__kmMeasures.length)).toBeGreaterThan(0);
    const durations: number[] = await page.evaluate(() => (window as any).__kmMeasures);
    // No long task (> 50 ms) of ours, no recognizer run, no action on a stream.
    expect(Math.max(...durations)).toBeLessThan(50);
    expect(requests).toEqual([]);
    await expect(output.locator('.jp-KerasMigrate-explain-button')).toHaveCount(0);
    expect(errors.ours()).toEqual([]);
  });
});
