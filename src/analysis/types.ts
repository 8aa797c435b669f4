/**
 * The finding contract shared by the editor integration, the CLI and the tests.
 * Positions are 1-based and counted within the cell (or file, for .py).
 */
export type Severity = 'error' | 'warning' | 'info';
export type Backend = 'tensorflow' | 'jax' | 'torch';
export type Target = 'tensorflow' | 'multi-backend';

export interface TextEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
}

export interface Fix {
  title: string;
  /** True when applying the edits keeps the program's meaning. */
  safe: boolean;
  edits: TextEdit[];
}

export interface Finding {
  /** 0-based index into the notebook's `cells` array; null for .py files. */
  cell: number | null;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Stable rule code, e.g. "KM001". */
  rule: string;
  /** Slug from shared/guide/sections.tsv (src/catalog/sections.json). */
  guide: string;
  severity: Severity;
  /**
   * Backends on which the flagged code fails (the rule's own list, else its guide section's);
   * empty for warnings and for code that runs wherever TensorFlow is installed.
   */
  blocks: Backend[];
  message: string;
  fix: Fix | null;
}

export interface AnalyzeOptions {
  /** "3.4" style; default: the newest Keras the catalog knows. */
  kerasVersion?: string;
  /** Default 'multi-backend'. */
  target?: Target;
  /** Rule codes or guide slugs to keep (empty/undefined = all). */
  select?: string[];
  /** Rule codes or guide slugs to drop. */
  ignore?: string[];
  /**
   * Analyse (and fix) a notebook as the one program its cells make when run in order (the CLI): a
   * rule then follows a name into any cell, as in a .py file. Cell by cell when the program has a
   * syntax error. The editor analyses cell by cell, incrementally.
   */
  wholeProgram?: boolean;
}

/** Where the two WASM binaries are: file paths in Node, URLs in the browser, or bytes. */
/**
 * Where the two WASM binaries are, or their bytes, or (each) an already compiled
 * WebAssembly.Module: the CLI compiles them once and hands the modules to its worker threads,
 * which then share the compiled code instead of compiling it again.
 */
export interface WasmLocations {
  treeSitterWasm: string | URL | WebAssembly.Module;
  pythonWasm: string | URL | Uint8Array | WebAssembly.Module;
}

/** Incremental analysis of one notebook (or one .py file as a one-cell notebook). */
export interface NotebookAnalysis {
  /**
   * Replace the notebook's cells: code cells carry their source, other cells null.
   * Only cells whose text changed are reparsed; their imports are re-read in order.
   */
  update(cells: ReadonlyArray<string | null>): void;
  /** Findings for every cell, `cell` set to the index passed to update(). */
  findings(options?: AnalyzeOptions): Finding[];
  dispose(): void;
}

export interface FixOptions extends AnalyzeOptions {
  /** Also apply fixes marked unsafe. */
  unsafe?: boolean;
}

export interface FixResult {
  cells: Array<string | null>;
  /** Findings whose fixes were applied, in the coordinates of the text they were found in. */
  applied: Finding[];
}

export interface Analyzer {
  openNotebook(): NotebookAnalysis;
  /** One-shot analysis of a notebook's code cells (null for other cells): openNotebook, update, findings, dispose. */
  analyzeCells(cells: ReadonlyArray<string | null>, options?: AnalyzeOptions): Finding[];
  /** One-shot analysis of a .py file's text (cell = null in the findings). */
  analyzeFile(source: string, options?: AnalyzeOptions): Finding[];
  /**
   * "Fix all", the one fix-all loop: applies every safe fix (every fix with `unsafe`) until
   * none is left, adding `import keras` once where the notebook needs it. Cells are code
   * sources or null.
   */
  fixCells(cells: ReadonlyArray<string | null>, options?: FixOptions): FixResult;
  /** fixCells for a .py file. */
  fixFile(source: string, options?: FixOptions): { source: string; applied: Finding[] };
}
