/**
 * keras-migrate: check, fix and explain Keras 2 -> Keras 3 migration problems in .py and
 * .ipynb files. Bundled by src/cli/build.mjs into lib/cli/keras-migrate.cjs, with the two
 * WASM files next to it. The Python console script of the same name runs this bundle, so
 * both spellings share every option, format and exit code.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { parseArgs, ParseArgsConfig } from 'util';
import * as v8 from 'v8';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { ALL_RULES, createAnalyzer, KerasMigrateAnalyzer, NEWEST_KNOWN_KERAS, section, SECTIONS } from '../analysis';
import type { AnalyzeOptions, Target } from '../analysis/types';
import { unifiedDiff } from '../diff';
import { DEFAULT_CACHE_DIR_NAME, optionsKey, ResultCache } from './cache';
import { ConfigError, ConfigFinder, ProjectConfig, readProjectConfig } from './config';
import { collectFiles, InputError, isInputError, LoadedInput, loadInput, pendingTemporaryFiles, writeAtomically } from './inputs';
import { codeCells, notebookFileLines, parseNotebook, replaceSources } from './notebook-file';
import {
  FileFinding,
  formatConcise,
  formatGithub,
  formatJson,
  formatSarif,
  formatText,
  joinReport,
  OUTPUT_FORMATS,
  OutputFormat,
  PLAIN,
  ANSI,
  renderPart,
  ReportPart,
  Style,
  styleFor,
  toJsonFinding
} from './report';
import { rulesMarkdown } from './rules-doc';

const VERSION = '0.1.0';

// Before any analysis code gets hot (V8 flags are per process: worker threads share them).
// TurboFan's inlining costs more than it gives in a process that lives seconds: checking 100
// notebooks, threads other than the analysing one (mostly compiler threads, which --jobs 2
// then competes with) took 45% of the CPU time with it and 30% without, and the analysing
// thread ran no slower without it.
v8.setFlagsFromString('--no-turbo-inlining');

const EXIT_CODES = `exit codes:
  0  no findings (fix: nothing remains)
  1  findings reported (fix: findings remain, or --diff would change a file)
  2  bad usage, an unreadable or invalid input, or an internal error`;

const SUPPRESSION = `suppressing a finding:
  end the line with  # keras-migrate: ignore[KM012]   (rule codes or guide slugs, comma-separated)
  or                 # keras-migrate: ignore           (every rule on that line)
  in pyproject.toml: [tool.keras-migrate] ignore = ["KM031"], select = [...], exclude = [...],
                     per-file-ignores = { "legacy/*.py" = ["KM011"] }, target, keras-version`;

const COMMON_OPTIONS = `  --output-format FMT   text | concise | json | sarif | github  (--format is an alias)
  --target T            multi-backend (default) | tensorflow
  --keras-version X.Y   Keras version to check against (default ${NEWEST_KNOWN_KERAS})
  --select CODES        comma-separated rule codes, code prefixes (KM13) or guide slugs to keep
  --ignore CODES        comma-separated rule codes or guide slugs to drop
  --exclude PATTERNS    comma-separated globs of files/folders to skip when searching folders
  --config FILE         read [tool.keras-migrate] from FILE instead of the nearest pyproject.toml
  --no-config           ignore pyproject.toml files
  -h, --help            this help`;

const CACHE_OPTIONS = `  --no-cache            neither read nor write the result cache (also KERAS_MIGRATE_NO_CACHE=1)
  --cache-dir DIR       the result cache's folder (also KERAS_MIGRATE_CACHE_DIR, or cache-dir in
                        [tool.keras-migrate]; default: .keras_migrate_cache in the project root,
                        the folder of the pyproject.toml that configures the current folder, else
                        the current folder)`;

const CACHE_NOTE = `result cache:
  Findings are kept per file in the cache folder, keyed by the file's bytes, the options that
  decide findings (target, Keras version, select, ignore, per-file-ignores) and the analyser
  build, as ruff keeps .ruff_cache: an unchanged file is not analysed again, and the output is
  the same as without the cache. The folder ignores itself in git and is safe to delete.`;

const HELP: Record<string, string> = {
  main: `usage: keras-migrate <command> [options] [PATH...]

Find and fix Keras 2 (tf.keras) -> Keras 3 migration problems in .py and .ipynb files.

commands:
  check    report problems (folders are searched; default: the current folder)
  fix      apply safe fixes in place, report what remains
  rules    list the rules (--output-format markdown [FILE]: the rules reference)
  explain  explain Keras error messages or tracebacks from FILEs or stdin (-)

Run \`keras-migrate <command> --help\` for a command's options.
Folders are searched for .py and .ipynb files, skipping virtual environments,
site-packages, node_modules, build folders and what .gitignore ignores.
Settings come from [tool.keras-migrate] in the nearest pyproject.toml.

${EXIT_CODES}
`,
  check: `usage: keras-migrate check [options] [PATH...]

Report Keras 3 migration problems in .py and .ipynb files and folders (default: .).

options:
${COMMON_OPTIONS}
  -j, --jobs N          analyse with N worker threads (default: one per CPU for many files)
${CACHE_OPTIONS}
  --show-files          list the files a check would read (after discovery and excludes), analyse
                        nothing; with --output-format json: {"files": [...], "errors": [{path, reason}]}

${CACHE_NOTE}

${EXIT_CODES}

${SUPPRESSION}
`,
  fix: `usage: keras-migrate fix [options] [PATH...]

Apply fixes in place (atomically; a notebook keeps its outputs and metadata; a symbolic
link is written through), then report the findings that remain. Prints "fixed" only for
files it wrote.

options:
  --diff                print the changes as a unified diff, write nothing
  --unsafe-fixes        also apply suggested (unsafe) fixes (--unsafe is an alias)
${CACHE_OPTIONS}
${COMMON_OPTIONS}

The result cache (see check --help) lets fix skip the files it knows have nothing to fix,
and records the findings left in the files it wrote.

${EXIT_CODES}

${SUPPRESSION}
`,
  rules: `usage: keras-migrate rules [--output-format text|json|markdown] [FILE]

List the rules: code, name, guide section, severity, fix availability.
With markdown and FILE, write the rules reference to FILE.

${EXIT_CODES}
`,
  explain: `usage: keras-migrate explain [--output-format text|json] [FILE|- ...]

Explain a Keras 3 migration error from a pasted traceback or warning (stdin by default).
Several files are explained one by one (json: a list of {file, diagnosis, diagnoses}).
Exit 0 whether or not a problem is recognised; 2 when a file cannot be read.

${EXIT_CODES}
`
};

class UsageError extends Error {}

interface Args {
  command: string;
  help: boolean;
  format: string | null;
  target: Target | undefined;
  kerasVersion: string | undefined;
  select: string[] | undefined;
  ignore: string[];
  exclude: string[];
  config: string | null;
  noConfig: boolean;
  unsafe: boolean;
  diff: boolean;
  /** check --show-files: list the files a check would read, analyse nothing. */
  showFiles: boolean;
  /** --no-cache, and --cache-dir DIR (null: from the environment, the config or the default). */
  noCache: boolean;
  cacheDir: string | null;
  jobs: number | 'auto';
  paths: string[];
}

