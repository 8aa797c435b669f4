/**
 * The shape every rule module exports. A rule never carries the catalog's prose
 * (explanation, fix advice): those are looked up by `slug` in src/catalog/sections.json.
 */
import type { SyntaxNode } from './ast';
import type { Backend, Severity } from './types';
import type { Binding, KerasKind } from './scope';

export type FixAvailability = 'always' | 'sometimes' | 'never';

export interface RuleDocs {
  /** One or two sentences: what the rule looks for. */
  whatItDoes: string;
  /** Why it breaks under Keras 3, in our own words, naming the guide section. */
  why: string;
  /** Python code that triggers the rule. */
  example: string;
  /** The same code written for Keras 3. */
  useInstead: string;
}

/** An edit in offsets of the cell text (converted to line/column on output). */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
  /** Set on the edit that inserts `import keras` (or `import os`: the module); notebook-wide fixing places each module's once. */
  addsImport?: string;
}

export interface RawFix {
  title: string;
  safe: boolean;
  edits: OffsetEdit[];
}

export interface RawFinding {
  rule: RuleDefinition;
  start: number;
  end: number;
  message: string;
  fix: RawFix | null;
  /**
   * Notebook-wide condition under which the finding holds; checked when findings are
   * listed so that a cell's result stays cacheable. 'jit-on': no `jit_compile=False` anywhere.
   */
  unless?: 'jit-off';
  /**
   * The finding holds only if the notebook function it sits in turns out to be model code
   * (`model:NAME`: called from a layer, used as a loss, Lambda function, ...) or to receive
   * KerasTensors (`functional:NAME`), which later cells may decide, or when a cell before
   * (`earlier:FACT`) or after (`later:FACT`) the finding's cell, or any cell (`anywhere:FACT`), noted a fact
   * (`RuleContext.note`); a leading `!` negates, ` & ` joins conditions that must all hold and ` | ` (loosest) alternatives. Checked when listing.
   */
  onlyIf?: string;
  /**
   * The backends this finding's code fails on, when the rule's static `blocks` list is too
   * coarse for it (a `.numpy()` fails on PyTorch only on a tensor that requires grad).
   */
  blocks?: Backend[];
  /**
   * Per backend, a notebook-wide condition (as `onlyIf`) under which the claim on that backend
   * holds: a TF op on a layer's inputs fails on PyTorch only if a layer with weights comes
   * before it somewhere the notebook uses that layer. Backends without an entry hold always.
   */
  blocksOnlyIf?: Partial<Record<Backend, string>>;
}

export interface FunctionScope {
  name: string;
  node: SyntaxNode;
  /** The enclosing class when this is a method. */
  classScope: ClassScope | null;
  /** Canonical names of the decorators (`tensorflow.function`, ...); raw text when unresolved. */
  decorators: string[];
  locals: Map<string, Binding | null>;
  /** Names the function declares `global`: its bindings of them are the module's, its reads read the module's. */
  globals: ReadonlySet<string>;
  /** Set when a `return` hands back a Keras layer or model (the function is a layer factory). */
  returnsLayer: boolean;
  /**
   * Set when a `return` hands back KerasTensors it did not receive (`inputs[name] = keras.Input(...)`
   * then `return inputs`): the function makes Functional-model inputs.
   */
  returnsSymbolic?: boolean;
  /** Set when every layer a `return` hands back is a built-in layer without weights (a TextVectorization factory). */
  returnsWeightlessLayer?: boolean;
}

export interface ClassScope {
  name: string;
  node: SyntaxNode;
  /** Set when the class derives (directly or not) from a Keras Layer/Model/Metric/Loss/... */
  keras: KerasKind | null;
  /** Set for a direct `Layer` subclass without weights or sub-layers (KerasTypes.isWeightlessLayerClass). */
  weightless?: boolean;
}

export interface RuleContext {
  readonly text: string;
  /** Canonical dotted name of a dotted expression, or null. */
  resolve(node: SyntaxNode): string | null;
  /** Like resolve() but with `tensorflow.keras` folded into `keras` (null for non-Keras names). */
  resolveKeras(node: SyntaxNode): string | null;
  lookup(name: string): Binding | undefined;
  /** Whether an expression is (probably) a Keras layer or model instance. */
  isLayerInstance(node: SyntaxNode): boolean;
  /** 'layer' / 'model' when a class expression denotes a Keras layer/model class. */
  kerasKindOfClass(node: SyntaxNode): KerasKind | null;
  /** Whether an expression evaluates to a symbolic Functional-API tensor. */
  isSymbolic(node: SyntaxNode): boolean;
  /** Whether a KerasTensor expression is a model input or comes from one through weightless layers only (needs no grad). */
  needsNoGrad(node: SyntaxNode): boolean;
  /** Innermost enclosing function (method, nested function) or null at module/class level. */
  readonly fn: FunctionScope | null;
  /** Innermost enclosing class. */
  readonly cls: ClassScope | null;
  /** The function enclosing `fn`, or null. */
  outerFunction(fn: FunctionScope): FunctionScope | null;
  /** True inside a function decorated with @tf.function (at any nesting level). */
  inTfFunction(): boolean;
  textOf(node: SyntaxNode): string;
  report(
    node: SyntaxNode | { start: number; end: number },
    message: string,
    fix?: RawFix | null,
    unless?: 'jit-off',
    onlyIf?: string,
    blocks?: Backend[],
    blocksOnlyIf?: Partial<Record<Backend, string>>
  ): void;
  /**
   * Records a fact about this cell that findings in any cell may depend on (`onlyIf: FACT` or
   * `!FACT`): `path:load-model:s:my_model` says this cell loads that path with `load_model`.
   */
  note(fact: string): void;
  /**
   * Whether FACT is already known to hold in the notebook: this cell's walk noted it, or, in a
   * one-shot analysis (every cell analysed once, in order: the CLI's check), an earlier cell did.
   * For skipping work whose only use is to note FACT (or facts that only lead to it) once it
   * holds, as `anywhere:FACT` conditions read it; not for facts read by `earlier:`/`later:`,
   * where which cells note them matters. False is no answer: the fact may still hold elsewhere.
   */
  noted(fact: string): boolean;
  /** The innermost of the plain `def`s nested from module level down that the code is in (not in a method or lambda of them), else null. */
  notebookFunction(): FunctionScope | null;
  /** The enclosing function whose local `name` is (a closure's free name read in a nested function or a class's method), or null for a module name. */
  functionBinding(name: string): FunctionScope | null;
  /**
   * The edit that adds `import keras` to this cell, or null when `keras` is already
   * imported (in this cell or an earlier one). Fixes that introduce `keras.` append it.
   */
  kerasImportEdit(): OffsetEdit | null;
  /**
   * What `make` returns, computed once per analysis of the cell and kept for that analysis
   * only: helpers' per-cell answers (the cell's path assignments, its TF op rewrites). Cheaper
   * than a module-level WeakMap keyed by the context, which every cell adds an entry to.
   */
  cellMemo<T>(key: CellMemoKey<T>, make: () => T): T;
  /**
   * The edit that adds `import MODULE` (a top-level standard module such as `os`) to this cell,
   * or null when the name is bound to that module here. Fixes that introduce `os.` append it;
   * notebook-wide fixing places one per notebook, before its first use.
   */
  importEdit(module: string): OffsetEdit | null;
}

