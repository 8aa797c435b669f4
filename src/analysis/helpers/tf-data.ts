/** tf.data pipelines: which `.map()` calls map a `tf.data.Dataset`, and the function they map. Not a rule. */
import { child, enclosingFunctionDefinition, returnStatements, rootOf, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { binds, calleeName, callParts, lastAssignedValue, parameterNames, valueBefore } from './calls';

/** Keras utilities that return a `tf.data.Dataset`. */
const KERAS_DATASETS = /^keras\.(utils|preprocessing)\.(\w+_)?dataset_from_\w+$/;

/** A name that, by the usual conventions, holds a dataset: `ds`, `train_ds`, `dataset`, `val_dataset`. */
const DATASET_NAME = /(^|_)ds($|_)|dataset/i;

/**
 * Whether an expression is a `tf.data.Dataset`: a chain of method calls that starts at a
 * `tf.data` constructor or a Keras `*_dataset_from_*` utility, or a name assigned one in the
 * cell (or named like one when it is assigned elsewhere).
 */
export function isDataset(expr: SyntaxNode | null, ctx: RuleContext, depth = 0): boolean {
  for (let n: SyntaxNode | null = expr; n && depth < 32; depth++) {
    if (n.type === 'call') {
      const fn = child(n, 'function');
      const name = fn ? ctx.resolve(fn) : null;
      if (name && (name.startsWith('tensorflow.data.') || KERAS_DATASETS.test(ctx.resolveKeras(fn!) ?? ''))) {
        return true;
      }
      // `configure_dataset(test_ds)`: a function of the cell returning a dataset method chain on its parameter.
      if (fn && fn.type === 'identifier' && !name) {
        return returnsDatasetOf(n, fn, ctx, depth + 1);
      }
      n = fn && fn.type === 'attribute' ? child(fn, 'object') : null;
    } else if (n.type === 'attribute') {
      n = child(n, 'object');
    } else if (n.type === 'parenthesized_expression') {
      // `ds = (ds.map(f).batch(8))`, a chain wrapped over several lines
      const inner = n.children.filter(c => c.type !== 'comment' && c.type !== '(' && c.type !== ')');
      n = inner.length === 1 ? inner[0] : null;
    } else if (n.type === 'identifier') {
      // Assigned by a statement before the one this name stands in (`ds = ds.map(f)` reads the old `ds`).
      let statement: SyntaxNode = n;
      while (statement.parent && statement.parent.type !== 'block' && statement.parent.type !== 'module') {
        statement = statement.parent;
      }
      const value = lastAssignedValue(ctx.textOf(n), statement, ctx);
      if (value) {
        if (value !== n && isDataset(value, ctx, depth + 1)) {
          return true;
        }
        // A value the chain cannot follow (an item of a list of datasets, a function of another
        // module): a name like `test_ds` still tells (TensorFlow's text-loading tutorial's `test_ds`,
        // built from `labeled_data_sets[0]`); not a value known to be something else (a literal, NumPy, pandas).
        return value !== n && DATASET_NAME.test(ctx.textOf(n)) && !ctx.resolve(n) && unfollowedValue(value, ctx);
      }
      return DATASET_NAME.test(ctx.textOf(n)) && !ctx.resolve(n);
    } else {
      return false;
    }
  }
  return false;
}

/** Whether a value is one isDataset cannot follow to its origin: an item, or a call chain whose start is not NumPy, pandas or Keras. */
function unfollowedValue(value: SyntaxNode, ctx: RuleContext): boolean {
  let n: SyntaxNode | null = value;
  while (n && (n.type === 'call' || n.type === 'attribute' || n.type === 'subscript')) {
    const next: SyntaxNode | null = n.type === 'call' ? child(n, 'function') : n.type === 'attribute' ? child(n, 'object') : child(n, 'value');
    if (n.type === 'call' && next && /^(numpy|pandas|keras)\b/.test(ctx.resolve(next) ?? '')) {
      return false;
    }
    n = next;
  }
  return n?.type === 'identifier' && !/^(numpy|pandas|keras)\b/.test(ctx.resolve(n) ?? '') && n !== value;
}

/**
 * Whether `call` of the cell's top-level function `fn` returns a dataset: its one return value is
 * a method chain starting at one of its parameters (`dataset.cache().prefetch(...)`: TensorFlow's
 * text-loading tutorial's `configure_dataset`) and the call gives that parameter a dataset, or the
 * chain is a dataset by itself.
 */
function returnsDatasetOf(call: SyntaxNode, fn: SyntaxNode, ctx: RuleContext, depth: number): boolean {
  if (depth > 8) {
    return false;
  }
  const def = topLevelDefinitions(rootOf(call), ctx).get(ctx.textOf(fn));
  const value = def ? returnedValue(def, ctx) : null;
  if (!def || !value || value.type !== 'call') {
    return false;
  }
  let root: SyntaxNode | null = value;
  while (root && (root.type === 'call' || root.type === 'attribute')) {
    const next: SyntaxNode | null = root.type === 'call' ? child(root, 'function') : child(root, 'object');
    if (root.type === 'call' && next?.type !== 'attribute') {
      return isDataset(value, ctx, depth + 1);
    }
    root = next;
  }
  const params = parameterNames(def, ctx) ?? [];
  const index = root?.type === 'identifier' ? params.indexOf(ctx.textOf(root)) : -1;
  if (index < 0) {
    return false;
  }
  const parts = callParts(call, ctx);
  const arg = parts && !parts.splat ? (parts.keywords.get(params[index])?.value ?? parts.positional[index] ?? null) : null;
  return !!arg && isDataset(arg, ctx, depth + 1);
}

/** Whether an expression is a dataset (isDataset), or a name that holds one by the usual conventions (`ds`, `val_dataset`). */
export function looksLikeDataset(expr: SyntaxNode | null, ctx: RuleContext): boolean {
  return !!expr && (isDataset(expr, ctx) || (expr.type === 'identifier' && DATASET_NAME.test(ctx.textOf(expr))));
}

/** The expression inside any parentheses around `node`. */
export function unparenthesized(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_expression') {
    const inner = n.children.filter(c => c.type !== '(' && c.type !== ')' && c.type !== 'comment');
    if (inner.length !== 1) {
      break;
    }
    n = inner[0];
  }
  return n;
}

