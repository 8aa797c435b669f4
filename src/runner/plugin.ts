/**
 * "Run on all backends": a sidebar tab with the run matrix of the active notebook,
 * the command that starts a run of its saved content, and cancellation when the
 * notebook closes. The runs themselves happen on the server (keras_migrate.runner.server).
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { LabIcon } from '@jupyterlab/ui-components';
import { TRAINING_BACKENDS } from '../analysis/catalog';
import { IBackendRuns } from '../tokens';
import { RunModel } from './model';
import { RunService } from './service';
import { RunMatrixView } from './widget';

export namespace CommandIDs {
  export const runAll = 'keras-migrate:run-all-backends';
  export const cancelRun = 'keras-migrate:cancel-run';
}

export const RUN_SIDEBAR_ID = 'jp-KerasMigrate-run-sidebar';

const runIcon = new LabIcon({
  name: 'jupyterlab-keras-migrate:run',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16">' +
    '<path class="jp-icon3" fill="#616161" d="M3 4h4v4H3zm0 6h4v4H3zm0 6h4v4H3zm6-12h4v4H9zm0 6h4v4H9zm0 6h4v4H9zm6-12h6v4h-6zm0 6h6v4h-6zm0 6h6v4h-6z"/></svg>'
});

function jumpToCell(app: JupyterFrontEnd, panel: NotebookPanel, index: number): void {
  const notebook = panel.content;
  if (index < 0 || index >= notebook.widgets.length) {
    return;
  }
  app.shell.activateById(panel.id);
  notebook.deselectAll();
  notebook.activeCellIndex = index;
  void notebook.scrollToItem(index).catch(() => undefined);
}

export const runPlugin: JupyterFrontEndPlugin<IBackendRuns> = {
  id: 'jupyterlab-keras-migrate:run',
  description: 'Runs the saved notebook on every Keras backend in background kernels and shows the matrix.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ITranslator],
  provides: IBackendRuns,
  activate: (
    app: JupyterFrontEnd,
    notebooks: INotebookTracker,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): IBackendRuns => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_keras_migrate');
    const model = new RunModel(new RunService(app.serviceManager.serverSettings));
    const pathOf = (panel: NotebookPanel | null) => panel?.context.path ?? null;
    const view = new RunMatrixView(model, {
      currentPath: () => pathOf(notebooks.currentWidget),
      isDirty: () => !!notebooks.currentWidget?.context.model.dirty,
      savedAt: () => {
        const modified = notebooks.currentWidget?.context.contentsModel?.last_modified;
        return modified ? Date.parse(modified) / 1000 : null;
      },
      start: () => void app.commands.execute(CommandIDs.runAll),
      cancel: () => void app.commands.execute(CommandIDs.cancelRun),
      jumpTo: index => notebooks.currentWidget && jumpToCell(app, notebooks.currentWidget, index)
    }, trans);
    view.id = RUN_SIDEBAR_ID;
    view.title.icon = runIcon;
    view.title.caption = trans.__('Run on all Keras backends');
    app.shell.add(view, 'right', { rank: 910 });
    notebooks.currentChanged.connect(() => view.render());

    app.commands.addCommand(CommandIDs.runAll, {
      label: trans.__('Run notebook on all Keras backends'),
      caption: trans.__('Run the saved notebook in background kernels on TensorFlow, JAX and PyTorch'),
      isEnabled: () => !!notebooks.currentWidget && !model.isRunning(pathOf(notebooks.currentWidget) ?? ''),
      execute: async () => {
        const panel = notebooks.currentWidget;
        if (!panel) {
          return;
        }
        app.shell.activateById(RUN_SIDEBAR_ID);
        await model.start(panel.context.path, [...TRAINING_BACKENDS]);
      }
    });
    app.commands.addCommand(CommandIDs.cancelRun, {
      label: trans.__('Cancel the run on all Keras backends'),
      isEnabled: () => model.isRunning(pathOf(notebooks.currentWidget) ?? ''),
      execute: () => {
        const path = pathOf(notebooks.currentWidget);
        return path ? model.cancel(path) : undefined;
      }
    });
    palette?.addItem({ command: CommandIDs.runAll, category: trans.__('Keras migration') });
    palette?.addItem({ command: CommandIDs.cancelRun, category: trans.__('Keras migration') });

    // Closing a notebook stops its run: no background kernel outlives the notebook.
    notebooks.widgetAdded.connect((_, panel) => {
      const path = panel.context.path;
      panel.disposed.connect(() => void model.cancel(path));
    });

    return {
      changed: model.changed,
      runAll: () => void app.commands.execute(CommandIDs.runAll),
      verified: (path: string) => model.job(path)
    };
  }
};
