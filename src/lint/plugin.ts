/**
 * Plugins of the analyser in the editor: the lazy loader, the per-notebook
 * findings with a CodeMirror linter in every code cell, and "Fix all safe problems".
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ICellModel } from '@jupyterlab/cells';
import { CodeMirrorEditor, EditorExtensionRegistry, IEditorExtensionRegistry } from '@jupyterlab/codemirror';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { Target } from '../analysis/types';
import { IAnalyzerLoader, INotebookFindingsTracker } from '../tokens';
import { cellLinter, relint } from './extension';
import { fixAllSafe } from './fixall';
import { AnalyzerLoader } from './loader';
import { NotebookFindingsTracker } from './tracker';

const PLUGIN_PREFIX = 'jupyterlab-keras-migrate';

export namespace CommandIDs {
  export const fixAll = 'keras-migrate:fix-all-safe';
}

export const analyzerLoaderPlugin: JupyterFrontEndPlugin<IAnalyzerLoader> = {
  id: `${PLUGIN_PREFIX}:analyzer`,
  description: 'Loads the Keras migration analyser (tree-sitter WASM) on first use.',
  autoStart: true,
  provides: IAnalyzerLoader,
  activate: (): IAnalyzerLoader => new AnalyzerLoader()
};

function isCodeCellModel(model: unknown): model is ICellModel {
  return !!model && (model as ICellModel).type === 'code' && !!(model as ICellModel).sharedModel;
}

export const lintPlugin: JupyterFrontEndPlugin<INotebookFindingsTracker> = {
  id: `${PLUGIN_PREFIX}:lint`,
  description: 'Marks Keras 2 → 3 migration problems in notebook cells, with the guide’s explanation and quick fixes.',
  autoStart: true,
  requires: [INotebookTracker, IEditorExtensionRegistry, IAnalyzerLoader],
  optional: [ISettingRegistry, ICommandPalette],
  provides: INotebookFindingsTracker,
  activate: (
    app: JupyterFrontEnd,
    notebooks: INotebookTracker,
    extensions: IEditorExtensionRegistry,
    loader: IAnalyzerLoader,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null
  ): INotebookFindingsTracker => {
    const tracker = new NotebookFindingsTracker(notebooks, loader);
    let enabled = true;
    const source = (cell: ICellModel) => (enabled ? tracker.findingsForCell(cell) : []);

    extensions.addExtension({
      name: `${PLUGIN_PREFIX}:linter`,
      factory: ({ model }) =>
        isCodeCellModel(model)
          ? EditorExtensionRegistry.createImmutableExtension(cellLinter(model, source))
          : null
    });

    // A change in one cell (an import, say) can change the findings of the cells
    // below it; their editors are re-linted here.
    const relintCells = (panel: NotebookPanel, wanted: Set<unknown> | null) => {
      for (const widget of panel.content.widgets) {
        // Duck-typed: CodeMirrorEditor may come from another copy of the package.
        const view = (widget.editor as CodeMirrorEditor | null)?.editor;
        if ((!wanted || wanted.has(widget.model)) && view && typeof view.dispatch === 'function') {
          relint(view);
        }
      }
    };
    tracker.cellsChanged.connect((_, { panel, cells }) => relintCells(panel, new Set(cells)));

    if (settingRegistry) {
      settingRegistry
        .load(lintPlugin.id)
        .then(settings => {
          const apply = () => {
            const wasEnabled = enabled;
            enabled = settings.get('enabled').composite !== false;
            if (enabled !== wasEnabled) {
              notebooks.forEach(panel => relintCells(panel, null));
            }
            const target = settings.get('target').composite as Target | undefined;
            tracker.setDefaultOptions({ target: target ?? 'multi-backend' });
          };
          apply();
          settings.changed.connect(apply);
        })
        .catch(reason => console.warn('keras-migrate: could not load lint settings', reason));
    }

    app.commands.addCommand(CommandIDs.fixAll, {
      label: 'Fix all safe problems in notebook',
      caption: 'Preview and apply every safe Keras 3 migration fix in this notebook',
      isEnabled: () => {
        const panel = notebooks.currentWidget;
        return !!panel && !!tracker.get(panel);
      },
      execute: async () => {
        const panel = notebooks.currentWidget;
        const findings = panel ? tracker.get(panel) : null;
        if (!panel || !findings) {
          return;
        }
        const analyzer = await loader.analyzer();
        await fixAllSafe(panel, analyzer, findings.options);
        await findings.refresh();
      }
    });
    palette?.addItem({ command: CommandIDs.fixAll, category: 'Keras migration' });
    app.contextMenu.addItem({ command: CommandIDs.fixAll, selector: '.jp-Notebook', rank: 60 });

    return tracker;
  }
};