/** The values a mapped function returns: a lambda's body, or each `return` expression of a def. */
export function returnedValues(fn: SyntaxNode): SyntaxNode[] {
  if (fn.type === 'lambda') {
    const body = child(fn, 'body');
    return body ? [body] : [];
  }
  return returnStatements(fn)
    .map(r => r.children.find(c => c.type !== 'return' && c.type !== 'comment') ?? null)
    .filter((v): v is SyntaxNode => !!v);
}

/**
 * The function a `dataset.map(fn)` call maps: the lambda, the `def` of that name at the top
 * level of the cell (the last one before the call), or the function a top-level factory called
 * there returns (`dataset.map(preprocess(is_training))` with `def preprocess(flag): def _pp(x, y):
 * ...; return _pp`, or a returned lambda); null for anything else.
 */
export function mappedFunction(call: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const parts = callParts(call, ctx);
  const fn = parts ? (parts.positional[0] ?? parts.keywords.get('map_func')?.value) : undefined;
  if (fn && fn.type === 'call' && child(fn, 'function')?.type === 'identifier') {
    const factory = directlyMappedFunction(call, child(fn, 'function')!, ctx);
    return factory ? returnedFunction(factory, ctx) : null;
  }
  return fn ? directlyMappedFunction(call, fn, ctx) : null;
}

/** The function a factory returns: a lambda, or a `def` in its body returned by name (one return). */
function returnedFunction(factory: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  if (factory.type !== 'function_definition') {
    return null;
  }
  const returns = returnStatements(factory);
  const expr = returns.length === 1 ? returns[0].children.find(c => c.type !== 'return' && c.type !== 'comment') ?? null : null;
  if (!expr) {
    return null;
  }
  if (expr.type === 'lambda') {
    return expr;
  }
  if (expr.type !== 'identifier') {
    return null;
  }
  return lastDefinitionBefore(child(factory, 'body'), ctx.textOf(expr), returns[0].start, ctx);
}

