/**
 * Galata configuration: Debian's Chromium (Playwright cannot download browsers
 * here), one worker (kernels with TensorFlow/JAX/torch are heavy), generous
 * timeouts because the first Keras import and backend restarts take seconds.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// Must match jupyter_server_test_config.py.
const PORT = process.env.GALATA_PORT || '8899';
const BASE_URL = `http://localhost:${PORT}`;
// Jupyter Notebook 7, same server configuration, its own port (.ci/test picks a free one).
const NB7_PORT = process.env.GALATA_NB7_PORT || String(Number(PORT) + 1);
const NB7_URL = `http://localhost:${NB7_PORT}`;
// JUPYTER_PATH adds the tiny non-Python "echo" kernel used by the robustness test.
// A JUPYTER_PATH already set (a worktree's own labextension build) is searched after it.
const JUPYTER_PATH = [require('path').join(__dirname, 'jupyter-data'), process.env.JUPYTER_PATH]
  .filter(Boolean)
  .join(require('path').delimiter);

module.exports = {
  ...baseConfig,
  workers: 1,
  timeout: 240000,
  expect: { timeout: 60000 },
  retries: 0,
  reporter: [['list']],
  use: {
    ...baseConfig.use,
    baseURL: BASE_URL,
    actionTimeout: 30000,
    navigationTimeout: 120000,
    trace: 'off',
    video: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    }
  },
  projects: [
    { name: 'jupyterlab', testIgnore: /notebook7\.spec\.ts$/ },
    {
      name: 'notebook7',
      testMatch: /notebook7\.spec\.ts$/,
      // Wide enough that the notebook toolbar keeps every item in view with the right panel open
      // (Notebook 7 moves what does not fit into a "More commands" menu).
      use: { baseURL: NB7_URL, viewport: { width: 1440, height: 900 } }
    }
  ],
  webServer: [
    {
      command: 'jlpm start',
      env: { ...process.env, GALATA_PORT: PORT, JUPYTER_PATH },
      url: `${BASE_URL}/lab`,
      timeout: 180000,
      reuseExistingServer: false
    },
    {
      command: 'jlpm start:notebook7',
      env: { ...process.env, GALATA_PORT: NB7_PORT, JUPYTER_PATH },
      url: `${NB7_URL}/tree`,
      timeout: 180000,
      reuseExistingServer: false
    }
  ]
};
