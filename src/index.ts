/**
 * jupyterlab-keras-migrate: the plugin list. Each feature lives in its own folder
 * (src/lint, src/explainui, src/backend); this file only wires them.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { backendServicePlugin, backendSidebarPlugin } from './backend/plugin';
import { explainPlugin } from './explainui/plugin';
import { analyzerLoaderPlugin, lintPlugin } from './lint/plugin';
import { runPlugin } from './runner/plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [
  analyzerLoaderPlugin,
  lintPlugin,
  explainPlugin,
  backendServicePlugin,
  runPlugin,
  backendSidebarPlugin
];

export default plugins;
