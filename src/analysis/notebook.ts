/**
 * Incremental analysis of one notebook. Each code cell keeps its tree-sitter Tree, its
 * compact syntax tree and its last analysis result. An edit reparses only that cell
 * (tree.edit + reparse with the old tree); other cells are re-analysed only when the
 * bindings flowing into them (imports, aliases, Keras classes, symbolic tensors) change.
 */
import { Edit, Parser, Tree } from 'web-tree-sitter';
import { buildSyntaxTree, liftMainGuards, SyntaxNode } from './ast';
import { LineIndex, SUPPRESSION_COMMENT } from './text';
import { findSection, isMultiBackendOnly, NEWEST_KNOWN_KERAS, sectionApplies, versionInRanges } from './catalog';
import { importInsertion } from './keras-import';
import { analyseCell, CellResult } from './walk';
import { EMPTY_RESULT, gatedRules, Relevance, relevanceOf, requiredWordsIn, RuleSet, ruleSetOf, statementFilter } from './relevance';
import { maskIPython } from './mask';
import type { PythonGrammar } from './parser';
import type { OffsetEdit, RawFinding, RuleDefinition } from './rule';
import { ALL_RULES } from './rules';
import { applyEffects, bindingKey, Env } from './scope';
import type { AnalyzeOptions, Backend, Finding, NotebookAnalysis, TextEdit } from './types';

/** The cell's text as given, and as parsed (IPython syntax masked). */
interface CellText {
  source: string;
  masked: string;
  /** The cell turns XLA off (`jit_compile=False`), which silences the XLA rule notebook-wide. */
  jitOff: boolean;
  /**
   * The rules' required words (RuleDefinition.requires) the cell's text mentions; found when rules are
   * gated. The text as given, not the masked one: rules also read the cell's text (`ctx.text`), magics included.
   */
  requiredWords: ReadonlySet<string> | null;
}

/** The parse of the cell: the tree-sitter tree and the compact copy the rules walk. */
interface CellSyntax {
  /** Parsed on demand; `treeText` is the masked text it was parsed from. */
  tree: Tree | null;
  treeText: string;
  /** Built on first analysis: cells the relevance check skips never need it. */
  root: SyntaxNode | null;
  /** Relevance key the syntax tree copy was filtered with, and whether it left statements out. */
  builtUnder: string | null;
  partial: boolean;
  /** The top-level statements the copy left out (opaque in the copy). */
  skipped: SyntaxNode[];
}

/** What the walk found, and what it read from and bound in the environment. */
interface CellAnalysisResult {
  result: CellResult | null;
  /** For a skipped cell: the relevance key it was skipped under. */
  skippedUnder: string | null;
}

/**
 * The environment flowing through the cell: the entry environment the result was last
 * checked against, and what the cell hands on for it: the environment after its effects and
 * that environment's relevance. Environments are never modified once made, so meeting the
 * same entry object again means nothing this cell depends on has changed. Kept across edits
 * of the cell's text, with `outKey` (the effects the exit environment was made from), so that
 * an edit that binds the same things as before hands later cells the very same environment.
 */
interface CellFlow {
  envIn: Env | null;
  envOut: Env | null;
  relevanceOut: Relevance | null;
  outKey: string | null;
}

/** Findings converted to line/column (cached per filter and position), and suppressions. */
interface CellOutput {
  lines: LineIndex | null;
  converted: Finding[] | null;
  convertedFor: string;
  convertedCell: number;
  convertedFrom: CellResult | null;
  suppressions: Map<number, Set<string> | 'all'> | null;
}

/**
 * A cell's state: the named parts above, kept as one flat object with one shape for every
 * cell (the loop over cells reads these fields on every keystroke; nested part objects
 * measured about 15% slower on the corpus benchmark).
 */
interface CellState extends CellText, CellSyntax, CellAnalysisResult, CellFlow, CellOutput {}

