/**
 * Messages between the main thread and the analysis worker. Plain data only
 * (structured clone): cell sources in, findings or fixed sources out.
 */
import type { AnalyzeOptions, Finding } from '../analysis/types';

export type AnalysisRequest =
  | { id: number; kind: 'analyze'; notebook: number; cells: Array<string | null>; options: AnalyzeOptions }
  | { id: number; kind: 'fix'; cells: Array<string | null>; options: AnalyzeOptions }
  | { id: number; kind: 'close'; notebook: number };

export interface FixCellsResult {
  cells: Array<string | null>;
  /** The findings whose fixes were applied. */
  applied: Finding[];
}

/**
 * A notebook's findings as JSON strings: per cell (index = cell index) a list of
 * chunks of at most FINDINGS_PER_CHUNK findings each, plus the findings placed in no
 * cell. Strings, because parsing JSON is several times cheaper on the main thread
 * than the structured clone of thousands of finding objects; chunks, because comparing
 * a chunk's string with the last one tells what changed without parsing it (typing on
 * one line of a 3,000-line cell changes one chunk), and because the chunks that did
 * change can be parsed a few at a time without holding the main thread.
 */
export interface CellFindingsJson {
  cells: string[][];
  unplaced: string;
}

export const FINDINGS_PER_CHUNK = 50;

/** Groups findings by cell and serialises each group in chunks (runs in the worker). */
export function findingsJsonByCell(findings: ReadonlyArray<Finding>, cellCount: number): CellFindingsJson {
  const groups: Finding[][] = Array.from({ length: cellCount }, () => []);
  const unplaced: Finding[] = [];
  for (const finding of findings) {
    const group = finding.cell === null || finding.cell === undefined ? undefined : groups[finding.cell];
    (group ?? unplaced).push(finding);
  }
  return {
    cells: groups.map(group => {
      const chunks: string[] = [];
      for (let start = 0; start < group.length; start += FINDINGS_PER_CHUNK) {
        chunks.push(JSON.stringify(group.slice(start, start + FINDINGS_PER_CHUNK)));
      }
      return chunks;
    }),
    unplaced: JSON.stringify(unplaced)
  };
}

export type AnalysisResponse =
  | { id: number; ok: true; findings?: CellFindingsJson; fixed?: FixCellsResult }
  | { id: number; ok: false; error: string };

/** The analyser as the editor uses it: every call may run on another thread. */
export interface IAsyncAnalyzer {
  openNotebook(): IAsyncNotebookAnalysis;
  /** "Fix all": the sources after every safe fix (computed on a scratch analysis). */
  fixCells(cells: ReadonlyArray<string | null>, options: AnalyzeOptions): Promise<FixCellsResult>;
  /** Where the analysis runs, for the benchmark and the tests. */
  readonly where: 'worker' | 'main-thread';
}

export interface IAsyncNotebookAnalysis {
  /** Findings of these cells (code sources, null for other cells), per cell as JSON. */
  analyze(cells: ReadonlyArray<string | null>, options: AnalyzeOptions): Promise<CellFindingsJson>;
  dispose(): void;
}
