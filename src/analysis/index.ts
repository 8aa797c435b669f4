/**
 * Public entry of the analysis core. No DOM and no JupyterLab imports: this runs in the
 * browser, in Node (CLI) and in jest alike.
 *
 *   const analyzer = await createAnalyzer({ treeSitterWasm: runtimeUrl, pythonWasm: pythonUrl });
 *   const nb = analyzer.openNotebook();
 *   nb.update(cells);                        // code sources, null for other cells; cheap to repeat
 *   nb.findings({ kerasVersion: '3.4' });    // Finding[] with per-finding fixes (cell coordinates)
 *   applyEdits(source, finding.fix.edits);   // one quick fix (adds `import keras` to the cell if needed)
 *   analyzer.fixCells(cells, { unsafe: false }).cells;  // "fix all": `import keras` placed once
 *
 * In Node, pass `pythonWasm` as bytes: web-tree-sitter loads file paths through a dynamic
 * import() that CommonJS bundles and jest cannot run.
 */
import { fixNotebook } from './fix';
import { NotebookAnalysisImpl } from './notebook';
import { loadPython } from './parser';
import { ALL_RULES } from './rules';
import { analyzeWholeProgram, fixWholeProgram } from './whole-program';
import type { AnalyzeOptions, Analyzer, Finding, NotebookAnalysis, WasmLocations } from './types';

export * from './types';
export { applyEdits, applyOffsetEdits, LineIndex, resolveEdits, toOffsetEdits } from './text';
export { ALL_RULES } from './rules';
export type { RuleDefinition, RuleDocs, FixAvailability } from './rule';
export { SECTIONS, NEWEST_KNOWN_KERAS, GUIDE_URL, section, sectionApplies } from './catalog';
export { maskIPython } from './mask';

/** The analyser as created here (the Analyzer contract of types.ts). */
export type KerasMigrateAnalyzer = Analyzer;

export async function createAnalyzer(wasm: WasmLocations): Promise<KerasMigrateAnalyzer> {
  const grammar = await loadPython(wasm);
  return {
    openNotebook(): NotebookAnalysis {
      return new NotebookAnalysisImpl(grammar);
    },
    analyzeCells(cells: ReadonlyArray<string | null>, options?: AnalyzeOptions): Finding[] {
      const whole = options?.wholeProgram ? analyzeWholeProgram(grammar, cells, options) : null;
      if (whole) {
        return whole;
      }
      const analysis = new NotebookAnalysisImpl(grammar, false, true, ALL_RULES, false, true);
      try {
        analysis.update(cells);
        return analysis.findings(options);
      } finally {
        analysis.dispose();
      }
    },
    analyzeFile(source: string, options?: AnalyzeOptions): Finding[] {
      const analysis = new NotebookAnalysisImpl(grammar, false, false, ALL_RULES, false, true);
      try {
        analysis.update([source]);
        return analysis.findings(options).map(f => ({ ...f, cell: null }));
      } finally {
        analysis.dispose();
      }
    },
    fixCells(cells, options) {
      const whole = options?.wholeProgram ? fixWholeProgram(grammar, cells, options) : null;
      if (whole) {
        return whole;
      }
      const analysis = new NotebookAnalysisImpl(grammar);
      try {
        return fixNotebook(analysis, cells, options);
      } finally {
        analysis.dispose();
      }
    },
    fixFile(source, options) {
      const analysis = new NotebookAnalysisImpl(grammar, false, false);
      try {
        const result = fixNotebook(analysis, [source], options);
        return { source: result.cells[0] as string, applied: result.applied.map(f => ({ ...f, cell: null })) };
      } finally {
        analysis.dispose();
      }
    }
  };
}
