/** Output formats of `keras-migrate check`: text, concise, json (the finding contract), sarif, github. */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ALL_RULES, GUIDE_URL, section } from '../analysis';
import type { Backend, Finding } from '../analysis/types';

const BACKENDS: readonly Backend[] = ['tensorflow', 'jax', 'torch'];

export interface FileFinding extends Finding {
  path: string;
  /** For a notebook: the line of the .ipynb file holding the flagged source line. */
  fileLine?: number;
}

export const OUTPUT_FORMATS = ['text', 'concise', 'json', 'sarif', 'github'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** ANSI styles, or none: colour only on a terminal, never with NO_COLOR set. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  code(s: string, severity: string): string;
}

export const PLAIN: Style = { bold: s => s, dim: s => s, code: s => s };
export const ANSI: Style = {
  bold: s => `\x1b[1m${s}\x1b[22m`,
  dim: s => `\x1b[2m${s}\x1b[22m`,
  code: (s, severity) => `\x1b[${severity === 'error' ? 31 : severity === 'warning' ? 33 : 36}m${s}\x1b[39m`
};

export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') {
    return PLAIN;
  }
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') {
    return ANSI;
  }
  return stream.isTTY ? ANSI : PLAIN;
}

/** The backends on which the flagged code is claimed to fail: the finding's own list (set by the analyser). */
export function blockedBackends(f: Finding): string[] {
  return [...(f.blocks ?? section(f.guide).blocks)];
}

/** Exactly the fields of the finding contract, in contract order, plus the backends it claims to block. */
export function toJsonFinding(f: FileFinding): object {
  return {
    path: f.path,
    cell: f.cell,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    rule: f.rule,
    guide: f.guide,
    severity: f.severity,
    message: f.message,
    fix: f.fix
      ? {
          title: f.fix.title,
          safe: f.fix.safe,
          edits: f.fix.edits.map(e => ({ line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn, text: e.text }))
        }
      : null,
    blocks: blockedBackends(f)
  };
}

/** `JSON.stringify(value, null, 2)` as it reads `depth` levels down inside a larger document. */
function indentedJson(value: object, depth: number): string {
  const pad = ' '.repeat(2 * depth);
  // JSON strings hold no raw newline, so every newline is a line break of the layout.
  return pad + JSON.stringify(value, null, 2).replace(/\n/g, '\n' + pad);
}

export function formatJson(findings: FileFinding[]): string {
  return joinReport('json', reportParts('json', findings, PLAIN), 0, PLAIN);
}

/** `path:line:col: CODE message`, or `path:cell N:line:col: ...` in a notebook, as ruff prints. */
export function formatConcise(findings: FileFinding[], style: Style = PLAIN): string {
  return joinReport('concise', reportParts('concise', findings, style), 0, style);
}

function conciseLines(findings: FileFinding[], style: Style): string {
  return findings
    .map(f => {
      const where = `${f.path}:${f.cell === null ? '' : `cell ${f.cell}:`}${f.line}:${f.column}:`;
      const fix = f.fix?.safe ? ' [*]' : '';
      return `${style.bold(where)} ${style.code(f.rule, f.severity)}${fix} ${f.message}\n`;
    })
    .join('');
}

/** GitHub Actions workflow commands: an annotation per finding on the file's own line. */
export function formatGithub(findings: FileFinding[]): string {
  return joinReport('github', reportParts('github', findings, PLAIN), 0, PLAIN);
}

function githubLines(findings: FileFinding[]): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const level = { error: 'error', warning: 'warning', info: 'notice' } as const;
  return findings
    .map(f => {
      const line = f.fileLine ?? f.line;
      const span = f.fileLine === undefined ? `,endLine=${f.endLine},col=${f.column},endColumn=${f.endColumn}` : '';
      const where = f.cell === null ? '' : `cell ${f.cell}, line ${f.line}: `;
      return `::${level[f.severity]} title=${prop(`keras-migrate (${f.rule})`)},file=${prop(f.path.split(path.sep).join('/'))},line=${line}${span}::${data(`${where}${f.rule} ${f.message}`)}\n`;
    })
    .join('');
}

export function formatText(findings: FileFinding[], fileCount: number, style: Style = PLAIN): string {
  return joinReport('text', reportParts('text', findings, style), fileCount, style);
}

