/**
 * RuleTester-style helper: each rule lists code that must stay clean, code that must be
 * flagged (with the exact positions), and the exact text after its fixes are applied.
 */
import type { FixOptions } from '../../analysis';
import type { Finding } from '../../analysis/types';
import { maskIPython } from '../../analysis';
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

export function ruleTester(code: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(code, () => {
    for (const valid of cases.valid) {
      test(`valid: ${label(valid)}`, async () => {
        const analyzer = await getAnalyzer();
        const nb = analyzer.openNotebook();
        nb.update(cellsOf(valid.code));
        const found = nb.findings(valid.options).filter(f => f.rule === code);
        nb.dispose();
        expect(found).toEqual([]);
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
        invalid.errors.forEach((e, i) => {
          if (e.message) {
            expect(found[i].message).toContain(e.message);
          }
        });
        const fixOptions: FixOptions = { ...invalid.options, ...invalid.fixOptions, select: [code] };
        const fixed = analyzer.fixCells(cells, fixOptions);
        const expected = invalid.output === undefined ? cells : cellsOf(invalid.output);
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