const OPTIONS: ParseArgsConfig['options'] = {
  'output-format': { type: 'string' },
  format: { type: 'string' },
  target: { type: 'string' },
  'keras-version': { type: 'string' },
  select: { type: 'string', multiple: true },
  ignore: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'extend-exclude': { type: 'string', multiple: true },
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
  'unsafe-fixes': { type: 'boolean' },
  unsafe: { type: 'boolean' },
  diff: { type: 'boolean' },
  'show-files': { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  'cache-dir': { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' }
};

/** Options each command accepts (others are a usage error there). */
const COMMAND_OPTIONS: Record<string, string[]> = {
  check: ['output-format', 'format', 'target', 'keras-version', 'select', 'ignore', 'exclude', 'extend-exclude', 'config', 'no-config', 'jobs', 'show-files', 'no-cache', 'cache-dir', 'help'],
  fix: ['output-format', 'format', 'target', 'keras-version', 'select', 'ignore', 'exclude', 'extend-exclude', 'config', 'no-config', 'unsafe-fixes', 'unsafe', 'diff', 'no-cache', 'cache-dir', 'help'],
  rules: ['output-format', 'format', 'help'],
  explain: ['output-format', 'format', 'help']
};

const splitList = (values: string[] | undefined): string[] =>
  (values ?? []).flatMap(v => v.split(',')).map(s => s.trim()).filter(Boolean);

function checkCodes(names: readonly string[], where: string): void {
  const known = new Set(SECTIONS.map(s => s.slug));
  for (const name of names) {
    if (!known.has(name) && !/^KM\d+$/.test(name)) {
      throw new UsageError(`unknown rule code or guide slug in ${where}: ${name}`);
    }
  }
}

export function parseCommandLine(argv: string[]): Args {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(String((err as Error).message).split('\n')[0].replace(/^TypeError \[\w+\]: /, ''));
  }
  const v = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const [command = '', ...paths] = parsed.positionals;
  const args: Args = {
    command: v.version ? 'version' : command,
    help: !!v.help,
    format: (v['output-format'] as string | undefined) ?? (v.format as string | undefined) ?? null,
    target: undefined,
    kerasVersion: undefined,
    select: v.select ? splitList(v.select as string[]) : undefined,
    ignore: splitList(v.ignore as string[] | undefined),
    exclude: [...splitList(v.exclude as string[] | undefined), ...splitList(v['extend-exclude'] as string[] | undefined)],
    config: (v.config as string | undefined) ?? null,
    noConfig: !!v['no-config'],
    unsafe: !!v['unsafe-fixes'] || !!v.unsafe,
    diff: !!v.diff,
    showFiles: !!v['show-files'],
    noCache: !!v['no-cache'],
    cacheDir: (v['cache-dir'] as string | undefined) ?? null,
    jobs: 'auto',
    paths
  };
  const allowed = COMMAND_OPTIONS[args.command];
  if (allowed) {
    for (const name of Object.keys(v)) {
      if (v[name] !== undefined && !allowed.includes(name)) {
        throw new UsageError(`${args.command} does not take --${name}`);
      }
    }
  }
  if (typeof v.target === 'string') {
    if (v.target !== 'tensorflow' && v.target !== 'multi-backend') {
      throw new UsageError(`--target must be tensorflow or multi-backend, not ${v.target}`);
    }
    args.target = v.target;
  }
  if (typeof v['keras-version'] === 'string') {
    if (!/^3(\.\d+){0,2}$/.test(v['keras-version'])) {
      throw new UsageError(`--keras-version must look like 3.X, not ${v['keras-version']}`);
    }
    args.kerasVersion = v['keras-version'];
  }
  if (args.cacheDir === '') {
    throw new UsageError('--cache-dir needs a folder');
  }
  if (typeof v.jobs === 'string') {
    const n = Number(v.jobs);
    if (!/^\d+$/.test(v.jobs) || n < 1) {
      throw new UsageError(`--jobs must be a positive integer, not ${v.jobs}`);
    }
    args.jobs = n;
  }
  checkCodes(args.select ?? [], '--select');
  checkCodes(args.ignore, '--ignore');
  return args;
}

/** Input bytes up to which a run counts as short (a few notebooks: a pre-commit hook, an editor's save). */
const SHORT_RUN_BYTES = 1 << 20;

/**
 * V8 first runs WebAssembly through its baseline compiler (Liftoff) and recompiles the hot
 * functions with its optimising compiler (TurboFan) on background threads once they have run
 * about 13 MB of code each (--wasm-tiering-budget). For one notebook that recompilation was a
 * third of the whole command's CPU (about 130 of 400 ms) and came too late to pay off; from
 * about 30 notebooks on it pays. So a short run raises the budget 50-fold: the parser stays on
 * Liftoff unless a function gets really hot. Must run before the WASM is compiled (flags are
 * per process: worker threads share them).
 */
function tuneWasmTiering(files: readonly string[]): void {
  let bytes = 0;
  for (const file of files) {
    try {
      bytes += fs.statSync(file).size;
    } catch {
      // Unreadable files are reported when they are read.
    }
    if (bytes > SHORT_RUN_BYTES) {
      return;
    }
  }
  v8.setFlagsFromString('--wasm-tiering-budget=650000000');
}

async function loadAnalyzer(): Promise<KerasMigrateAnalyzer> {
  return createAnalyzer({
    treeSitterWasm: path.join(__dirname, 'web-tree-sitter.wasm'),
    pythonWasm: fs.readFileSync(path.join(__dirname, 'tree-sitter-python.wasm'))
  });
}

/** The analysis options for one file: command line over its pyproject.toml. */
function optionsFor(file: string, args: Args, config: ProjectConfig | null): AnalyzeOptions {
  const ignore = [...(config?.ignore ?? []), ...args.ignore];
  if (config && config.perFileIgnores.length) {
    const relative = path.relative(config.root, path.resolve(file));
    for (const entry of config.perFileIgnores) {
      if (entry.match(relative)) {
        ignore.push(...entry.codes);
      }
    }
  }
  return {
    target: args.target ?? config?.target ?? 'multi-backend',
    kerasVersion: args.kerasVersion ?? config?.kerasVersion,
    select: args.select ?? config?.select ?? [],
    ignore,
    // A notebook is analysed and fixed as the program its cells make in order, as a .py file is.
    wholeProgram: true
  };
}

function configFinder(args: Args): ConfigFinder {
  if (args.noConfig) {
    return new ConfigFinder({ source: null, root: process.cwd(), exclude: [], perFileIgnores: [] });
  }
  if (args.config) {
    const config = readProjectConfig(args.config);
    if (!config) {
      throw new UsageError(`${args.config} has no [tool.keras-migrate] table`);
    }
    return new ConfigFinder(config);
  }
  return new ConfigFinder();
}

/**
 * The result cache for this run, or null: --no-cache (or KERAS_MIGRATE_NO_CACHE), else the
 * folder from --cache-dir, KERAS_MIGRATE_CACHE_DIR, the config's cache-dir (relative to its
 * pyproject.toml), or .keras_migrate_cache in the project root (the folder of the config
 * that applies to the current folder, else the current folder), as ruff finds .ruff_cache.
 * A folder that cannot be created costs a warning and the cache, never the run.
 */
function cacheOff(args: Args): boolean {
  const off = process.env.KERAS_MIGRATE_NO_CACHE;
  return args.noCache || (off !== undefined && off !== '' && off !== '0' && off.toLowerCase() !== 'false');
}

function openCache(args: Args, configs: ConfigFinder): ResultCache | null {
  if (cacheOff(args)) {
    return null;
  }
  let dir: string;
  if (args.cacheDir) {
    dir = path.resolve(args.cacheDir);
  } else if (process.env.KERAS_MIGRATE_CACHE_DIR) {
    dir = path.resolve(process.env.KERAS_MIGRATE_CACHE_DIR);
  } else {
    let config: ProjectConfig | null = null;
    try {
      config = configs.forDir(process.cwd());
    } catch (err) {
      if (!(err instanceof ConfigError)) {
        throw err;
      }
      // A broken pyproject.toml above the current folder is reported if a checked file uses it.
    }
    const root = config?.root ?? process.cwd();
    dir = config?.cacheDir ? path.resolve(root, config.cacheDir) : path.join(path.resolve(root), DEFAULT_CACHE_DIR_NAME);
  }
  const cache = ResultCache.open(dir, VERSION);
  if ('reason' in cache) {
    process.stderr.write(`keras-migrate: warning: running without the result cache: ${cache.reason}\n`);
    return null;
  }
  return cache;
}

/** Reading order within a file (cell, line, column, then code), as ruff prints: rules report in walk order. */
function byLocation(a: FileFinding, b: FileFinding): number {
  return (a.cell ?? 0) - (b.cell ?? 0) || a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

/**
 * A file's findings in reading order. `withFileLines`: a notebook finding also gets the line of
 * the .ipynb file holding it (SARIF and GitHub annotations point into the file; the other
 * formats never show it, and finding it scans the whole notebook text).
 */
function findingsOf(
  analyzer: KerasMigrateAnalyzer,
  input: LoadedInput,
  cells: ReadonlyArray<string | null> | null,
  options: AnalyzeOptions,
  withFileLines = true
): FileFinding[] {
  if (input.kind === 'python') {
    return analyzer.analyzeFile(cells ? (cells[0] as string) : input.text, options).map(f => ({ path: input.path, ...f })).sort(byLocation);
  }
  if (!input.python) {
    return [];
  }
  const findings = analyzer.analyzeCells(cells ?? input.cells, options);
  const fileLine = cells || !withFileLines || !findings.length ? null : notebookFileLines(input.notebook);
  return findings.map(f => ({ path: input.path, ...f, ...(fileLine && f.cell !== null ? { fileLine: fileLine(f.cell, f.line) } : {}) })).sort(byLocation);
}

type FileOutcome = { part: ReportPart } | { error: InputError };

/** How `check` renders its report: every thread renders the files it analysed. */
interface RenderSpec {
  format: OutputFormat;
  ansi: boolean;
}

/**
 * Analyses one file and renders its report part. With a cache, the findings are stored under
 * the key of the bytes read (so a file changed meanwhile is stored under its new content),
 * always with the .ipynb lines (SARIF and GitHub need them; an entry serves every format).
 */
function checkFile(analyzer: KerasMigrateAnalyzer, file: string, options: AnalyzeOptions, render: RenderSpec, cache: ResultCache | null): FileOutcome {
  let bytes: Buffer | undefined;
  let key: string | null = null;
  if (cache) {
    try {
      bytes = fs.readFileSync(file);
      key = cache.key(file, bytes, optionsKey(options));
    } catch {
      // loadInput reads it again and reports why it cannot.
    }
  }
  const input = loadInput(file, bytes);
  if (isInputError(input)) {
    return { error: input };
  }
  let findings: FileFinding[];
  try {
    findings = findingsOf(analyzer, input, null, options, cache !== null || render.format === 'sarif' || render.format === 'github');
  } catch (err) {
    return { error: { path: file, reason: 'analysis failed: ' + String((err as Error).message ?? err).split('\n')[0] } };
  }
  if (cache && key) {
    cache.set(key, findings);
  }
  return { part: renderPart(render.format, file, findings, render.ansi ? ANSI : PLAIN) };
}

/** A file's findings from the cache (null: a miss, or a file that cannot be read: analysed as usual). */
function cachedFindings(cache: ResultCache, file: string, options: AnalyzeOptions): { findings: FileFinding[] | null; key: string | null } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { findings: null, key: null };
  }
  const key = cache.key(file, bytes, optionsKey(options));
  return { findings: cache.get(key, file), key };
}

