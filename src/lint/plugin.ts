/**
 * Plugins of the analyser in the editor: the lazy loader (a Web Worker), the
 * per-notebook findings with a CodeMirror linter in every code cell, the
 * problems panel with its counts, and the commands (fix all, next/previous
 * finding, quick fix, ignore on this line). This file only wires.
 */
import { ILabShell, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Dialog, ICommandPalette, IToolbarWidgetRegistry, Notification, showDialog } from '@jupyterlab/apputils';
import { ICellModel } from '@jupyterlab/cells';
import { CodeMirrorEditor, EditorExtensionRegistry, IEditorExtensionRegistry } from '@jupyterlab/codemirror';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import { LineIndex } from '../analysis/text';
import type { Finding, Target } from '../analysis/types';
import { IAnalyzerLoader, INotebookFindingsTracker } from '../tokens';
import { cellLinter, ICellFindingsSource, relint } from './extension';
import { renderDiff } from './diffview';
import { fixAllSafe } from './fixall';
import { AnalyzerLoader } from './loader';
import { jumpToFinding } from './navigate';
import { adjacentFinding, CursorPosition, findingsAtCursor, lineWithSuppression } from './problems';
import { ProblemsCountItem, ProblemsPanel } from './problemspanel';
import { applyQuickFix, FixPreview } from './quickfix';
import { NotebookFindingsTracker } from './tracker';

const PLUGIN_PREFIX = 'jupyterlab-keras-migrate';
export const TRANSLATION_DOMAIN = 'jupyterlab_keras_migrate';

export namespace CommandIDs {
  export const fixAll = 'keras-migrate:fix-all-safe';
  export const nextFinding = 'keras-migrate:next-finding';
  export const previousFinding = 'keras-migrate:previous-finding';
  export const quickFix = 'keras-migrate:quick-fix';
  export const ignoreLine = 'keras-migrate:ignore-on-line';
  export const showProblems = 'keras-migrate:show-problems';
}

const PROBLEMS_ID = 'jp-KerasMigrate-problems';

/** The problems panel's tab icon (a list with a warning mark), themed like JupyterLab's icons. */
const kerasProblemsIcon = new LabIcon({
  name: 'jupyterlab-keras-migrate:problems',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16">' +
    '<path class="jp-icon3" fill="#616161" d="M3 5h10v2H3zm0 6h8v2H3zm0 6h6v2H3z"/>' +
    '<path class="jp-icon-warn0" fill="#f57c00" d="M17.5 9 12 19h11zm-.8 3.5h1.6v3.2h-1.6zm0 4.2h1.6v1.5h-1.6z"/></svg>'
});

export const analyzerLoaderPlugin: JupyterFrontEndPlugin<IAnalyzerLoader> = {
  id: `${PLUGIN_PREFIX}:analyzer`,
  description: 'Loads the Keras migration analyser (tree-sitter WASM, in a Web Worker) on first use.',
  autoStart: true,
  provides: IAnalyzerLoader,
  activate: (): IAnalyzerLoader => new AnalyzerLoader()
};

function isCodeCellModel(model: unknown): model is ICellModel {
  return !!model && (model as ICellModel).type === 'code' && !!(model as ICellModel).sharedModel;
}

/**
 * Where the cursor is in a notebook, as a finding position (1-based). With a
 * selection (a finding jumped to), "next" starts after it and "previous" before it.
 */
function cursorOf(panel: NotebookPanel, edge: 'start' | 'end' = 'end'): CursorPosition | null {
  const notebook = panel.content;
  const cell = notebook.activeCell;
  if (!cell) {
    return null;
  }
  const selection = cell.editor?.getSelection();
  const position = (selection ? selection[edge] : null) ?? { line: 0, column: 0 };
  return { cell: notebook.activeCellIndex, line: position.line + 1, column: position.column + 1 };
}

