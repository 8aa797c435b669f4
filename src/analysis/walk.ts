/**
 * Runs every rule over one cell in a single pre-order walk. The walk keeps the scopes
 * current (scope.ts), so a rule sees exactly the bindings in force at the node it looks at;
 * Keras type questions go to keras-types.ts. Module-level binding changes are recorded as the
 * cell's "effects": the next cell starts from the previous cell's environment plus them.
 */
import type { SyntaxNode } from './ast';
import { child } from './ast';
import { callParts, constructorArgumentLinks, eagerMethodOf, inModelCode, instanceCallLink, modelFunctionArguments, moduleInstanceCallLink, plainClassMethod } from './rule-helpers';
import { PYTHON_BUILTINS } from './knowledge';
import { importInsertion, kerasImportInsertion } from './keras-import';
import { calleeName } from './rule-helpers';
import { KerasTypes } from './keras-types';
import { fitEditsToStrings, mayHaveFString } from './interpolation';
import type { CellMemoKey, ClassScope, FunctionScope, OffsetEdit, RawFinding, RawFix, RuleContext, RuleDefinition, Visitor } from './rule';
import type { Backend } from './types';
import { Binding, bindingKey, Env, KerasKind, Scopes } from './scope';

export interface CellResult {
  findings: RawFinding[];
  /** The entry-environment bindings the result depends on, as [name, bindingKey]. */
  reads: Array<[string, string]>;
  /** Module-level binding changes in source order; null removes a binding. */
  effects: Array<[string, Binding | null]>;
  effectsKey: string;
  /** Model-code links of this cell (see ModelCodeLinks); the notebook joins every cell's. */
  links: ModelCodeLinks;
}

/**
 * Which notebook functions run as model code, as far as one cell tells: names handed to Keras
 * as model code or called from model code (`model`), names called with KerasTensors
 * (`functional`), and the names each notebook-level function calls (`calls`), so that helpers
 * of helpers, in any cell, are followed.
 */
export interface ModelCodeLinks {
  model: string[];
  /** Roots of model code that runs eagerly (`.generate_images`, a Keras model's own method run from a callback). */
  eager: string[];
  functional: string[];
  calls: Array<[string, string[]]>;
  /** Facts the rules noted (`RuleContext.note`): conditions of findings in any cell. */
  facts: string[];
}

type Handlers = Array<[RuleDefinition, Visitor]>;

/** A rule's declared call interest (RuleDefinition.calls) in the form the walk tests. */
interface CallFilter {
  resolved: readonly string[];
  names: ReadonlySet<string> | null;
}

/** Bound on the remembered (canonical name, last name) pairs of calls per rule list. */
const MAX_CALL_SELECTIONS = 4096;

function wants(filter: CallFilter, name: string, canonical: string | null): boolean {
  if (filter.names !== null && filter.names.has(name)) {
    return true;
  }
  return canonical !== null && filter.resolved.some(prefix => canonical.startsWith(prefix));
}

/** The handlers, in order, that a call with this callee runs (a call without a callee runs only unfiltered ones). */
function selectCallHandlers(handlers: Handlers, filters: Array<CallFilter | null>, hasCallee: boolean, name: string, canonical: string | null): Handlers {
  return handlers.filter((_, i) => {
    const filter = filters[i];
    return filter === null || (hasCallee && wants(filter, name, canonical));
  });
}

/** The rule's call interest for `call` nodes, its attribute interest for `attribute` nodes. */
function callFilterOf(rule: RuleDefinition, type: string): CallFilter | null {
  const calls = type === 'call' ? rule.calls : rule.attributes;
  if (!calls) {
    return null;
  }
  return { resolved: calls.resolved ?? [], names: calls.names ? new Set(calls.names) : null };
}

