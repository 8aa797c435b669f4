/**
 * The analyser's async interface on the calling thread: used in jest and in
 * pages where a Web Worker cannot start.
 */
import type { AnalyzeOptions } from '../analysis/types';
import type { KerasMigrateAnalyzer } from '../analysis/index';
import { findingsJsonByCell } from './protocol';
import type { CellFindingsJson, FixCellsResult, IAsyncAnalyzer, IAsyncNotebookAnalysis } from './protocol';

export class InProcessAnalyzer implements IAsyncAnalyzer {
  readonly where = 'main-thread' as const;

  constructor(private readonly _core: KerasMigrateAnalyzer) {}

  openNotebook(): IAsyncNotebookAnalysis {
    const analysis = this._core.openNotebook();
    return {
      analyze: async (cells, options): Promise<CellFindingsJson> => {
        analysis.update(cells);
        return findingsJsonByCell(analysis.findings(options), cells.length);
      },
      dispose: () => analysis.dispose()
    };
  }

  async fixCells(cells: ReadonlyArray<string | null>, options: AnalyzeOptions): Promise<FixCellsResult> {
    const result = this._core.fixCells(cells, { ...options, unsafe: false });
    return { cells: result.cells, applied: result.applied };
  }
}

