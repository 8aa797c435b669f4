/**
 * Backend switcher plugins: the service (server + kernel), and the sidebar with
 * its status-bar item, commands, and re-applying a notebook's saved choice.
 */
import { ILabShell, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Dialog, ICommandPalette, IToolbarWidgetRegistry, showDialog } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import type { Backend, Finding } from '../analysis/types';
import { isPythonNotebook } from '../lint/language';
import { IBackendRuns, IBackendService, INotebookFindingsTracker } from '../tokens';
import { CodeHash, freshness, verifiedLine } from '../runner/freshness';
import { verifiedReadiness } from '../runner/model';
import { BackendModel, isBackend, METADATA_KEY } from './model';
import { BACKENDS, BackendService } from './service';
import { BackendSidebar, BackendStatusItem } from './widgets';

export namespace CommandIDs {
  export const switchBackend = 'keras-migrate:switch-backend';
  export const openSidebar = 'keras-migrate:open-backend-sidebar';
}

const SIDEBAR_ID = 'jp-KerasMigrate-backend-sidebar';

const kerasBackendIcon = new LabIcon({
  name: 'jupyterlab-keras-migrate:backend',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16">' +
    '<path class="jp-icon3" fill="#616161" d="M4 3h3v7.2L13.6 3H17.6l-7 7.4L18 21h-4l-5.4-8.1L7 14.6V21H4z"/></svg>'
});

export const backendServicePlugin: JupyterFrontEndPlugin<IBackendService> = {
  id: 'jupyterlab-keras-migrate:backend-service',
  description: 'Records a notebook kernel’s Keras backend on the server and asks the kernel what it runs.',
  autoStart: true,
  provides: IBackendService,
  activate: (app: JupyterFrontEnd): IBackendService => new BackendService(app.serviceManager.serverSettings)
};

function jumpToFinding(app: JupyterFrontEnd, panel: NotebookPanel, finding: Finding): void {
  if (finding.cell === null) {
    return;
  }
  app.shell.activateById(panel.id);
  const notebook = panel.content;
  notebook.activeCellIndex = finding.cell;
  notebook.deselectAll();
  const cell = notebook.widgets[finding.cell];
  void notebook.scrollToItem(finding.cell).catch(() => undefined);
  if (cell?.editor) {
    notebook.mode = 'edit';
    const line = Math.max(finding.line - 1, 0);
    cell.editor.setCursorPosition({ line, column: Math.max(finding.column - 1, 0) });
    cell.editor.focus();
  }
}

