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

export type AnalysisResponse =
  /**
   * Findings travel as a JSON string: parsing it is several times cheaper on the main
   * thread than the structured clone of thousands of finding objects.
   */
  | { id: number; ok: true; findingsJson?: string; fixed?: FixCellsResult }
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
  /** Findings of these cells (code sources, null for other cells). */
  analyze(cells: ReadonlyArray<string | null>, options: AnalyzeOptions): Promise<Finding[]>;
  dispose(): void;
}
