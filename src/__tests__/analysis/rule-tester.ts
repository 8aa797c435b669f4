/**
 * RuleTester-style helper (one test file per rule, named after the rule): code that must
 * stay clean, code that must be flagged (with the exact positions), and the exact text after
 * its fixes are applied. Every rule's doc example must trigger it and its `useInstead` must
 * not; every case is also analysed without the relevance shortcuts, which must agree (a
 * trigger word the rule forgot to declare shows up here), and by the one-shot analysis that skips
 * rules whose required words the code lacks (RuleDefinition.requires), which must agree too.
 */
import { appendFileSync } from 'fs';
import type { FixOptions, RuleDefinition } from '../../analysis';
import type { Backend, Finding } from '../../analysis/types';
import { ALL_RULES, maskIPython, section } from '../../analysis';
import { NotebookAnalysisImpl } from '../../analysis/notebook';
import { loadPython } from '../../analysis/parser';
import { getAnalyzer, WASM } from './helpers';

export interface ExpectedFinding {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** Substring the message must contain. */
  message?: string;
}

export interface InvalidCase {
  name?: string;
  /** One source per cell; a string is a .py file. Use null for markdown cells. */
  code: string | Array<string | null>;
  /** Findings of the rule under test, in order; `cell` defaults to the last code cell. */
  errors: Array<ExpectedFinding & { cell?: number }>;
  /** The backends every finding claims to block (checked by running the code on each backend). */
  blocks?: Backend[];
  /** Text after fixing (fixCells with `fixOptions`); omit to assert that no fix applies. */
  output?: string | Array<string | null>;
  fixOptions?: FixOptions;
  options?: FixOptions;
}

export interface ValidCase {
  name?: string;
  code: string | Array<string | null>;
  options?: FixOptions;
}

function cellsOf(code: string | Array<string | null>): Array<string | null> {
  return typeof code === 'string' ? [code] : code;
}

function label(c: { name?: string; code: string | Array<string | null> }): string {
  return c.name ?? JSON.stringify(c.code).slice(0, 80);
}

/** The rule's findings without the relevance shortcuts (every cell and statement walked). */
async function exhaustiveFindings(cells: Array<string | null>, code: string, options?: FixOptions): Promise<Finding[]> {
  const nb = new NotebookAnalysisImpl(await loadPython(WASM), true);
  try {
    nb.update(cells);
    return nb.findings(options).filter(f => f.rule === code);
  } finally {
    nb.dispose();
  }
}

export function ruleByName(name: string, rules: readonly RuleDefinition[] = ALL_RULES): RuleDefinition {
  const rule = rules.find(r => r.name === name);
  if (!rule) {
    throw new Error(`no rule named ${name}`);
  }
  return rule;
}

/** `rule` is the rule's readable name (its module's and its test file's name). */
export function ruleTester(name: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  const rule = ruleByName(name);
  const code = rule.code;
  describe(`${name} (${code})`, () => {
    // On the first Keras version the rule (or its guide section) applies to (some are fixed in later ones).
    const docOptions = { kerasVersion: (rule.kerasVersions ?? section(rule.slug).versions)[0].from };
    test('docs: the example triggers the rule', async () => {
      const analyzer = await getAnalyzer();
      const found = analyzer.analyzeFile(rule.docs.example, docOptions).filter(f => f.rule === code);
      expect(found.length).toBeGreaterThan(0);
    });
    test('docs: useInstead does not trigger the rule', async () => {
      const analyzer = await getAnalyzer();
      expect(analyzer.analyzeFile(rule.docs.useInstead, docOptions).filter(f => f.rule === code)).toEqual([]);
    });
    for (const valid of cases.valid) {
      test(`valid: ${label(valid)}`, async () => {
        const analyzer = await getAnalyzer();
        const nb = analyzer.openNotebook();
        nb.update(cellsOf(valid.code));
        const found = nb.findings(valid.options).filter(f => f.rule === code);
        nb.dispose();
        expect(found).toEqual([]);
        expect(await exhaustiveFindings(cellsOf(valid.code), code, valid.options)).toEqual([]);
        expect(analyzer.analyzeCells(cellsOf(valid.code), valid.options).filter(f => f.rule === code)).toEqual([]);
      });
    }
    for (const invalid of cases.invalid) {
      test(`invalid: ${label(invalid)}`, async () => {
        const analyzer = await getAnalyzer();
        const cells = cellsOf(invalid.code);
        const nb = analyzer.openNotebook();
        nb.update(cells);
        const found: Finding[] = nb.findings(invalid.options).filter(f => f.rule === code);
        nb.dispose();
        expect(await exhaustiveFindings(cells, code, invalid.options)).toEqual(found);
        // Gated by the rules' required words (the CLI's one-shot analysis): the same findings.
        expect(analyzer.analyzeCells(cells, invalid.options).filter(f => f.rule === code)).toEqual(found);
        let lastCode = 0;
        cells.forEach((c, i) => {
          if (c !== null) {
            lastCode = i;
          }
        });
        expect(
          found.map(f => ({ cell: f.cell, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn }))
        ).toEqual(
          invalid.errors.map(e => ({
            cell: e.cell ?? lastCode,
            line: e.line,
            column: e.column,
            endLine: e.endLine ?? expect.any(Number),
            endColumn: e.endColumn ?? expect.any(Number)
          }))
        );
        if (invalid.blocks) {
          expect(found.map(f => f.blocks)).toEqual(found.map(() => invalid.blocks));
        }
        invalid.errors.forEach((e, i) => {
          if (e.message) {
            expect(found[i].message).toContain(e.message);
          }
        });
        const fixOptions: FixOptions = { ...invalid.options, ...invalid.fixOptions, select: [code] };
        const fixed = analyzer.fixCells(cells, fixOptions);
        const expected = invalid.output === undefined ? cells : cellsOf(invalid.output);
        if (process.env.KERAS_MIGRATE_RECORD_FIX_OUTPUTS && typeof invalid.output === 'string' && fixed.cells.length === 1 && fixed.cells[0] !== invalid.output) {
          // Recorded for a reviewed update of the expected outputs (src/__tests__/analysis/update_fix_outputs.py), never read by a test.
          appendFileSync(process.env.KERAS_MIGRATE_RECORD_FIX_OUTPUTS, JSON.stringify({ name: label(invalid), expected: invalid.output, received: fixed.cells[0] }) + '\n');
        }
        expect(fixed.cells).toEqual(expected);
        // Idempotent: fixing the fixed text changes nothing more.
        expect(analyzer.fixCells(fixed.cells, fixOptions).cells).toEqual(fixed.cells);
        // Fixed code parses wherever the original did.
        const parser = (await loadPython(WASM)).newParser();
        const parses = (t: string): boolean => {
          const tree = parser.parse(maskIPython(t))!;
          const ok = !tree.rootNode.hasError;
          tree.delete();
          return ok;
        };
        fixed.cells.forEach((t, i) => {
          if (t !== null && parses(cells[i] as string)) {
            expect(parses(t)).toBe(true);
          }
        });
        parser.delete();
      });
    }
  });
}