/** The last `def NAME` (decorated or not) among the statements of `block` that start before `before`, or null. */
function lastDefinitionBefore(block: SyntaxNode | null, name: string, before: number, ctx: RuleContext): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  for (const statement of block?.children ?? []) {
    if (statement.start >= before) {
      break;
    }
    const def = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
    const defName = def && def.type === 'function_definition' ? child(def, 'name') : null;
    if (defName && ctx.textOf(defName) === name) {
      found = def;
    }
  }
  return found;
}

/** The lambda `fn`, or the top-level `def` of the cell that the name `fn` refers to at `call`. */
function directlyMappedFunction(call: SyntaxNode, fn: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const parts = callParts(call, ctx);
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'map' || !isDataset(child(parts.fn, 'object'), ctx)) {
    return null;
  }
  if (fn.type === 'lambda') {
    return fn;
  }
  if (fn.type !== 'identifier') {
    return null;
  }
  return visibleDefinition(call, ctx.textOf(fn), ctx);
}

/**
 * The `def NAME` that `NAME` at `at` refers to: the last one before `at` in the innermost block
 * around it that has one, up to the top of the cell (a script's helpers nested in `main()` are
 * found in main's body, as Python's closures find them).
 */
function visibleDefinition(at: SyntaxNode, name: string, ctx: RuleContext): SyntaxNode | null {
  for (let scope = at.parent; scope; scope = scope.parent) {
    if (scope.type === 'block' || scope.type === 'module') {
      const def = lastDefinitionBefore(scope, name, at.start, ctx);
      if (def) {
        return def;
      }
    }
  }
  return null;
}

/** The calls in a function's body (nested functions and lambdas aside). */
export function callsInBody(fn: SyntaxNode): SyntaxNode[] {
  const body = child(fn, 'body');
  const out: SyntaxNode[] = [];
  const stack = body ? [body] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (node !== body && (node.type === 'lambda' || node.type === 'function_definition' || node.type === 'class_definition')) {
      continue;
    }
    if (node.type === 'call') {
      out.push(node);
    }
    stack.push(...node.children);
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Keras preprocessing layers that run inside tf.data under every backend (checked by running
 * them in `Dataset.map` on JAX and PyTorch: they switch to TensorFlow while tf.data traces);
 * `keras.layers.Pipeline` chains them the same way. Every other Keras layer or model called
 * there fails on JAX and PyTorch.
 */
export const PREPROCESSING_LAYER = /^keras\.layers\.(Random\w+|Rescaling|Resizing|CenterCrop|Normalization|Discretization|CategoryEncoding|Hashing|HashedCrossing|IntegerLookup|StringLookup|TextVectorization|AutoContrast|Equalization|Solarization|Posterization|MixUp|CutMix|AugMix|RandAugment|MaxNumBoundingBoxes|Pipeline)$/;

/**
 * The functions whose bodies run inside a `dataset.map(fn)` call: the mapped function itself
 * and the functions defined at the top level of the cell that it calls by name, followed
 * through further such calls (a helper `augment(image)` called from the mapped lambda runs
 * inside tf.data as well). Empty when `call` maps no dataset.
 */
export function mappedBodies(call: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  const mapped = mappedFunction(call, ctx);
  if (!mapped) {
    return [];
  }
  let root = call;
  while (root.parent) {
    root = root.parent;
  }
  const defs = topLevelDefinitions(root, ctx);
  const bodies = [mapped];
  for (let i = 0; i < bodies.length && bodies.length < 16; i++) {
    for (const inner of callsInBody(bodies[i])) {
      const fn = child(inner, 'function');
      if (!fn || fn.type !== 'identifier') {
        continue;
      }
      const def = defs.get(ctx.textOf(fn)) ?? visibleDefinition(inner, ctx.textOf(fn), ctx);
      // A parameter of the top-level function holding the map (`def make_ds(ds, aug_func)` mapping
      // `lambda x, y: (aug_func(x), y)`): the cell's functions and lambdas its calls pass there.
      const passed = def ? [def] : (parameterArguments(ctx.textOf(fn), inner, ctx) ?? []).map(a => (a.argument.type === 'identifier' ? defs.get(ctx.textOf(a.argument)) : a.argument.type === 'lambda' ? a.argument : undefined));
      for (const body of passed) {
        if (body && !bodies.includes(body)) {
          bodies.push(body);
        }
      }
    }
  }
  return bodies;
}

/** The nodes around `node`, innermost first. */
function ancestors(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let p = node.parent; p; p = p.parent) {
    out.push(p);
  }
  return out;
}

