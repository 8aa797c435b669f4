/**
 * Traceback-text recognizer: the TypeScript twin of
 * python_kernel_hooks/keras_migrate/recognize.py (`explain_text`) and locate.py.
 *
 * Both read the same catalog and must give identical JSON for the same text
 * (python_kernel_hooks/tests/test_explain_parity.py checks it on tracebacks
 * produced by real Keras runs). Change both together. No DOM and no Node APIs:
 * this runs in the browser and in the CLI.
 */
import sectionsCatalog from '../catalog/sections.json';
import signaturesCatalog from '../catalog/signatures.json';

export type DiagnosisKind = 'error' | 'warning';

/** What the kernel hook publishes as application/vnd.keras-migrate.diagnosis+json, and what explainText returns. */
export interface Diagnosis {
  /** Guide slug (src/catalog/sections.json); null when nothing was recognised. */
  guide: string | null;
  title: string;
  explanation: string;
  fix: string;
  guide_url: string | null;
  /** Line of the user's code (1-based, within the cell when `cell` is set). */
  line: number | null;
  /** Execution count of the cell holding `line` (the N of "In[N]"). */
  cell: number | null;
  /** File holding `line` when it is not a notebook cell. */
  file: string | null;
  cell_line_text: string | null;
  /** Names that make the advice concrete: layer, op, path, argument, attribute, module, device... */
  names: Record<string, string>;
  /** Signature id from src/catalog/signatures.json. */
  signature: string | null;
  exception_type: string | null;
  message: string;
  keras_version: string | null;
  backend: string | null;
  kind: DiagnosisKind | null;
}

interface VersionRange {
  from?: string;
  until?: string;
}

interface Signature {
  id: string;
  guide: string | null;
  kind: DiagnosisKind;
  exceptionTypes: string[];
  regex: string;
  flags?: string;
  captures?: string[];
  lineRegex?: string;
  lineCaptures?: string[];
  fallback?: boolean;
  versions?: VersionRange[];
  title?: string;
  fix?: string;
}

interface Section {
  slug: string;
  title: string;
  explanation: string;
  fix: string;
  /** The advice is about a TF op: take the op from the user's failing line when the message names none. */
  adviceNamesTfOp?: boolean;
}

interface Frame {
  file: string | null;
  cell: number | null;
  line: number;
  function: string | null;
  text: string | null;
  user: boolean;
}

interface ExceptionRecord {
  type: string | null;
  types: string[];
  message: string;
  frames: Frame[];
}

interface CompiledSignature {
  signature: Signature;
  regex: RegExp;
  lineRegex: RegExp | null;
}

// ------------------------------------------------------------------ locate

const IPYKERNEL_CELL_FILE = /[\\/]ipykernel_\d+[\\/]\d+\.py$/;
const IPYTHON_INPUT_FILE = /^<ipython-input-(\d+)-[0-9a-f]+>$/;
const LIBRARY_PATH =
  /(?:^|[\\/])(?:site-packages|dist-packages|keras|tf_keras|tensorflow|jax|jaxlib|torch|keras_migrate|IPython|ipykernel|absl|numpy)[\\/]|[\\/]lib[\\/]python\d[\w.]*[\\/]|^<(?!ipython-input-)/;
const CELL_FRAME_LINE = /^Cell In\s?\[(\d+)\], line (\d+)(?:, in (.*))?$/;
const IPYTHON_FILE_FRAME_LINE = /^File (.+?):(\d+)(?:, in (.*))?$/;
const PYTHON_FILE_FRAME_LINE = /^\s*File "(.+?)", line (\d+)(?:, in (.*))?$/;
const ARROW_LINE = /^-*>\s*(\d+)\s?(.*)$/;

function isUserFile(path: string | null, cell: number | null): boolean {
  if (cell !== null) {
    return true;
  }
  if (!path) {
    return false;
  }
  if (IPYKERNEL_CELL_FILE.test(path) || IPYTHON_INPUT_FILE.test(path)) {
    return true;
  }
  return !LIBRARY_PATH.test(path);
}

