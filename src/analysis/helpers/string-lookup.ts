/**
 * Inverted `StringLookup` layers (ids to strings) a call reaches: by name, made in place, or
 * stored on `self` in `__init__` (made there or passed in). Shared by KM200 (the ids it is given
 * must be a TensorFlow tensor on JAX) and KM131 (`tf.convert_to_tensor(ids)` passed to one is
 * what it needs, not a TF op to convert).
 */
import { child, SyntaxNode } from '../ast';
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

/** The `StringLookup(..., invert=True)` constructor call `fn` is or names, else null. */
function invertedLookup(fn: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const ctor = fn.type === 'call' ? fn : fn.type === 'identifier' ? lastAssignedValue(ctx.textOf(fn), fn, ctx) ?? moduleValue(fn, ctx) : null;
  if (!ctor || ctor.type !== 'call') {
    return null;
  }
  const parts = callParts(ctor, ctx);
  if (!parts || ctx.resolveKeras(parts.fn) !== 'keras.layers.StringLookup') {
    return null;
  }
  const invert = parts.keywords.get('invert')?.value;
  return invert && ctx.textOf(invert) === 'True' ? ctor : null;
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
