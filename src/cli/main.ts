/**
 * keras-migrate: check, fix and explain Keras 2 -> Keras 3 migration problems in .py and
 * .ipynb files. Bundled by src/cli/build.mjs into lib/cli/keras-migrate.cjs, with the two
 * WASM files next to it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { ALL_RULES, createAnalyzer, KerasMigrateAnalyzer, NEWEST_KNOWN_KERAS, SECTIONS } from '../analysis';
import type { AnalyzeOptions, Finding, Target } from '../analysis/types';
import { Diagnosis, explainText } from '../explain/recognize';
import { unifiedDiff } from './diff';
import { collectFiles, InputError, isInputError, LoadedInput, loadInput, writeAtomically } from './inputs';
import { parseNotebook, replaceSources } from './notebook-file';
import { FileFinding, formatJson, formatSarif, formatText } from './report';
import { rulesMarkdown } from './rules-doc';

const VERSION = '0.1.0';

const USAGE = `usage: keras-migrate <command> [options] PATH...

commands:
  check   report Keras 3 migration problems in .py and .ipynb files (folders are searched)
  fix     apply safe fixes in place (--unsafe: all fixes; --diff: print a diff, write nothing)
  explain explain a Keras error message or traceback read from FILE or stdin (-)
  rules   list the rules (--format markdown [FILE]: the rules reference)

options:
  --format text|json|sarif   output format (check: default text; explain: text|json)
  --target multi-backend|tensorflow
  --keras-version X.Y        Keras version to check against (default ${NEWEST_KNOWN_KERAS})
  --select CODES             comma-separated rule codes, code prefixes (KM13) or guide slugs to keep
  --ignore CODES             comma-separated rule codes or guide slugs to drop
  --jobs N                   analyse with N worker threads (check)
  --unsafe, --diff           fix only
`;

class UsageError extends Error {}

interface Args {
  command: string;
  format: string | null;
  target: Target;
  kerasVersion: string | undefined;
  select: string[];
  ignore: string[];
  unsafe: boolean;
  diff: boolean;
  jobs: number;
  paths: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    command: '',
    format: null,
    target: 'multi-backend',
    kerasVersion: undefined,
    select: [],
    ignore: [],
    unsafe: false,
    diff: false,
    jobs: 1,
    paths: []
  };
  const rest = argv.slice();
  const valueOf = (flag: string, inline: string | undefined): string => {
    const v = inline ?? rest.shift();
    if (v === undefined || v === '') {
      throw new UsageError(`${flag} needs a value`);
    }
    return v;
  };
  let onlyPaths = false;
  while (rest.length) {
    const arg = rest.shift()!;
    if (onlyPaths || arg === '-' || !arg.startsWith('-')) {
      if (!args.command) {
        args.command = arg;
      } else {
        args.paths.push(arg);
      }
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    switch (flag) {
      case '--format':
        args.format = valueOf(flag, inline);
        break;
      case '--target': {
        const t = valueOf(flag, inline);
        if (t !== 'tensorflow' && t !== 'multi-backend') {
          throw new UsageError(`--target must be tensorflow or multi-backend, not ${t}`);
        }
        args.target = t;
        break;
      }
      case '--keras-version': {
        const v = valueOf(flag, inline);
        if (!/^3(\.\d+){0,2}$/.test(v)) {
          throw new UsageError(`--keras-version must look like 3.X, not ${v}`);
        }
        args.kerasVersion = v;
        break;
      }
      case '--select':
        args.select.push(...valueOf(flag, inline).split(',').map(s => s.trim()).filter(Boolean));
        break;
      case '--ignore':
        args.ignore.push(...valueOf(flag, inline).split(',').map(s => s.trim()).filter(Boolean));
        break;
      case '--jobs':
      case '-j': {
        const n = Number(valueOf(flag, inline));
        if (!Number.isInteger(n) || n < 1) {
          throw new UsageError('--jobs must be a positive integer');
        }
        args.jobs = n;
        break;
      }
      case '--unsafe':
        args.unsafe = true;
        break;
      case '--diff':
        args.diff = true;
        break;
      case '--help':
      case '-h':
        args.command = 'help';
        break;
      case '--version':
        args.command = 'version';
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  const known = new Set([...SECTIONS.map(s => s.slug)]);
  for (const name of [...args.select, ...args.ignore]) {
    if (!known.has(name) && !/^KM\d+$/.test(name)) {
      throw new UsageError(`unknown rule code or guide slug: ${name}`);
    }
  }
  return args;
}

function wasmDir(): string {
  return __dirname;
}

async function loadAnalyzer(): Promise<KerasMigrateAnalyzer> {
  const dir = wasmDir();
  return createAnalyzer({
    treeSitterWasm: path.join(dir, 'web-tree-sitter.wasm'),
    pythonWasm: fs.readFileSync(path.join(dir, 'tree-sitter-python.wasm'))
  });
}

function analyzeOptions(args: Args): AnalyzeOptions {
  return { target: args.target, kerasVersion: args.kerasVersion, select: args.select, ignore: args.ignore };
}

function checkInput(analyzer: KerasMigrateAnalyzer, input: LoadedInput, options: AnalyzeOptions): FileFinding[] {
  let findings: Finding[];
  if (input.kind === 'python') {
    findings = analyzer.analyzeFile(input.text, options);
  } else if (!input.python) {
    findings = [];
  } else {
    const nb = analyzer.openNotebook();
    try {
      nb.update(input.cells);
      findings = nb.findings(options);
    } finally {
      nb.dispose();
    }
  }
  return findings.map(f => ({ path: input.path, ...f }));
}

type FileOutcome = { findings: FileFinding[] } | { error: InputError };

function checkFile(analyzer: KerasMigrateAnalyzer, file: string, options: AnalyzeOptions): FileOutcome {
  const input = loadInput(file);
  if (isInputError(input)) {
    return { error: input };
  }
  try {
    return { findings: checkInput(analyzer, input, options) };
  } catch (err) {
    return { error: { path: file, reason: 'analysis failed: ' + String((err as Error).message ?? err).split('\n')[0] } };
  }
}

async function checkFiles(files: string[], args: Args): Promise<FileOutcome[]> {
  const options = analyzeOptions(args);
  const jobs = Math.min(args.jobs, files.length);
  if (jobs <= 1) {
    const analyzer = await loadAnalyzer();
    return files.map(f => checkFile(analyzer, f, options));
  }
  const outcomes: FileOutcome[] = new Array(files.length);
  // Contiguous slices keep each worker's reads sequential; results go back by index.
  const size = Math.ceil(files.length / jobs);
  await Promise.all(
    Array.from({ length: jobs }, (_, w) => {
      const start = w * size;
      const slice = files.slice(start, start + size);
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(__filename, { workerData: { files: slice, options } });
        worker.on('message', (msg: { results: FileOutcome[] }) => {
          msg.results.forEach((r, i) => (outcomes[start + i] = r));
        });
        worker.on('error', reject);
        worker.on('exit', code => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
      });
    })
  );
  return outcomes;
}

function reportErrors(errors: InputError[]): void {
  for (const e of errors) {
    process.stderr.write(`keras-migrate: ${e.path}: ${e.reason}\n`);
  }
}

async function runCheck(args: Args): Promise<number> {
  const format = args.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) {
    throw new UsageError(`--format must be text, json or sarif, not ${format}`);
  }
  if (args.paths.length === 0) {
    throw new UsageError('check needs at least one PATH');
  }
  const { files, errors } = collectFiles(args.paths);
  const outcomes = await checkFiles(files, args);
  const findings: FileFinding[] = [];
  for (const o of outcomes) {
    if ('error' in o) {
      errors.push(o.error);
    } else {
      findings.push(...o.findings);
    }
  }
  reportErrors(errors);
  const text =
    format === 'json' ? formatJson(findings) : format === 'sarif' ? formatSarif(findings, VERSION) : formatText(findings, files.length);
  process.stdout.write(text);
  return errors.length ? 2 : findings.length ? 1 : 0;
}

function diffLabel(file: string): string {
  return file.split(path.sep).join('/').replace(/^\/+/, '');
}

async function runFix(args: Args): Promise<number> {
  if (args.paths.length === 0) {
    throw new UsageError('fix needs at least one PATH');
  }
  const { files, errors } = collectFiles(args.paths);
  const analyzer = await loadAnalyzer();
  const options = { ...analyzeOptions(args), unsafe: args.unsafe };
  let fixedFindings = 0;
  let changedFiles = 0;
  for (const file of files) {
    const input = loadInput(file);
    if (isInputError(input)) {
      errors.push(input);
      continue;
    }
    try {
      let after: string;
      let diffs = '';
      if (input.kind === 'python') {
        const result = analyzer.fixFile(input.text, options);
        fixedFindings += result.applied.length;
        after = result.source;
        if (args.diff) {
          diffs = unifiedDiff(input.text, after, `a/${diffLabel(file)}`, `b/${diffLabel(file)}`);
        }
      } else {
        if (!input.python) {
          continue;
        }
        const result = analyzer.fixCells(input.cells, options);
        fixedFindings += result.applied.length;
        after = replaceSources(input.notebook, result.cells);
        // The rewritten file must read back as the same notebook with the new sources.
        const check = parseNotebook(after);
        check.cells.forEach((c, i) => {
          const expected = result.cells[i];
          if (c.cellType === 'code' && expected !== null && c.source !== expected) {
            throw new Error(`internal error: cell ${i} did not round-trip`);
          }
        });
        if (args.diff) {
          result.cells.forEach((src, i) => {
            if (src !== null && src !== input.cells[i]) {
              diffs += unifiedDiff(input.cells[i] as string, src, `a/${diffLabel(file)} (cell ${i})`, `b/${diffLabel(file)} (cell ${i})`);
            }
          });
        }
      }
      if (after === input.text) {
        continue;
      }
      changedFiles++;
      if (args.diff) {
        process.stdout.write(diffs);
      } else {
        writeAtomically(file, after);
      }
    } catch (err) {
      errors.push({ path: file, reason: String((err as Error).message ?? err).split('\n')[0] });
    }
  }
  reportErrors(errors);
  const verb = args.diff ? 'Would fix' : 'Fixed';
  process.stderr.write(`${verb} ${fixedFindings} finding${fixedFindings === 1 ? '' : 's'} in ${changedFiles} file${changedFiles === 1 ? '' : 's'}.\n`);
  if (errors.length) {
    return 2;
  }
  return args.diff && changedFiles > 0 ? 1 : 0;
}

/** Same report as `python -m keras_migrate explain`, so both tools read alike. */
function explainReport(d: Diagnosis): string {
  if (d.guide === null) {
    return 'No Keras 3 migration problem recognised.\n';
  }
  const lines = [`${d.title}  [guide: ${d.guide}]`];
  if (d.line !== null) {
    const where = d.cell !== null ? `In[${d.cell}], line ${d.line}` : d.file ? `${d.file}, line ${d.line}` : `line ${d.line}`;
    lines.push('Where: ' + where + (d.cell_line_text ? ': ' + d.cell_line_text : ''));
  }
  const names = Object.entries(d.names).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length) {
    lines.push('Names: ' + names.map(([k, v]) => `${k}=${v}`).join(', '));
  }
  lines.push('', 'Why: ' + d.explanation, 'Fix: ' + d.fix);
  if (d.guide_url) {
    lines.push('Guide: ' + d.guide_url);
  }
  return lines.join('\n') + '\n';
}