function makeFrame(
  path: string | null,
  line: number,
  fn: string | null,
  cell: number | null
): Frame {
  return { file: path, cell, line, function: fn, text: null, user: isUserFile(path, cell) };
}

function orNull(value: string | undefined): string | null {
  return value === undefined ? null : value;
}

/** Python's str.strip(): whitespace only, at both ends. */
function strip(text: string): string {
  return text.replace(/^\s+|\s+$/g, '');
}

function framesFromText(lines: string[]): Frame[] {
  const frames: Frame[] = [];
  let current: Frame | null = null;
  let plainPython = false;
  for (const line of lines) {
    let match = CELL_FRAME_LINE.exec(line);
    if (match) {
      current = makeFrame(null, parseInt(match[2], 10), orNull(match[3]), parseInt(match[1], 10));
      frames.push(current);
      plainPython = false;
      continue;
    }
    match = PYTHON_FILE_FRAME_LINE.exec(line);
    const plain = match !== null;
    if (match === null) {
      match = IPYTHON_FILE_FRAME_LINE.exec(line);
    }
    if (match) {
      plainPython = plain;
      const path = match[1];
      const cellMatch = IPYTHON_INPUT_FILE.exec(path);
      const cell = cellMatch ? parseInt(cellMatch[1], 10) : null;
      current = makeFrame(path, parseInt(match[2], 10), orNull(match[3]), cell);
      frames.push(current);
      continue;
    }
    if (current === null || current.text !== null) {
      continue;
    }
    const arrow = ARROW_LINE.exec(line);
    if (arrow) {
      current.text = strip(arrow[2]) || null;
    } else if (plainPython && line.startsWith('    ') && strip(line) && !strip(line).startsWith('^')) {
      current.text = strip(line);
    }
  }
  return frames;
}

function innermostUserFrame(frames: Frame[]): Frame | null {
  for (let i = frames.length - 1; i >= 0; i--) {
    if (frames[i].user) {
      return frames[i];
    }
  }
  return null;
}

// ------------------------------------------------------------------ records

const ANSI_ESCAPE = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const CHAIN_SEPARATORS = [
  'The above exception was the direct cause of the following exception:',
  'During handling of the above exception, another exception occurred:'
];
const EXCEPTION_HEADER = /^([A-Za-z_][\w.]*)(?::[ \t]?(.*))?$/;
const EXCEPTION_NAME = /^[A-Z]\w*(?:Error|Exception|Warning|Exit|Interrupt|Iteration)$/;
const WARNING_LINE = /^(.*?):(\d+): ([A-Za-z_]\w*Warning): (.*)$/;
const ABSL_WARNING_LINE = /^WARNING:absl:(.*)$/;
const KERAS_CALL_WRAPPER =
  /Exception encountered when calling ([A-Za-z_][\w.]*?)(?:\.call)?\(\)\.\s*\n\n([\s\S]*?)\n\nArguments received by/;
const TF_OP_CALL = /\b(tf\.(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)\s*\(/;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_ESCAPE, '');
}

export function unwrapKerasMessage(message: string): string {
  const match = KERAS_CALL_WRAPPER.exec(message);
  return match ? strip(match[2]) : message;
}

function shortName(name: string): string {
  const parts = name.split('.');
  return parts[parts.length - 1];
}

function endsWarning(line: string): boolean {
  return (
    line.slice(0, 1) === ' ' ||
    line.slice(0, 1) === '\t' ||
    strip(line) === '' ||
    line.startsWith('Traceback (most recent call last)') ||
    WARNING_LINE.test(line) ||
    ABSL_WARNING_LINE.test(line)
  );
}