/** The text format's lines for one file's findings (the file's name heads them in joinReport). */
function textLines(findings: FileFinding[], style: Style): string {
  const out: string[] = [];
  for (const f of findings) {
    const where = (f.cell === null ? '' : `cell ${f.cell}, `) + `${f.line}:${f.column}`;
    const fix = f.fix ? (f.fix.safe ? ' [safe fix]' : ' [suggested fix]') : '';
    out.push(`  ${where}  ${style.code(`${f.rule} ${f.severity}`, f.severity)}: ${f.message}${fix}\n`);
    out.push(style.dim(`      guide: ${f.guide}: ${section(f.guide).title} (${GUIDE_URL})`) + '\n');
  }
  return out.join('');
}

function textSummary(parts: ReportPart[], fileCount: number): string {
  const out: string[] = [];
  const bySlug = new Map<string, number>();
  const blocking = new Map<string, number>(BACKENDS.map(b => [b, 0]));
  const tfOnly: string[] = [];
  let count = 0;
  let safe = 0;
  const paths = new Set<string>();
  for (const part of parts) {
    for (const [slug, n] of part.sections) {
      bySlug.set(slug, (bySlug.get(slug) ?? 0) + n);
    }
    for (const [backend, n] of part.blocking) {
      blocking.set(backend, (blocking.get(backend) ?? 0) + n);
    }
    tfOnly.push(...part.tfOnly);
    count += part.findings;
    safe += part.safe;
    if (part.findings) {
      paths.add(part.path);
    }
  }
  if (count) {
    out.push('Summary by guide section:');
    const rows = [...bySlug].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const width = Math.max(...rows.map(([s]) => s.length));
    for (const [slug, n] of rows) {
      out.push(`  ${slug.padEnd(width)}  ${String(n).padStart(5)}  ${section(slug).title}`);
    }
    // A layer runs on JAX and PyTorch only once all of its TF calls are converted: which remain, per layer.
    if (tfOnly.length) {
      out.push('Still TensorFlow-only after the safe fixes, per layer and model function:', ...tfOnly);
    }
    out.push(
      'Findings that block each backend: ' +
        [...blocking].map(([backend, n]) => (n ? `${backend} ${n}` : `${backend} none`)).join(', ') +
        ' (any `tf.` use also needs TensorFlow installed)'
    );
  }
  out.push(
    `${count} finding${count === 1 ? '' : 's'} in ${paths.size} of ${fileCount} file${fileCount === 1 ? '' : 's'}` +
      (safe ? ` (${safe} fixable with \`keras-migrate fix\`)` : '')
  );
  return out.join('\n') + '\n';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A path as a SARIF URI: relative to %SRCROOT% (the working folder) with each segment encoded, else a file: URI. */
export function sarifArtifact(file: string, base: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(base, path.resolve(base, file));
  if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) {
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(path.resolve(base, file)).href };
}

function sarifRules(): object[] {
  return ALL_RULES.map(r => ({
    id: r.code,
    name: r.name,
    shortDescription: { text: r.docs.whatItDoes },
    fullDescription: { text: r.docs.why },
    helpUri: GUIDE_URL,
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
    properties: { guide: r.slug, fixAvailability: r.fixAvailability }
  }));
}

const RULE_INDEX = new Map(ALL_RULES.map((r, i) => [r.code, i]));

function sarifResult(f: FileFinding, base: string): object {
  // In a notebook the region is the .ipynb file's own line (code scanning shows the file);
  // the cell and the line inside it go in the logical location and the properties.
  const region =
    f.cell === null ? { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn } : { startLine: f.fileLine ?? 1 };
  return {
    ruleId: f.rule,
    ruleIndex: RULE_INDEX.get(f.rule),
    level: SARIF_LEVEL[f.severity],
    message: { text: f.cell === null ? f.message : `${f.message} (cell ${f.cell}, line ${f.line}, column ${f.column})` },
    locations: [
      {
        physicalLocation: { artifactLocation: sarifArtifact(f.path, base), region },
        ...(f.cell === null
          ? {}
          : { logicalLocations: [{ name: `cell ${f.cell}`, fullyQualifiedName: `cell ${f.cell}:${f.line}:${f.column}`, kind: 'module' }] })
      }
    ],
    properties: { guide: f.guide, cell: f.cell, cellLine: f.cell === null ? null : f.line, fixable: f.fix !== null, safeFix: f.fix?.safe ?? false }
  };
}

/** Where the results go in the log: JSON.stringify escapes the NUL, so no rule text can look like it. */
const SARIF_RESULTS = '\u0000results';

function sarifLog(results: string, version: string, base: string): string {
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'keras-migrate', version, informationUri: GUIDE_URL, rules: sarifRules() } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(base + path.sep).href } },
        results: SARIF_RESULTS
      }
    ]
  };
  // The results sit three levels down (log > runs > run): their closing bracket at depth 3.
  const list = results ? `[\n${results}\n      ]` : '[]';
  return JSON.stringify(log, null, 2).replace(JSON.stringify(SARIF_RESULTS), () => list) + '\n';
}

