/**
 * Scopes and bindings: what a name means at a point in the notebook. Only what the rules
 * need is tracked: module aliases (`tf` -> `tensorflow`), classes that derive from Keras
 * Layer/Model, layer instances and variables holding symbolic Functional-API tensors.
 * `Scopes` is the one resolver of dotted names; what a value's binding is (its Keras type)
 * is decided in keras-types.ts and handed in.
 */
import { child, conditionalDecoratorChoice, globalNamesOf, MAX_EXPRESSION_DEPTH, SyntaxNode } from './ast';
import { starExports } from './keras-exports';
import type { ClassScope, FunctionScope } from './rule';
import { TF_FUNCTION_ON_TENSORFLOW_ONLY } from './knowledge';

/**
 * What a Keras class is: a layer, a model, or another component that runs on backend
 * tensors (metric, loss, constraint, regularizer, initializer).
 */
export type KerasKind = 'layer' | 'model' | 'component';

export type Binding =
  /** A module or a module attribute, by canonical dotted name. */
  | { kind: 'module'; canonical: string }
  /**
   * A class defined in the notebook; `keras` says whether it derives from Layer/Model; `weightless`
   * for a direct `Layer` subclass that makes no weights nor sub-layers (a `Patches` layer of reshapes).
   */
  | { kind: 'class'; keras: KerasKind | null; weightless?: boolean }
  /**
   * A variable holding a KerasTensor (from keras.Input or a layer call); `noGrad` when it is a
   * model input or comes from one through layers without trainable weights only.
   */
  | { kind: 'symbolic'; noGrad?: boolean }
  /**
   * An instance of a Keras layer or model (calling it on a KerasTensor gives a KerasTensor);
   * `weightless` for a built-in layer without trainable weights, or a Sequential of those.
   */
  | { kind: 'layer'; multiOutput?: boolean; weightless?: boolean }
  /** A notebook function that returns a Keras layer or model (`weightless`: always a built-in layer without weights). */
  | { kind: 'factory'; weightless?: boolean }
  /** A notebook function that returns KerasTensors it makes (`create_model_inputs()` returning a dict of keras.Input). */
  | { kind: 'tensors' }
  /** A literal structure of KerasTensors nested more than one level deep. */
  | { kind: 'nested' }
  /**
   * Anything else: a plain value that shadows an earlier binding. `loaded`: what `load_model` returned
   * (a model or another saved object), which rules about loaded models follow into later cells.
   */
  | { kind: 'value'; loaded?: true };

export type Env = Map<string, Binding>;

export function bindingKey(b: Binding | undefined): string {
  if (!b) {
    return '-';
  }
  switch (b.kind) {
    case 'module':
      return 'm:' + b.canonical;
    case 'class':
      return 'c:' + (b.keras ?? '') + (b.weightless ? 'w' : '');
    case 'layer':
      return (b.multiOutput ? 'lm' : 'l') + (b.weightless ? 'w' : '');
    case 'symbolic':
      return b.noGrad ? 'sn' : 's';
    case 'factory':
      return b.weightless ? 'fw' : 'f';
    default:
      return b.kind[0];
  }
}

/** Canonical Keras name with the `tensorflow.` prefix removed: both spellings mean the same API. */
export function kerasName(canonical: string | null): string | null {
  if (!canonical) {
    return null;
  }
  if (canonical === 'keras' || canonical.startsWith('keras.')) {
    return canonical;
  }
  if (canonical === 'tensorflow.keras' || canonical.startsWith('tensorflow.keras.')) {
    return canonical.slice('tensorflow.'.length);
  }
  if (canonical.startsWith('tensorflow.python.keras')) {
    return canonical.slice('tensorflow.python.'.length);
  }
  return null;
}

/** Keras names that live in two places; map to the one the rules compare against. */
export function normaliseKeras(name: string): string {
  if (!name.startsWith('keras.src.') && !name.startsWith('keras.api.') && !name.startsWith('keras.engine.')) {
    return name;
  }
  return name
    .replace(/^keras\.src\./, 'keras.')
    .replace(/^keras\.api\._v2\.keras\./, 'keras.')
    .replace(/^keras\.engine\.(base_layer|topology)\./, 'keras.layers.')
    .replace(/^keras\.engine\.(training|functional|sequential)\./, 'keras.models.');
}

/** Longer dotted names than any module path (Keras, TensorFlow, ...) are not resolved. */
const MAX_CANONICAL_LENGTH = 256;

/**
 * `base.attribute`, one string object per name: resolve() answers for thousands of attribute
 * chains per notebook, mostly the same few dozen names, and rules look each answer up in their
 * tables (Set.has, Map.get, startsWith). A fresh concatenation per answer is an allocation,
 * and a string whose hash must be computed (and which must be flattened) at each lookup; a
 * shared, internalised one is hashed once and compares by identity.
 */