function recordsFromSegment(lines: string[]): ExceptionRecord[] {
  const records: ExceptionRecord[] = [];
  let index = 0;
  let frameStart = 0;
  while (index < lines.length) {
    const line = lines[index];
    const warning = WARNING_LINE.exec(line);
    const absl = warning === null ? ABSL_WARNING_LINE.exec(line) : null;
    if (warning || absl) {
      const body = [warning ? warning[4] : (absl as RegExpExecArray)[1]];
      index += 1;
      while (index < lines.length && !endsWarning(lines[index])) {
        body.push(lines[index]);
        index += 1;
      }
      const frames = warning ? framesFromText([`  File "${warning[1]}", line ${warning[2]}`]) : [];
      const type = warning ? warning[3] : 'logging';
      records.push({ type, types: [type], message: body.join('\n').replace(/\s+$/, ''), frames });
      frameStart = index;
      continue;
    }
    const header = EXCEPTION_HEADER.exec(line);
    if (header && EXCEPTION_NAME.test(shortName(header[1]))) {
      const messageLines = [header[2] === undefined ? '' : header[2]].concat(lines.slice(index + 1));
      const type = shortName(header[1]);
      records.push({
        type,
        types: [type],
        message: strip(messageLines.join('\n')),
        frames: framesFromText(lines.slice(frameStart, index))
      });
      break;
    }
    index += 1;
  }
  return records;
}

function recordsFromText(input: string): ExceptionRecord[] {
  const text = stripAnsi(input).replace(/\r\n/g, '\n').replace(/\r/g, '\n');
  const segments: string[][] = [[]];
  for (const line of text.split('\n')) {
    if (CHAIN_SEPARATORS.indexOf(strip(line)) >= 0) {
      segments.push([]);
    } else {
      segments[segments.length - 1].push(line);
    }
  }
  const records: ExceptionRecord[] = [];
  for (const lines of segments) {
    records.push(...recordsFromSegment(lines));
  }
  if (records.length === 0 && strip(text)) {
    records.push({ type: null, types: [], message: strip(text), frames: framesFromText(text.split('\n')) });
  }
  return records;
}

// ------------------------------------------------------------------ matching

const SECTIONS: Record<string, Section> = {};
for (const section of (sectionsCatalog as unknown as { sections: Section[] }).sections) {
  SECTIONS[section.slug] = section;
}
const GUIDE_URL: string | null = (sectionsCatalog as unknown as { guideUrl?: string }).guideUrl ?? null;

let compiledCache: CompiledSignature[] | null = null;

function compiledSignatures(): CompiledSignature[] {
  if (compiledCache === null) {
    compiledCache = (signaturesCatalog as unknown as { signatures: Signature[] }).signatures.map(signature => ({
      signature,
      regex: new RegExp(signature.regex, signature.flags || ''),
      lineRegex: signature.lineRegex ? new RegExp(signature.lineRegex) : null
    }));
  }
  return compiledCache;
}

interface Hit {
  signature: Signature;
  match: RegExpExecArray;
  lineMatch: RegExpExecArray | null;
  record: ExceptionRecord;
  frame: Frame | null;
}

function innermostUserFrameOfAll(records: ExceptionRecord[]): Frame | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const frame = innermostUserFrame(records[i].frames);
    if (frame !== null) {
      return frame;
    }
  }
  return null;
}

function trySignature(entry: CompiledSignature, records: ExceptionRecord[], position: number): Hit | null {
  const { signature, regex, lineRegex } = entry;
  const record = records[position];
  if (record.types.length > 0 && !signature.exceptionTypes.some(name => record.types.indexOf(name) >= 0)) {
    return null;
  }
  const match = regex.exec(record.message);
  if (match === null) {
    return null;
  }
  const frame = innermostUserFrame(record.frames) ?? innermostUserFrameOfAll(records);
  let lineMatch: RegExpExecArray | null = null;
  if (lineRegex !== null) {
    if (frame === null || frame.text === null) {
      return null;
    }
    lineMatch = lineRegex.exec(frame.text);
    if (lineMatch === null) {
      return null;
    }
  }
  return { signature, match, lineMatch, record, frame };
}

