/**
 * Rules are self-contained units: one module and one test file per rule, both named after the
 * rule; no rule imports another rule or the walk; the relevance filter is built from the
 * rules' declared trigger words.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES, section } from '../../analysis';
import { child } from '../../analysis/ast';
import { NotebookAnalysisImpl } from '../../analysis/notebook';
import { loadPython } from '../../analysis/parser';
import type { RuleDefinition } from '../../analysis/rule';
import { getAnalyzer, WASM } from './helpers';

const rulesDir = path.resolve(__dirname, '../../analysis/rules');
const testsDir = path.resolve(__dirname, 'rules');

test('every rule has a module and a test file named after it, and nothing else is in rules/', () => {
  const modules = fs.readdirSync(rulesDir).filter(f => f !== 'index.ts').sort();
  expect(modules).toEqual(ALL_RULES.map(r => `${r.name}.ts`).sort());
  const tests = fs.readdirSync(testsDir).sort();
  expect(tests).toEqual(ALL_RULES.map(r => `${r.name}.test.ts`).sort());
  for (const rule of ALL_RULES) {
    const source = fs.readFileSync(path.join(rulesDir, `${rule.name}.ts`), 'utf8');
    expect(source).toContain(`code: '${rule.code}'`);
    expect(fs.readFileSync(path.join(testsDir, `${rule.name}.test.ts`), 'utf8')).toContain(`ruleTester('${rule.name}'`);
  }
});

test('rules import only the shared modules (and the helper modules): no rule, no walk, no notebook', () => {
  const allowed = new Set(['../ast', '../rule', '../rule-helpers', '../knowledge', '../catalog', '../types']);
  for (const file of fs.readdirSync(rulesDir).filter(f => f !== 'index.ts')) {
    const source = fs.readFileSync(path.join(rulesDir, file), 'utf8');
    for (const m of source.matchAll(/from '([^']+)'/g)) {
      expect([file, allowed.has(m[1]) || /^\.\.\/helpers\/[\w-]+$/.test(m[1])]).toEqual([file, true]);
    }
  }
});

// They may read the syntax tree, the rule API, the catalog and the text primitives (text.ts: line
// breaks, edits), which import nothing of the analyser.
test('the helper modules rules share never import a rule, the walk or the notebook', () => {
  const helpersDir = path.join(rulesDir, '..', 'helpers');
  const files = fs.readdirSync(helpersDir);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const source = fs.readFileSync(path.join(helpersDir, file), 'utf8');
    for (const m of source.matchAll(/from '([^']+)'/g)) {
      expect([file, /^(\.\/[\w-]+|\.\.\/(ast|rule|knowledge|catalog|types|text))$/.test(m[1])]).toEqual([file, true]);
    }
  }
});

test('api-changes findings explain their own API: the message names it in code and says what happens to it, the shared section lists none', async () => {
  const analyzer = await getAnalyzer();
  // One paragraph listing unrelated APIs under every finding explains none of them.
  expect(section('api-changes').explanation).not.toMatch(/`/);
  expect(section('api-changes').fix).not.toMatch(/`/);
  for (const rule of ALL_RULES.filter(r => r.slug === 'api-changes')) {
    const found = analyzer.analyzeFile(rule.docs.example).filter(f => f.rule === rule.code);
    expect([rule.code, found.length > 0]).toEqual([rule.code, true]);
    for (const f of found) {
      // The API itself, in code, and a sentence on what happens to it (not a bare pointer to the section).
      expect([rule.code, /`[^`]+`/.test(f.message) && f.message.length > 40]).toEqual([rule.code, true]);
    }
  }
});

test('codes and names are unique; every rule declares its trigger words', () => {
  expect(new Set(ALL_RULES.map(r => r.code)).size).toBe(ALL_RULES.length);
  expect(new Set(ALL_RULES.map(r => r.name)).size).toBe(ALL_RULES.length);
  for (const rule of ALL_RULES) {
    expect(Array.isArray(rule.triggers)).toBe(true);
    for (const word of rule.triggers) {
      expect(word).toMatch(/^\w+$/);
    }
  }
});

/** A rule that flags any `.frobnicate()` call: nothing Keras is bound in such a cell. */
function frobnicateRule(triggers: string[]): RuleDefinition {
  return {
    code: 'KM999',
    name: 'frobnicate',
    slug: 'api-changes',
    severity: 'warning',
    fixAvailability: 'never',
    triggers,
    docs: { whatItDoes: '', why: '', example: '', useInstead: '' },
    visitors: {
      call: (node, ctx) => {
        const fn = child(node, 'function');
        const attr = fn && fn.type === 'attribute' ? child(fn, 'attribute') : null;
        if (attr && ctx.textOf(attr) === 'frobnicate') {
          ctx.report(attr, 'frobnicated');
        }
      }
    }
  };
}

async function frobnicateFindings(rules: readonly RuleDefinition[], exhaustive = false): Promise<string[]> {
  const nb = new NotebookAnalysisImpl(await loadPython(WASM), exhaustive, true, rules);
  try {
    nb.update(['x = 1\n', 'thing.frobnicate()\n', 'def f(o):\n    o.frobnicate()\n']);
    return nb.findings().filter(f => f.rule === 'KM999').map(f => `${f.cell}:${f.line}:${f.column}`);
  } finally {
    nb.dispose();
  }
}

test('the relevance filter is built from the rules: a new trigger word makes its cells relevant', async () => {
  const declared = await frobnicateFindings([...ALL_RULES, frobnicateRule(['frobnicate'])]);
  expect(declared).toEqual(['1:1:7', '2:2:7']);
  expect(await frobnicateFindings([...ALL_RULES, frobnicateRule(['frobnicate'])], true)).toEqual(declared);
  // Undeclared, the word does not make the cells relevant: the filter skips them.
  expect(await frobnicateFindings([...ALL_RULES, frobnicateRule([])])).toEqual([]);
});