/** Files handed to a thread per request: small enough to balance, large enough to amortise messages. */
const BATCH = 4;
/**
 * Batches a worker holds beyond the one it is on: the main thread analyses too, so it answers
 * a worker only between its own batches, and a worker must not run dry meanwhile.
 */
const AHEAD = 2;

interface Job {
  files: string[];
  optionIndex: number[];
  options: AnalyzeOptions[];
  render: RenderSpec;
}

function jobOf(files: string[], args: Args, configs: ConfigFinder, render: RenderSpec): Job {
  const options: AnalyzeOptions[] = [];
  const keys = new Map<string, number>();
  const optionIndex = files.map(f => {
    const o = optionsFor(f, args, configs.forFile(f));
    const key = JSON.stringify(o);
    let i = keys.get(key);
    if (i === undefined) {
      i = options.length;
      options.push(o);
      keys.set(key, i);
    }
    return i;
  });
  return { files, optionIndex, options, render };
}

function cpuCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

function jobCount(args: Args, files: number): number {
  const wanted = args.jobs === 'auto' ? (files >= 32 ? cpuCount() : 1) : args.jobs;
  return Math.max(1, Math.min(wanted, Math.ceil(files / BATCH)));
}

/** A batch of files for one thread, with each file's options. */
interface Batch {
  start: number;
  files: string[];
  options: AnalyzeOptions[];
}

