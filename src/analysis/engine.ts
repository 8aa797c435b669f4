/**
 * Runs every rule over one cell in a single pre-order walk. The walk keeps the scope
 * model current (imports, aliases, classes, symbolic tensors), so a rule sees exactly the
 * bindings in force at the node it looks at. Module-level binding changes are recorded as
 * the cell's "effects": the next cell starts from the previous cell's environment plus them.
 */
import { child, containerDepth, SyntaxNode } from './ast';
import type { ClassScope, FunctionScope, OffsetEdit, RawFinding, RawFix, RuleContext, RuleDefinition, Visitor } from './rule';
import { starExports } from './keras-exports';
import { Binding, bindingKey, Env, KerasKind, kerasName, normaliseKeras } from './scope';

export interface CellResult {
  findings: RawFinding[];
  /** The entry-environment bindings the result depends on, as [name, bindingKey]. */
  reads: Array<[string, string]>;
  /** Module-level binding changes in source order; null removes a binding. */
  effects: Array<[string, Binding | null]>;
  effectsKey: string;
}

type Handlers = Array<[RuleDefinition, Visitor]>;

/** Everything the walk does for one node type, found with a single map lookup per node. */
interface NodePlan {
  /** Engine scope to open on entering: a class, a function or lambda, or none. */
  scope: 'class' | 'function' | null;
  enter: Handlers | null;
  exit: Handlers | null;
  /** Whether leaving the node needs a visit (rule exit handlers or engine bookkeeping). */
  visitOnExit: boolean;
}

interface Dispatch {
  enter: Map<string, Handlers>;
  exit: Map<string, Handlers>;
  plans: Map<string, NodePlan>;
}

const dispatchCache = new WeakMap<readonly RuleDefinition[], Dispatch>();

function dispatchFor(rules: readonly RuleDefinition[]): Dispatch {
  let d = dispatchCache.get(rules);
  if (!d) {
    d = { enter: new Map(), exit: new Map(), plans: new Map() };
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
    dispatchCache.set(rules, d);
  }
  return d;
}

function planFor(dispatch: Dispatch, type: string): NodePlan {
  let plan = dispatch.plans.get(type);
  if (plan === undefined) {
    const exit = dispatch.exit.get(type) ?? null;
    plan = {
      scope: type === 'class_definition' ? 'class' : FUNCTION_LIKE.has(type) ? 'function' : null,
      enter: dispatch.enter.get(type) ?? null,
      exit,
      visitOnExit: exit !== null || ENGINE_EXIT_TYPES.has(type)
    };
    dispatch.plans.set(type, plan);
  }
  return plan;
}

const LAYER_BASES = new Set(['keras.layers.Layer', 'keras.Layer', 'keras.engine.base_layer.Layer']);
const MODEL_BASES = new Set([
  'keras.Model',
  'keras.models.Model',
  'keras.Sequential',
  'keras.models.Sequential',
  'keras.engine.training.Model'
]);
const INPUT_FACTORIES = new Set(['keras.Input', 'keras.layers.Input', 'keras.engine.input_layer.Input']);

const FUNCTION_LIKE = new Set(['function_definition', 'lambda']);

/**
 * keras.backend functions that do not build a KerasTensor from one: Python values (shapes,
 * dtypes, numbers) and graph-mode machinery (functions, gradients, variables).
 */
const BACKEND_VALUE_FUNCTIONS = new Set(['int_shape', 'ndim', 'dtype', 'is_keras_tensor', 'is_tensor', 'is_sparse', 'get_value', 'batch_get_value', 'eval', 'count_params', 'print_tensor', 'function', 'gradients', 'variable', 'constant', 'placeholder']);

/** Loss, metric and activation functions are keras.ops code: on KerasTensors they give KerasTensors. */
const KERAS_TENSOR_FUNCTIONS = /^keras\.(losses|metrics|activations)\.[a-z]\w*$/;

