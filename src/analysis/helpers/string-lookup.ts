/**
 * Inverted `StringLookup` layers (ids to strings) a call reaches: by name, made in place, or
 * stored on `self` in `__init__` (made there or passed in). Shared by KM200 (the ids it is given
 * must be a TensorFlow tensor on JAX) and KM131/KM190 (`tf.convert_to_tensor(ids)` passed to one
 * is what it needs, not a TF op to convert). Also the TF constants made in `__init__` and stored
 * as the backend's tensor (KM131's suggestion), which KM131 and KM190 no longer count.
 */
import { child, enclosingFunctionDefinition, identifiersIn, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { assignedBefore, callParts, lastAssignedValue } from './calls';

/** What the cell's top-level statements last assign to a name before the statement holding `node` (a function's global), else null. */
function moduleValue(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  let top: SyntaxNode = node;
  while (top.parent && top.parent.type !== 'module') {
    top = top.parent;
  }
  return top.parent ? assignedBefore(top.parent, ctx.textOf(node), top, ctx) : null;
}

/** What a name last got (in its block, else at the cell's top level); any other node is its own value. */
function reachedValue(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  return node.type === 'identifier' ? lastAssignedValue(ctx.textOf(node), node, ctx) ?? moduleValue(node, ctx) : node;
}

/** The `StringLookup(...)` constructor call a name (or a call in place) reaches, inverted or not, else null. */
function stringLookupMade(fn: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const ctor = fn.type === 'call' || fn.type === 'identifier' ? reachedValue(fn, ctx) : null;
  const parts = ctor?.type === 'call' ? callParts(ctor, ctx) : null;
  return parts && ctx.resolveKeras(parts.fn) === 'keras.layers.StringLookup' ? ctor : null;
}

/** The `StringLookup(..., invert=True)` constructor call `fn` is or names, else null. */
function invertedLookup(fn: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const ctor = stringLookupMade(fn, ctx);
  const invert = ctor ? callParts(ctor, ctx)?.keywords.get('invert')?.value : null;
  return invert && ctx.textOf(invert) === 'True' ? ctor : null;
}

/** Whether `node` is a TensorFlow tensor made by a TF function (`tf.constant`, `tf.ragged.constant`, ...), or a name last assigned one. */
function tfTensorValue(node: SyntaxNode, ctx: RuleContext): boolean {
  const value = reachedValue(node, ctx);
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  const name = fn ? ctx.resolve(fn) ?? '' : '';
  return /^tensorflow\.(?!keras\.|data\.|compat\.v1\.keras\.)[\w.]+$/.test(name) && !/^tensorflow\.(function|py_function|numpy_function|device|GradientTape|Variable)$/.test(name);
}

/**
 * A StringLookup layer called on a TensorFlow tensor, outside a model (`lookup(tf.ragged.constant(terms))`):
 * Keras 3 gives back a TensorFlow tensor on every backend (StringLookup converts its output only for
 * other inputs; IntegerLookup, TextVectorization and Hashing convert theirs), so it has `.numpy()` on
 * JAX and PyTorch too (Keras 3.15 and 3.6, run).
 */
export function stringLookupOfTfTensor(call: SyntaxNode, ctx: RuleContext): boolean {
  const fn = child(call, 'function');
  const parts = callParts(call, ctx);
  if (!fn || !parts || parts.positional.length !== 1 || parts.keywords.size || parts.splat) {
    return false;
  }
  return !!stringLookupMade(fn, ctx) && tfTensorValue(parts.positional[0], ctx);
}

/**
 * `self.attr` in a method of a class whose `__init__` stores an inverted StringLookup there: made
 * in place (`self.chars_from_ids = StringLookup(..., invert=True)`), or passed in (the TensorFlow
 * text-generation tutorial's `OneStep(model, chars_from_ids, ids_from_chars)` storing
 * `self.chars_from_ids = chars_from_ids`, every instantiation in the cell passing one). The
 * constructor call, else null.
 */
function selfAttributeLookup(fn: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const obj = child(fn, 'object');
  const attr = child(fn, 'attribute');
  if (obj?.type !== 'identifier' || ctx.textOf(obj) !== 'self' || !attr) {
    return null;
  }
  let cls: SyntaxNode | null = fn.parent;
  while (cls && cls.type !== 'class_definition') {
    cls = cls.parent;
  }
  const init = (child(cls ?? fn, 'body')?.children ?? [])
    .map(c => (c.type === 'decorated_definition' ? c.children.find(d => d.type === 'function_definition') ?? c : c))
    .find(c => c.type === 'function_definition' && ctx.textOf(child(c, 'name')!) === '__init__');
  if (!cls || !init) {
    return null;
  }
  const stores: SyntaxNode[] = [];
  const stack = [child(init, 'body')!];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'assignment' && ctx.textOf(child(n, 'left')!).replace(/\s+/g, '') === `self.${ctx.textOf(attr)}`) {
      stores.push(child(n, 'right')!);
    }
    stack.push(...n.children.filter(c => c.type !== 'function_definition' && c.type !== 'class_definition'));
  }
  const value = stores.length === 1 ? stores[0] : null;
  if (value?.type === 'call') {
    return invertedLookup(value, ctx);
  }
  // Passed in: the parameter's argument at each instantiation of the class in the cell.
  const params = (child(init, 'parameters')?.children ?? []).filter(c => c.type === 'identifier' || c.type === 'default_parameter' || c.type === 'typed_parameter' || c.type === 'typed_default_parameter');
  const names = params.map(p => ctx.textOf(p.type === 'identifier' ? p : child(p, 'name') ?? p.children[0]));
  const index = value?.type === 'identifier' ? names.indexOf(ctx.textOf(value)) : -1;
  if (index < 1) {
    return null;
  }
  let root: SyntaxNode = cls;
  while (root.parent) {
    root = root.parent;
  }
  const className = ctx.textOf(child(cls, 'name')!);
  const made: SyntaxNode[] = [];
  const walk = [root];
  while (walk.length) {
    const n = walk.pop()!;
    const callee = n.type === 'call' ? child(n, 'function') : null;
    if (callee?.type === 'identifier' && ctx.textOf(callee) === className) {
      made.push(n);
    }
    walk.push(...n.children);
  }
  const lookups = made.map(call => {
    const parts = callParts(call, ctx);
    const arg = parts?.keywords.get(names[index])?.value ?? parts?.positional[index - 1] ?? null;
    return arg && (arg.type === 'identifier' || arg.type === 'call') ? invertedLookup(arg, ctx) : null;
  });
  return lookups.length && lookups.every(l => l) ? lookups[0] : null;
}