export function canonicalName(base: string, attribute: string): string {
  let byAttribute = canonicalNames.get(base);
  if (byAttribute === undefined) {
    if (canonicalNameCount >= MAX_CANONICAL_NAMES) {
      // Bounded: a program with endless distinct names must not grow it without limit.
      canonicalNames.clear();
      canonicalNameCount = 0;
    }
    byAttribute = new Map();
    canonicalNames.set(internalised(base), byAttribute);
  }
  let name = byAttribute.get(attribute);
  if (name === undefined) {
    name = internalised(base + '.' + attribute);
    // The key is a copy: a slice of the cell's text would keep the whole text alive.
    byAttribute.set(internalised(attribute), name);
    canonicalNameCount++;
  }
  return name;
}

/** The engine's one copy of a string (the one property names use): flat, hashed once, no reference to a larger string. */
export function internalised(name: string): string {
  return Object.keys({ [name]: 0 })[0];
}

const MAX_CANONICAL_NAMES = 8192;
const canonicalNames = new Map<string, Map<string, string>>();
let canonicalNameCount = 0;

/**
 * The scopes of one cell's walk: the module environment the cell started from (never
 * modified), the module-level bindings the cell makes (its "effects"), and the stacks of
 * enclosing classes and functions with their locals.
 */
export class Scopes {
  readonly effects: Array<[string, Binding | null]> = [];
  /** Names looked up in the environment the cell started from: its result depends on them only. */
  readonly reads = new Set<string>();
  fn: FunctionScope | null = null;
  cls: ClassScope | null = null;
  private readonly fnStack: FunctionScope[] = [];
  private readonly clsStack: ClassScope[] = [];
  /** Module-level bindings this cell has made so far; null marks a removed name. */
  private readonly changed = new Map<string, Binding | null>();
  /**
   * Canonical names of dotted expressions, valid while the bindings in scope stay as they
   * are: rules ask about the same chain (and its prefixes) many times at one point of the walk.
   */
  private readonly resolved = new Map<SyntaxNode, string | null>();
  private readonly chain: SyntaxNode[] = [];

  /**
   * Names a function body read that no module binding held at that point of the walk (see
   * `later`). Builtins and names bound nowhere are in it too: only those the cell binds at
   * module level further down matter.
   */
  readonly laterReads = new Set<string>();

  constructor(
    readonly text: string,
    /** The environment the cell starts from; never modified (changes go to `changed`). */
    readonly envIn: Env,
    /**
     * Module-level bindings the cell makes below the point of use, for function bodies: a body
     * runs when it is called, so it sees names assigned after its `def` (a script's helpers above
     * its main code, a helper cell above the model). From an earlier walk of the same cell.
     */
    private readonly later: Env | null = null
  ) {}

  textOf(node: SyntaxNode): string {
    return this.text.slice(node.start, node.end);
  }

  /** A module-level name's binding at this point of the cell (no copy of the entry environment). */
  private moduleBinding(name: string): Binding | undefined {
    const own = this.changed.get(name);
    return own === undefined ? this.envIn.get(name) : (own ?? undefined);
  }

  lookup(name: string): Binding | undefined {
    for (let i = this.fnStack.length - 1; i >= 0; i--) {
      const fn = this.fnStack[i];
      if (fn.globals.has(name)) {
        break; // `global name`: the module's name, in this function and in those nested in it
      }
      if (fn.locals.has(name)) {
        return fn.locals.get(name) ?? undefined;
      }
    }
    this.reads.add(name);
    const bound = this.moduleBinding(name);
    if (bound === undefined && this.fnStack.length !== 0) {
      if (this.later !== null) {
        return this.later.get(name);
      }
      this.laterReads.add(name);
    }
    return bound;
  }

  /**
   * Whether a function body reads NAME from a module-level binding the cell makes only further
   * down (a class whose `call()` uses `keras` above `from tensorflow import keras`): the body may
   * run before that line does (the layer called on test data between the two), so code a fix adds
   * there cannot count on that binding.
   */
  boundOnlyBelow(name: string): boolean {
    for (let i = this.fnStack.length - 1; i >= 0; i--) {
      const fn = this.fnStack[i];
      if (fn.globals.has(name)) {
        break;
      }
      if (fn.locals.has(name)) {
        return false;
      }
    }
    return this.fnStack.length !== 0 && this.moduleBinding(name) === undefined && this.later !== null && this.later.get(name) !== undefined;
  }

  /** The module-level bindings the cell ends with, of the names function bodies read before they were bound. */
  laterBindings(): Env {
    const late: Env = new Map();
    for (const name of this.laterReads) {
      const bound = this.changed.get(name);
      if (bound) {
        late.set(name, bound);
      }
    }
    return late;
  }