const LONE_CR = /\r(?!\n)/g;
const JIT_OFF = /jit_compile\s*=\s*False/;

/** Row/column (0-based, UTF-16 columns as web-tree-sitter reports them) of an offset: the line index's answer. */
function pointAt(lines: LineIndex, offset: number): { row: number; column: number } {
  const { line, column } = lines.position(offset);
  return { row: line - 1, column: column - 1 };
}

function textEditFromOffsets(lines: LineIndex, edit: OffsetEdit): TextEdit {
  const a = lines.position(edit.start);
  const b = lines.position(edit.end);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, text: edit.text };
}

export interface CellFinding {
  cell: number;
  raw: RawFinding;
}

export class NotebookAnalysisImpl implements NotebookAnalysis {
  private cells: Array<CellState | null> = [];
  private parser: Parser | null;
  /** The rules that run: all of `rules`, or those the notebook's words let run (`gate`). */
  private ruleSet: RuleSet;
  /**
   * Work done since the analysis was opened, in cells: the benchmark reads it to show that
   * an edit re-does only the edited cell and the cells whose bindings changed.
   */
  readonly work = { parsed: 0, reparsed: 0, copied: 0, analysed: 0 };

  /**
   * `exhaustive` turns off the shortcuts (skipped cells and statements, the rules' call
   * filters): the result must be identical, which the tests check.
   */
  constructor(
    private readonly grammar: PythonGrammar,
    private readonly exhaustive = false,
    /** Plain .py files are Python only: `%` and `!` lines are not IPython there. */
    private readonly ipython = true,
    rules: readonly RuleDefinition[] = ALL_RULES,
    /**
     * Keep each cell's tree-sitter tree for incremental reparsing (the editor). A one-shot
     * analysis (the CLI's check) frees it as soon as it is copied: the parser then reuses
     * the same memory for the next cell instead of spreading over fresh memory, which
     * makes parsing measurably faster. A tree needed again is parsed again.
     */
    private readonly keepTrees = true,
    /**
     * A one-shot analysis (the CLI's check): skip the rules whose required words
     * (RuleDefinition.requires) no cell mentions, and let each cell see the facts earlier cells
     * noted (RuleContext.noted), so that rules need not note again what already holds. Either
     * ties a cell's result to the other cells, so a later update that changes any cell redoes
     * every cell; the exhaustive analysis never gates.
     */
    private readonly gate = false
  ) {
    this.parser = grammar.sharedParser;
    this.rules = rules;
    this.ruleSet = ruleSetOf(rules);
  }

  private readonly rules: readonly RuleDefinition[];

  update(sources: ReadonlyArray<string | null>): void {
    const parser = this.requireParser();
    const old = this.cells;
    const used = new Set<number>();
    const next: Array<CellState | null> = new Array(sources.length).fill(null);
    const pending: number[] = [];
    // Fast path: a cell at the same index with the same text (the usual case while typing).
    sources.forEach((source, i) => {
      if (source === null || source === undefined) {
        return;
      }
      const state = old[i];
      if (state && state.source === source) {
        used.add(i);
        next[i] = state;
      } else {
        pending.push(i);
      }
    });
    // Cells moved or inserted keep their state when their text is unchanged.
    let bySource: Map<string, number[]> | null = null;
    const remaining: number[] = [];
    for (const i of pending) {
      const source = sources[i] as string;
      if (!bySource) {
        bySource = new Map();
        old.forEach((state, j) => {
          if (state && !used.has(j)) {
            const list = bySource!.get(state.source) ?? [];
            list.push(j);
            bySource!.set(state.source, list);
          }
        });
      }
      const j = bySource.get(source)?.find(c => !used.has(c));
      if (j !== undefined) {
        used.add(j);
        next[i] = old[j];
      } else {
        remaining.push(i);
      }
    }
    for (const i of remaining) {
      const source = sources[i] as string;
      const previous = i < old.length && old[i] && !used.has(i) ? old[i] : null;
      if (previous) {
        used.add(i);
      }
      next[i] = this.parseCell(parser, source, previous);
    }
    old.forEach((state, i) => {
      if (state && !used.has(i)) {
        state.tree?.delete();
      }
    });
    const same = next.length === old.length && next.every((state, i) => state === old[i]);
    this.cells = next;
    if (this.gate && !this.exhaustive) {
      if (!same) {
        // The cells' results may rest on facts other cells noted (RuleContext.noted).
        this.resetResults();
      }
      this.gateRules();
    }
  }

