/**
 * A notebook analysed and fixed as one program: its code cells joined, in order, into one text
 * with a boundary comment between them, analysed and fixed like a .py file, and split back. Rules
 * then see every cell's definitions and uses at once (a `Sequential` made in one cell and mapped
 * in tf.data in another, a checkpoint path named in one cell and loaded in another), which the
 * cell-by-cell analysis the editor needs (incremental, cacheable per cell) follows only in part,
 * through facts.
 */
import { fixNotebook } from './fix';
import { hasForeignCellMagic } from './mask';
import { NotebookAnalysisImpl } from './notebook';
import type { PythonGrammar } from './parser';
import type { RawFinding } from './rule';
import { ALL_RULES } from './rules';
import { LineIndex } from './text';
import type { AnalyzeOptions, Finding, FixOptions, FixResult } from './types';

/** A comment line no fix edits: fixes insert and replace inside statements, never across a comment between two of them. */
const BOUNDARY = '# %% keras-migrate: cell boundary';
const SEPARATOR = `\n${BOUNDARY}\n`;

interface Joined {
  text: string;
  /** Indices of the code cells in the joined text, in order. */
  cells: number[];
  /** Offset in the joined text where each joined cell starts. */
  starts: number[];
  /** Line (1-based) of the joined text where each joined cell starts. */
  firstLines: number[];
}

/** The code cells joined, when there are two or more; null otherwise, and the caller goes cell by cell. */
function join(cells: ReadonlyArray<string | null>): Joined | null {
  const parts: string[] = [];
  const joined: number[] = [];
  const starts: number[] = [];
  let offset = 0;
  for (let i = 0; i < cells.length; i++) {
    const source = cells[i];
    if (source !== null && source.includes(BOUNDARY)) {
      return null; // could not be split back
    }
    // A `%%bash` cell is not Python: it stays as it is, as the cell-by-cell analysis masks it whole.
    if (source === null || hasForeignCellMagic(source)) {
      continue;
    }
    joined.push(i);
    starts.push(offset);
    parts.push(source);
    offset += source.length + SEPARATOR.length;
  }
  if (joined.length < 2) {
    return null;
  }
  const text = parts.join(SEPARATOR);
  const lines = new LineIndex(text);
  return { text, cells: joined, starts, firstLines: starts.map(s => lines.position(s).line) };
}

/** Position in `joined.cells` of the cell holding an offset of the joined text. */
function partAt(joined: Joined, offset: number): number {
  let k = joined.starts.length - 1;
  while (k > 0 && joined.starts[k] > offset) {
    k--;
  }
  return k;
}

/** Position in `joined.cells` of the cell holding a line of the joined text. */
function partOfLine(joined: Joined, line: number): number {
  let k = joined.firstLines.length - 1;
  while (k > 0 && joined.firstLines[k] > line) {
    k--;
  }
  return k;
}

/** A finding of the joined text in the coordinates of its cell. */
function inCell(f: Finding, joined: Joined): Finding {
  const k = partOfLine(joined, f.line);
  const shift = joined.firstLines[k] - 1;
  return {
    ...f,
    cell: joined.cells[k],
    line: f.line - shift,
    endLine: f.endLine - shift,
    fix: f.fix && { ...f.fix, edits: f.fix.edits.map(e => ({ ...e, line: e.line - shift, endLine: e.endLine - shift })) }
  };
}

/**
 * `analyzeCells` over the cells joined into one program, findings in cell coordinates; null when
 * the cells cannot be joined. A fix's `import keras` edit in another cell (the program's first use
 * of keras) moves to the top of the finding's cell, so that the fix stands alone as the
 * cell-by-cell analysis gives it; a fix that edits another cell otherwise is given as no fix.
 */
export function analyzeWholeProgram(grammar: PythonGrammar, cells: ReadonlyArray<string | null>, options: AnalyzeOptions): Finding[] | null {
  const joined = join(cells);
  if (!joined) {
    return null;
  }
  // Trees kept: the syntax check below reads the tree the analysis parsed (one parse of the program).
  const analysis = new NotebookAnalysisImpl(grammar, false, true, ALL_RULES, true, true);
  try {
    analysis.update([joined.text]);
    // A syntax error (a cell that does not parse, which joined swallows its neighbours): cell by cell.
    if (analysis.cellHasErrors(0)) {
      return null;
    }
    return analysis.rawFindings(options).map(({ raw }) => {
      const part = partAt(joined, raw.start);
      let fix = raw.fix;
      if (fix) {
        const top = joined.starts[part];
        const edits = fix.edits.map(e =>
          e.addsImport && partAt(joined, e.start) !== part ? { start: top, end: top, text: `import ${e.addsImport}\n`, addsImport: e.addsImport } : e
        );
        fix = edits.every(e => partAt(joined, e.start) === part && partAt(joined, e.end) === part) ? { ...fix, edits } : null;
      }
      return inCell(analysis.convert(0, { ...raw, fix } as RawFinding), joined);
    });
  } finally {
    analysis.dispose();
  }
}

/**
 * `fixCells` over the cells joined into one program; null when that cannot be done faithfully
 * (one code cell, a syntax error, a cell holding the boundary text, or fixes that edited across a boundary), and the caller fixes cell
 * by cell instead. `import keras` goes where a .py file's would: before the program's first use.
 */
export function fixWholeProgram(grammar: PythonGrammar, cells: ReadonlyArray<string | null>, options: FixOptions): FixResult | null {
  const joined = join(cells);
  if (!joined) {
    return null;
  }
  const analysis = new NotebookAnalysisImpl(grammar);
  let fixed: FixResult;
  try {
    analysis.update([joined.text]);
    if (analysis.cellHasErrors(0)) {
      return null;
    }
    fixed = fixNotebook(analysis, [joined.text], options);
  } finally {
    analysis.dispose();
  }
  const parts = (fixed.cells[0] as string).split(SEPARATOR);
  if (parts.length !== joined.cells.length) {
    return null;
  }
  const out = cells.slice();
  joined.cells.forEach((cell, k) => {
    out[cell] = parts[k];
  });
  // Applied findings in cell coordinates, as of the joined text before the fixes (later passes shift lines a little).
  return { cells: out, applied: fixed.applied.map(f => inCell(f, joined)) };
}