/** The value of the last `a, b = value` statement before `at` (in the blocks around it, within its function) that unpacks into `name`. */
function unpackedFrom(name: string, at: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  for (let scope = at.parent; scope; scope = scope.parent) {
    if (scope.type !== 'block' && scope.type !== 'module') {
      continue;
    }
    let found: SyntaxNode | null = null;
    for (const statement of scope.children) {
      if (statement.start >= at.start) {
        break;
      }
      const assignment = statement.type === 'expression_statement' ? statement.children[0] : null;
      const left = assignment && assignment.type === 'assignment' ? child(assignment, 'left') : null;
      if (left && left.type !== 'identifier' && binds(left, name, ctx)) {
        found = child(assignment!, 'right');
      }
    }
    if (found) {
      return found;
    }
    if (scope.parent && (scope.parent.type === 'function_definition' || scope.parent.type === 'class_definition')) {
      return null;
    }
  }
  return null;
}

/**
 * Whether an expression is (a part of) an element of a tf.data dataset iterated by a Python
 * `for` loop: `for batch in val_ds:` then `batch[1][0]`, `X, y = batch` then `for label in y:`,
 * `for images, labels in ds.take(1):` (also over `self.dataset`, a callback's dataset). Iterating
 * a dataset eagerly yields TensorFlow tensors on every backend.
 */
export function isDatasetElement(node: SyntaxNode | null, ctx: RuleContext, depth = 0): boolean {
  if (!node || depth > 8) {
    return false;
  }
  if (node.type === 'subscript') {
    return isDatasetElement(child(node, 'value'), ctx, depth + 1);
  }
  if (node.type !== 'identifier') {
    return false;
  }
  const name = ctx.textOf(node);
  const value = lastAssignedValue(name, node, ctx);
  if (value) {
    return value !== node && isDatasetElement(value, ctx, depth + 1);
  }
  const unpacked = unpackedFrom(name, node, ctx);
  if (unpacked) {
    return isDatasetElement(unpacked, ctx, depth + 1);
  }
  for (const p of ancestors(node)) {
    if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'lambda') {
      return false;
    }
    if (p.type !== 'for_statement') {
      continue;
    }
    const left = child(p, 'left');
    const right = child(p, 'right');
    const body = child(p, 'body');
    if (!left || !right || !body || node.start < body.start || !binds(left, name, ctx)) {
      continue;
    }
    const iterable = right.type === 'attribute' ? child(right, 'attribute') : null;
    return (
      looksLikeDataset(right, ctx) ||
      (!!iterable && DATASET_NAME.test(ctx.textOf(iterable))) ||
      isDatasetElement(right, ctx, depth + 1)
    );
  }
  return false;
}

/** A call by name inside a mapped function (`aug(x)`), with the value that name was last given in the cell (null when none: an earlier cell's). */
export interface MappedNameCall {
  call: SyntaxNode;
  name: string;
  value: SyntaxNode | null;
}

/**
 * The calls of names in the functions a `dataset.map(fn)` call runs inside tf.data (mappedBodies),
 * each with the name's value: assigned before the map in its scope, or at the top of the cell.
 */