  /** Runs only the rules the notebook's words let run; every result is redone when they change. */
  private gateRules(): void {
    const mentioned = new Set<string>();
    for (const state of this.cells) {
      if (!state) {
        continue;
      }
      if (state.requiredWords === null) {
        const words = new Set<string>();
        requiredWordsIn(this.rules, state.source, words);
        state.requiredWords = words;
      }
      state.requiredWords.forEach(w => mentioned.add(w));
    }
    const rules = gatedRules(this.rules, mentioned);
    if (rules === this.ruleSet.rules) {
      return;
    }
    this.ruleSet = ruleSetOf(rules);
    this.resetResults();
  }

  /** Every cell is analysed again (its parse and copy are kept). */
  private resetResults(): void {
    for (const state of this.cells) {
      if (state) {
        state.result = null;
        state.skippedUnder = null;
        state.envIn = null;
        state.envOut = null;
        state.relevanceOut = null;
        state.outKey = null;
        state.converted = null;
        // A copy that left statements out is checked again (against the new rules' words).
        state.builtUnder = null;
      }
    }
    this.modelCodeFrom = null;
  }

  private requireParser(): Parser {
    if (!this.parser) {
      throw new Error('NotebookAnalysis used after dispose()');
    }
    return this.parser;
  }

  /**
   * A new state for changed text. Parsing waits until the cell is found relevant (most
   * cells without Keras/TensorFlow names never need a tree); the previous tree is kept so
   * that the parse, when it comes, is incremental.
   */
  private parseCell(_parser: Parser, source: string, previous: CellState | null): CellState {
    // tree-sitter-python ends lines only at `\n` (a lone `\r` is whitespace to it), while Python and
    // the line index also end them at a lone `\r` (old Mac files): the parser reads `\n` there,
    // which keeps every offset, so `a\rb` is two statements, as Python runs it.
    const lines = source.includes('\r') ? source.replace(LONE_CR, '\n') : source;
    const masked = this.ipython ? maskIPython(lines) : lines;
    return {
      source,
      masked,
      tree: previous ? previous.tree : null,
      treeText: previous ? previous.treeText : '',
      root: null,
      lines: null,
      skippedUnder: null,
      builtUnder: null,
      partial: false,
      skipped: [],
      result: null,
      envIn: previous ? previous.envIn : null,
      envOut: previous ? previous.envOut : null,
      relevanceOut: previous ? previous.relevanceOut : null,
      outKey: previous ? previous.outKey : null,
      converted: null,
      convertedFor: '',
      convertedCell: -1,
      convertedFrom: null,
      jitOff: JIT_OFF.test(masked),
      requiredWords: null,
      suppressions: null
    };
  }

