/**
 * The diagnosis shown by the explain card, read defensively: it comes from an
 * output (possibly saved in an untrusted notebook) or from the recognizer, so
 * every field is checked and only plain strings and numbers survive.
 */
import { GUIDE_URL } from '../analysis/catalog';
import type { TranslationBundle } from '@jupyterlab/translation';
import { guideSection } from '../lint/guide';
import { plainTranslation } from '../translate';

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
  /** Execution count (In[N]) of the cell holding `line`; may differ from the output's cell. */
  cell: number | null;
  /** Path of the .py file holding `line` when it is not in a notebook cell. */
  file: string | null;
  /** Base of the guide link: only a link on the guide's own site (saved outputs are untrusted). */
  guideUrl: string | null;
  /** The failing line inside a .py module that the cell (`line`) called. */
  origin: { file: string | null; line: number | null; text: string | null } | null;
  /** The text had stack frames but no exception line: nothing could be told (title, explanation and fix say what is missing). */
  incomplete: boolean;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function positiveInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * Only links on the guide's own site: a saved output could carry `javascript:`,
 * a data URL or a look-alike site. Anything else falls back to the catalog's URL.
 */
export function guideSiteUrl(value: unknown): string | null {
  if (typeof value !== 'string') {
    return null;
  }
  try {
    const url = new URL(value);
    const guide = new URL(GUIDE_URL);
    return url.protocol === 'https:' && url.host === guide.host ? url.href : null;
  } catch {
    return null;
  }
}

function readOrigin(value: unknown): Diagnosis['origin'] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return null;
  }
  const raw = value as Record<string, unknown>;
  const file = str(raw.file);
  const line = positiveInteger(raw.line);
  return file || line ? { file, line, text: str(raw.text) } : null;
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
  const line = positiveInteger(raw.line);
  const file = str(raw.file)?.trim() || null;
  return {
    guide: section ? guide : guide ?? null,
    // Empty when neither the payload nor the catalog names it: the card words it (translated).
    title: title ?? '',
    explanation: str(raw.explanation) ?? section?.explanation ?? '',
    fix: str(raw.fix) ?? section?.fix ?? '',
    line,
    cellLineText: str(raw.cell_line_text) ?? str(raw.cellLineText),
    names,
    exceptionType: str(raw.exception_type) ?? str(raw.exceptionType),
    message: str(raw.message),
    kerasVersion: str(raw.keras_version),
    backend: str(raw.backend),
    kind: raw.kind === 'warning' ? 'warning' : 'error',
    // A line in a file is not in any cell, whatever `cell` says.
    cell: file ? null : positiveInteger(raw.cell),
    file,
    guideUrl: guideSiteUrl(raw.guide_url) ?? guideSiteUrl(raw.guideUrl),
    origin: file ? null : readOrigin(raw.origin),
    incomplete: raw.incomplete === true
  };
}

/**
 * Index of the notebook cell that holds the diagnosis's line: the cell whose
 * current execution count is `diagnosis.cell`, else the output's own cell. Null
 * when the line is in a file (no cell to jump to or fix).
 *
 * `executionCounts[i]` is cell i's prompt number (null for unexecuted or
 * non-code cells). When several cells show the count (prompts left from before
 * a restart), the output's own cell wins, then the nearest one above it, since
 * a cell can only use what ran before it.
 */
export function targetCellIndex(
  diagnosis: Pick<Diagnosis, 'cell' | 'file'>,
  executionCounts: ReadonlyArray<number | null>,
  ownIndex: number
): number | null {
  if (diagnosis.file) {
    return null;
  }
  const wanted = diagnosis.cell;
  if (wanted === null || executionCounts[ownIndex] === wanted) {
    return ownIndex;
  }
  let above = -1;
  let below = -1;
  executionCounts.forEach((count, index) => {
    if (count !== wanted) {
      return;
    }
    if (index < ownIndex) {
      above = index;
    } else if (below < 0) {
      below = index;
    }
  });
  if (above >= 0) {
    return above;
  }
  return below >= 0 ? below : ownIndex;
}

/** How the card names the line: in its own cell, in another cell, or in a file. */
export function describeLocation(
  diagnosis: Pick<Diagnosis, 'cell' | 'file' | 'line'> & { origin?: Diagnosis['origin'] },
  target: { index: number; own: boolean; matched: boolean } | null,
  trans: TranslationBundle = plainTranslation
): string {
  if (diagnosis.line === null) {
    return '';
  }
  if (diagnosis.file) {
    return trans.__('%1, line %2', diagnosis.file, diagnosis.line);
  }
  if (diagnosis.cell !== null && target && !target.own) {
    return trans.__('Cell %1 (In [%2]), line %3', target.index + 1, diagnosis.cell, diagnosis.line) + originText(diagnosis, trans);
  }
  // No cell shows the prompt (not placed yet, still running, or run again since):
  // name it as the traceback does rather than claim the line is in this cell.
  if (diagnosis.cell !== null && !target?.matched) {
    return trans.__('In [%1], line %2', diagnosis.cell, diagnosis.line) + originText(diagnosis, trans);
  }
  return trans.__('Cell line %1', diagnosis.line) + originText(diagnosis, trans);
}

function originText(diagnosis: { origin?: Diagnosis['origin'] }, trans: TranslationBundle): string {
  const origin = diagnosis.origin;
  if (!origin?.file || origin.line === null) {
    return '';
  }
  return trans.__(', in %1, line %2', origin.file, origin.line);
}