/** Everything the walk does for one node type, found with a single map lookup per node. */
interface NodePlan {
  /** Scope to open on entering: a class, a function or lambda, or none. */
  scope: 'class' | 'function' | null;
  enter: Handlers | null;
  /** For `call` and `attribute` nodes: each enter handler's filter (null: every node), when any has one. */
  callFilters: Array<CallFilter | null> | null;
  /**
   * The handlers a call runs, by its callee's canonical name ('' for none) and then its last
   * name: two lookups of strings the walk already has, no key built per call.
   */
  callSelections: Map<string, Map<string, Handlers>> | null;
  /** Entries in callSelections (bounded by MAX_CALL_SELECTIONS). */
  callSelectionCount: number;
  exit: Handlers | null;
  /** Whether leaving the node needs a visit (rule exit handlers or scope bookkeeping). */
  visitOnExit: boolean;
}

interface Dispatch {
  enter: Map<string, Handlers>;
  exit: Map<string, Handlers>;
  plans: Map<string, NodePlan>;
  /** Whether `call` and `attribute` handlers are filtered by their rules' interest (`calls`, `attributes`). */
  callFilters: boolean;
}

/** Dispatch tables per rule list: with the rules' call filters, and without (exhaustive). */
const dispatchCache = new WeakMap<readonly RuleDefinition[], Dispatch>();
const unfilteredDispatchCache = new WeakMap<readonly RuleDefinition[], Dispatch>();

function dispatchFor(rules: readonly RuleDefinition[], callFilters: boolean): Dispatch {
  const cache = callFilters ? dispatchCache : unfilteredDispatchCache;
  let d = cache.get(rules);
  if (!d) {
    d = { enter: new Map(), exit: new Map(), plans: new Map(), callFilters };
    for (const rule of rules) {
      for (const [key, visitor] of Object.entries(rule.visitors)) {
        const exit = key.endsWith(':exit');
        const type = exit ? key.slice(0, -5) : key;
        const table = exit ? d.exit : d.enter;
        const list = table.get(type) ?? [];
        list.push([rule, visitor]);
        table.set(type, list);
      }
    }
    cache.set(rules, d);
  }
  return d;
}

/** List and dict methods that put a value into the container. */
const FILLS = new Set(['append', 'insert', 'extend', 'setdefault']);

const FUNCTION_LIKE = new Set(['function_definition', 'lambda']);

/** Node types the walker itself acts on when leaving them (scopes and bindings). */
const SCOPE_EXIT_TYPES = new Set([
  'class_definition',
  'function_definition',
  'lambda',
  'return_statement',
  'import_statement',
  'import_from_statement',
  'assignment',
  'for_statement',
  'for_in_clause',
  'as_pattern'
]);

function planFor(dispatch: Dispatch, type: string): NodePlan {
  let plan = dispatch.plans.get(type);
  if (plan === undefined) {
    const exit = dispatch.exit.get(type) ?? null;
    const enter = dispatch.enter.get(type) ?? null;
    const filters = (type === 'call' || type === 'attribute') && enter !== null && dispatch.callFilters ? enter.map(([rule]) => callFilterOf(rule, type)) : null;
    plan = {
      scope: type === 'class_definition' ? 'class' : FUNCTION_LIKE.has(type) ? 'function' : null,
      enter,
      callFilters: filters !== null && filters.some(f => f !== null) ? filters : null,
      callSelections: filters !== null && filters.some(f => f !== null) ? new Map() : null,
      callSelectionCount: 0,
      exit,
      visitOnExit: exit !== null || SCOPE_EXIT_TYPES.has(type)
    };
    dispatch.plans.set(type, plan);
  }
  return plan;
}

/** The RuleContext of one cell: walks the tree, dispatches to rules, collects findings. */
class CellWalker implements RuleContext {
  readonly findings: RawFinding[] = [];
  readonly scopes: Scopes;
  private readonly types: KerasTypes;
  private kerasImport: OffsetEdit | null | undefined;
  private readonly seen = new Set<string>();
  private currentRule: RuleDefinition | null = null;
  /** Whether the cell may have an f-string (fixes are fitted to interpolations then); found on the first fix. */
  private fStrings: boolean | undefined = undefined;
  private readonly bindingOf = (value: SyntaxNode): Binding | null => this.types.bindingOf(value);
  readonly modelUses = new Set<string>();
  /** Own eager methods of Keras classes (`.generate_images`): roots of ModelCodeLinks.eager. */
  readonly eagerUses = new Set<string>();
  readonly functionalUses = new Set<string>();
  readonly calls = new Map<string, Set<string>>();
  readonly facts = new Set<string>();

