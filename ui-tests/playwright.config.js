/**
 * Galata configuration: Debian's Chromium (Playwright cannot download browsers
 * here), one worker (kernels with TensorFlow/JAX/torch are heavy), generous
 * timeouts because the first Keras import and backend restarts take seconds.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

module.exports = {
  ...baseConfig,
  workers: 1,
  timeout: 240000,
  expect: { timeout: 60000 },
  retries: 0,
  reporter: [['list']],
  use: {
    ...baseConfig.use,
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
    env: { ...process.env, JUPYTER_PATH: require('path').join(__dirname, 'jupyter-data') },
    url: 'http://localhost:8888/lab',
    timeout: 180000,
    reuseExistingServer: !process.env.CI
  }
};