/** Exit 0 whether or not a problem is recognised (`"guide": null` then), as the Python CLI does. */
function runExplain(args: Args): number {
  const format = args.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`explain --format must be text or json, not ${format}`);
  }
  if (args.paths.length > 1) {
    throw new UsageError('explain takes one FILE (or - for stdin)');
  }
  const source = args.paths[0] ?? '-';
  let text: string;
  try {
    text = source === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(source, 'utf8');
  } catch (err) {
    reportErrors([{ path: source === '-' ? '<stdin>' : source, reason: String((err as Error).message).split('\n')[0] }]);
    return 2;
  }
  const diagnosis = explainText(text);
  process.stdout.write(format === 'json' ? JSON.stringify(diagnosis, null, 2) + '\n' : explainReport(diagnosis));
  return 0;
}

function runRules(args: Args): number {
  if (args.format === 'markdown') {
    const text = rulesMarkdown();
    if (args.paths[0]) {
      writeAtomically(args.paths[0], text);
    } else {
      process.stdout.write(text);
    }
    return 0;
  }
  for (const r of ALL_RULES) {
    process.stdout.write(`${r.code}  ${r.name.padEnd(32)} ${r.slug.padEnd(22)} ${r.severity.padEnd(7)} fix: ${r.fixAvailability}\n`);
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
    switch (args.command) {
      case 'check':
        return await runCheck(args);
      case 'fix':
        return await runFix(args);
      case 'explain':
        return runExplain(args);
      case 'rules':
        return runRules(args);
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      case 'version':
        process.stdout.write(VERSION + '\n');
        return 0;
      case '':
        throw new UsageError('missing command (check, fix, explain, rules)');
      default:
        throw new UsageError(`unknown command ${args.command}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`keras-migrate: ${err.message} (see keras-migrate --help)\n`);
      return 2;
    }
    process.stderr.write(`keras-migrate: ${String((err as Error).message ?? err).split('\n')[0]}\n`);
    return 2;
  }
}

async function workerMain(): Promise<void> {
  const { files, options } = workerData as { files: string[]; options: AnalyzeOptions };
  const analyzer = await loadAnalyzer();
  const results = files.map(f => checkFile(analyzer, f, options));
  parentPort!.postMessage({ results });
}

if (!isMainThread && workerData && (workerData as { files?: unknown }).files) {
  void workerMain();
} else if (require.main === module) {
  main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
  });
}