/** Same order as recognize.py: specific signatures newest record first, then fallbacks signature by signature. */
function findMatch(records: ExceptionRecord[]): Hit | null {
  const compiled = compiledSignatures();
  const specific = compiled.filter(entry => !entry.signature.fallback);
  const fallback = compiled.filter(entry => entry.signature.fallback);
  for (let position = records.length - 1; position >= 0; position--) {
    for (const entry of specific) {
      const hit = trySignature(entry, records, position);
      if (hit) {
        return hit;
      }
    }
  }
  for (const entry of fallback) {
    for (let position = records.length - 1; position >= 0; position--) {
      const hit = trySignature(entry, records, position);
      if (hit) {
        return hit;
      }
    }
  }
  return null;
}

function nameGroups(names: Record<string, string>, captures: string[] | undefined, match: RegExpExecArray | null): void {
  if (match === null) {
    return;
  }
  (captures || []).forEach((name, position) => {
    const value = match[position + 1];
    if (value !== undefined && !(name in names)) {
      names[name] = value;
    }
  });
}

function recognizeRecords(records: ExceptionRecord[]): Diagnosis | null {
  const hit = findMatch(records);
  if (hit === null) {
    return null;
  }
  const { signature, match, lineMatch, record, frame } = hit;
  if (signature.guide === null) {
    return null; // a known message that is not a migration problem
  }
  const section = SECTIONS[signature.guide];
  const names: Record<string, string> = {};
  nameGroups(names, signature.captures, match);
  nameGroups(names, signature.lineCaptures, lineMatch);
  if (!('layer' in names)) {
    for (const candidate of [record].concat(records.slice().reverse())) {
      const wrapper = KERAS_CALL_WRAPPER.exec(candidate.message);
      if (wrapper) {
        names.layer = wrapper[1];
        break;
      }
    }
  }
  if (!('op' in names) && section.adviceNamesTfOp && frame && frame.text) {
    const op = TF_OP_CALL.exec(frame.text);
    if (op) {
      names.op = op[1];
    }
  }
  if ('path' in names) {
    names.path = names.path.replace(/[.,;]+$/, '');
  }
  return {
    guide: signature.guide,
    title: signature.title || section.title,
    explanation: section.explanation,
    fix: signature.fix || section.fix,
    guide_url: GUIDE_URL,
    line: frame ? frame.line : null,
    cell: frame ? frame.cell : null,
    file: frame && frame.cell === null ? frame.file : null,
    cell_line_text: frame ? frame.text : null,
    names,
    signature: signature.id,
    exception_type: record.type,
    message: unwrapKerasMessage(record.message),
    keras_version: null,
    backend: null,
    kind: signature.kind
  };
}

function emptyDiagnosis(message: string): Diagnosis {
  return {
    guide: null,
    title: 'No Keras 3 migration problem recognised',
    explanation: '',
    fix: '',
    guide_url: null,
    line: null,
    cell: null,
    file: null,
    cell_line_text: null,
    names: {},
    signature: null,
    exception_type: null,
    message,
    keras_version: null,
    backend: null,
    kind: null
  };
}

/** Diagnosis for pasted traceback (or warning) text; `guide` is null when nothing is recognised. */
export function explainText(text: string): Diagnosis {
  const records = recordsFromText(text || '');
  const diagnosis = recognizeRecords(records);
  if (diagnosis !== null) {
    return diagnosis;
  }
  const last = records.length > 0 ? records[records.length - 1] : null;
  const empty = emptyDiagnosis(last ? unwrapKerasMessage(last.message) : '');
  if (last) {
    empty.exception_type = last.type;
    const frame = innermostUserFrameOfAll(records);
    if (frame) {
      empty.line = frame.line;
      empty.cell = frame.cell;
      empty.cell_line_text = frame.text;
      empty.file = frame.cell === null ? frame.file : null;
    }
  }
  return empty;
}