export function mappedNameCalls(map: SyntaxNode, ctx: RuleContext): MappedNameCall[] {
  const valueOf = (name: string): SyntaxNode | null => valueBefore(name, map, ctx);
  const found: MappedNameCall[] = [];
  for (const call of mappedBodies(map, ctx).flatMap(callsInBody)) {
    const fn = child(call, 'function');
    if (fn?.type === 'identifier') {
      found.push({ call, name: ctx.textOf(fn), value: valueOf(ctx.textOf(fn)) });
    } else if (fn?.type === 'subscript') {
      // `augmenters["weak"](image)`: the item of a dict literal the name holds (keras.io AdaMatch).
      const holder = child(fn, 'value');
      const key = subscriptKey(fn, ctx);
      const dict = holder?.type === 'identifier' && key !== null ? valueOf(ctx.textOf(holder)) : null;
      const item = dict?.type === 'dictionary' ? dict.children.find(p => p.type === 'pair' && stringValue(child(p, 'key'), ctx) === key) : undefined;
      if (item) {
        found.push({ call, name: ctx.textOf(fn), value: child(item, 'value') });
      }
    }
  }
  return found;
}

/** The text of a string literal without prefix or quotes (no interpolation), or null. */
function stringValue(node: SyntaxNode | null, ctx: RuleContext): string | null {
  const m = node?.type === 'string' ? /^[rRuU]?(['"])([^'"\\{}]*)\1$/.exec(ctx.textOf(node)) : null;
  return m ? m[2] : null;
}

/** `d["key"]`'s key when it is one plain string literal, or null. */
function subscriptKey(subscript: SyntaxNode, ctx: RuleContext): string | null {
  const index = child(subscript, 'subscript');
  return index && index.type === 'string' ? stringValue(index, ctx) : null;
}

/** What a parameter is given at one call of its function: the argument and the value it stands for. */
export interface ParameterArgument {
  /** The argument at the call (`get_augmenter()`, `aug`). */
  argument: SyntaxNode;
  /** Its value: the argument itself, the value a name was assigned at the top of the cell, or what a cell function called there returns. */
  value: SyntaxNode;
  /** The cell function whose return value it is (`def get_augmenter(): ... return model`), or null. */
  factory: SyntaxNode | null;
}

/** The function definitions at the top of the cell (decorated ones too), by name. */
export function topLevelDefinitions(root: SyntaxNode, ctx: RuleContext): Map<string, SyntaxNode> {
  const defs = new Map<string, SyntaxNode>();
  for (const statement of root.children) {
    const def = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
    const name = def && def.type === 'function_definition' ? child(def, 'name') : null;
    if (name) {
      defs.set(ctx.textOf(name), def!);
    }
  }
  return defs;
}

/** The one value a cell function returns (`return expr`, or `return name` after `name = expr`), or null. */
function returnedValue(def: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const returns = returnStatements(def);
  const expr = returns.length === 1 ? returns[0].children.find(c => c.type !== 'return' && c.type !== 'comment') ?? null : null;
  if (expr && expr.type === 'identifier') {
    return lastAssignedValue(ctx.textOf(expr), returns[0], ctx);
  }
  return expr;
}

/**
 * The values a name used at `at` may hold: its value there, followed into what a top-level function
 * of the cell returns (`layer = get_vectorize_layer(texts)`); for a parameter of the top-level function
 * around `at` (parameterArguments), the values its callers give it. Empty where nothing is followed.
 */
export function valuesOfName(name: string, at: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  const value = valueBefore(name, at, ctx);
  if (value) {
    const callee = value.type === 'call' ? child(value, 'function') : null;
    const factory = callee?.type === 'identifier' ? topLevelDefinitions(rootOf(value), ctx).get(ctx.textOf(callee)) : undefined;
    const returned = factory ? returnedValue(factory, ctx) : value;
    return returned ? [returned] : [];
  }
  return (parameterArguments(name, at, ctx) ?? []).map(a => a.value);
}

/**
 * The arguments `name`, a parameter of the cell's top-level function around `at`, receives at the
 * cell's calls of that function (`def prepare(ds, augmenter): ... ds.map(lambda x, y: (augmenter(x), y))`
 * called as `prepare(train, get_augmenter())`), with the value each stands for. Null when `name` is no
 * such parameter, or a call passes arguments by `*` / `**` (the binding is unknown); a call leaving the
 * parameter to its default gives nothing.
 */
export function parameterArguments(name: string, at: SyntaxNode, ctx: RuleContext): ParameterArgument[] | null {
  const def = enclosingFunctionDefinition(at);
  const holder = def?.parent?.type === 'decorated_definition' ? def.parent : def;
  if (!def || !holder || holder.parent?.type !== 'module') {
    return null;
  }
  const params = parameterNames(def, ctx) ?? [];
  const index = params.indexOf(name);
  const defName = child(def, 'name');
  if (index < 0 || !defName || params.slice(0, index).includes('')) {
    return null;
  }
  const root = holder.parent;
  const defs = topLevelDefinitions(root, ctx);
  const found: ParameterArgument[] = [];
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    stack.push(...node.children);
    const fn = node.type === 'call' ? child(node, 'function') : null;
    if (!fn || fn.type !== 'identifier' || ctx.textOf(fn) !== ctx.textOf(defName)) {
      continue;
    }
    const parts = callParts(node, ctx);
    if (!parts || parts.splat) {
      return null;
    }
    const argument = parts.keywords.get(name)?.value ?? parts.positional[index];
    if (!argument) {
      continue;
    }
    let value: SyntaxNode | null = argument;
    let factory: SyntaxNode | null = null;
    if (argument.type === 'identifier') {
      value = valueBefore(ctx.textOf(argument), node, ctx);
    } else if (argument.type === 'call') {
      const callee = child(argument, 'function');
      factory = callee && callee.type === 'identifier' ? defs.get(ctx.textOf(callee)) ?? null : null;
      value = factory ? returnedValue(factory, ctx) : argument;
    }
    if (value) {
      found.push({ argument, value, factory });
    }
  }
  return found;
}

/**
 * Whether the layer or model held by `name` is only ever applied inside tf.data: it is used at
 * least once in the cell, and every use is a call `name(...)` inside a function some
 * `dataset.map(...)` of the cell runs (mappedBodies). A use elsewhere (in a model, passed on,
 * in a later cell the cell cannot see) makes it false.
 */
export function appliedOnlyInTfData(name: string, root: SyntaxNode, ctx: RuleContext): boolean {
  const bodies: SyntaxNode[] = [];
  const uses: SyntaxNode[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      bodies.push(...mappedBodies(n, ctx));
    } else if (n.type === 'identifier' && ctx.textOf(n) === name) {
      uses.push(n);
    }
    stack.push(...n.children);
  }
  const calls = uses.filter(u => !(u.parent && u.parent.type === 'assignment' && child(u.parent, 'left') === u));
  return (
    calls.length > 0 &&
    calls.every(u => u.parent !== null && u.parent.type === 'call' && child(u.parent, 'function') === u && bodies.some(b => b.start <= u.start && u.end <= b.end))
  );
}

