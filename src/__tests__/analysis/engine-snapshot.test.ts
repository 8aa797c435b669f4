/**
 * The engine's answers on real programs, pinned: every finding (position, rule, message,
 * backends, fix with its exact edits) and the result of fixing all (safe, then unsafe) for every
 * notebook in ../shared/corpus and every notebook and .py program under examples/. Speed work on
 * the parse, the tree copy, the walk or the CLI must leave this snapshot unchanged; a change in
 * a rule changes it on purpose (review the diff, then `jlpm jest engine-snapshot -u`).
 *
 * Also checks that the one-shot path the CLI takes (analyzeCells / analyzeFile, trees freed as
 * soon as copied) answers exactly as the editor's incremental path (openNotebook).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../../analysis';
import { codeCells, parseNotebook } from '../../cli/notebook-file';
import { getAnalyzer } from './helpers';

const repo = path.resolve(__dirname, '../../..');
const corpusDir = path.resolve(repo, '../shared/corpus');

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...filesUnder(full));
    } else if (entry.name.endsWith('.ipynb') || entry.name.endsWith('.py')) {
      out.push(full);
    }
  }
  return out;
}

const inputs = [
  ...filesUnder(corpusDir).map(f => ({ name: 'corpus/' + path.relative(corpusDir, f), file: f })),
  ...filesUnder(path.join(repo, 'examples')).map(f => ({ name: path.relative(repo, f), file: f }))
].sort((a, b) => a.name.localeCompare(b.name));

/** One line per finding: everything a user sees, the fix's edits included. */
function line(f: Finding): string {
  const fix = f.fix
    ? ` | fix${f.fix.safe ? ' (safe)' : ''}: ${f.fix.title} ${JSON.stringify(f.fix.edits.map(e => [e.line, e.column, e.endLine, e.endColumn, e.text]))}`
    : '';
  return `${f.cell ?? '-'}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.rule} ${f.severity} [${f.blocks.join(',')}] ${f.message}${fix}`;
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

test('there are programs to pin', () => {
  expect(inputs.filter(i => i.name.startsWith('examples/')).length).toBeGreaterThan(10);
});

describe.each(inputs)('$name', ({ file }) => {
  test('findings and fixes are unchanged', async () => {
    const analyzer = await getAnalyzer();
    const text = fs.readFileSync(file, 'utf8');
    if (file.endsWith('.py')) {
      const findings = analyzer.analyzeFile(text);
      const safe = analyzer.fixFile(text, { unsafe: false });
      const unsafe = analyzer.fixFile(text, { unsafe: true });
      expect({
        findings: findings.map(line),
        fixSafe: { applied: safe.applied.length, source: digest(safe.source) },
        fixUnsafe: { applied: unsafe.applied.length, source: digest(unsafe.source) }
      }).toMatchSnapshot();
      return;
    }
    const cells = codeCells(parseNotebook(text));
    const oneShot = analyzer.analyzeCells(cells);
    const nb = analyzer.openNotebook();
    nb.update(cells);
    const incremental = nb.findings();
    nb.dispose();
    expect(oneShot.map(line)).toEqual(incremental.map(line));
    const safe = analyzer.fixCells(cells, { unsafe: false });
    const unsafe = analyzer.fixCells(cells, { unsafe: true });
    expect({
      findings: oneShot.map(line),
      fixSafe: { applied: safe.applied.length, cells: digest(safe.cells) },
      fixUnsafe: { applied: unsafe.applied.length, cells: digest(unsafe.cells) }
    }).toMatchSnapshot();
  });
});
