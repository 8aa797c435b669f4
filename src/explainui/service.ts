/**
 * Asks the server extension to explain traceback text: the recognizer exists
 * once, in Python (`POST {base_url}keras-migrate/explain`).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

export const EXPLAIN_ROUTE = 'keras-migrate/explain';
/** The server reads at most 128 K characters (head and tail); send no more. */
export const MAX_EXPLAIN_CHARS = 128 * 1024;

/** `text` itself, or its head and tail when it is longer than `limit` characters. */
export function boundText(text: string, limit = MAX_EXPLAIN_CHARS): string {
  if (text.length <= limit) {
    return text;
  }
  const half = Math.floor(limit / 2);
  return `${text.slice(0, half)}\n[... ${text.length - 2 * half} characters not sent ...]\n${text.slice(-half)}`;
}

export interface IExplainAnswer {
  /** The first recognised diagnosis, else the last traceback's answer (raw JSON, see diagnosis.schema.json). */
  diagnosis: unknown;
  /** One answer per traceback in the text. */
  diagnoses: unknown[];
}

export class ExplainService {
  constructor(private readonly _settings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  async explain(text: string): Promise<IExplainAnswer> {
    const url = URLExt.join(this._settings.baseUrl, EXPLAIN_ROUTE);
    const response = await ServerConnection.makeRequest(
      url,
      { method: 'POST', body: JSON.stringify({ text: boundText(text) }) },
      this._settings
    );
    if (!response.ok) {
      throw new ServerConnection.ResponseError(response);
    }
    const body = (await response.json()) as Partial<IExplainAnswer>;
    return { diagnosis: body.diagnosis ?? null, diagnoses: Array.isArray(body.diagnoses) ? body.diagnoses : [] };
  }
}
