/**
 * "Explain this error": the diagnosis card renderer and the action under every
 * traceback of a Python notebook.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { INotebookFindingsTracker } from '../tokens';
import { DiagnosisRenderer, diagnosisRendererFactory, explainableStderrFactory, STDERR_MIME_TYPE } from './renderer';
import { ExplainHost } from './host';

export const explainPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-keras-migrate:explain',
  description: 'Explains Keras 3 migration errors on tracebacks, with the guide section, the cell line and the fix.',
  autoStart: true,
  requires: [IRenderMimeRegistry, INotebookTracker],
  optional: [INotebookFindingsTracker, ITranslator],
  activate: (
    _app: JupyterFrontEnd,
    rendermime: IRenderMimeRegistry,
    notebooks: INotebookTracker,
    findings: INotebookFindingsTracker | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_keras_migrate');
    const host = new ExplainHost(notebooks, findings, undefined, trans);
    const diagnosisFactory = diagnosisRendererFactory(host, trans);
    rendermime.addFactory(
      {
        ...diagnosisFactory,
        createRenderer: options => host.track(diagnosisFactory.createRenderer(options) as unknown as DiagnosisRenderer) as DiagnosisRenderer
      },
      diagnosisFactory.defaultRank
    );
    // Notebooks clone this registry when they open, so the wrapper reaches them all.
    const stderr = rendermime.getFactory(STDERR_MIME_TYPE);
    if (stderr) {
      rendermime.addFactory(explainableStderrFactory(stderr, host), rendermime.getRank(STDERR_MIME_TYPE));
    }
  }
};