export const backendSidebarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-keras-migrate:backend',
  description: 'Sidebar and status-bar item to see and switch the Keras backend of the active notebook.',
  autoStart: true,
  requires: [INotebookTracker, IBackendService],
  optional: [
    ILabShell,
    IStatusBar,
    ICommandPalette,
    ISettingRegistry,
    INotebookFindingsTracker,
    IToolbarWidgetRegistry,
    ITranslator,
    IBackendRuns
  ],
  activate: (
    app: JupyterFrontEnd,
    notebooks: INotebookTracker,
    service: IBackendService,
    labShell: ILabShell | null,
    statusBar: IStatusBar | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    findings: INotebookFindingsTracker | null,
    toolbarRegistry: IToolbarWidgetRegistry | null,
    translator: ITranslator | null,
    runs: IBackendRuns | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_keras_migrate');
    const model = new BackendModel(service, findings, NotebookActions.executed);
    let applySaved = true;
    let confirmSwitch = true;
    let backendSettings: ISettingRegistry.ISettings | null = null;
    let defaultBackend: Backend | null = null;

    const sidebar = new BackendSidebar(model, {
      switchTo: backend => void app.commands.execute(CommandIDs.switchBackend, { backend }),
      jumpTo: finding => model.panel && jumpToFinding(app, model.panel, finding),
      refresh: () => void model.refresh(),
      ...(runs
        ? {
            runAll: () => runs.runAll(),
            verifiedLine: backend => {
              const path = model.panel?.context.path;
              const job = path ? runs.verified(path) : null;
              const verified = verifiedReadiness(job).find(v => v.backend === backend);
              return verified ? verifiedLine(verified, freshness(job?.code_sha256, codeHash.value), Date.now(), trans) : null;
            },
            provedHarmless: (backend, finding) => {
              const path = model.panel?.context.path;
              const run = path ? runs.verified(path)?.report?.variants.original?.backends[backend] : undefined;
              const cell = run?.cells.find(c => c.index === finding.cell);
              return !!cell && cell.verdict === 'false-blocker';
            }
          }
        : {})
    }, trans);
    runs?.changed.connect(() => sidebar.redraw());
    // Whether the notebook changed since its last run: its code cells' hash, kept current.
    const codeHash = new CodeHash();
    codeHash.changed.connect(() => sidebar.redraw());
    const codeSources = (panel: NotebookPanel) => {
      const sources: string[] = [];
      const cells = panel.model?.cells;
      for (let i = 0; cells && i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type === 'code') {
          sources.push(cell.sharedModel.getSource());
        }
      }
      return sources;
    };
    let hashedPanel: NotebookPanel | null = null;
    const rehash = () => hashedPanel && void codeHash.update(() => (hashedPanel ? codeSources(hashedPanel) : []));
    const followPanel = (panel: NotebookPanel | null) => {
      hashedPanel?.model?.contentChanged.disconnect(rehash);
      hashedPanel = panel;
      codeHash.clear();
      if (panel && runs) {
        void panel.context.ready.then(() => {
          if (panel === hashedPanel) {
            panel.model?.contentChanged.connect(rehash);
            void codeHash.update(() => codeSources(panel), 0);
          }
        });
      }
    };
    sidebar.id = SIDEBAR_ID;
    sidebar.title.icon = kerasBackendIcon;
    sidebar.title.caption = trans.__('Keras backend');
    app.shell.add(sidebar, 'right', { rank: 900 });

    model.setPanel(notebooks.currentWidget);
    followPanel(notebooks.currentWidget);
    notebooks.currentChanged.connect((_, panel) => {
      model.setPanel(panel);
      followPanel(panel);
    });

    // The Keras version the kernel reports decides which version-specific findings apply.
    model.changed.connect(() => {
      const version = model.environment?.keras_version;
      const panel = model.panel;
      const notebookFindings = panel && findings?.get(panel);
      if (version && notebookFindings) {
        notebookFindings.setOptions({ kerasVersion: version.split('.').slice(0, 2).join('.') });
      }
    });

    app.commands.addCommand(CommandIDs.switchBackend, {
      label: args =>
        args.backend ? trans.__('Switch Keras backend to %1', args.backend as string) : trans.__('Switch Keras backend'),
      caption: trans.__('Restart the kernel of the current notebook with another KERAS_BACKEND'),
      isEnabled: args => {
        const panel = notebooks.currentWidget;
        return (
          !!panel &&
          isBackend(args.backend) &&
          model.status !== 'switching' &&
          isPythonNotebook(panel) &&
          model.environment?.backends?.[args.backend as string]?.installed !== false
        );
      },
      execute: async args => {
        const panel = notebooks.currentWidget;
        if (!panel || !isBackend(args.backend)) {
          return false;
        }
        model.setPanel(panel);
        // A switch restarts the kernel and loses every variable: ask first, as JupyterLab's restart does.
        if (confirmSwitch && args.confirm !== false) {
          const result = await showDialog({
            title: trans.__('Restart the kernel with %1?', args.backend),
            body: trans.__(
              'Switching the Keras backend restarts the kernel of %1: all variables are lost and cells must run again.',
              panel.context.localPath
            ),
            buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: trans.__('Restart with %1', args.backend) })],
            checkbox: {
              label: trans.__('Do not ask again'),
              caption: trans.__('Switch without asking (setting “Ask before switching”)')
            }
          });
          if (!result.button.accept) {
            return false;
          }
          if (result.isChecked && backendSettings) {
            void backendSettings.set('confirmSwitch', false).catch(reason =>
              console.warn('keras-migrate: could not save the setting', reason)
            );
          }
        }
        return model.switchTo(args.backend, panel);
      }
    });
    app.commands.addCommand(CommandIDs.openSidebar, {
      label: trans.__('Show Keras backend sidebar'),
      execute: () => app.shell.activateById(SIDEBAR_ID)
    });
    for (const backend of BACKENDS) {
      palette?.addItem({ command: CommandIDs.switchBackend, args: { backend }, category: trans.__('Keras migration') });
    }
    palette?.addItem({ command: CommandIDs.openSidebar, category: trans.__('Keras migration') });

    if (statusBar) {
      const item = new BackendStatusItem(model, () => app.shell.activateById(SIDEBAR_ID), trans);
      statusBar.registerStatusItem('jupyterlab-keras-migrate:backend-status', {
        item,
        align: 'left',
        rank: 4,
        isActive: () => {
          const panel = notebooks.currentWidget;
          return !!panel && (!labShell || labShell.currentWidget === panel) && isPythonNotebook(panel);
        },
        activeStateChanged: model.changed
      });
    }

    // Without a status bar (Jupyter Notebook 7) the backend shows in the notebook's toolbar.
    toolbarRegistry?.addFactory<NotebookPanel>('Notebook', 'keras-migrate-backend', panel => {
      if (statusBar) {
        return new Widget();
      }
      const item = new BackendStatusItem(model, () => {
        if (!sidebar.isAttached) {
          app.shell.add(sidebar, 'right', { rank: 900 });
        }
        app.shell.activateById(SIDEBAR_ID);
      }, trans);
      item.addClass('jp-KerasMigrate-toolbar-backend');
      return item;
    });

    /** A reopened notebook gets its saved backend; a new one the default, if set. */
    const applyChoice = async (panel: NotebookPanel) => {
      await panel.context.ready;
      await panel.sessionContext.ready;
      if (panel.isDisposed || !panel.sessionContext.session?.kernel || !isPythonNotebook(panel)) {
        return;
      }
      const saved = (panel.model?.getMetadata(METADATA_KEY) as { backend?: unknown } | undefined)?.backend;
      const wanted = applySaved && isBackend(saved) ? saved : !saved && defaultBackend ? defaultBackend : null;
      if (!wanted) {
        return;
      }
      try {
        const environment = await service.describe(panel);
        if (environment.backend === wanted || environment.backends?.[wanted]?.installed === false) {
          return;
        }
      } catch {
        // The kernel cannot report: switching will tell the user what is wrong.
      }
      if (model.panel === panel) {
        await model.switchTo(wanted, panel);
      } else {
        await service.switchBackend(panel, wanted).catch(reason =>
          console.warn(`keras-migrate: could not restore backend ${wanted}`, reason)
        );
      }
    };

    const settingsLoaded = settingRegistry
      ? settingRegistry
          .load(backendSidebarPlugin.id)
          .then(settings => {
            backendSettings = settings;
            const read = () => {
              applySaved = settings.get('applySavedBackend').composite !== false;
              confirmSwitch = settings.get('confirmSwitch').composite !== false;
              const value = settings.get('defaultBackend').composite;
              defaultBackend = isBackend(value) ? value : null;
            };
            read();
            settings.changed.connect(read);
          })
          .catch(reason => console.warn('keras-migrate: could not load backend settings', reason))
      : Promise.resolve();

    notebooks.widgetAdded.connect((_, panel) => {
      void settingsLoaded.then(() => applyChoice(panel)).catch(reason =>
        console.warn('keras-migrate: could not apply the saved backend', reason)
      );
    });
  }
};