  /** The cell's tree-sitter tree for its current text: reparsed incrementally when stale. */
  private treeOf(state: CellState): Tree {
    if (state.tree && state.treeText === state.masked) {
      return state.tree;
    }
    const parser = this.requireParser();
    const masked = state.masked;
    let tree: Tree | null = null;
    if (state.tree) {
      const before = state.treeText;
      const max = Math.min(before.length, masked.length);
      let prefix = 0;
      while (prefix < max && before.charCodeAt(prefix) === masked.charCodeAt(prefix)) {
        prefix++;
      }
      let suffix = 0;
      while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === masked.charCodeAt(masked.length - 1 - suffix)) {
        suffix++;
      }
      // The masked text's lines end at `\n` only (lone `\r` became `\n`), as tree-sitter's rows do.
      const beforeLines = new LineIndex(before);
      state.tree.edit(
        new Edit({
          startIndex: prefix,
          oldEndIndex: before.length - suffix,
          newEndIndex: masked.length - suffix,
          startPosition: pointAt(beforeLines, prefix),
          oldEndPosition: pointAt(beforeLines, before.length - suffix),
          newEndPosition: pointAt(new LineIndex(masked), masked.length - suffix)
        })
      );
      tree = parser.parse(masked, state.tree);
      this.work.reparsed++;
      state.tree.delete();
    } else {
      tree = parser.parse(masked);
      this.work.parsed++;
    }
    if (!tree) {
      throw new Error('tree-sitter returned no tree');
    }
    state.tree = tree;
    state.treeText = masked;
    return tree;
  }

  private releaseTree(state: CellState): void {
    if (!this.keepTrees && state.tree) {
      state.tree.delete();
      state.tree = null;
      state.treeText = '';
    }
  }

  /** The full copy of a cell's tree (fixes need every statement). */
  private rootOf(state: CellState): SyntaxNode {
    if (!state.root || state.partial) {
      state.root = liftMainGuards(buildSyntaxTree(this.treeOf(state), this.grammar, undefined, state.masked), state.masked);
      this.releaseTree(state);
      this.work.copied++;
      state.builtUnder = null;
      state.partial = false;
      state.skipped = [];
    }
    return state.root;
  }

  /** A copy that leaves out top-level statements irrelevant under `relevance`. */
  private filteredRootOf(state: CellState, relevance: Relevance): SyntaxNode {
    if (!state.root || (state.partial && !this.copyHolds(state, relevance))) {
      const skipped: SyntaxNode[] = [];
      const keep = statementFilter(state.masked, relevance);
      state.root = buildSyntaxTree(this.treeOf(state), this.grammar, (stmt, previous) => {
        const kept = keep(stmt, previous);
        if (!kept) {
          skipped.push(stmt);
        }
        return kept;
      }, state.masked);
      liftMainGuards(state.root, state.masked);
      this.releaseTree(state);
      this.work.copied++;
      state.builtUnder = relevance.key;
      state.partial = skipped.length > 0;
      state.skipped = skipped;
    }
    return state.root;
  }

  /**
   * Whether a copy that left statements out serves under `relevance` too: none of the left-out
   * statements mentions a name relevant now. The filter would then leave out the same
   * statements or fewer (a statement is kept for a relevant word or for a name bound by an
   * earlier kept one), and analysing a statement the filter would skip changes nothing, so the
   * copy, and a result computed from it while the bindings it read are unchanged, still hold.
   * An edit that changes which names are relevant therefore does not rebuild every later cell.
   */
  private copyHolds(state: CellState, relevance: Relevance): boolean {
    if (state.builtUnder === relevance.key) {
      return true;
    }
    const text = state.masked;
    for (const stmt of state.skipped) {
      if (relevance.test(text, stmt.start, stmt.end)) {
        return false;
      }
    }
    state.builtUnder = relevance.key;
    return true;
  }

  /** The environment before the first cell: one object, so that the first cell's entry is always the same. */
  private readonly emptyEnv: Env = new Map();

  /**
   * Brings every cell's cached result up to date. A cached result stays valid while the
   * cell's text and the entry bindings it read are unchanged; a cell that mentions no
   * relevant name at all is skipped without walking its tree.
   */
  private analyse(): void {
    let env: Env = this.emptyEnv;
    let relevance = relevanceOf(env, this.ruleSet);
    // One-shot: the facts the cells before noted (see `gate`).
    const known = this.gate && !this.exhaustive ? new Set<string>() : null;
    for (const state of this.cells) {
      if (!state) {
        continue;
      }
      // Unchanged text and the same entry environment: the cell is up to date (the usual
      // case for every cell but the edited one and those after a binding change).
      if (state.result !== null && state.envIn === env) {
        env = state.envOut!;
        relevance = state.relevanceOut!;
        if (known) {
          state.result.links.facts.forEach(f => known.add(f));
        }
        continue;
      }
      if (!this.resultValid(state, env, relevance)) {
        // Rules read the cell as written too (`ctx.text`): a shell line such as `!saved_model_cli show
        // --dir DIR` names nothing in the tree but is a fact about the program.
        if (!this.exhaustive && !relevance.test(state.masked) && (state.masked === state.source || !relevance.test(state.source))) {
          state.result = EMPTY_RESULT;
          state.skippedUnder = relevance.key;
        } else {
          const root = this.exhaustive ? this.rootOf(state) : this.filteredRootOf(state, relevance);
          state.result = analyseCell(root, state.source, env, this.ruleSet.rules, !this.exhaustive, known);
          this.work.analysed++;
          state.skippedUnder = null;
        }
        state.converted = null;
      }
      const result = state.result!;
      if (known) {
        result.links.facts.forEach(f => known.add(f));
      }
      if (state.envIn !== env || state.outKey !== result.effectsKey) {
        if (result.effects.length === 0) {
          state.envOut = env;
          state.relevanceOut = relevance;
        } else {
          state.envOut = applyEffects(env, result.effects);
          state.relevanceOut = relevanceOf(state.envOut, this.ruleSet);
        }
        state.envIn = env;
        state.outKey = result.effectsKey;
      }
      env = state.envOut!;
      relevance = state.relevanceOut!;
    }
  }

  private resultValid(state: CellState, env: Env, relevance: Relevance): boolean {
    if (!state.result) {
      return false;
    }
    if (state.skippedUnder !== null) {
      return state.skippedUnder === relevance.key;
    }
    // Statements left out under another relevance may matter now.
    if (state.partial && !this.copyHolds(state, relevance)) {
      return false;
    }
    for (const [name, key] of state.result.reads) {
      if (bindingKey(env.get(name)) !== key) {
        return false;
      }
    }
    return true;
  }

  findings(options: AnalyzeOptions = {}): Finding[] {
    const out: Finding[] = [];
    const { keep, jitOff } = this.prepareFilter(options);
    const key = this.filterKey;
    this.cells.forEach((state, cell) => {
      if (!state || !state.result || state.result.findings.length === 0) {
        return;
      }
      // Converted findings are cached per cell until its result, its position or the filter changes.
      if (!state.converted || state.convertedFor !== key || state.convertedCell !== cell || state.convertedFrom !== state.result) {
        state.converted = this.keptFindings(state, cell, keep, jitOff).map(raw => this.convert(cell, raw));
        state.convertedFor = key;
        state.convertedCell = cell;
        state.convertedFrom = state.result;
      }
      for (const f of state.converted) {
        out.push({ ...f, fix: f.fix });
      }
    });
    return out;
  }

  private filterKey = '';

  /** Raw findings after version, target, select/ignore and suppression filtering. */
  rawFindings(options: AnalyzeOptions = {}): CellFinding[] {
    const out: CellFinding[] = [];
    this.eachFinding(options, (cell, _state, kept) => {
      for (const raw of kept) {
        out.push({ cell, raw });
      }
    });
    return out;
  }

  private eachFinding(options: AnalyzeOptions, visit: (cell: number, state: CellState, kept: RawFinding[]) => void): void {
    const { keep, jitOff } = this.prepareFilter(options);
    this.cells.forEach((state, cell) => {
      if (!state || !state.result || state.result.findings.length === 0) {
        return;
      }
      const kept = this.keptFindings(state, cell, keep, jitOff);
      if (kept.length) {
        visit(cell, state, kept);
      }
    });
  }

  /** Brings results up to date and sets `filterKey` for these options. */
  private prepareFilter(options: AnalyzeOptions): { keep: (rule: RuleDefinition) => boolean; jitOff: boolean } {
    this.analyse();
    const keep = findingFilter(options);
    const jitOff = this.cells.some(c => c !== null && c.jitOff);
    this.modelCode = this.modelCodeFunctions();
    this.filterKey = JSON.stringify([options.kerasVersion ?? '', options.target ?? '', options.select ?? [], options.ignore ?? [], jitOff, this.modelCodeKey]);
    return { keep, jitOff };
  }

  /** `model:NAME` / `functional:NAME` conditions that hold in the notebook as it is now. */
  private modelCode = new Set<string>();
  /** Facts the rules noted (RuleContext.note): the first and last cell that noted each. */
  private facts = new Map<string, [number, number]>();
  private modelCodeKey = '';
  /** The cell results the sets were joined from: unchanged results, unchanged sets. */
  private modelCodeFrom: Array<CellResult | null> | null = null;

  /**
   * Joins every cell's model-code links: a notebook function is model code when model code
   * (or Keras, as a loss, Lambda function...) uses it, or when a model-code function calls it,
   * in any cell; likewise for functions that receive KerasTensors. The facts the rules noted
   * in any cell (a load of a path...) join the same set. Linear in the links.
   */
  private modelCodeFunctions(): Set<string> {
    const results = this.cells.map(c => c?.result ?? null);
    if (this.modelCodeFrom && results.length === this.modelCodeFrom.length && results.every((r, i) => r === this.modelCodeFrom![i])) {
      return this.modelCode;
    }
    this.modelCodeFrom = results;
    const calls = new Map<string, string[]>();
    const model: string[] = [];
    const eager: string[] = [];
    const functional: string[] = [];
    const facts = new Map<string, [number, number]>();
    for (let cell = 0; cell < this.cells.length; cell++) {
      const links = this.cells[cell]?.result?.links;
      if (!links) {
        continue;
      }
      for (const fact of links.facts) {
        const seen = facts.get(fact);
        if (seen) {
          seen[1] = cell;
        } else {
          facts.set(fact, [cell, cell]);
        }
      }
      model.push(...links.model);
      eager.push(...links.eager);
      functional.push(...links.functional);
      for (const [name, callees] of links.calls) {
        const list = calls.get(name);
        if (list) {
          list.push(...callees);
        } else {
          calls.set(name, callees.slice());
        }
      }
    }
    const reach = (roots: string[], prefix: string, out: Set<string>): void => {
      const queue = [...new Set(roots)];
      queue.forEach(n => out.add(prefix + n));
      while (queue.length) {
        for (const callee of calls.get(queue.pop()!) ?? []) {
          if (!out.has(prefix + callee)) {
            out.add(prefix + callee);
            queue.push(callee);
          }
        }
      }
    };
    const out = new Set<string>();
    reach(model, 'model:', out);
    reach(eager, 'eager:', out);
    reach(functional, 'functional:', out);
    // Facts noted as implications (`if:PREMISE=>CONCLUSION`, helpers/tf-op-claims.ts): a model passed
    // to a notebook function that calls it on data, in any cells. A premise may also be a
    // `model:NAME` / `functional:NAME` condition joined above (a function that gets KerasTensors
    // somewhere in the notebook). Joined until nothing changes.
    const implications = [...facts.keys()].filter(f => f.startsWith('if:'));
    for (let changed = implications.length > 0; changed; ) {
      changed = false;
      for (const fact of implications) {
        const [premise, conclusion] = fact.slice(3).split('=>');
        const b = facts.get(fact)!;
        const a = facts.get(premise) ?? (out.has(premise) ? b : undefined);
        if (a && !facts.has(conclusion)) {
          facts.set(conclusion, [Math.min(a[0], b[0]), Math.max(a[1], b[1])]);
          changed = true;
        }
      }
    }
    this.facts = facts;
    this.modelCodeKey = [...out].sort().join(',') + '|' + [...facts].map(([f, [a, b]]) => `${f}@${a}-${b}`).sort().join(',');
    return out;
  }

  /**
   * A finding's notebook-wide condition: `model:NAME` / `functional:NAME`, or a fact some cell
   * noted before (`earlier:FACT`) or after (`later:FACT`) the finding's cell, or in any cell
   * (`anywhere:FACT`); `!` negates, ` & ` joins conditions that must all hold and ` | ` (binding loosest) alternatives.
   */
  private holds(condition: string, cell: number): boolean {
    if (condition.includes(' | ')) {
      return condition.split(' | ').some(part => this.holds(part, cell));
    }
    if (condition.includes(' & ')) {
      return condition.split(' & ').every(part => this.holds(part, cell));
    }
    if (condition.startsWith('!')) {
      return !this.holds(condition.slice(1), cell);
    }
    if (condition.startsWith('anywhere:')) {
      return this.facts.has(condition.slice(9));
    }
    if (condition.startsWith('later:') || condition.startsWith('earlier:')) {
      const later = condition.startsWith('later:');
      const where = this.facts.get(condition.slice(later ? 6 : 8));
      return where !== undefined && (later ? where[1] > cell : where[0] < cell);
    }
    return this.modelCode.has(condition);
  }

  private keptFindings(state: CellState, cell: number, keep: (rule: RuleDefinition) => boolean, jitOff: boolean): RawFinding[] {
    return state.result!.findings.filter(
      raw => !(raw.unless === 'jit-off' && jitOff) && (raw.onlyIf === undefined || this.holds(raw.onlyIf, cell)) && keep(raw.rule) && !this.suppressed(state, raw)
    );
  }

  convert(cell: number, raw: RawFinding): Finding {
    const state = this.cells[cell]!;
    const lines = this.linesOf(state);
    const a = lines.position(raw.start);
    const b = lines.position(raw.end);
    return {
      cell,
      line: a.line,
      column: a.column,
      endLine: b.line,
      endColumn: b.column,
      rule: raw.rule.code,
      guide: raw.rule.slug,
      severity: raw.rule.severity,
      blocks: (raw.blocks ?? blocksOf(raw.rule)).filter(b => raw.blocksOnlyIf?.[b] === undefined || this.holds(raw.blocksOnlyIf[b]!, cell)),
      message: raw.message,
      fix: raw.fix
        ? { title: raw.fix.title, safe: raw.fix.safe, edits: raw.fix.edits.map(e => textEditFromOffsets(lines, e)) }
        : null
    };
  }

  private linesOf(state: CellState): LineIndex {
    if (!state.lines) {
      state.lines = new LineIndex(state.source);
    }
    return state.lines;
  }

  private suppressed(state: CellState, raw: RawFinding): boolean {
    if (state.suppressions === null) {
      state.suppressions = new Map();
      if (state.masked.includes('keras-migrate:')) {
        const lines = this.linesOf(state);
        for (const m of state.masked.matchAll(SUPPRESSION_COMMENT)) {
          const line = lines.position(m.index ?? 0).line;
          const names = m[1] === undefined ? 'all' : new Set(m[1].split(',').map(s => s.trim()).filter(Boolean));
          state.suppressions.set(line, names);
        }
      }
    }
    if (state.suppressions.size === 0) {
      return false;
    }
    const line = this.linesOf(state).position(raw.start).line;
    const names = state.suppressions.get(line);
    return names !== undefined && (names === 'all' || names.has(raw.rule.code) || names.has(raw.rule.slug));
  }

  /**
   * Where a notebook-wide fix puts its single `import keras` (or `import os`: `module`), or null
   * when the module is already imported before `use` (the first place a fix wrote `keras.`). An
   * import that comes later (a later cell, or further down the same cell or file) does not count:
   * the code would fail with a NameError before reaching it.
   */
  importPlacement(module: string, use: { cell: number; offset: number }): { cell: number; edit: OffsetEdit } | null {
    this.analyse();
    let firstCode = -1;
    let tfCell = -1;
    for (let i = 0; i <= use.cell && i < this.cells.length; i++) {
      const state = this.cells[i];
      if (!state) {
        continue;
      }
      if (state.result?.effects.some(([n, b]) => n === module && b?.kind === 'module' && b.canonical === module)) {
        if (i < use.cell || importedBefore(this.rootOf(state), state.source, use.offset, module)) {
          return null;
        }
      }
      // A cell holding only magics or a non-Python cell magic is no place for an import.
      if (firstCode < 0 && state.masked.trim() !== '') {
        firstCode = i;
      }
      if (tfCell < 0 && state.result?.effects.some(([, b]) => b?.kind === 'module' && /^tensorflow(\.|$)/.test(b.canonical))) {
        tfCell = i;
      }
    }
    const cell = tfCell >= 0 ? tfCell : firstCode;
    if (cell < 0) {
      return null;
    }
    const state = this.cells[cell]!;
    return { cell, edit: importInsertion(this.rootOf(state), state.source, module, cell === use.cell ? use.offset : undefined) };
  }

  /** Whether a cell parsed without syntax errors (used by tests and the fixer). */
  cellHasErrors(cell: number): boolean {
    const state = this.cells[cell];
    return state ? this.treeOf(state).rootNode.hasError : false;
  }

  dispose(): void {
    for (const state of this.cells) {
      state?.tree?.delete();
    }
    this.cells = [];
    this.parser = null;
  }
}