/** A key of RuleContext.cellMemo: one module-level object per kind of answer, typed by what it holds. */
export class CellMemoKey<T> {
  /** Never set: it only carries T. */
  declare readonly held?: T;
  constructor(readonly name: string) {}
}

/** The answer for `node` kept in the cell's memo under `key`, computed by `make` the first time it is asked. */
export function nodeMemo<T>(ctx: RuleContext, key: CellMemoKey<Map<SyntaxNode, T>>, node: SyntaxNode, make: () => T): T {
  const memo = ctx.cellMemo(key, () => new Map<SyntaxNode, T>());
  if (memo.has(node)) {
    return memo.get(node)!;
  }
  const value = make();
  memo.set(node, value);
  return value;
}

export type Visitor = (node: SyntaxNode, ctx: RuleContext) => void;

export interface RuleDefinition {
  /** Stable forever: never renumber or reuse. */
  code: string;
  /** kebab-case readable name. */
  name: string;
  /** Guide slug (src/catalog/sections.json). */
  slug: string;
  severity: Severity;
  /** Backends on which the flagged code fails; defaults to the catalog section's list. */
  blocks?: Backend[];
  fixAvailability: FixAvailability;
  /**
   * The Keras versions whose behaviour this rule describes, when narrower than its guide
   * section's (a change made by one Keras release): from <= v < until.
   */
  kerasVersions?: ReadonlyArray<{ from: string; until?: string }>;
  /**
   * Words that make a cell relevant to this rule whatever is bound in it: the method,
   * attribute or argument names the rule looks for on receivers it cannot resolve
   * (`fit_generator`, `reset_states`). Names bound to Keras/TensorFlow modules, classes,
   * layers and KerasTensors make a cell relevant by themselves and need no listing. The
   * relevance filter is built from these declarations: a word missing here is a finding
   * the filter drops (the rule tests compare the filtered and the exhaustive analysis).
   */
  triggers: readonly string[];
  docs: RuleDocs;
  /** Node type -> handler; `type:exit` runs after the node's children. */
  visitors: Record<string, Visitor>;
  /**
   * The calls the `call` visitor needs to see, when not every call: calls whose callee
   * resolves (`ctx.resolve`) to a dotted name starting with one of `resolved` (`'tensorflow.'`;
   * `'keras'` and `'tensorflow.'` cover every name `ctx.resolveKeras` answers for), or whose
   * callee's last name (`fit` in `model.fit(...)`, `Dense` in `layers.Dense(...)`, as
   * `calleeName` gives it) is one of `names`. The walk asks once per call and skips the visitor
   * for the others (and for calls without a callee). Leave it out to see every call.
   */
  calls?: CallInterest;
  /**
   * The `attribute` nodes the `attribute` visitor needs to see, when not every one: those that
   * resolve (`ctx.resolve`) to a dotted name starting with one of `resolved` (`''`: to any name),
   * or whose attribute name (`name` in `x.dtype.name`) is one of `names`. As with `calls`, the
   * walk asks once per node and skips the visitor for the others; exit visitors see every node.
   */
  attributes?: CallInterest;
  /**
   * Names of which the notebook's text (every cell) must mention at least one, as a word (as the
   * relevance test finds words), for the rule to do anything at all: report a finding or note a
   * fact. One-shot analyses (the CLI's check) skip the rule on a notebook that mentions none.
   * Sound only when every finding and every noted fact of the rule needs one of the names
   * literally in the source: the name it looks for in an import, an attribute or a call's
   * callee is, whatever it is bound to. Leave it out when a finding can come without one (a
   * name reached through Keras types, a table of names too large to list). The rule tests and
   * the gating test compare gated and ungated analyses, so a wrong name shows up there.
   */
  requires?: readonly string[];
}

export interface CallInterest {
  resolved?: readonly string[];
  names?: readonly string[];
}
