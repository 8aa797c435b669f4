/**
 * Two renderers: the diagnosis MIME type the kernel hook emits, and a wrapper
 * around the stderr renderer that adds "Explain this error" below a traceback
 * while leaving the traceback's own rendering untouched.
 *
 * Rendering an output never runs the recognizer: saved outputs (a huge stderr
 * stream, say) open at the cost of the plain renderer. Only a click on the
 * button, which error outputs get, sends the text to the server's recognizer.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ISignal } from '@lumino/signaling';
import { Panel, Widget } from '@lumino/widgets';
import { DiagnosisCard, ICardHost } from './card';
import { mayBeMigrationError } from './explainable';
import { plainTranslation } from '../translate';
import { Diagnosis, DIAGNOSIS_MIME_TYPE, readDiagnosis } from './diagnosis';

export const STDERR_MIME_TYPE = 'application/vnd.jupyter.stderr';
/** performance.measure() name of the extension's work when a stderr/error output renders. */
export const RENDER_MEASURE = 'keras-migrate:stderr-render';

/** What the traceback wrapper needs from the application. */
export interface IExplainHost extends ICardHost {
  /** False when the output sits in a notebook whose kernel is not Python. */
  isPythonContext(widget: Widget): boolean;
  /** Diagnose traceback or warning text (null when it is not a migration problem). */
  explainText(text: string): Promise<Diagnosis | null>;
  /** The diagnosis card the kernel hook put in the same cell, if any. */
  kernelCardFor(widget: Widget): DiagnosisCard | null;
  /** Emitted when a kernel card appears or goes away. */
  readonly cardsChanged: ISignal<unknown, void>;
  /** Card strings (JupyterLab's translator). */
  readonly trans: TranslationBundle;
}

/** Renders `application/vnd.keras-migrate.diagnosis+json`. */
export class DiagnosisRenderer extends DiagnosisCard implements IRenderMime.IRenderer {
  constructor(host: ICardHost | null, trans?: TranslationBundle) {
    super(host, trans);
    this._renderTrans = trans ?? plainTranslation;
    this.addClass('jp-KerasMigrate-diagnosis');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const diagnosis = readDiagnosis(model.data[DIAGNOSIS_MIME_TYPE]);
    if (diagnosis) {
      this.showDiagnosis(diagnosis);
    } else {
      this.node.textContent = this._renderTrans.__('Keras migration diagnosis (unreadable data)');
    }
  }

  private _renderTrans: TranslationBundle;
}

export function diagnosisRendererFactory(host: ICardHost | null, trans?: TranslationBundle): IRenderMime.IRendererFactory {
  return {
    safe: true,
    mimeTypes: [DIAGNOSIS_MIME_TYPE],
    defaultRank: 70,
    createRenderer: () => new DiagnosisRenderer(host, trans)
  };
}

/** Text of an output model: the traceback for errors, the text for streams. */
function outputText(model: IRenderMime.IMimeModel): string {
  const value = model.data[STDERR_MIME_TYPE];
  return typeof value === 'string' ? value : Array.isArray(value) ? value.join('') : '';
}

/** `error` for error outputs, `stream` for stderr streams (OutputModel carries a type). */
function outputType(model: IRenderMime.IMimeModel): string | null {
  const type = (model as unknown as { type?: unknown }).type;
  return typeof type === 'string' ? type : null;
}

/** The exception an error output names (`ename`), or '' when the output does not say. */
function errorName(model: IRenderMime.IMimeModel): string {
  const json = (model as unknown as { toJSON?: () => { ename?: unknown } }).toJSON?.();
  return typeof json?.ename === 'string' ? json.ename : '';
}

/**
 * The stderr renderer plus an action row. Only error outputs of Python notebooks
 * get the action, and not when the kernel hook's card is already in the cell.
 */
export class ExplainableStderr extends Panel implements IRenderMime.IRenderer {
  constructor(
    private readonly _inner: IRenderMime.IRenderer,
    private readonly _host: IExplainHost
  ) {
    super();
    this.addClass('jp-KerasMigrate-stderr');
    this.addWidget(_inner);
    this._actions = new Widget();
    this._actions.addClass('jp-KerasMigrate-explain-actions');
    this._actions.hide();
    this.addWidget(this._actions);
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    await this._inner.renderModel(model);
    // Our own share of rendering, measured (Galata checks no output makes it a long task).
    const start = performance.now();
    this._text = outputText(model);
    this._type = outputType(model);
    this._explainable = this._type === 'error' && mayBeMigrationError(errorName(model), this._text);
    this._diagnosis = undefined;
    this._card?.dispose();
    this._card = null;
    void this._updateActions();
    performance.measure(RENDER_MEASURE, { start });
  }

  protected onAfterAttach(): void {
    this._host.cardsChanged.connect(this._onCardsChanged, this);
    void this._updateActions();
  }

  protected onBeforeDetach(): void {
    this._host.cardsChanged.disconnect(this._onCardsChanged, this);
  }

  private _onCardsChanged(): void {
    void this._updateActions();
  }

  private async _updateActions(): Promise<void> {
    const python = !this.isAttached || this._host.isPythonContext(this);
    // The kernel's card knows more (cell line, names) than text can tell: no second way to ask.
    const show = python && this._explainable && !(this.isAttached && this._host.kernelCardFor(this));
    if (!show) {
      this._actions.hide();
      return;
    }
    if (!this._button) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'jp-Button jp-mod-minimal jp-KerasMigrate-explain-button';
      button.textContent = this._host.trans.__('Explain this error');
      button.addEventListener('click', () => void this._onExplain());
      this._actions.node.appendChild(button);
      this._button = button;
    }
    this._actions.show();
  }

  /** The server's answer (cached); throws when the server could not be asked. */
  private async _explain(): Promise<Diagnosis | null> {
    if (this._diagnosis === undefined) {
      this._diagnosis = await this._host.explainText(this._text);
    }
    return this._diagnosis;
  }

  private async _onExplain(): Promise<void> {
    if (this._card) {
      this._card.dispose();
      this._card = null;
      return;
    }
    let diagnosis: Diagnosis | null;
    try {
      diagnosis = await this._explain();
    } catch (reason) {
      console.warn('keras-migrate: could not explain the output', reason);
      this._card = new DiagnosisCard(null, this._host.trans);
      this._card.showNote(this._host.trans.__('Could not ask the Jupyter server to explain this error; try again.'));
      this.addWidget(this._card);
      return;
    }
    if (diagnosis) {
      this._card = new DiagnosisCard(diagnosis.incomplete && !diagnosis.guide ? null : this._host, this._host.trans);
      this._card.showDiagnosis(diagnosis);
    } else {
      this._card = new DiagnosisCard(null, this._host.trans);
      this._card.showNote(this._host.trans.__('Not recognised as a Keras 3 migration problem.'));
    }
    this.addWidget(this._card);
  }

  private _actions: Widget;
  private _button: HTMLButtonElement | null = null;
  private _card: DiagnosisCard | null = null;
  private _text = '';
  private _type: string | null = null;
  private _explainable = false;
  /** undefined: not asked yet; null: not a migration problem. */
  private _diagnosis: Diagnosis | null | undefined = undefined;
}

/** Wraps the existing stderr factory so its rendering stays exactly as it was. */
export function explainableStderrFactory(
  original: IRenderMime.IRendererFactory,
  host: IExplainHost
): IRenderMime.IRendererFactory {
  return {
    safe: original.safe,
    mimeTypes: [STDERR_MIME_TYPE],
    defaultRank: original.defaultRank,
    createRenderer: options => new ExplainableStderr(original.createRenderer(options), host)
  };
}
