/** Run jobs on the server: start, poll, cancel (POST/GET/DELETE {base}keras-migrate/runs). */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import type { RunJob } from './types';

export class RunService {
  constructor(private readonly _settings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  private _url(...parts: string[]): string {
    return URLExt.join(this._settings.baseUrl, 'keras-migrate/runs', ...parts.map(encodeURIComponent));
  }

  private async _send(url: string, init: RequestInit): Promise<RunJob> {
    const response = await ServerConnection.makeRequest(url, init, this._settings);
    if (!response.ok) {
      let reason = `${response.status} ${response.statusText}`;
      try {
        const body = (await response.json()) as { message?: string };
        reason = body.message || reason;
      } catch {
        // not JSON: keep the status line
      }
      throw new Error(reason);
    }
    return (await response.json()) as RunJob;
  }

  start(path: string, backends: string[]): Promise<RunJob> {
    return this._send(this._url(), { method: 'POST', body: JSON.stringify({ path, backends }) });
  }

  get(id: string): Promise<RunJob> {
    return this._send(this._url(id), { method: 'GET' });
  }

  cancel(id: string): Promise<RunJob> {
    return this._send(this._url(id), { method: 'DELETE' });
  }
}