  /** Canonical dotted name of a dotted expression whose root is a module binding, or null. */
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
      // No module path is this long: longer chains resolve to nothing, which keeps every
      // string the rules compare bounded and the analysis linear in the chain's length.
      base = base === null || base.length > MAX_CANONICAL_LENGTH ? null : canonicalName(base, this.textOf(child(link, 'attribute')!));
      this.resolved.set(link, base);
    }
    return base;
  }

  /** Counts binding changes (scopeChanged): answers remembered under another count may be stale (KerasTypes.isSymbolic). */
  version = 0;

  /** Bindings in scope changed: remembered resolutions may be stale. */
  private scopeChanged(): void {
    this.version++;
    if (this.resolved.size !== 0) {
      this.resolved.clear();
    }
  }

  /**
   * The innermost of the enclosing plain functions (named `def`s, not methods) nested in one
   * another from the module level down: `l2_normalize` defined inside a script's `main()`, or
   * `main` itself. Null when the outermost function is a method or a lambda, and in a method
   * of a class nested in them (that code is the class's, not main's).
   */
  innermostPlainFunction(): FunctionScope | null {
    let found: FunctionScope | null = null;
    for (const fn of this.fnStack) {
      if (fn.classScope) {
        return null;
      }
      if (fn.node.type !== 'function_definition' || !fn.name) {
        break;
      }
      found = fn;
    }
    return found;
  }

  /** The enclosing function whose local `name` is (as `lookup` finds it), or null for a module name. */
  functionBinding(name: string): FunctionScope | null {
    for (let i = this.fnStack.length - 1; i >= 0; i--) {
      const fn = this.fnStack[i];
      if (fn.globals.has(name)) {
        return null;
      }
      if (fn.locals.has(name)) {
        return fn;
      }
    }
    return null;
  }

  /** The outermost enclosing function, or null at module or class level. */
  outermostFunction(): FunctionScope | null {
    return this.fnStack.length ? this.fnStack[0] : null;
  }

  outerFunction(fn: FunctionScope): FunctionScope | null {
    const i = this.fnStack.indexOf(fn);
    return i > 0 ? this.fnStack[i - 1] : null;
  }

  inTfFunction(): boolean {
    return this.fnStack.some(f => f.decorators.includes('tensorflow.function'));
  }

  bind(name: string, binding: Binding | null, conditional = false): void {
    this.scopeChanged();
    if (this.cls && this.fn && this.cls.node.start > this.fn.node.start && this.cls.node.end <= this.fn.node.end) {
      // A class body inside the function (a class nested in a script's `main()`): its methods
      // and attributes are the class's, not the function's locals (`def metrics(self)` does not
      // hide main()'s `metrics` module).
      return;
    }
    if (this.fn) {
      if (!this.fn.globals.has(name)) {
        this.fn.locals.set(name, binding);
        return;
      }
      // `global name` in the function: the assignment binds the module's name (as if the
      // function ran where it is defined; the wrapped style calls it right after).
    } else if (this.cls) {
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

  // ---- scopes --------------------------------------------------------------------------

  openClass(node: SyntaxNode, keras: KerasKind | null, weightless = false): void {
    const scope: ClassScope = { name: this.nameOf(node), node, keras, ...(weightless ? { weightless } : {}) };
    this.clsStack.push(scope);
    this.cls = scope;
  }

  closeClass(): void {
    const scope = this.clsStack.pop()!;
    this.cls = this.clsStack[this.clsStack.length - 1] ?? null;
    this.bind(scope.name, scope.keras ? { kind: 'class', keras: scope.keras, ...(scope.weightless ? { weightless: true } : {}) } : null);
  }

  openFunction(node: SyntaxNode): void {
    const scope: FunctionScope = {
      name: node.type === 'lambda' ? '<lambda>' : this.nameOf(node),
      node,
      // A method is a function directly in a class body.
      classScope: this.cls && node.parent && isClassBodyMember(node, this.cls.node) ? this.cls : null,
      decorators: this.decoratorsOf(node),
      locals: new Map(),
      globals: globalNamesOf(node, this.text),
      returnsLayer: false,
      returnsSymbolic: false
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
    // So are the names its `for` loops bind (Python makes them local to the whole function): a loop's
    // `x` is not a module-level `x` the cell assigns further down (a KerasTensor of a functional model).
    const body = child(node, 'body');
    const stack = body && node.type === 'function_definition' ? [...body.children] : [];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
        continue;
      }
      const left = n.type === 'for_statement' ? child(n, 'left') : null;
      for (const id of left ? loopTargetNames(left) : []) {
        const name = this.textOf(id);
        if (!scope.locals.has(name) && !scope.globals.has(name)) {
          scope.locals.set(name, null);
        }
      }
      stack.push(...n.children);
    }
    this.fnStack.push(scope);
    this.fn = scope;
    this.scopeChanged();
  }

  closeFunction(node: SyntaxNode): void {
    const scope = this.fnStack.pop()!;
    this.fn = this.fnStack[this.fnStack.length - 1] ?? null;
    this.scopeChanged();
    if (node.type === 'function_definition') {
      this.bind(
        scope.name,
        scope.returnsLayer ? (scope.returnsWeightlessLayer ? { kind: 'factory', weightless: true } : { kind: 'factory' }) : scope.returnsSymbolic ? { kind: 'tensors' } : null
      );
    }
  }

  private nameOf(node: SyntaxNode): string {
    const name = child(node, 'name');
    return name ? this.textOf(name) : '';
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
      // `@(tf.function if keras.backend.backend() == "tensorflow" else (lambda f: f))` (KM175's
      // rewrite): on TensorFlow the function is still traced into a graph; elsewhere it runs eagerly.
      const chosen = conditionalDecoratorChoice(expr);
      if (chosen && this.resolve(chosen) === 'tensorflow.function') {
        names.push('tensorflow.function', TF_FUNCTION_ON_TENSORFLOW_ONLY);
        continue;
      }
      names.push(this.resolve(expr) ?? this.textOf(expr));
    }
    return names;
  }

  // ---- statements that bind ------------------------------------------------------------

  bindImport(node: SyntaxNode): void {
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

  bindImportFrom(node: SyntaxNode): void {
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

  /** `x = value`: `bindingOf` says what the value is (keras-types.ts). */
  bindAssignment(node: SyntaxNode, bindingOf: (value: SyntaxNode) => Binding | null): void {
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
      this.bind(this.textOf(left), value ? bindingOf(value) : null, isConditional(node));
      return;
    }
    // `inputs[name] = keras.Input(...)`: the container now holds KerasTensors.
    if (left.type === 'subscript' && right) {
      const container = child(left, 'value');
      const value = right.type === 'assignment' ? child(right, 'right') : right;
      if (container && container.type === 'identifier' && value && bindingOf(value)?.kind === 'symbolic') {
        this.bindContainerOfSymbolic(this.textOf(container));
      }
      return;
    }
    // `outputs, state_h, state_c = lstm(x)` (return_state=True), `a, b = model.layers[2].output`:
    // unpacking a symbolic value gives KerasTensors.
    if (right && (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern')) {
      const value = right.type === 'assignment' ? child(right, 'right') : right;
      const binding = value ? bindingOf(value) : null;
      if (binding && (binding.kind === 'symbolic' || binding.kind === 'nested')) {
        this.bindTargetsSymbolic(left, binding.kind === 'symbolic' && binding.noGrad === true, isConditional(node));
        return;
      }
    }
    this.unbindTargets(left);
  }

  /** Every name in an unpacking target holds a KerasTensor (or a list of them, for `*rest`). */
  private bindTargetsSymbolic(target: SyntaxNode, noGrad: boolean, conditional: boolean, depth = 0): void {
    if (depth > MAX_EXPRESSION_DEPTH) {
      return;
    }
    if (target.type === 'identifier') {
      this.bind(this.textOf(target), noGrad ? { kind: 'symbolic', noGrad: true } : { kind: 'symbolic' }, conditional);
      return;
    }
    if (target.type === 'attribute' || target.type === 'subscript') {
      return;
    }
    for (const c of target.children) {
      this.bindTargetsSymbolic(c, noGrad, conditional, depth + 1);
    }
  }

  /** A list or dict that KerasTensors were put into (by subscript, `append`, ...) holds symbolic values. */
  bindContainerOfSymbolic(name: string): void {
    const current = this.lookup(name);
    if (current === undefined || current.kind === 'value') {
      this.bind(name, { kind: 'symbolic' });
    }
  }

  /** Names bound by a loop, `as` or unpacking target no longer mean what they meant. */
  unbindTargets(target: SyntaxNode, depth = 0): void {
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

/** The names a loop target binds (`x`, `k, v`, `(i, (a, b))`), not attributes or subscripts. */
function loopTargetNames(target: SyntaxNode, depth = 0): SyntaxNode[] {
  if (target.type === 'identifier') {
    return [target];
  }
  if (depth > 8 || target.type === 'attribute' || target.type === 'subscript') {
    return [];
  }
  return target.children.flatMap(c => loopTargetNames(c, depth + 1));
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

/** The environment after a cell: `env` plus the cell's effects (a new map; `env` is never modified). */
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