/** Builtins that take a tensor and return plain Python values (or are never model code). */
const PYTHON_BUILTINS = new Set([
  'print', 'len', 'isinstance', 'issubclass', 'type', 'id', 'repr', 'str', 'int', 'float', 'bool',
  'list', 'tuple', 'dict', 'set', 'getattr', 'hasattr', 'setattr', 'zip', 'enumerate', 'range',
  'min', 'max', 'sum', 'abs', 'any', 'all', 'sorted', 'reversed', 'map', 'filter', 'iter', 'next',
  'vars', 'dir', 'hash', 'callable', 'format', 'round', 'display'
]);

/** Node types the walker itself acts on when leaving them (scopes and bindings). */
const ENGINE_EXIT_TYPES = new Set([
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

/** Recursion limit for expression predicates (a few stack frames per level). */
export const MAX_EXPRESSION_DEPTH = 400;

class CellWalker implements RuleContext {
  readonly findings: RawFinding[] = [];
  readonly effects: Array<[string, Binding | null]> = [];
  /** Names looked up in the environment the cell started from: its result depends on them only. */
  readonly reads = new Set<string>();
  fn: FunctionScope | null = null;
  cls: ClassScope | null = null;
  private readonly fnStack: FunctionScope[] = [];
  private readonly clsStack: ClassScope[] = [];
  private importEdit: OffsetEdit | null | undefined;
  private readonly seen = new Set<string>();
  private currentRule: RuleDefinition | null = null;
  private symbolicMemo = new Map<SyntaxNode, boolean>();
  private symbolicDepth = 0;
  /**
   * Canonical names of dotted expressions, valid while the bindings in scope stay as they
   * are: rules ask about the same chain (and its prefixes) many times at one point of the walk.
   */
  private readonly resolved = new Map<SyntaxNode, string | null>();
  private readonly chain: SyntaxNode[] = [];
  private lastKerasInput: string | null = null;
  private lastKerasOutput: string | null = null;

  constructor(
    readonly text: string,
    private readonly root: SyntaxNode,
    /** The environment the cell starts from; never modified (changes go to `changed`). */
    private readonly envIn: Env
  ) {}

  /** Module-level bindings this cell has made so far; null marks a removed name. */
  private readonly changed = new Map<string, Binding | null>();

  /** A module-level name's binding at this point of the cell (no copy of the entry environment). */
  private moduleBinding(name: string): Binding | undefined {
    const own = this.changed.get(name);
    return own === undefined ? this.envIn.get(name) : (own ?? undefined);
  }

  textOf(node: SyntaxNode): string {
    return this.text.slice(node.start, node.end);
  }

  lookup(name: string): Binding | undefined {
    for (let i = this.fnStack.length - 1; i >= 0; i--) {
      const locals = this.fnStack[i].locals;
      if (locals.has(name)) {
        return locals.get(name) ?? undefined;
      }
    }
    this.reads.add(name);
    return this.moduleBinding(name);
  }

  resolve(node: SyntaxNode): string | null {
    const known = this.resolved.get(node);
    if (known !== undefined) {
      return known;
    }
    if (node.type !== 'identifier' && node.type !== 'attribute') {
      return null;
    }
    // `a.b.c` resolves as `a.b` plus `.c`: down the chain to a known prefix or the root name,
    // then back up, remembering every prefix (iteratively: chains can be very deep).
    const chain = this.chain;
    let links = 0;
    let base: string | null = null;
    for (let cur: SyntaxNode = node; ; ) {
      const prefix = this.resolved.get(cur);
      if (prefix !== undefined) {
        base = prefix;
        break;
      }
      if (cur.type === 'identifier') {
        const root = this.lookup(this.textOf(cur));
        base = root && root.kind === 'module' ? root.canonical : null;
        this.resolved.set(cur, base);
        break;
      }
      const object = cur.type === 'attribute' && child(cur, 'attribute') !== null ? child(cur, 'object') : null;
      if (object === null) {
        base = null;
        break;
      }
      chain[links++] = cur;
      cur = object;
    }
    while (links > 0) {
      const link = chain[--links];
      base = base === null ? null : base + '.' + this.textOf(child(link, 'attribute')!);
      this.resolved.set(link, base);
    }
    return base;
  }

  /** Bindings in scope changed: remembered resolutions may be stale. */
  private scopeChanged(): void {
    if (this.resolved.size !== 0) {
      this.resolved.clear();
    }
  }

  resolveKeras(node: SyntaxNode): string | null {
    const canonical = this.resolve(node);
    if (canonical === null) {
      return null;
    }
    if (canonical !== this.lastKerasInput) {
      const name = kerasName(canonical);
      this.lastKerasInput = canonical;
      this.lastKerasOutput = name ? normaliseKeras(name) : null;
    }
    return this.lastKerasOutput;
  }

  outerFunction(fn: FunctionScope): FunctionScope | null {
    const i = this.fnStack.indexOf(fn);
    return i > 0 ? this.fnStack[i - 1] : null;
  }

  inTfFunction(): boolean {
    return this.fnStack.some(f => f.decorators.includes('tensorflow.function'));
  }

  /** Which kind of Keras object a class expression denotes, following notebook classes. */
  kerasKindOfClass(node: SyntaxNode): KerasKind | null {
    if (node.type === 'identifier') {
      const b = this.lookup(this.textOf(node));
      if (b && b.kind === 'class') {
        return b.keras;
      }
    }
    const name = this.resolveKeras(node);
    if (!name) {
      return null;
    }
    if (MODEL_BASES.has(name) || /^keras\.applications\.[\w.]*[A-Z]\w*$/.test(name)) {
      return 'model';
    }
    if (LAYER_BASES.has(name) || /^keras\.layers\.(\w+\.)*[A-Z]\w*$/.test(name)) {
      return 'layer';
    }
    if (/^keras\.(metrics|losses|constraints|regularizers|initializers)\.[A-Z]\w*$/.test(name)) {
      return 'component';
    }
    return null;
  }

  isSymbolic(node: SyntaxNode): boolean {
    while (node.type === 'parenthesized_expression' && node.children.length === 1) {
      node = node.children[0];
    }
    const memo = this.symbolicMemo.get(node);
    if (memo !== undefined) {
      return memo;
    }
    // Pathologically deep expressions: give up (answer "not symbolic") instead of overflowing.
    if (this.symbolicDepth > MAX_EXPRESSION_DEPTH) {
      return false;
    }
    this.symbolicDepth++;
    let result: boolean;
    try {
      result = this.computeSymbolic(node);
    } finally {
      this.symbolicDepth--;
    }
    this.symbolicMemo.set(node, result);
    return result;
  }

  private computeSymbolic(node: SyntaxNode): boolean {
    switch (node.type) {
      case 'identifier':
        return this.lookup(this.textOf(node))?.kind === 'symbolic';
      case 'parenthesized_expression':
      case 'keyword_argument':
        return node.children.some(c => c.field !== 'name' && this.isSymbolic(c));
      case 'binary_operator':
      case 'unary_operator':
      case 'list':
      case 'tuple':
      case 'dictionary':
      case 'pair':
        return node.children.some(c => c.field !== 'key' && this.isSymbolic(c));
      case 'subscript': {
        const value = child(node, 'value');
        return value !== null && this.isSymbolic(value);
      }
      case 'attribute': {
        const attr = child(node, 'attribute');
        const obj = child(node, 'object');
        if (!attr || !obj) {
          return false;
        }
        const name = this.textOf(attr);
        if (name === 'output' || name === 'outputs' || name === 'input' || name === 'inputs') {
          return this.isLayerInstance(obj);
        }
        return false;
      }
      case 'call':
        return this.callIsSymbolic(node);
      default:
        return false;
    }
  }

  /** Whether an expression is (probably) a Keras layer or model instance. */
  isLayerInstance(node: SyntaxNode): boolean {
    while (node.type === 'subscript' || node.type === 'attribute' || node.type === 'parenthesized_expression') {
      const inner = node.type === 'parenthesized_expression' ? node.children[0] : child(node, node.type === 'subscript' ? 'value' : 'object');
      if (!inner) {
        return false;
      }
      node = inner;
    }
    if (node.type === 'identifier') {
      return this.lookup(this.textOf(node))?.kind === 'layer';
    }
    if (node.type === 'call') {
      const fnNode = child(node, 'function');
      // `downsample(64, 4)(x)`: a notebook function that returns a layer.
      if (fnNode && fnNode.type === 'identifier' && this.lookup(this.textOf(fnNode))?.kind === 'factory') {
        return true;
      }
      const kind = fnNode !== null ? this.kerasKindOfClass(fnNode) : null;
      return kind === 'layer' || kind === 'model';
    }
    return false;
  }

  private callIsSymbolic(node: SyntaxNode): boolean {
    const fnNode = child(node, 'function');
    const args = child(node, 'arguments');
    if (!fnNode) {
      return false;
    }
    const name = this.resolveKeras(fnNode);
    if (name && INPUT_FACTORIES.has(name)) {
      return true;
    }
    if (!args || !args.children.some(a => this.isSymbolic(a))) {
      return false;
    }
    if (this.isLayerInstance(fnNode)) {
      return true;
    }
    if (name && (name.startsWith('keras.ops.') || /^keras\.layers\.[a-z]\w*$/.test(name))) {
      return true;
    }
    // Keras 2 `K.mean(x)` on a KerasTensor built a symbolic tensor too (and is a keras.ops call
    // once migrated); the shape and value helpers return Python values.
    if (name && name.startsWith('keras.backend.') && !BACKEND_VALUE_FUNCTIONS.has(name.slice('keras.backend.'.length))) {
      return true;
    }
    if (name && KERAS_TENSOR_FUNCTIONS.test(name)) {
      return true;
    }
    const canonical = this.resolve(fnNode);
    // A TF op on a KerasTensor fails, but what it would produce is still symbolic: later
    // ops on the result fail the same way.
    if (canonical !== null) {
      return canonical.startsWith('tensorflow.') && !kerasName(canonical);
    }
    // A notebook helper or a loop variable (`for block in blocks: x = block(x)`) applied to a
    // KerasTensor is Functional-model building: its result is symbolic too. Builtins are not.
    if (fnNode.type === 'identifier') {
      const callee = this.textOf(fnNode);
      const binding = this.lookup(callee);
      return !PYTHON_BUILTINS.has(callee) && (binding === undefined || binding.kind === 'factory');
    }
    return false;
  }

  /** The binding an assignment's right-hand side gives its target. */
  bindingOf(value: SyntaxNode): Binding | null {
    if (value.type === 'identifier' || value.type === 'attribute') {
      const canonical = this.resolve(value);
      if (canonical) {
        return { kind: 'module', canonical };
      }
      if (value.type === 'identifier') {
        const b = this.lookup(this.textOf(value));
        return b && b.kind !== 'value' ? b : null;
      }
    }
    if (value.type === 'call') {
      const fnNode = child(value, 'function');
      const kind = fnNode ? this.kerasKindOfClass(fnNode) : null;
      if (fnNode && (kind === 'layer' || kind === 'model') && !this.callIsSymbolic(value)) {
        return this.isMultiOutputModel(value, fnNode) ? { kind: 'layer', multiOutput: true } : { kind: 'layer' };
      }
    }
    if (containerDepth(value) > 1 && this.isSymbolic(value)) {
      return { kind: 'nested' }; // a nested structure of KerasTensors (Functional inputs)
    }
    return this.isSymbolic(value) ? { kind: 'symbolic' } : null;
  }

  /** `keras.Model(inputs, [a, b])`: a Functional model with several outputs. */
  private isMultiOutputModel(call: SyntaxNode, fnNode: SyntaxNode): boolean {
    const name = this.resolveKeras(fnNode);
    if (name !== 'keras.Model' && name !== 'keras.models.Model') {
      return false;
    }
    const args = child(call, 'arguments');
    if (!args) {
      return false;
    }
    const keyword = args.children.find(a => a.type === 'keyword_argument' && this.textOf(child(a, 'name') ?? a) === 'outputs');
    const positional = args.children.filter(a => a.type !== 'keyword_argument' && a.type !== 'comment');
    const outputs = keyword ? child(keyword, 'value') : positional[1];
    return !!outputs && (outputs.type === 'list' || outputs.type === 'tuple' || outputs.type === 'dictionary') && outputs.children.filter(c => c.type !== 'comment').length > 1;
  }

  bind(name: string, binding: Binding | null, conditional = false): void {
    this.scopeChanged();
    if (this.fn) {
      this.fn.locals.set(name, binding);
      return;
    }
    if (this.cls) {
      return;
    }
    this.reads.add(name);
    const before = this.moduleBinding(name);
    if (binding === null && (before === undefined || (conditional && before.kind === 'module'))) {
      // `try: import tensorflow as tf / except ImportError: tf = None`: the module may still
      // be bound afterwards, so a conditional plain assignment keeps the import.
      return;
    }
    this.changed.set(name, binding);
    this.effects.push([name, binding]);
  }

  report(
    range: SyntaxNode | { start: number; end: number },
    message: string,
    fix: RawFix | null = null,
    unless?: 'jit-off'
  ): void {
    const rule = this.currentRule!;
    const key = rule.code + ':' + range.start + ':' + range.end;
    if (this.seen.has(key)) {
      return;
    }
    this.seen.add(key);
    this.findings.push({ rule, start: range.start, end: range.end, message, fix, unless });
  }

  kerasImportEdit(): OffsetEdit | null {
    const bound = this.lookup('keras');
    if (bound && bound.kind === 'module' && (bound.canonical === 'keras' || bound.canonical === 'tensorflow.keras')) {
      return null;
    }
    if (this.importEdit === undefined) {
      this.importEdit = kerasImportInsertion(this.root, this.text);
    }
    return this.importEdit;
  }

  // ---- walking -------------------------------------------------------------------------

  run(rules: readonly RuleDefinition[]): void {
    const dispatch = dispatchFor(rules);
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
      if (plan.scope !== null) {
        this.openScope(node!, plan.scope);
      }
      if (plan.enter !== null) {
        this.runHandlers(plan.enter, node!);
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

  private openScope(node: SyntaxNode, kind: 'class' | 'function'): void {
    if (kind === 'class') {
      const scope: ClassScope = { name: this.nameOf(node), node, keras: this.classKind(node) };
      this.clsStack.push(scope);
      this.cls = scope;
      return;
    }
    const scope: FunctionScope = {
      name: node.type === 'lambda' ? '<lambda>' : this.nameOf(node),
      node,
      // A method is a function directly in a class body.
      classScope: this.cls && node.parent && isClassBodyMember(node, this.cls.node) ? this.cls : null,
      decorators: this.decoratorsOf(node),
      locals: new Map(),
      returnsLayer: false
    };
    // Parameters are locals: a notebook-level `inputs` KerasTensor is not the `inputs` of call().
    const params = child(node, 'parameters');
    if (params) {
      for (const p of params.children) {
        const id = p.type === 'identifier' ? p : (child(p, 'name') ?? p.children.find(c => c.type === 'identifier'));
        if (id && id.type === 'identifier') {
          scope.locals.set(this.textOf(id), null);
        }
      }
    }
    this.fnStack.push(scope);
    this.fn = scope;
    this.scopeChanged();
  }

  private exitNode(node: SyntaxNode, plan: NodePlan): void {
    if (plan.exit !== null) {
      this.runHandlers(plan.exit, node);
    }
    switch (node.type) {
      case 'class_definition': {
        const scope = this.clsStack.pop()!;
        this.cls = this.clsStack[this.clsStack.length - 1] ?? null;
        this.bind(scope.name, scope.keras ? { kind: 'class', keras: scope.keras } : null);
        break;
      }
      case 'function_definition':
      case 'lambda': {
        const scope = this.fnStack.pop()!;
        this.fn = this.fnStack[this.fnStack.length - 1] ?? null;
        this.scopeChanged();
        if (node.type === 'function_definition') {
          this.bind(scope.name, scope.returnsLayer ? { kind: 'factory' } : null);
        }
        break;
      }
      case 'return_statement': {
        const value = node.children[0];
        if (this.fn && value && this.isLayerInstance(value)) {
          this.fn.returnsLayer = true;
        }
        break;
      }
      case 'import_statement':
        this.bindImport(node);
        break;
      case 'import_from_statement':
        this.bindImportFrom(node);
        break;
      case 'assignment':
        this.bindAssignment(node);
        break;
      case 'for_statement':
      case 'for_in_clause': {
        const left = child(node, 'left');
        if (left) {
          this.unbindTargets(left);
        }
        break;
      }
      case 'as_pattern': {
        const alias = child(node, 'alias');
        if (alias) {
          this.unbindTargets(alias);
        }
        break;
      }
    }
  }

  private runHandlers(handlers: Array<[RuleDefinition, Visitor]>, node: SyntaxNode): void {
    for (let i = 0; i < handlers.length; i++) {
      const entry = handlers[i];
      this.currentRule = entry[0];
      entry[1](node, this);
    }
    this.currentRule = null;
  }

  private nameOf(node: SyntaxNode): string {
    const name = child(node, 'name');
    return name ? this.textOf(name) : '';
  }

  private classKind(node: SyntaxNode): KerasKind | null {
    const supers = child(node, 'superclasses');
    if (!supers) {
      return null;
    }
    let kind: KerasKind | null = null;
    for (const base of supers.children) {
      const k = this.kerasKindOfClass(base);
      // Model wins over Layer, Layer over other components.
      if (k === 'model' || (k === 'layer' && kind !== 'model') || (k === 'component' && kind === null)) {
        kind = k;
      }
    }
    return kind;
  }

  private decoratorsOf(node: SyntaxNode): string[] {
    const parent = node.parent;
    if (!parent || parent.type !== 'decorated_definition') {
      return [];
    }
    const names: string[] = [];
    for (const dec of parent.children) {
      if (dec.type !== 'decorator' || dec.children.length === 0) {
        continue;
      }
      let expr = dec.children[0];
      if (expr.type === 'call') {
        expr = child(expr, 'function') ?? expr;
      }
      names.push(this.resolve(expr) ?? this.textOf(expr));
    }
    return names;
  }

  private bindImport(node: SyntaxNode): void {
    for (const item of node.children) {
      if (item.type === 'dotted_name') {
        const full = this.textOf(item).replace(/\s+/g, '');
        const top = full.split('.')[0];
        this.bind(top, { kind: 'module', canonical: top });
      } else if (item.type === 'aliased_import') {
        const name = child(item, 'name');
        const alias = child(item, 'alias');
        if (name && alias) {
          this.bind(this.textOf(alias), { kind: 'module', canonical: this.textOf(name).replace(/\s+/g, '') });
        }
      }
    }
  }

  private bindImportFrom(node: SyntaxNode): void {
    const moduleNode = child(node, 'module_name');
    if (!moduleNode || moduleNode.type !== 'dotted_name') {
      return;
    }
    const moduleName = this.textOf(moduleNode).replace(/\s+/g, '');
    for (const item of node.children) {
      if (item.type === 'wildcard_import') {
        // `from tensorflow.keras.layers import *`: bind the Keras names it brings in.
        for (const name of starExports(moduleName)) {
          this.bind(name, { kind: 'module', canonical: moduleName + '.' + name });
        }
        continue;
      }
      if (item.field !== 'name') {
        continue;
      }
      if (item.type === 'dotted_name') {
        const name = this.textOf(item);
        this.bind(name, { kind: 'module', canonical: moduleName + '.' + name });
      } else if (item.type === 'aliased_import') {
        const name = child(item, 'name');
        const alias = child(item, 'alias');
        if (name && alias) {
          this.bind(this.textOf(alias), { kind: 'module', canonical: moduleName + '.' + this.textOf(name) });
        }
      }
    }
  }

  private bindAssignment(node: SyntaxNode): void {
    const left = child(node, 'left');
    const right = child(node, 'right');
    if (!left) {
      return;
    }
    if (left.type === 'identifier') {
      if (!right) {
        return; // bare annotation `x: int`
      }
      // `a = b = value`: the inner assignment binds b; a gets the same value.
      const value = right.type === 'assignment' ? child(right, 'right') : right;
      this.bind(this.textOf(left), value ? this.bindingOf(value) : null, isConditional(node));
      return;
    }
    this.unbindTargets(left);
  }

  private unbindTargets(target: SyntaxNode, depth = 0): void {
    if (depth > MAX_EXPRESSION_DEPTH) {
      return;
    }
    if (target.type === 'identifier') {
      this.bind(this.textOf(target), null);
      return;
    }
    if (target.type === 'attribute' || target.type === 'subscript') {
      return;
    }
    for (const c of target.children) {
      this.unbindTargets(c, depth + 1);
    }
  }
}

const BRANCHES = new Set(['if_statement', 'elif_clause', 'else_clause', 'try_statement', 'except_clause', 'finally_clause', 'for_statement', 'while_statement']);

/** Whether a statement only runs on some paths (inside a branch, loop or handler). */
function isConditional(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (BRANCHES.has(p.type)) {
      return true;
    }
    if (p.type === 'function_definition' || p.type === 'class_definition') {
      return false;
    }
  }
  return false;
}

function isClassBodyMember(fnNode: SyntaxNode, classNode: SyntaxNode): boolean {
  let p = fnNode.parent;
  if (p && p.type === 'decorated_definition') {
    p = p.parent;
  }
  return p !== null && p.type === 'block' && p.parent === classNode;
}

/** Top-level statements of a module, unwrapping nothing: imports must be at module level. */
function isTensorflowImport(stmt: SyntaxNode, text: string): boolean {
  if (stmt.type === 'import_statement') {
    return stmt.children.some(c => {
      const name = c.type === 'aliased_import' ? child(c, 'name') : c;
      return name !== null && /^tensorflow(\.|$)/.test(text.slice(name.start, name.end));
    });
  }
  if (stmt.type === 'import_from_statement') {
    const m = child(stmt, 'module_name');
    return m !== null && /^tensorflow(\.|$)/.test(text.slice(m.start, m.end));
  }
  return false;
}

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/**
 * Where `import keras` goes in a cell or file: after the import block that holds the
 * TensorFlow import, else after any docstring and `from __future__` imports.
 */
export function kerasImportInsertion(root: SyntaxNode, text: string): OffsetEdit {
  const stmts = root.children.filter(c => c.type !== 'comment');
  let after: SyntaxNode | null = null;
  const tfIndex = stmts.findIndex(s => isTensorflowImport(s, text));
  if (tfIndex >= 0) {
    let i = tfIndex;
    while (i + 1 < stmts.length && IMPORT_TYPES.has(stmts[i + 1].type)) {
      i++;
    }
    after = stmts[i];
  } else {
    let i = 0;
    if (stmts[0] && stmts[0].type === 'expression_statement' && stmts[0].children[0]?.type === 'string') {
      after = stmts[0];
      i = 1;
    }
    while (i < stmts.length && stmts[i].type === 'future_import_statement') {
      after = stmts[i];
      i++;
    }
  }
  // Keep the file's line endings.
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (!after) {
    // A `%%time`-style first line must stay first.
    const magicEnd = /^\s*%%/.test(text) ? text.indexOf('\n') + 1 : 0;
    if (magicEnd > 0 || /^\s*%%/.test(text)) {
      return magicEnd > 0
        ? { start: magicEnd, end: magicEnd, text: 'import keras' + eol, addsImport: 'keras' }
        : { start: text.length, end: text.length, text: eol + 'import keras', addsImport: 'keras' };
    }
    return { start: 0, end: 0, text: 'import keras' + eol, addsImport: 'keras' };
  }
  const lineEnd = text.indexOf('\n', after.end);
  if (lineEnd < 0) {
    return { start: text.length, end: text.length, text: eol + 'import keras', addsImport: 'keras' };
  }
  return { start: lineEnd + 1, end: lineEnd + 1, text: 'import keras' + eol, addsImport: 'keras' };
}

export function analyseCell(
  root: SyntaxNode,
  text: string,
  envIn: Env,
  rules: readonly RuleDefinition[]
): CellResult {
  const walker = new CellWalker(text, root, envIn);
  walker.run(rules);
  const effectsKey = walker.effects.map(([n, b]) => n + '=' + bindingKey(b ?? undefined)).join(';');
  const reads: Array<[string, string]> = [...walker.reads].map(n => [n, bindingKey(envIn.get(n))]);
  return { findings: walker.findings, reads, effects: walker.effects, effectsKey };
}

export function applyEffects(env: Env, effects: Array<[string, Binding | null]>): Env {
  if (effects.length === 0) {
    return env;
  }
  const next = new Map(env);
  for (const [name, b] of effects) {
    if (b === null) {
      next.delete(name);
    } else {
      next.set(name, b);
    }
  }
  return next;
}