/** The inverted StringLookup constructor call the callee `fn` reaches (a name, a call, or `self.attr`), else null. */
export function invertedLookupCalled(fn: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  return fn.type === 'attribute' ? selfAttributeLookup(fn, ctx) : invertedLookup(fn, ctx);
}

/** `tf.convert_to_tensor(ids)` as the one argument of a call of an inverted StringLookup (KM200's fix): the TensorFlow tensor the layer needs. */
export function idsForStringLookup(node: SyntaxNode, ctx: RuleContext): boolean {
  const outer = node.parent?.type === 'argument_list' && node.parent.parent?.type === 'call' ? node.parent.parent : null;
  const fn = child(node, 'function');
  return (
    !!outer &&
    !!fn &&
    ctx.resolve(fn) === 'tensorflow.convert_to_tensor' &&
    child(outer, 'arguments')!.children.filter(c => !['(', ')', ',', 'comment'].includes(c.type)).length === 1 &&
    !!invertedLookupCalled(child(outer, 'function')!, ctx)
  );
}

/** Whether `value` is the whole right-hand side of a `self.attr = value` statement of an `__init__`. */
export function storedInInit(value: SyntaxNode, ctx: RuleContext): boolean {
  const assignment = value.parent;
  const left = assignment?.type === 'assignment' && child(assignment, 'right') === value ? child(assignment, 'left') : null;
  const statement = assignment?.parent;
  const def = statement?.type === 'expression_statement' ? statement.parent?.parent : null;
  return left?.type === 'attribute' && ctx.textOf(child(left, 'object')!) === 'self' && def?.type === 'function_definition' && ctx.textOf(child(def, 'name')!) === '__init__';
}

/** `self.attr = keras.ops.convert_to_tensor(tf_call(...))` in `__init__`: what the fix below writes, the backend's tensor stored. */
export function storedConverted(node: SyntaxNode, ctx: RuleContext): boolean {
  const args = node.parent?.type === 'argument_list' ? node.parent : null;
  const call = args?.parent?.type === 'call' ? args.parent : null;
  const fn = call ? child(call, 'function') : null;
  const only = (args?.children ?? []).filter(c => !['(', ')', ',', 'comment'].includes(c.type));
  return !!call && !!fn && only.length === 1 && /^keras\.(src\.)?ops\.(core\.)?convert_to_tensor$/.test(ctx.resolve(fn) ?? '') && storedInInit(call, ctx);
}

/**
 * A call inside such a stored conversion (the `tf.SparseTensor(...)` under `tf.sparse.to_dense(...)`),
 * or assigned to a local that only such conversions read (`sparse_mask = tf.SparseTensor(...)` then
 * `self.mask = keras.ops.convert_to_tensor(tf.sparse.to_dense(sparse_mask))`, TF's text-generation
 * tutorial): run once, on constants, its result converted.
 */
export function withinStoredConversion(node: SyntaxNode, ctx: RuleContext): boolean {
  if (insideStoredConversion(node, ctx)) {
    return true;
  }
  const assignment = node.parent?.type === 'assignment' && child(node.parent, 'right') === node ? node.parent : null;
  const target = assignment ? child(assignment, 'left') : null;
  const def = assignment ? enclosingFunctionDefinition(assignment) : null;
  if (!target || target.type !== 'identifier' || !def) {
    return false;
  }
  const name = ctx.textOf(target);
  const reads = identifiersIn(def).filter(id => id !== target && ctx.textOf(id) === name);
  return reads.length > 0 && reads.every(id => insideStoredConversion(id, ctx));
}

function insideStoredConversion(node: SyntaxNode, ctx: RuleContext): boolean {
  for (let at: SyntaxNode | null = node; at && at.type !== 'function_definition'; at = at.parent) {
    if (at.type === 'call' && storedConverted(at, ctx)) {
      return true;
    }
  }
  return false;
}