  constructor(
    readonly text: string,
    private readonly root: SyntaxNode,
    envIn: Env,
    /** Facts earlier cells noted (one-shot analyses only, see `noted`), or null. */
    private readonly known: ReadonlySet<string> | null = null,
    later: Env | null = null
  ) {
    this.scopes = new Scopes(text, envIn, later);
    this.types = new KerasTypes(this.scopes);
  }

  /** Records that `from` (a function, a method link) calls `names`. */
  private addCalls(from: string, names: string[]): void {
    let set = this.calls.get(from);
    if (!set) {
      set = new Set();
      this.calls.set(from, set);
    }
    names.forEach(n => set!.add(n));
  }

  get fn(): FunctionScope | null {
    return this.scopes.fn;
  }

  get cls(): ClassScope | null {
    return this.scopes.cls;
  }

  textOf(node: SyntaxNode): string {
    return this.text.slice(node.start, node.end);
  }

  lookup(name: string): Binding | undefined {
    return this.scopes.lookup(name);
  }

  resolve(node: SyntaxNode): string | null {
    return this.scopes.resolve(node);
  }

  resolveKeras(node: SyntaxNode): string | null {
    return this.types.resolveKeras(node);
  }

  outerFunction(fn: FunctionScope): FunctionScope | null {
    return this.scopes.outerFunction(fn);
  }

  inTfFunction(): boolean {
    return this.scopes.inTfFunction();
  }

  kerasKindOfClass(node: SyntaxNode): KerasKind | null {
    return this.types.kerasKindOfClass(node);
  }

  isSymbolic(node: SyntaxNode): boolean {
    return this.types.isSymbolic(node);
  }

  needsNoGrad(node: SyntaxNode): boolean {
    return this.types.needsNoGrad(node);
  }

  isLayerInstance(node: SyntaxNode): boolean {
    return this.types.isLayerInstance(node);
  }

  report(
    range: SyntaxNode | { start: number; end: number },
    message: string,
    fix: RawFix | null = null,
    unless?: 'jit-off',
    onlyIf?: string,
    blocks?: Backend[],
    blocksOnlyIf?: Partial<Record<Backend, string>>
  ): void {
    const rule = this.currentRule!;
    // A finding may come in variants under exclusive notebook-wide conditions: one per condition.
    const key = rule.code + ':' + range.start + ':' + range.end + (onlyIf === undefined ? '' : ':' + onlyIf);
    if (this.seen.has(key)) {
      return;
    }
    this.seen.add(key);
    if (fix !== null && fix.edits.length !== 0 && (this.fStrings ??= mayHaveFString(this.text))) {
      // A fix inside an f-string's braces must fit there (interpolation.ts), or it is no fix.
      const edits = fitEditsToStrings(this.root, this.text, fix.edits);
      fix = edits === null ? null : edits === fix.edits ? fix : { ...fix, edits };
    }
    const finding: RawFinding = { rule, start: range.start, end: range.end, message, fix, unless };
    if (onlyIf !== undefined) {
      finding.onlyIf = onlyIf;
    }
    if (blocks !== undefined) {
      finding.blocks = blocks;
    }
    if (blocksOnlyIf !== undefined) {
      finding.blocksOnlyIf = blocksOnlyIf;
    }
    this.findings.push(finding);
  }

  note(fact: string): void {
    this.facts.add(fact);
  }

  noted(fact: string): boolean {
    return this.facts.has(fact) || (this.known !== null && this.known.has(fact));
  }

  notebookFunction(): FunctionScope | null {
    return this.scopes.innermostPlainFunction();
  }

