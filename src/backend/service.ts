/**
 * The backend switcher's link to the server and the kernel. The server extension
 * records the choice per kernel; the kernel provisioner reads it on every
 * (re)start, so the switch itself is "record, then restart".
 */
import { URLExt } from '@jupyterlab/coreutils';
import { NotebookPanel } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import { BACKEND_ENV_VAR, TRAINING_BACKENDS } from '../analysis/catalog';
import type { Backend } from '../analysis/types';
import type { IBackendService, IHookStatus, IKernelEnvironment } from '../tokens';
import { unreprString } from './repr';

/** The switcher lists the backends alphabetically. */
export const BACKENDS: ReadonlyArray<Backend> = [...TRAINING_BACKENDS].sort();

/**
 * The interpreter's own import function. User expressions are evaluated in the user's
 * namespace, where a cell may have defined its own `__import__` (one that returns the
 * submodule, say): the report must not depend on it.
 */
const BUILTIN_IMPORT =
  "(__builtins__['__import__'] if isinstance(__builtins__, dict) else __builtins__.__import__)";

/** Evaluated in the kernel as a silent user expression (see docs/architecture.md). */
export function describeExpression(importKeras: boolean): string {
  return (
    `${BUILTIN_IMPORT}('keras_migrate.environment', None, None, ['describe_json'])` +
    `.describe_json(import_keras=${importKeras ? 'True' : 'False'})`
  );
}

/**
 * Used when the kernel cannot import keras_migrate (a kernel from another
 * environment). It never imports Keras (that would take seconds and fix the
 * backend behind the user's back): it reads Keras only if a cell imported it,
 * otherwise the backend KERAS_BACKEND names.
 */
export const FALLBACK_EXPRESSION =
  `(lambda imp: (lambda json, os, keras: json.dumps({` +
  `'backend': keras.backend.backend() if keras else os.environ.get('${BACKEND_ENV_VAR}'), ` +
  `'backend_source': 'keras' if keras else ('env' if os.environ.get('${BACKEND_ENV_VAR}') else None), ` +
  `'keras_version': getattr(keras, '__version__', None), 'keras_imported': keras is not None, ` +
  `'backends': {}, 'hook_loaded': False}, default=str))` +
  `(imp('json'), imp('os'), imp('sys').modules.get('keras')))(${BUILTIN_IMPORT})`;

/** Raised when the kernel could not report its environment. */
export class EnvironmentError extends Error {}

/** Raised when the server did not record the choice: nothing was restarted. */
export class RecordError extends Error {}

export class BackendService implements IBackendService {
  constructor(private readonly _settings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  private _url(kernelId: string): string {
    return URLExt.join(this._settings.baseUrl, 'keras-migrate/kernels', encodeURIComponent(kernelId), 'backend');
  }

  async getRecorded(kernelId: string): Promise<string | null> {
    const response = await ServerConnection.makeRequest(this._url(kernelId), { method: 'GET' }, this._settings);
    if (response.status === 404) {
      return null;
    }
    if (!response.ok) {
      throw new ServerConnection.ResponseError(response);
    }
    const body = (await response.json()) as { backend?: string | null };
    return body.backend ?? null;
  }

  async hookStatus(kernelId: string): Promise<IHookStatus | null> {
    const response = await ServerConnection.makeRequest(this._url(kernelId), { method: 'GET' }, this._settings);
    if (!response.ok) {
      return null;
    }
    const hook = ((await response.json()) as { hook?: Partial<IHookStatus> | null }).hook;
    if (!hook || typeof hook.available !== 'boolean' || typeof hook.python !== 'string') {
      return null;
    }
    return { available: hook.available, python: hook.python, install: typeof hook.install === 'string' ? hook.install : null };
  }

  async record(kernelId: string, backend: Backend): Promise<void> {
    const response = await ServerConnection.makeRequest(
      this._url(kernelId),
      { method: 'PUT', body: JSON.stringify({ backend }) },
      this._settings
    );
    if (!response.ok) {
      let reason = `${response.status} ${response.statusText}`;
      try {
        const body = await response.json();
        reason = body.message ?? body.reason ?? reason;
      } catch {
        // keep the status line
      }
      throw new RecordError(`The server did not record the backend choice: ${reason}`);
    }
  }

  async describe(panel: NotebookPanel, options: { importKeras?: boolean } = {}): Promise<IKernelEnvironment> {
    try {
      return await this._evaluate(panel, describeExpression(!!options.importKeras));
    } catch (reason) {
      if (!(reason instanceof EnvironmentError)) {
        throw reason;
      }
      try {
        return await this._evaluate(panel, FALLBACK_EXPRESSION);
      } catch {
        throw reason;
      }
    }
  }

  async switchBackend(panel: NotebookPanel, backend: Backend): Promise<IKernelEnvironment> {
    const session = panel.sessionContext;
    const kernel = session.session?.kernel;
    if (!kernel) {
      throw new Error('This notebook has no running kernel.');
    }
    await this.record(kernel.id, backend);
    await session.restartKernel();
    const restarted = session.session?.kernel;
    if (!restarted) {
      throw new Error('The kernel did not come back after the restart.');
    }
    await restarted.info;
    // Import Keras now: a backend that fails to import must show up here, not in the user's first cell.
    const environment = await this.describe(panel, { importKeras: true });
    if (environment.keras_error) {
      throw new Error(`Keras could not start on ${backend}: ${environment.keras_error}`);
    }
    if (environment.backend !== backend) {
      throw new Error(
        `The kernel restarted with backend "${environment.backend ?? 'unknown'}" instead of "${backend}".`
      );
    }
    return environment;
  }

  private async _evaluate(panel: NotebookPanel, expression: string): Promise<IKernelEnvironment> {
    const kernel = panel.sessionContext.session?.kernel;
    if (!kernel) {
      throw new Error('This notebook has no running kernel.');
    }
    const future = kernel.requestExecute(
      { code: '', silent: true, store_history: false, user_expressions: { environment: expression } },
      true
    );
    const reply = await future.done;
    const content = reply.content as {
      status: string;
      user_expressions?: Record<string, { status: string; data?: Record<string, string>; ename?: string; evalue?: string }>;
    };
    const result = content.user_expressions?.environment;
    if (!result || result.status !== 'ok' || !result.data?.['text/plain']) {
      throw new EnvironmentError(
        result?.ename ? `${result.ename}: ${result.evalue ?? ''}` : 'The kernel did not report its Keras environment.'
      );
    }
    const parsed = JSON.parse(unreprString(result.data['text/plain'])) as IKernelEnvironment;
    parsed.backends = parsed.backends ?? {};
    return parsed;
  }
}