/** Whether a top-level statement that ends before `offset` binds `module` (`import keras`, `import os, keras`, `import os.path`). */
function importedBefore(root: SyntaxNode, text: string, offset: number, module: string): boolean {
  return root.children.some(
    stmt =>
      stmt.type === 'import_statement' &&
      stmt.end <= offset &&
      stmt.children.some(c => c.type === 'dotted_name' && (text.slice(c.start, c.end) === module || text.startsWith(module + '.', c.start)))
  );
}

const ruleBlocks = new WeakMap<RuleDefinition, Backend[]>();

/** The backends a rule's findings block: its own list, else its guide section's. */
function blocksOf(rule: RuleDefinition): Backend[] {
  let blocks = ruleBlocks.get(rule);
  if (!blocks) {
    blocks = [...(rule.blocks ?? (findSection(rule.slug)?.blocks ?? []))];
    ruleBlocks.set(rule, blocks);
  }
  return blocks;
}

function findingFilter(options: AnalyzeOptions): (rule: RuleDefinition) => boolean {
  const version = options.kerasVersion || NEWEST_KNOWN_KERAS;
  const target = options.target ?? 'multi-backend';
  const select = options.select && options.select.length ? options.select : null;
  const ignore = options.ignore ?? [];
  // A code, a code prefix (`KM13` = KM130-KM139, ruff style) or a guide slug.
  const matches = (names: readonly string[], rule: RuleDefinition): boolean =>
    names.some(n => n === rule.slug || (/^KM\d+$/.test(n) && rule.code.startsWith(n)));
  const memo = new Map<RuleDefinition, boolean>();
  return rule => {
    let ok = memo.get(rule);
    if (ok === undefined) {
      ok =
        sectionApplies(rule.slug, version) &&
        (!rule.kerasVersions || versionInRanges(version, rule.kerasVersions)) &&
        // Targeting TensorFlow only: findings about other backends (a multi-backend section, or a
        // rule that blocks only JAX or PyTorch) are not the user's problem.
        !(target === 'tensorflow' && (isMultiBackendOnly(rule.slug) || (rule.blocks !== undefined && rule.blocks.length > 0 && !rule.blocks.includes('tensorflow')))) &&
        (!select || matches(select, rule)) &&
        !matches(ignore, rule);
      memo.set(rule, ok);
    }
    return ok;
  };
}