  functionBinding(name: string): FunctionScope | null {
    return this.scopes.functionBinding(name);
  }

  /**
   * Records what a call tells about model code: functions it hands to Keras (Lambda, losses,
   * activations, regularizers...), the names model code and notebook functions call, and
   * notebook functions applied to KerasTensors. Constant work per call.
   */
  private noteCall(node: SyntaxNode): void {
    const parts = callParts(node, this);
    if (!parts) {
      return;
    }
    for (const name of modelFunctionArguments(parts, this)) {
      this.modelUses.add(name);
    }
    // An initializer runs once, eagerly, where the variable is made: an eager root.
    for (const name of modelFunctionArguments(parts, this, 'initializers')) {
      this.eagerUses.add(name);
    }
    // `inputs.append(keras.Input(...))`: the list now holds KerasTensors.
    if (parts.fn.type === 'attribute' && parts.positional.length) {
      const method = child(parts.fn, 'attribute');
      const object = child(parts.fn, 'object');
      if (method && object && object.type === 'identifier' && FILLS.has(this.textOf(method)) && parts.positional.some(a => this.types.isSymbolic(a))) {
        this.scopes.bindContainerOfSymbolic(this.textOf(object));
      }
    }
    // `Denoiser(penalty=EdgePenalty())`: what Denoiser keeps of `penalty` and calls is that object.
    for (const [from, to] of constructorArgumentLinks(parts, this)) {
      this.addCalls(from, [to]);
    }
    const callee = parts.fn.type === 'identifier' ? this.textOf(parts.fn) : null;
    const names: string[] = callee ? [callee] : [];
    // `roughness(y_pred)` on a module-level `roughness = Roughness()`: that class's `__call__`.
    const moduleInstance = callee && this.scopes.fn ? moduleInstanceCallLink(parts.fn, this) : null;
    if (moduleInstance) {
      names.push(moduleInstance);
    }
    // Functions passed along (`tf.map_fn(helper, x)`, `keras.ops.vectorized_map(helper, x)`).
    for (const arg of parts.positional) {
      if (arg.type === 'identifier') {
        names.push(this.textOf(arg));
      }
    }
    // `self.gdf_util.q_sample(x)` / `self.helper(x)` on a local object (not a module function such as
    // `tf.concat`): links to `.q_sample`, the methods of that name of plain (non-Keras) classes.
    // A Keras class's own `self.NAME(...)` calls are not links: its methods are model code already.
    if (parts.fn.type === 'attribute' && this.resolve(parts.fn) === null) {
      const method = child(parts.fn, 'attribute');
      const object = child(parts.fn, 'object');
      const selfCall = object?.type === 'identifier' && this.textOf(object) === 'self';
      if (method && object && !/^__\w+__$/.test(this.textOf(method)) && (!selfCall || plainClassMethod(this) !== null)) {
        names.push('.' + this.textOf(method));
      }
      // `self.spatial_loss(a, b)` on an instance of a plain class the class made: its `__call__`.
      const instance = instanceCallLink(parts.fn, this);
      if (instance) {
        names.push(instance);
      }
    }
    if (names.length && this.scopes.fn) {
      // An own eager method (`generate_images` run from a callback) is an eager root, and its
      // callees are model code only where model code calls it (`.generate_images`).
      const eager = inModelCode(node, this) ? eagerMethodOf(node, this) : null;
      if (eager) {
        this.eagerUses.add('.' + eager);
      }
      if (inModelCode(node, this) && !eager) {
        names.forEach(n => this.modelUses.add(n));
      } else {
        const outer = this.notebookFunction();
        const from = eager ? '.' + eager : outer ? outer.name : plainClassMethod(this);
        if (from) {
          this.addCalls(from, names);
        }
      }
    }
    if (callee && !PYTHON_BUILTINS.has(callee)) {
      const binding = this.scopes.lookup(callee);
      if ((binding === undefined || binding.kind === 'factory') && parts.positional.concat([...parts.keywords.values()].map(k => k.value)).some(a => this.types.isSymbolic(a))) {
        this.functionalUses.add(callee);
      }
    }
  }

