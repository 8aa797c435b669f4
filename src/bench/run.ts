/**
 * jlpm bench: analysis cost against a bare tree-sitter parse of the same cells, incremental
 * re-analysis after one-character edits, cold WASM start-up, and CLI throughput.
 * Not a test: numbers are printed, never asserted.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Language, Parser } from 'web-tree-sitter';
import { createAnalyzer } from '../analysis';
import { codeCells, parseNotebook } from '../cli/notebook-file';

const here = __dirname;
const corpusDir = process.env.KERAS_MIGRATE_CORPUS ?? path.resolve(here, '../../../shared/corpus');

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Deterministic PRNG so every run edits the same places. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    s = Math.imul(s ^ (s >>> 12), 0x297a2d39) >>> 0;
    return ((s ^ (s >>> 15)) >>> 0) / 4294967296;
  };
}

async function main(): Promise<void> {
  const rows: Array<[string, string]> = [];
  const t0 = now();
  const analyzer = await createAnalyzer({
    treeSitterWasm: path.join(here, 'web-tree-sitter.wasm'),
    pythonWasm: fs.readFileSync(path.join(here, 'tree-sitter-python.wasm'))
  });
  rows.push(['cold WASM init (runtime + Python grammar)', `${(now() - t0).toFixed(1)} ms`]);

  const notebooks = fs
    .readdirSync(corpusDir)
    .filter(f => f.endsWith('.ipynb'))
    .sort()
    .map(f => ({ file: f, text: fs.readFileSync(path.join(corpusDir, f), 'utf8') }));
  const cellsPerNotebook = notebooks.map(nb => codeCells(parseNotebook(nb.text)));
  const allCells = cellsPerNotebook.flat().filter((c): c is string => c !== null);
  const chars = allCells.reduce((n, c) => n + c.length, 0);

  // Bare parse: the same runtime, a fresh parse of every cell, nothing else.
  const parser = new Parser();
  parser.setLanguage(await Language.load(fs.readFileSync(path.join(here, 'tree-sitter-python.wasm'))));
  // Bare parse and full analysis alternate round by round, so both see the same machine load
  // (the CPUs are shared); the minimum is the least disturbed run of each.
  const bareParse = (): void => {
    for (const cell of allCells) {
      parser.parse(cell)!.delete();
    }
  };
  const fullAnalysis = (): void => {
    for (const cells of cellsPerNotebook) {
      const nb = analyzer.openNotebook();
      nb.update(cells);
      nb.findings();
      nb.dispose();
    }
  };
  const rounds = 30;
  const bareTimes: number[] = [];
  const fullTimes: number[] = [];
  bareParse();
  fullAnalysis();
  for (let r = 0; r < rounds; r++) {
    let s = now();
    bareParse();
    bareTimes.push(now() - s);
    s = now();
    fullAnalysis();
    fullTimes.push(now() - s);
  }
  bareTimes.sort((a, b) => a - b);
  fullTimes.sort((a, b) => a - b);
  const bare = bareTimes[0];
  const full = fullTimes[0];
  rows.push([`corpus: ${allCells.length} code cells, ${notebooks.length} notebooks, ${(chars / 1024).toFixed(0)} KiB`, '']);
  rows.push(['  bare tree-sitter parse (best of 30 / median)', `${bare.toFixed(2)} ms / ${quantile(bareTimes, 0.5).toFixed(2)} ms`]);
  rows.push([
    '  full analysis incl. parse (best of 30 / median)',
    `${full.toFixed(2)} ms / ${quantile(fullTimes, 0.5).toFixed(2)} ms  (${(full / bare).toFixed(2)}x / ${(quantile(fullTimes, 0.5) / quantile(bareTimes, 0.5)).toFixed(2)}x bare parse)`
  ]);

  // A 200-cell notebook built from corpus cells; one-character edits in random cells.
  const big: string[] = [];
  for (let i = 0; big.length < 200; i++) {
    big.push(allCells[i % allCells.length]);
  }
  const nb = analyzer.openNotebook();
  nb.update(big);
  nb.findings();
  const random = rng(42);
  const edits: number[] = [];
  const current = big.slice();
  for (let i = 0; i < 400; i++) {
    const cell = Math.floor(random() * current.length);
    const text = current[cell];
    const at = Math.floor(random() * (text.length + 1));
    const insert = random() < 0.5;
    current[cell] = insert || text.length === 0 ? text.slice(0, at) + 'x' + text.slice(at) : text.slice(0, Math.max(0, at - 1)) + text.slice(at);
    const s = now();
    nb.update(current);
    nb.findings();
    edits.push(now() - s);
  }
  nb.dispose();
  edits.sort((a, b) => a - b);
  rows.push(['200-cell notebook, one-char edit + re-analysis (400 edits)', '']);
  rows.push(['  median', `${quantile(edits, 0.5).toFixed(3)} ms`]);
  rows.push(['  p95', `${quantile(edits, 0.95).toFixed(3)} ms`]);

  // CLI throughput on 500 notebooks copied from the corpus.
  const cli = path.resolve(here, '../cli/keras-migrate.cjs');
  if (fs.existsSync(cli)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-migrate-bench-'));
    for (let i = 0; i < 500; i++) {
      const src = notebooks[i % notebooks.length];
      fs.writeFileSync(path.join(dir, `nb${String(i).padStart(3, '0')}.ipynb`), src.text);
    }
    for (const jobs of [1, 2]) {
      const s = now();
      const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '--jobs', String(jobs), dir], {
        maxBuffer: 1 << 30
      });
      const ms = now() - s;
      const ok = r.status === 0 || r.status === 1;
      rows.push([
        `CLI check, 500 notebooks, ${jobs} worker thread${jobs > 1 ? 's' : ''}`,
        ok ? `${(ms / 1000).toFixed(2)} s  (${((500 * 1000) / ms).toFixed(0)} notebooks/s)` : `failed (exit ${r.status})`
      ]);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  } else {
    rows.push(['CLI throughput', 'skipped: lib/cli/keras-migrate.cjs not built']);
  }

  const width = Math.max(...rows.map(r => r[0].length));
  process.stdout.write(`keras-migrate benchmark (${os.cpus().length} CPUs, node ${process.version})\n`);
  for (const [k, v] of rows) {
    process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
  }
}

main().catch(err => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n');
  process.exitCode = 1;
});