export const lintPlugin: JupyterFrontEndPlugin<INotebookFindingsTracker> = {
  id: `${PLUGIN_PREFIX}:lint`,
  description: 'Marks Keras 2 → 3 migration problems in notebook cells, with the guide’s explanation and quick fixes.',
  autoStart: true,
  requires: [INotebookTracker, IEditorExtensionRegistry, IAnalyzerLoader],
  optional: [ISettingRegistry, ICommandPalette, ITranslator, IStatusBar, IToolbarWidgetRegistry, ILabShell],
  provides: INotebookFindingsTracker,
  activate: (
    app: JupyterFrontEnd,
    notebooks: INotebookTracker,
    extensions: IEditorExtensionRegistry,
    loader: IAnalyzerLoader,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    statusBar: IStatusBar | null,
    toolbarRegistry: IToolbarWidgetRegistry | null,
    labShell: ILabShell | null
  ): INotebookFindingsTracker => {
    const trans = (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
    const tracker = new NotebookFindingsTracker(notebooks, loader);
    let enabled = true;

    const confirmFix = async (preview: FixPreview): Promise<boolean> => {
      const body = new Widget({ node: renderDiff([{ label: preview.title, ...preview }], trans) });
      body.addClass('jp-KerasMigrate-fixall-body');
      const result = await showDialog({
        title: trans.__('Apply this fix?'),
        body,
        buttons: [Dialog.cancelButton(), Dialog.okButton({ label: trans.__('Apply fix') })]
      });
      return result.button.accept;
    };
    const applyFix = async (cell: ICellModel, finding: Finding) => {
      const owner = tracker.ownerOf(cell);
      if (!owner) {
        return;
      }
      const outcome = await applyQuickFix(owner, cell, finding, confirmFix, trans);
      if (outcome === 'gone') {
        Notification.info(trans.__('This problem is no longer in the cell’s current code.'), { autoClose: 5000 });
      } else if (outcome === 'changed') {
        Notification.warning(trans.__('The cell changed while the fix was previewed; nothing was written.'), {
          autoClose: 8000
        });
      }
    };
    const source: ICellFindingsSource = {
      findings: cell => (enabled ? tracker.findingsForCell(cell) : []),
      analysedSource: cell => (enabled ? tracker.ownerOf(cell)?.analysedSource(cell) ?? null : null),
      applyFix: (cell, finding) => void applyFix(cell, finding),
      trans
    };

    extensions.addExtension({
      name: `${PLUGIN_PREFIX}:linter`,
      factory: ({ model }) =>
        isCodeCellModel(model) ? EditorExtensionRegistry.createImmutableExtension(cellLinter(model, source)) : null
    });

    // A change in one cell (an import, say) can change the findings of the cells
    // below it; their editors are re-linted here.
    const relintCells = (panel: NotebookPanel, wanted: Set<unknown> | null, onlyIfWaiting = false) => {
      for (const widget of panel.content.widgets) {
        // Duck-typed: CodeMirrorEditor may come from another copy of the package.
        const view = (widget.editor as CodeMirrorEditor | null)?.editor;
        if ((!wanted || wanted.has(widget.model)) && view && typeof view.plugin === 'function') {
          relint(view, onlyIfWaiting);
        }
      }
    };
    tracker.cellsChanged.connect((_, { panel, cells }) => relintCells(panel, new Set(cells)));
    tracker.analysed.connect((_, panel) => relintCells(panel, null, true));

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

    // The problems panel: in JupyterLab's bottom panel, in Notebook 7's right sidebar.
    const problems = new ProblemsPanel(tracker, (panel, finding) => jumpToFinding(app, panel, finding), trans);
    problems.id = PROBLEMS_ID;
    problems.title.icon = kerasProblemsIcon;
    problems.setPanel(notebooks.currentWidget);
    notebooks.currentChanged.connect((_, panel) => {
      if (panel) {
        problems.setPanel(panel);
      }
    });
    const showProblems = () => {
      if (!problems.isAttached) {
        const area = labShell ? 'down' : 'right';
        app.shell.add(problems, area, { rank: 900 });
      }
      app.shell.activateById(PROBLEMS_ID);
    };

    const currentFindings = () => {
      const panel = notebooks.currentWidget;
      return panel ? tracker.get(panel) : null;
    };
    const hasFindings = () => !!currentFindings();

    app.commands.addCommand(CommandIDs.showProblems, {
      label: trans.__('Show Keras migration problems'),
      caption: trans.__('List every Keras 3 migration finding of the active notebook'),
      execute: showProblems
    });

    app.commands.addCommand(CommandIDs.fixAll, {
      label: trans.__('Fix all safe Keras problems'),
      caption: trans.__('Preview and apply every safe Keras 3 migration fix in this notebook'),
      isEnabled: hasFindings,
      execute: async () => {
        const panel = notebooks.currentWidget;
        const findings = panel ? tracker.get(panel) : null;
        if (!panel || !findings) {
          return null;
        }
        const analyzer = await loader.analyzer();
        return fixAllSafe(panel, analyzer, findings, findings.options, { trans, showProblems });
      }
    });

    const goToAdjacent = async (direction: 1 | -1) => {
      const panel = notebooks.currentWidget;
      const findings = panel ? tracker.get(panel) : null;
      if (!panel || !findings) {
        return null;
      }
      await findings.refresh();
      const at = cursorOf(panel, direction === 1 ? 'end' : 'start') ?? {
        cell: direction === 1 ? -1 : Infinity,
        line: 0,
        column: 0
      };
      const target = adjacentFinding(findings.findings, at, direction);
      if (target) {
        jumpToFinding(app, panel, target);
      }
      return target;
    };
    app.commands.addCommand(CommandIDs.nextFinding, {
      label: trans.__('Next Keras problem'),
      caption: trans.__('Go to the next Keras 3 migration finding in the notebook'),
      isEnabled: hasFindings,
      execute: () => goToAdjacent(1)
    });
    app.commands.addCommand(CommandIDs.previousFinding, {
      label: trans.__('Previous Keras problem'),
      caption: trans.__('Go to the previous Keras 3 migration finding in the notebook'),
      isEnabled: hasFindings,
      execute: () => goToAdjacent(-1)
    });

    /** The active cell, its notebook's findings brought up to date, and the cursor (null when unknown). */
    const cursorContext = async () => {
      const panel = notebooks.currentWidget;
      const findings = panel ? tracker.get(panel) : null;
      const cell = panel?.content.activeCell;
      if (!panel || !findings || !cell) {
        return null;
      }
      await findings.refresh();
      return { findings, cell, at: cursorOf(panel) };
    };

    app.commands.addCommand(CommandIDs.quickFix, {
      label: trans.__('Quick fix Keras problem at cursor'),
      caption: trans.__('Apply the fix of the Keras 3 migration finding at the cursor'),
      isEnabled: hasFindings,
      execute: async () => {
        const context = await cursorContext();
        if (!context) {
          return false;
        }
        const { findings, cell, at } = context;
        const candidates = at ? findingsAtCursor(findings.findings, at).filter(f => f.fix) : [];
        if (!candidates.length) {
          Notification.info(trans.__('No Keras fix at the cursor.'), { autoClose: 4000 });
          return false;
        }
        await applyFix(cell.model, candidates[0]);
        return true;
      }
    });

    app.commands.addCommand(CommandIDs.ignoreLine, {
      label: trans.__('Ignore Keras problems on this line'),
      caption: trans.__('Add a “# keras-migrate: ignore[…]” comment for the findings on the cursor’s line'),
      isEnabled: hasFindings,
      execute: async () => {
        const context = await cursorContext();
        if (!context?.at) {
          return false;
        }
        const { findings, cell, at } = context;
        const onLine = findings.findings.filter(f => f.cell === at.cell && f.line === at.line);
        if (!onLine.length) {
          Notification.info(trans.__('No Keras problem starts on this line.'), { autoClose: 4000 });
          return false;
        }
        const model = cell.model.sharedModel;
        const text = model.getSource();
        const index = new LineIndex(text);
        if (at.line > index.lineCount) {
          return false;
        }
        const start = index.lineStart(at.line);
        const line = text.slice(start, index.offset(at.line, Number.MAX_SAFE_INTEGER));
        const replaced = lineWithSuppression(line, onLine.map(f => f.rule));
        if (replaced === null) {
          Notification.warning(trans.__('This line continues on the next one; a comment cannot go here.'), {
            autoClose: 6000
          });
          return false;
        }
        model.updateSource(start, start + line.length, replaced);
        return true;
      }
    });

    if (palette) {
      const category = trans.__('Keras migration');
      for (const command of Object.values(CommandIDs)) {
        palette.addItem({ command, category });
      }
    }
    app.contextMenu.addItem({ command: CommandIDs.fixAll, selector: '.jp-Notebook', rank: 60 });
    app.contextMenu.addItem({ command: CommandIDs.showProblems, selector: '.jp-Notebook', rank: 61 });

    if (statusBar) {
      const count = new ProblemsCountItem(tracker, showProblems, trans);
      count.setPanel(notebooks.currentWidget);
      notebooks.currentChanged.connect((_, panel) => count.setPanel(panel));
      statusBar.registerStatusItem(`${PLUGIN_PREFIX}:problems-count`, {
        item: count,
        align: 'left',
        // The item hides itself for notebooks without findings (not Python, no notebook).
        rank: 5
      });
    }
    // Notebook toolbar item (the count where there is no status bar, e.g. Notebook 7).
    toolbarRegistry?.addFactory<NotebookPanel>('Notebook', 'keras-migrate-problems', panel => {
      if (statusBar) {
        return new Widget(); // JupyterLab shows the count in its status bar
      }
      const item = new ProblemsCountItem(tracker, showProblems, trans);
      item.setPanel(panel);
      return item;
    });

    // Toolbar buttons and menus show whether a command is enabled: tell them when findings arrive.
    tracker.changed.connect(() => {
      for (const command of [CommandIDs.fixAll, CommandIDs.nextFinding, CommandIDs.previousFinding]) {
        app.commands.notifyCommandChanged(command);
      }
    });
    notebooks.currentChanged.connect(() => app.commands.notifyCommandChanged(CommandIDs.fixAll));

    return tracker;
  }
};