  /** cellMemo's answers; made on first use (most cells need none). */
  private memos: Map<CellMemoKey<unknown>, unknown> | null = null;

  cellMemo<T>(key: CellMemoKey<T>, make: () => T): T {
    if (this.memos === null) {
      this.memos = new Map();
    } else if (this.memos.has(key)) {
      return this.memos.get(key) as T;
    }
    const value = make();
    this.memos.set(key, value);
    return value;
  }

  kerasImportEdit(): OffsetEdit | null {
    const bound = this.scopes.lookup('keras');
    // Bound further down only (an import below the class or function using it, which may run first): an import at the top too.
    if (bound && bound.kind === 'module' && (bound.canonical === 'keras' || bound.canonical === 'tensorflow.keras') && !this.scopes.boundOnlyBelow('keras')) {
      return null;
    }
    if (this.kerasImport === undefined) {
      this.kerasImport = kerasImportInsertion(this.root, this.text);
    }
    return this.kerasImport;
  }

  importEdit(module: string): OffsetEdit | null {
    if (module === 'keras') {
      return this.kerasImportEdit();
    }
    const bound = this.scopes.lookup(module);
    return bound && bound.kind === 'module' && bound.canonical === module && !this.scopes.boundOnlyBelow(module) ? null : importInsertion(this.root, this.text, module);
  }

  run(rules: readonly RuleDefinition[], callFilters: boolean): void {
    const dispatch = dispatchFor(rules, callFilters);
    // Explicit stack: deeply nested expressions must not overflow the call stack. A null
    // entry means "leave the node on top of `exits`"; only nodes that do something on
    // leaving get one.
    const stack: Array<SyntaxNode | null> = [this.root];
    const exits: SyntaxNode[] = [];
    const exitPlans: NodePlan[] = [];
    while (stack.length) {
      const node = stack.pop();
      if (node === null) {
        this.exitNode(exits.pop()!, exitPlans.pop()!);
        continue;
      }
      const plan = dispatch.plans.get(node!.type) ?? planFor(dispatch, node!.type);
      if (plan.scope === 'class') {
        const kind = this.types.classKind(node!);
        this.scopes.openClass(node!, kind, kind === 'layer' && this.types.isWeightlessLayerClass(node!));
      } else if (plan.scope === 'function') {
        this.scopes.openFunction(node!);
      }
      if (plan.callFilters !== null) {
        this.runCallHandlers(plan, node!);
      } else if (plan.enter !== null) {
        this.runHandlers(plan.enter, node!);
      }
      if (node!.type === 'call') {
        this.noteCall(node!);
      }
      if (plan.visitOnExit) {
        stack.push(null);
        exits.push(node!);
        exitPlans.push(plan);
      }
      const kids = node!.children;
      for (let i = kids.length - 1; i >= 0; i--) {
        stack.push(kids[i]);
      }
    }
  }

  private exitNode(node: SyntaxNode, plan: NodePlan): void {
    if (plan.exit !== null) {
      this.runHandlers(plan.exit, node);
    }
    const scopes = this.scopes;
    switch (node.type) {
      case 'class_definition':
        scopes.closeClass();
        break;
      case 'function_definition':
      case 'lambda':
        scopes.closeFunction(node);
        break;
      case 'return_statement': {
        const value = node.children[0];
        if (scopes.fn && value && this.types.isLayerInstance(value)) {
          const binding = value.type === 'identifier' ? scopes.lookup(scopes.textOf(value)) : undefined;
          const weightless = binding?.kind === 'layer' && binding.weightless === true;
          scopes.fn.returnsWeightlessLayer = weightless && (!scopes.fn.returnsLayer || scopes.fn.returnsWeightlessLayer === true);
          scopes.fn.returnsLayer = true;
        } else if (scopes.fn && value && this.types.isSymbolic(value)) {
          scopes.fn.returnsSymbolic = true;
        }
        break;
      }
      case 'import_statement':
        scopes.bindImport(node);
        break;
      case 'import_from_statement':
        scopes.bindImportFrom(node);
        break;
      case 'assignment':
        scopes.bindAssignment(node, this.bindingOf);
        break;
      case 'for_statement':
      case 'for_in_clause': {
        const left = child(node, 'left');
        if (left) {
          scopes.unbindTargets(left);
        }
        break;
      }
      case 'as_pattern': {
        const alias = child(node, 'alias');
        if (alias) {
          scopes.unbindTargets(alias);
        }
        break;
      }
    }
  }