export function formatSarif(findings: FileFinding[], version: string, base: string = process.cwd()): string {
  return joinReport('sarif', reportParts('sarif', findings, PLAIN, base), 0, PLAIN, version, base);
}

/**
 * One file's findings rendered for the report. The thread that analysed a file renders its
 * findings (worker threads in parallel) and the main thread only joins the parts: rendered
 * text crosses threads for a fraction of the cost of cloning finding objects, and rendering
 * thousands of findings stops being serial work.
 */
export interface ReportPart {
  path: string;
  /**
   * The findings in the output format, laid out for their place in the whole report: text,
   * the lines under the file's name; json and sarif, the array items, comma-separated.
   */
  body: string;
  findings: number;
  safe: number;
  /** Findings per guide section (the text format's summary). */
  sections: Array<[string, number]>;
  /** Findings that claim to block each backend (the text format's readiness line). */
  blocking: Array<[string, number]>;
  /**
   * The text format's per-layer report: one line per layer, model class or model function
   * that stays TensorFlow-only after the safe fixes (KM190 findings that block a backend).
   */
  tfOnly: string[];
}

/** The rule that reports, per layer and model function, the TF calls no safe fix converts. */
const TF_OPS_REMAINING = 'KM190';

/** The report part of one file's findings. */
export function renderPart(format: OutputFormat, file: string, findings: FileFinding[], style: Style, base: string = process.cwd()): ReportPart {
  let body: string;
  switch (format) {
    case 'json':
      body = findings.map(f => indentedJson(toJsonFinding(f), 1)).join(',\n');
      break;
    case 'sarif':
      body = findings.map(f => indentedJson(sarifResult(f, base), 4)).join(',\n');
      break;
    case 'github':
      body = githubLines(findings);
      break;
    case 'concise':
      body = conciseLines(findings, style);
      break;
    default:
      body = textLines(findings, style);
  }
  const sections = new Map<string, number>();
  const blocking = new Map<string, number>(BACKENDS.map(b => [b, 0]));
  const tfOnly: string[] = [];
  for (const f of findings) {
    sections.set(f.guide, (sections.get(f.guide) ?? 0) + 1);
    const blocks = blockedBackends(f);
    for (const b of blocks) {
      blocking.set(b, (blocking.get(b) ?? 0) + 1);
    }
    if (f.rule === TF_OPS_REMAINING && blocks.length) {
      tfOnly.push(`  ${file}:${f.cell === null ? '' : `cell ${f.cell}:`}${f.line}: ${f.message}`);
    }
  }
  return { path: file, body, findings: findings.length, safe: findings.filter(f => f.fix?.safe).length, sections: [...sections], blocking: [...blocking], tfOnly };
}

/** Findings split into parts by file (consecutive findings of the same path), each rendered. */
function reportParts(format: OutputFormat, findings: FileFinding[], style: Style, base: string = process.cwd()): ReportPart[] {
  const parts: ReportPart[] = [];
  for (let start = 0; start < findings.length; ) {
    let end = start + 1;
    while (end < findings.length && findings[end].path === findings[start].path) {
      end++;
    }
    parts.push(renderPart(format, findings[start].path, findings.slice(start, end), style, base));
    start = end;
  }
  return parts;
}

/** The whole report from its parts, in order. */
export function joinReport(
  format: OutputFormat,
  parts: ReportPart[],
  fileCount: number,
  style: Style,
  version = '',
  base: string = process.cwd()
): string {
  const withFindings = parts.filter(p => p.findings > 0);
  switch (format) {
    case 'json':
      return withFindings.length ? `[\n${withFindings.map(p => p.body).join(',\n')}\n]\n` : '[]\n';
    case 'sarif':
      return sarifLog(withFindings.map(p => p.body).join(',\n'), version, base);
    case 'github':
    case 'concise':
      return withFindings.map(p => p.body).join('');
    default: {
      // One block per file name, in order of first appearance (a file named twice is one block).
      const blocks = new Map<string, string[]>();
      for (const part of withFindings) {
        const block = blocks.get(part.path) ?? [];
        block.push(part.body);
        blocks.set(part.path, block);
      }
      const out: string[] = [];
      for (const [file, bodies] of blocks) {
        out.push(style.bold(file) + '\n' + bodies.join('') + '\n');
      }
      return out.join('') + textSummary(parts, fileCount);
    }
  }
}