interface BatchResult {
  start: number;
  results: FileOutcome[];
  /** Milliseconds the thread spent on the batch (for KERAS_MIGRATE_TIMINGS). */
  busy: number;
}

/**
 * This thread's CPU time in milliseconds, from /proc (Linux; null elsewhere). The timings split
 * the process's CPU by thread: the main thread, the workers, and the rest (GC, compilers).
 */
function threadCpu(): number | null {
  try {
    const stat = fs.readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15) in clock ticks, 100 per second on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Both WASM binaries compiled once, in the main thread; workers instantiate the same modules. */
interface CompiledWasm {
  treeSitterWasm: WebAssembly.Module;
  pythonWasm: WebAssembly.Module;
}

function compileWasm(): Promise<CompiledWasm> {
  return Promise.all([
    WebAssembly.compile(fs.readFileSync(path.join(__dirname, 'web-tree-sitter.wasm'))),
    WebAssembly.compile(fs.readFileSync(path.join(__dirname, 'tree-sitter-python.wasm')))
  ]).then(([treeSitterWasm, pythonWasm]) => ({ treeSitterWasm, pythonWasm }));
}

/**
 * Worker threads for `check --jobs N`: N - 1 of them, the main thread being the Nth. They are
 * started before the files are searched for, so their start-up (loading this bundle, instantiating
 * the WASM the main thread compiled once for all) overlaps with discovery.
 */
class WorkerPool {
  readonly wasm: Promise<CompiledWasm>;
  private readonly workers: Promise<Worker[]>;
  /** Milliseconds the workers spent analysing, and their CPU time (null: not known here). */
  busy = 0;
  cpu: number | null = 0;
  /**
   * When each start-up step of the first worker happened (for KERAS_MIGRATE_TIMINGS): absolute
   * milliseconds (performance.timeOrigin + now(), comparable across threads).
   */
  readonly startup: Record<string, number> = {};

  constructor(
    readonly size: number,
    render: RenderSpec,
    cacheDir: string | null
  ) {
    this.startup.pool = absoluteNow();
    // The threads start now and load this bundle while the main thread compiles the WASM
    // (about 100 ms of CPU each: Node's worker bootstrap, then compiling and running the bundle's
    // top level); each gets the compiled modules as its first message.
    const workers = Array.from({ length: size }, () => new Worker(__filename, { workerData: { kerasMigrateWorker: true, render, cacheDir } }));
    this.wasm = compileWasm();
    this.workers = this.wasm.then(wasm => {
      this.startup.compiled = absoluteNow();
      for (const worker of workers) {
        worker.postMessage(wasm);
      }
      return workers;
    });
  }

  /** The first worker's start-up, in ms after the pool was made. */
  startupReport(): string {
    const at = (name: string) => (this.startup[name] === undefined ? '?' : (this.startup[name] - this.startup.pool).toFixed(0));
    const cpu = (name: string) => (this.startup[name] === undefined ? '?' : this.startup[name].toFixed(0));
    return (
      `WASM compiled +${at('compiled')}, bundle loaded in the worker +${at('loaded')} (its CPU ${cpu('cpuLoaded')} ms), ` +
      `analyser ready +${at('ready')} (CPU ${cpu('cpuReady')} ms), first batch back +${at('firstResult')} ms`
    );
  }

  /** Feeds every worker batches from `take` until it runs out; resolves when all have exited. */
  async run(take: () => Batch | null, outcomes: FileOutcome[]): Promise<void> {
    const workers = await this.workers;
    await Promise.all(
      workers.map(
        worker =>
          new Promise<void>((resolve, reject) => {
            let closed = false;
            const send = () => {
              if (closed) {
                return;
              }
              const batch = take();
              if (batch === null) {
                closed = true;
                worker.postMessage(null);
              } else {
                worker.postMessage(batch);
              }
            };
            worker.on('message', (msg: WorkerReady | { cpu: number | null } | BatchResult) => {
              if ('cpu' in msg) {
                this.cpu = this.cpu === null || msg.cpu === null ? null : this.cpu + msg.cpu;
              } else if ('results' in msg) {
                this.startup.firstResult ??= absoluteNow();
                msg.results.forEach((r, i) => (outcomes[msg.start + i] = r));
                this.busy += msg.busy;
                send();
              } else {
                if (this.startup.ready === undefined) {
                  Object.assign(this.startup, { loaded: msg.loaded, ready: msg.ready });
                  if (msg.cpuLoaded !== null && msg.cpuReady !== null) {
                    Object.assign(this.startup, { cpuLoaded: msg.cpuLoaded, cpuReady: msg.cpuReady });
                  }
                }
                for (let i = 0; i <= AHEAD; i++) {
                  send();
                }
              }
            });
            worker.on('error', reject);
            worker.on('exit', code => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
          })
      )
    );
  }

  /** Stops workers that were started but are not needed (nothing to check). */
  async close(): Promise<void> {
    await Promise.all((await this.workers).map(w => w.terminate()));
  }
}

interface CheckTimings {
  mainBusy: number;
  workerBusy: number;
  workerCpu: number | null;
  /** Milliseconds the main thread waited for the workers after its last batch. */
  tail: number;
  /** With workers: when the first of them got going (WorkerPool.startupReport). */
  startup?: string;
}

/**
 * The main thread and the pool's workers pull batches of files as they finish (a notebook
 * twice as long does not leave another thread idle); each thread reads, parses and analyses
 * its files itself, so results are the only thing that crosses threads.
 */
async function checkFiles(job: Job, pool: WorkerPool | null, timings: CheckTimings, cache: ResultCache | null): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = new Array(job.files.length);
  let next = 0;
  const threads = pool ? pool.size + 1 : 1;
  const take = (): Batch | null => {
    const left = job.files.length - next;
    if (left <= 0) {
      return null;
    }
    const start = next;
    // Smaller batches towards the end (down to single files), so that no thread is left with
    // a full batch, and others queued behind it, while the rest have run out.
    next += Math.max(1, Math.min(BATCH, Math.floor(left / (2 * threads * (AHEAD + 1)))));
    const files = job.files.slice(start, next);
    return { start, files, options: files.map((_, i) => job.options[job.optionIndex[start + i]]) };
  };
  const workersDone = pool ? pool.run(take, outcomes) : Promise.resolve();
  const analyzer = pool ? await createAnalyzer(await pool.wasm) : await loadAnalyzer();
  const mainReady = absoluteNow();
  for (let batch = take(); batch !== null; batch = take()) {
    const started = performance.now();
    const { start, files, options } = batch;
    files.forEach((f, i) => (outcomes[start + i] = checkFile(analyzer, f, options[i], job.render, cache)));
    timings.mainBusy += performance.now() - started;
    if (pool) {
      // Let the workers' results in (and their next batches out) between two of ours.
      await new Promise(resolve => setImmediate(resolve));
    }
  }
  const mainDone = performance.now();
  await workersDone;
  timings.tail = performance.now() - mainDone;
  timings.workerBusy = pool ? pool.busy : 0;
  timings.workerCpu = pool ? pool.cpu : 0;
  if (pool) {
    timings.startup = `${pool.startupReport()}; main analyser ready +${(mainReady - pool.startup.pool).toFixed(0)} ms`;
  }
  return outcomes;
}

/** A worker's first message: when its thread started, this bundle was loaded, its analyser was ready (absolute ms). */
interface WorkerReady {
  loaded: number;
  ready: number;
  /** The worker thread's CPU time then (ms; null where /proc is missing). */
  cpuLoaded: number | null;
  cpuReady: number | null;
}

const absoluteNow = (): number => performance.timeOrigin + performance.now();

function workerMain(): void {
  const loaded = absoluteNow();
  const cpuLoaded = threadCpu();
  const { render, cacheDir } = workerData as { render: RenderSpec; cacheDir: string | null };
  const cache = cacheDir === null ? null : ResultCache.reopen(cacheDir, VERSION);
  const port = parentPort!;
  // The first message is the compiled WASM; batches come once this thread says it is ready.
  port.once('message', (wasm: CompiledWasm) => void createAnalyzer(wasm).then(analyzer => {
    port.on('message', (batch: Batch | null) => {
      if (batch === null) {
        port.postMessage({ cpu: threadCpu() });
        port.close();
        return;
      }
      const started = performance.now();
      const results = batch.files.map((f, i) => checkFile(analyzer, f, batch.options[i], render, cache));
      const done: BatchResult = { start: batch.start, results, busy: performance.now() - started };
      port.postMessage(done);
    });
    const ready: WorkerReady = { loaded, ready: absoluteNow(), cpuLoaded, cpuReady: threadCpu() };
    port.postMessage(ready);
  }));
}

function reportErrors(errors: InputError[]): void {
  for (const e of errors) {
    process.stderr.write(`keras-migrate: ${e.path}: ${e.reason}\n`);
  }
}

function outputFormat(args: Args, allowed: readonly string[], fallback: string): string {
  const format = args.format ?? fallback;
  if (!allowed.includes(format)) {
    throw new UsageError(`${args.command} --output-format must be one of ${allowed.join(', ')}, not ${format}`);
  }
  return format;
}

function render(format: OutputFormat, findings: FileFinding[], fileCount: number, style: Style): string {
  switch (format) {
    case 'json':
      return formatJson(findings);
    case 'sarif':
      return formatSarif(findings, VERSION);
    case 'github':
      return formatGithub(findings);
    case 'concise':
      return formatConcise(findings, style);
    default:
      return formatText(findings, fileCount, style);
  }
}

function discover(args: Args, configs: ConfigFinder): { files: string[]; errors: InputError[] } {
  return collectFiles(args.paths.length ? args.paths : ['.'], { exclude: args.exclude, configs });
}

/** `check --show-files`: the discovery other tools reuse (the runner asks for JSON). */
function showFiles(files: string[], errors: InputError[], format: string): number {
  if (format === 'json') {
    process.stdout.write(JSON.stringify({ files, errors: errors.map(e => ({ path: e.path, reason: e.reason })) }) + '\n');
  } else {
    reportErrors(errors);
    process.stdout.write(files.map(f => f + '\n').join(''));
  }
  return errors.length ? 2 : 0;
}

async function runCheck(args: Args): Promise<number> {
  const format = outputFormat(args, OUTPUT_FORMATS, 'text') as OutputFormat;
  const style = styleFor(process.stdout);
  const renderSpec: RenderSpec = { format, ansi: style === ANSI };
  const phases: Array<[string, number]> = [['start', performance.now()]];
  const cacheWanted = !args.showFiles && !cacheOff(args);
  // An explicit --jobs N starts its workers now, to boot while the files are found; with a
  // cache, only once the files the cache does not know are many enough to share.
  let pool = typeof args.jobs === 'number' && args.jobs > 1 && !args.showFiles && !cacheWanted ? new WorkerPool(args.jobs - 1, renderSpec, null) : null;
  let files: string[];
  let errors: InputError[];
  let job: Job;
  let cache: ResultCache | null = null;
  try {
    const configs = configFinder(args);
    ({ files, errors } = discover(args, configs));
    if (args.showFiles) {
      return showFiles(files, errors, outputFormat(args, ['text', 'json'], 'text'));
    }
    job = jobOf(files, args, configs, renderSpec);
    cache = cacheWanted ? openCache(args, configs) : null;
  } catch (err) {
    await pool?.close();
    throw err;
  }
  phases.push(['discover+config', performance.now()]);
  const outcomes: FileOutcome[] = new Array(files.length);
  // The files to analyse (all of them without a cache), by their index in `files`.
  let todo = files.map((_, i) => i);
  if (cache) {
    todo = [];
    for (let i = 0; i < files.length; i++) {
      const { findings } = cachedFindings(cache, files[i], job.options[job.optionIndex[i]]);
      if (findings) {
        outcomes[i] = { part: renderPart(format, files[i], findings, renderSpec.ansi ? ANSI : PLAIN) };
      } else {
        todo.push(i);
        if (!pool && typeof args.jobs === 'number' && args.jobs > 1) {
          // The first file to analyse: an explicit --jobs N starts its workers now, to boot
          // while the rest of the cache is read (closed below if too few files miss).
          pool = new WorkerPool(args.jobs - 1, renderSpec, cache.dir);
        }
      }
    }
    phases.push([`cache (${files.length - todo.length} of ${files.length} files known)`, performance.now()]);
  }
  const missed: Job = { ...job, files: todo.map(i => files[i]), optionIndex: todo.map(i => job.optionIndex[i]) };
  if (!pool) {
    // An explicit --jobs N compiled the WASM already (before discovery): a run for many files.
    tuneWasmTiering(missed.files);
  }
  const jobs = jobCount(args, missed.files.length);
  if (pool && jobs === 1) {
    await pool.close();
    pool = null;
  }
  pool = pool ?? (jobs > 1 ? new WorkerPool(jobs - 1, renderSpec, cache ? cache.dir : null) : null);
  const timings: CheckTimings = { mainBusy: 0, workerBusy: 0, workerCpu: 0, tail: 0 };
  if (missed.files.length) {
    const analysed = await checkFiles(missed, pool, timings, cache);
    analysed.forEach((o, i) => (outcomes[todo[i]] = o));
  } else {
    await pool?.close();
  }
  phases.push([
    `analyse ${missed.files.length} files (${jobs} thread${jobs === 1 ? '' : 's'}; busy: main ${timings.mainBusy.toFixed(0)} ms, workers ${timings.workerBusy.toFixed(0)} ms; main waited ${timings.tail.toFixed(0)} ms for the last batches)`,
    performance.now()
  ]);
  const parts: ReportPart[] = [];
  for (const o of outcomes) {
    if ('error' in o) {
      errors.push(o.error);
    } else {
      parts.push(o.part);
    }
  }
  reportErrors(errors);
  process.stdout.write(joinReport(format, parts, files.length, style, VERSION));
  phases.push(['merge+write', performance.now()]);
  if (process.env.KERAS_MIGRATE_TIMINGS) {
    // Where the wall time goes (for the benchmark): process start to main, then each phase.
    const parts = phases.slice(1).map(([name, t], i) => `${name} ${(t - phases[i][1]).toFixed(0)} ms`);
    const usage = process.cpuUsage();
    const cpu = (usage.user + usage.system) / 1000;
    const main = threadCpu();
    const byThread =
      main !== null && timings.workerCpu !== null
        ? ` (main thread ${main.toFixed(0)} ms, workers ${timings.workerCpu.toFixed(0)} ms, other threads ${(cpu - main - timings.workerCpu).toFixed(0)} ms)`
        : '';
    const startup = timings.startup ? `; worker start-up: ${timings.startup}` : '';
    process.stderr.write(`keras-migrate timings: boot ${phases[0][1].toFixed(0)} ms, ${parts.join(', ')}; cpu ${cpu.toFixed(0)} ms${byThread}${startup}\n`);
  }
  return errors.length ? 2 : parts.some(p => p.findings > 0) ? 1 : 0;
}

function diffLabel(file: string): string {
  return file.split(path.sep).join('/').replace(/^\/+/, '');
}

interface FixOutcome {
  path: string;
  /** Fixes applied (or, with --diff, that would be). */
  fixed: number;
  written: boolean;
  diff: string;
  remaining: FileFinding[];
  /** The file's text after the fixes (what was written, or with --diff would be). */
  text?: string;
}

function fixOne(analyzer: KerasMigrateAnalyzer, file: string, input: LoadedInput, args: Args, options: AnalyzeOptions): FixOutcome {
  const fixOptions = { ...options, unsafe: args.unsafe };
  const outcome: FixOutcome = { path: file, fixed: 0, written: false, diff: '', remaining: [], text: input.text };
  if (input.kind === 'python') {
    const result = analyzer.fixFile(input.text, fixOptions);
    outcome.fixed = result.applied.length;
    outcome.text = result.source;
    if (result.source !== input.text) {
      outcome.diff = unifiedDiff(input.text, result.source, `a/${diffLabel(file)}`, `b/${diffLabel(file)}`);
      if (!args.diff) {
        writeAtomically(file, result.source);
        outcome.written = true;
      }
    }
    outcome.remaining = findingsOf(analyzer, input, [result.source], options);
    return outcome;
  }
  if (!input.python) {
    return outcome;
  }
  const result = analyzer.fixCells(input.cells, fixOptions);
  outcome.fixed = result.applied.length;
  const after = replaceSources(input.notebook, result.cells);
  outcome.text = after;
  if (after !== input.text) {
    // The rewritten file must read back as the same notebook with the new sources.
    const reread = parseNotebook(after);
    reread.cells.forEach((c, i) => {
      const expected = result.cells[i];
      if (c.cellType === 'code' && expected !== null && c.source !== expected) {
        throw new Error(`internal error: cell ${i} did not round-trip`);
      }
    });
    result.cells.forEach((src, i) => {
      if (src !== null && src !== input.cells[i]) {
        // A cell is not a file: its missing last newline is the notebook's norm, not worth a
        // "\ No newline at end of file" marker on both sides of every hunk.
        const before = input.cells[i] as string;
        const bare = !before.endsWith('\n') && !src.endsWith('\n');
        outcome.diff += unifiedDiff(bare ? before + '\n' : before, bare ? src + '\n' : src, `a/${diffLabel(file)} (cell ${i})`, `b/${diffLabel(file)} (cell ${i})`);
      }
    });
    if (!args.diff) {
      writeAtomically(file, after);
      outcome.written = true;
    }
    const written = { ...input, text: after, notebook: reread, cells: codeCells(reread) };
    outcome.remaining = findingsOf(analyzer, written, null, options);
  } else {
    outcome.remaining = findingsOf(analyzer, input, null, options);
  }
  return outcome;
}

/** Set by SIGINT/SIGTERM; the fix loop stops between files, so no write is ever cut in half. */
let interruptedBy: NodeJS.Signals | null = null;

async function runFix(args: Args): Promise<number> {
  const format = outputFormat(args, OUTPUT_FORMATS, 'text') as OutputFormat;
  const configs = configFinder(args);
  const { files, errors } = discover(args, configs);
  const cache = openCache(args, configs);
  if (!cache) {
    tuneWasmTiering(files);
  }
  // Loaded for the first file the cache cannot answer (a warm run of clean files needs none).
  let analyzer: KerasMigrateAnalyzer | null = null;
  const outcomes: FixOutcome[] = [];
  const onSignal = (signal: NodeJS.Signals) => {
    interruptedBy = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const style = styleFor(process.stderr);
  try {
    for (const file of files) {
      // Let a pending signal be delivered before the next file is written.
      await new Promise(resolve => setImmediate(resolve));
      if (interruptedBy) {
        break;
      }
      const options = optionsFor(file, args, configs.forFile(file));
      let bytes: Buffer | undefined;
      if (cache) {
        // Findings known for these bytes, none of which has a fix to apply: nothing would change.
        const { findings } = cachedFindings(cache, file, options);
        if (findings && !findings.some(f => f.fix && (f.fix.safe || args.unsafe))) {
          outcomes.push({ path: file, fixed: 0, written: false, diff: '', remaining: findings });
          continue;
        }
        try {
          bytes = fs.readFileSync(file);
        } catch {
          // loadInput reports it.
        }
      }
      const input = loadInput(file, bytes);
      if (isInputError(input)) {
        errors.push(input);
        continue;
      }
      try {
        if (!analyzer) {
          if (cache) {
            tuneWasmTiering(files);
          }
          analyzer = await loadAnalyzer();
        }
        const outcome = fixOne(analyzer, file, input, args, options);
        if (cache) {
          // The findings that remain are those of the text as fixed (written, or with --diff not).
          cache.set(cache.key(file, Buffer.from(outcome.text ?? input.text), optionsKey(options)), outcome.remaining);
        }
        outcomes.push(outcome);
        if (outcome.written && format !== 'json') {
          process.stderr.write(`${style.bold('fixed')} ${file} (${outcome.fixed} fix${outcome.fixed === 1 ? '' : 'es'})\n`);
        }
      } catch (err) {
        errors.push({ path: file, reason: String((err as Error).message ?? err).split('\n')[0] });
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  reportErrors(errors);
  const remaining = outcomes.flatMap(o => o.remaining);
  const fixed = outcomes.reduce((n, o) => n + o.fixed, 0);
  const changed = outcomes.filter(o => o.diff !== '');
  if (format === 'json') {
    const report = {
      files: outcomes
        .filter(o => o.fixed || o.diff || o.remaining.length)
        .map(o => ({ path: o.path, fixed: o.fixed, written: o.written, diff: o.diff || null, remaining: o.remaining.length })),
      fixed,
      remaining: remaining.map(toJsonFinding)
    };
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    if (args.diff) {
      process.stdout.write(changed.map(o => o.diff).join(''));
    } else if (remaining.length) {
      process.stdout.write(render(format, remaining, files.length, styleFor(process.stdout)));
    }
    const verb = args.diff ? 'Would fix' : 'Fixed';
    const written = outcomes.filter(o => o.written).length;
    const fileCount = args.diff ? changed.length : written;
    process.stderr.write(
      `${verb} ${fixed} finding${fixed === 1 ? '' : 's'} in ${fileCount} file${fileCount === 1 ? '' : 's'}; ` +
        `${remaining.length} remaining${remaining.length && !args.unsafe ? ' (some may have suggested fixes: --unsafe-fixes)' : ''}.\n`
    );
  }
  if (interruptedBy) {
    process.stderr.write(`keras-migrate: interrupted (${interruptedBy}); files not yet reached were left as they were\n`);
    return interruptedBy === 'SIGINT' ? 130 : 143;
  }
  if (errors.length) {
    return 2;
  }
  return remaining.length || (args.diff && changed.length) ? 1 : 0;
}

/**
 * The recognizer exists once, in Python (the kernel hook needs it), so explain
 * hands over to `python -m keras_migrate explain`: KERAS_MIGRATE_PYTHON, else
 * python3, else python. Exit 0 whether or not a problem is recognised.
 */
function runExplain(args: Args): number {
  const format = outputFormat(args, ['text', 'json'], 'text');
  const sources = args.paths.length ? args.paths : ['-'];
  const candidates = process.env.KERAS_MIGRATE_PYTHON ? [process.env.KERAS_MIGRATE_PYTHON] : ['python3', 'python'];
  // Loaded here: child_process costs start-up time that check and fix do not need.
  const { spawnSync } = require('child_process') as typeof import('child_process');
  for (const python of candidates) {
    const done = spawnSync(python, ['-m', 'keras_migrate', 'explain', '--output-format', format, ...sources], {
      stdio: 'inherit'
    });
    if ((done.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      continue;
    }
    return done.status ?? 2;
  }
  reportErrors([{ path: sources.map(s => (s === '-' ? '<stdin>' : s)).join(', '), reason: 'explain needs Python with keras_migrate installed (set KERAS_MIGRATE_PYTHON)' }]);
  return 2;
}

function runRules(args: Args): number {
  const format = outputFormat(args, ['text', 'json', 'markdown'], 'text');
  if (format === 'markdown') {
    const text = rulesMarkdown();
    if (args.paths[0]) {
      writeAtomically(args.paths[0], text);
    } else {
      process.stdout.write(text);
    }
    return 0;
  }
  if (format === 'json') {
    // failsOn: the backends the rule's findings say the code fails on (a finding may narrow it).
    // kerasVersions: the Keras versions it is reported for (from <= v < until), its own or its section's.
    const rules = ALL_RULES.map(r => ({
      code: r.code,
      name: r.name,
      guide: r.slug,
      severity: r.severity,
      failsOn: r.blocks ?? section(r.slug).blocks,
      fix: r.fixAvailability,
      kerasVersions: r.kerasVersions ?? section(r.slug).versions
    }));
    process.stdout.write(JSON.stringify(rules, null, 2) + '\n');
    return 0;
  }
  for (const r of ALL_RULES) {
    process.stdout.write(`${r.code}  ${r.name.padEnd(32)} ${r.slug.padEnd(22)} ${r.severity.padEnd(7)} fix: ${r.fixAvailability}\n`);
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseCommandLine(argv);
    if (args.help || args.command === 'help') {
      const topic = args.command === 'help' ? args.paths[0] ?? 'main' : args.command || 'main';
      process.stdout.write(HELP[topic] ?? HELP.main);
      return 0;
    }
    switch (args.command) {
      case 'check':
        return await runCheck(args);
      case 'fix':
        return await runFix(args);
      case 'explain':
        return runExplain(args);
      case 'rules':
        return runRules(args);
      case 'version':
        process.stdout.write(VERSION + '\n');
        return 0;
      case '':
        throw new UsageError('missing command (check, fix, rules, explain)');
      default:
        throw new UsageError(`unknown command ${args.command}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`keras-migrate: ${err.message} (see keras-migrate --help)\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`keras-migrate: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`keras-migrate: ${String((err as Error).message ?? err).split('\n')[0]}\n`);
    return 2;
  }
}

/** A reader that closed the pipe early (`| head`) is not an error: stop quietly. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      for (const tmp of pendingTemporaryFiles) {
        fs.rmSync(tmp, { force: true });
      }
      process.exit(process.exitCode ?? 0);
    }
    throw err;
  });
}

if (!isMainThread && workerData && (workerData as { kerasMigrateWorker?: boolean }).kerasMigrateWorker) {
  workerMain();
} else if (require.main === module) {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
  });
}