  /**
   * The `call` handlers whose rules' call interest matches the callee, in rule order (as
   * unfiltered handlers run). The callee's last name and what it resolves to are found once per
   * call; which handlers that pair selects is worked out once per pair and remembered.
   */
  /** A call's handlers by its callee (calleeName, resolve), an attribute node's by its attribute name and its own resolution. */
  private runCallHandlers(plan: NodePlan, node: SyntaxNode): void {
    const fn = node.type === 'attribute' ? node : child(node, 'function');
    let name = '';
    let canonical: string | null = null;
    if (fn !== null) {
      name = calleeName(fn, this);
      canonical = this.scopes.resolve(fn);
    }
    // A call without a callee files under canonical '' and a name no callee has.
    const name2 = fn === null ? ' ' : name;
    const selections = plan.callSelections!;
    let byName = selections.get(canonical ?? '');
    let handlers = byName?.get(name2);
    if (handlers === undefined) {
      handlers = selectCallHandlers(plan.enter!, plan.callFilters!, fn !== null, name, canonical);
      if (plan.callSelectionCount >= MAX_CALL_SELECTIONS) {
        selections.clear();
        plan.callSelectionCount = 0;
        byName = undefined;
      }
      if (byName === undefined) {
        byName = new Map();
        selections.set(canonical ?? '', byName);
      }
      byName.set(name2, handlers);
      plan.callSelectionCount++;
    }
    if (handlers.length !== 0) {
      this.runHandlers(handlers, node);
    }
  }

  private runHandlers(handlers: Handlers, node: SyntaxNode): void {
    for (let i = 0; i < handlers.length; i++) {
      const entry = handlers[i];
      this.currentRule = entry[0];
      entry[1](node, this);
    }
    this.currentRule = null;
  }
}

/**
 * `callFilters` false runs every `call` handler on every call, whatever the rules declare in
 * `calls` (the exhaustive analysis, which tests compare with the usual one). `known`: the facts
 * earlier cells noted, when the result is used only while those cells' results stay as they are
 * (a one-shot analysis): rules may then skip noting what already holds (RuleContext.noted).
 */
export function analyseCell(
  root: SyntaxNode,
  text: string,
  envIn: Env,
  rules: readonly RuleDefinition[],
  callFilters = true,
  known: ReadonlySet<string> | null = null
): CellResult {
  let walker = new CellWalker(text, root, envIn, known);
  walker.run(rules, callFilters);
  // A function body read a name the cell binds only further down: walk again with those
  // bindings (what the body sees when it runs). One more walk, only for such cells.
  const later = walker.scopes.laterBindings();
  if (later.size !== 0) {
    walker = new CellWalker(text, root, envIn, known, later);
    walker.run(rules, callFilters);
  }
  const scopes = walker.scopes;
  const effectsKey = scopes.effects.map(([n, b]) => n + '=' + bindingKey(b ?? undefined)).join(';');
  const reads: Array<[string, string]> = [...scopes.reads].map(n => [n, bindingKey(envIn.get(n))]);
  const links: ModelCodeLinks = {
    model: [...walker.modelUses],
    eager: [...walker.eagerUses],
    functional: [...walker.functionalUses],
    calls: [...walker.calls].map(([name, callees]) => [name, [...callees]]),
    facts: [...walker.facts]
  };
  return { findings: walker.findings, reads, effects: scopes.effects, effectsKey, links };
}
