/**
 * A kernel from another environment, where keras_migrate is not installed (a conda env,
 * a venv registered with `ipykernel install --user`): the kernel starts and runs without
 * a traceback, the sidebar says what to install in which environment, and the findings,
 * which need no kernel, still show.
 *
 * The other environment is real: a venv made here from the interpreter the server runs
 * on, holding the same packages (linked) except this one, with a kernel spec of its own.
 */
import { expect, test } from '@jupyterlab/galata';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cellEditor, collectErrors, openNotebook } from './helpers';

const KERNEL = 'python-without-keras-migrate';
// On the server's JUPYTER_PATH (playwright.config.js); kernel specs are read per request.
const KERNEL_DIR = path.resolve(__dirname, '..', 'jupyter-data', 'kernels', KERNEL);

/** Makes a venv with every package of the current one but keras_migrate; returns its python. */
function makeEnvironmentWithoutHook(dir: string): string {
  const script = `
import os, subprocess, sys, sysconfig, venv
target = sys.argv[1]
venv.EnvBuilder(with_pip=False, symlinks=True).create(target)
python = os.path.join(target, "bin", "python")
own = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     check=True, capture_output=True, text=True).stdout.strip()
source = sysconfig.get_paths()["purelib"]
for name in os.listdir(source):
    # The package, its metadata and its editable-install path file stay behind.
    if "keras_migrate" not in name:
        os.symlink(os.path.join(source, name), os.path.join(own, name))
print(python)
`;
  // The interpreter the servers run on (first on PATH, as for `jupyter lab`).
  const made = spawnSync('python', ['-c', script, dir], { encoding: 'utf-8' });
  expect(made.status, made.stderr).toBe(0);
  return made.stdout.trim();
}

let envDir = '';
let python = '';

test.beforeAll(() => {
  envDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-migrate-no-hook-'));
  python = makeEnvironmentWithoutHook(path.join(envDir, 'env'));
  // The environment really lacks keras_migrate, and really has ipykernel.
  const probe = spawnSync(python, ['-c', 'import importlib.util as u; print(u.find_spec("keras_migrate"), u.find_spec("ipykernel") is not None)'], {
    encoding: 'utf-8',
    env: { ...process.env, PYTHONPATH: '' }
  });
  expect(probe.stdout.trim()).toBe('None True');
  fs.mkdirSync(KERNEL_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(KERNEL_DIR, 'kernel.json'),
    JSON.stringify({
      argv: [python, '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
      display_name: 'Python (no keras_migrate)',
      language: 'python',
      // Its own environment: nothing of the server's PYTHONPATH (a worktree's keras_migrate).
      env: { PYTHONPATH: '' }
    })
  );
});

test.afterAll(() => {
  fs.rmSync(KERNEL_DIR, { recursive: true, force: true });
  if (envDir) {
    fs.rmSync(envDir, { recursive: true, force: true });
  }
});

test('a kernel whose environment lacks keras_migrate: runs cleanly, the sidebar says what to install where', async ({
  page,
  tmpPath
}) => {
  const errors = collectErrors(page);
  await openNotebook(
    page,
    `${tmpPath}/other-env.ipynb`,
    ['import tensorflow as tf\nlayer = tf.keras.layers.Dense(3)', 'print(40 + 2)'],
    { name: KERNEL, display_name: 'Python (no keras_migrate)', language: 'python' }
  );
  // The findings need no kernel.
  await expect(cellEditor(page, 0).locator('.cm-lintRange').first()).toBeVisible();

  // The kernel starts without the hook, so without a traceback, and runs.
  await page.notebook.runCell(1, true);
  const outputs = await page.evaluate(() =>
    (window as any).jupyterapp.shell.currentWidget.content.model.cells.get(1).outputs.toJSON()
  );
  expect(outputs.map((o: any) => o.output_type)).toEqual(['stream']);
  expect(outputs[0].text).toContain('42');

  await page.sidebar.openTab('jp-KerasMigrate-backend-sidebar');
  const note = page.locator('#jp-KerasMigrate-backend-sidebar .jp-KerasMigrate-sidebar-hook');
  await expect(note).toHaveAttribute('data-hook', 'missing');
  await expect(note).toContainText(`keras_migrate is not installed where this kernel runs (${python})`);
  await expect(note.locator('.jp-KerasMigrate-sidebar-install code')).toHaveText(
    `${python} -m pip install jupyterlab-keras-migrate`
  );
  expect(errors.ours()).toEqual([]);
});
