/**
 * Galata configuration: Debian's Chromium (Playwright cannot download browsers
 * here), one worker (kernels with TensorFlow/JAX/torch are heavy), generous
 * timeouts because the first Keras import and backend restarts take seconds.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// Must match jupyter_server_test_config.py.
const PORT = process.env.GALATA_PORT || '8899';
const BASE_URL = `http://localhost:${PORT}`;

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
  webServer: {
    command: 'jlpm start',
    // JUPYTER_PATH adds the tiny non-Python "echo" kernel used by the robustness test.
    // A JUPYTER_PATH already set (a worktree's own labextension build) is searched after it.
    env: {
      ...process.env,
      GALATA_PORT: PORT,
      JUPYTER_PATH: [require('path').join(__dirname, 'jupyter-data'), process.env.JUPYTER_PATH]
        .filter(Boolean)
        .join(require('path').delimiter)
    },
    url: `${BASE_URL}/lab`,
    timeout: 180000,
    reuseExistingServer: false
  }
};