/** The name the cell binds to the `tensorflow` module (`tf`, or `tensorflow` itself), or null. */
export function tensorflowName(ctx: RuleContext): string | null {
  for (const name of ['tf', 'tensorflow']) {
    const binding = ctx.lookup(name);
    if (binding?.kind === 'module' && binding.canonical === 'tensorflow') {
      return name;
    }
  }
  return null;
}

/** Dataset methods that keep the structure of the elements. */
const STRUCTURE_KEEPING_METHODS = new Set(['batch', 'prefetch', 'cache', 'shuffle', 'repeat', 'take', 'skip', 'padded_batch', 'filter', 'with_options', 'rebatch']);

/** Whether a returned value is surely an `(x, y)` pair whose `y` is one tensor (no tuple, list or dict of targets). */
function isInputTargetPair(value: SyntaxNode, fnAt: SyntaxNode, ctx: RuleContext, depth: number): boolean {
  const v = unparenthesized(value);
  if (v.type === 'tuple' || v.type === 'expression_list') {
    const items = v.children.filter(c => c.type !== 'comment' && c.type !== '(' && c.type !== ')' && c.type !== ',');
    if (items.length !== 2) {
      return false;
    }
    const target = unparenthesized(items[1]);
    if (target.type === 'identifier') {
      const bound = lastAssignedValue(ctx.textOf(target), target, ctx);
      return !bound || !['tuple', 'list', 'dictionary', 'expression_list', 'list_comprehension', 'dictionary_comprehension'].includes(bound.type);
    }
    // `(y,) * 2`, `[y] * n`: a tuple or list of targets (KM229's fix), not one.
    if (target.type === 'binary_operator' && target.children.some(c => ['tuple', 'list'].includes(unparenthesized(c).type))) {
      return false;
    }
    return ['call', 'attribute', 'subscript', 'binary_operator'].includes(target.type);
  }
  if (v.type === 'call' && depth < 3) {
    // `lambda x, y: preprocess(x, y, size)`: the values the cell's function returns.
    const fn = child(v, 'function');
    const def = fn && fn.type === 'identifier' ? visibleDefinition(fnAt, ctx.textOf(fn), ctx) : null;
    const returned = def ? returnedValues(def) : [];
    return returned.length > 0 && returned.every(r => isInputTargetPair(r, r, ctx, depth + 1));
  }
  return false;
}

