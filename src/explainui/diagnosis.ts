/**
 * The diagnosis shown by the explain card, read defensively: it comes from an
 * output (possibly saved in an untrusted notebook) or from the recognizer, so
 * every field is checked and only plain strings and numbers survive.
 */
import { guideSection } from '../lint/guide';

export const DIAGNOSIS_MIME_TYPE = 'application/vnd.keras-migrate.diagnosis+json';

export interface Diagnosis {
  guide: string | null;
  title: string;
  explanation: string;
  fix: string;
  line: number | null;
  cellLineText: string | null;
  names: Record<string, string>;
  exceptionType: string | null;
  message: string | null;
  kerasVersion: string | null;
  backend: string | null;
  kind: 'error' | 'warning';
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Turns any JSON-ish value into a Diagnosis, or null if it names no known problem. */
export function readDiagnosis(data: unknown): Diagnosis | null {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return null;
  }
  const raw = data as Record<string, unknown>;
  const guide = str(raw.guide);
  const section = guideSection(guide);
  const title = str(raw.title) ?? section?.title ?? null;
  if (!guide && !title) {
    return null;
  }
  const names: Record<string, string> = {};
  if (raw.names && typeof raw.names === 'object' && !Array.isArray(raw.names)) {
    for (const [key, value] of Object.entries(raw.names as Record<string, unknown>)) {
      if (typeof value === 'string' || typeof value === 'number') {
        names[key] = String(value);
      }
    }
  }
  const line = typeof raw.line === 'number' && Number.isInteger(raw.line) && raw.line > 0 ? raw.line : null;
  return {
    guide: section ? guide : guide ?? null,
    title: title ?? 'Keras migration problem',
    explanation: str(raw.explanation) ?? section?.explanation ?? '',
    fix: str(raw.fix) ?? section?.fix ?? '',
    line,
    cellLineText: str(raw.cell_line_text) ?? str(raw.cellLineText),
    names,
    exceptionType: str(raw.exception_type) ?? str(raw.exceptionType),
    message: str(raw.message),
    kerasVersion: str(raw.keras_version),
    backend: str(raw.backend),
    kind: raw.kind === 'warning' ? 'warning' : 'error'
  };
}