/**
 * Whether a dataset surely yields `(x, y)` pairs with one target tensor: a name, a call of a
 * function of the cell returning it, or a chain of structure-keeping methods (`batch`, `prefetch`,
 * `cache`, `shuffle`, ...) over a `map(fn)` whose function returns such a pair (directly, or
 * through a function of the cell it calls: keras.io BASNet's
 * `dataset.map(lambda x, y: preprocess(x, y, size))` with `return images, masks`).
 */
export function yieldsOneTarget(expr: SyntaxNode | null, ctx: RuleContext, depth = 0): boolean {
  if (!expr || depth > 12) {
    return false;
  }
  const e = unparenthesized(expr);
  if (e.type === 'identifier') {
    const name = ctx.textOf(e);
    return yieldsOneTarget(valueBefore(name, e, ctx), ctx, depth + 1);
  }
  if (e.type !== 'call') {
    return false;
  }
  const fn = child(e, 'function');
  if (fn && fn.type === 'attribute' && !ctx.resolve(fn)) {
    const method = calleeName(fn, ctx);
    if (STRUCTURE_KEEPING_METHODS.has(method)) {
      return yieldsOneTarget(child(fn, 'object'), ctx, depth + 1);
    }
    if (method === 'map') {
      const mapped = mappedFunction(e, ctx);
      const returned = mapped ? returnedValues(mapped) : [];
      return returned.length > 0 && returned.every(r => isInputTargetPair(r, e, ctx, 0));
    }
    return false;
  }
  if (fn && fn.type === 'identifier') {
    const def = visibleDefinition(e, ctx.textOf(fn), ctx);
    const returned = def && def.type === 'function_definition' ? returnStatements(def) : [];
    const value = returned.length === 1 ? (returned[0].children.find(c => c.type !== 'return' && c.type !== 'comment') ?? null) : null;
    return value !== null && yieldsOneTarget(value, ctx, depth + 1);
  }
  return false;
}

/** Per program root: the functions and lambdas whose bodies some `dataset.map(...)` call runs (see mappedBodies). */
const MAPPED_BODIES = new WeakMap<SyntaxNode, Set<SyntaxNode>>();

/**
 * Whether `node` sits in a function or lambda that runs inside a `dataset.map(fn)` call of the
 * program (the mapped function or a function of the cell it calls): tf.data traces it with
 * symbolic TensorFlow tensors on every backend, and the Keras preprocessing layers it calls
 * return those (no eager backend tensor, no NumPy conversion there).
 */
export function runsInDatasetMap(node: SyntaxNode, ctx: RuleContext): boolean {
  const root = rootOf(node);
  let bodies = MAPPED_BODIES.get(root);
  if (!bodies) {
    bodies = new Set();
    const stack: SyntaxNode[] = [root];
    while (stack.length) {
      const n = stack.pop()!;
      const fn = n.type === 'call' ? child(n, 'function') : null;
      const attr = fn?.type === 'attribute' ? child(fn, 'attribute') : null;
      if (attr && ctx.textOf(attr) === 'map') {
        for (const body of mappedBodies(n, ctx)) {
          bodies.add(body);
        }
      }
      stack.push(...n.children);
    }
    MAPPED_BODIES.set(root, bodies);
  }
  return bodies.size > 0 && ancestors(node).some(a => bodies!.has(a));
}
