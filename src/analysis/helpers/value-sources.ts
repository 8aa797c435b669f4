/**
 * Where the value a name holds comes from, as far as the code shows: the expressions a question of
 * what kind of value it is (a NumPy array? a TensorFlow tensor? a backend tensor Keras computed?)
 * is asked of instead of the name. The one reading of assignments that isNumpyValue, isTfTensor
 * (helpers/array-values.ts) and isEagerBackendTensor (helpers/eager-values.ts) share. Not a rule.
 *
 * `x = EXPR` gives EXPR. An unpacking (`a, b = EXPR`) gives the expression its element comes from:
 * the item at that position of a tuple or list (`a, b = x, y`), the element of a comprehension
 * (`states, actions = [np.vstack(...).astype(...) for i in range(2)]`: each element is one), the
 * item at that position of what a function or method of the program returns (`next_actions,
 * log_probs = self.process_actions(mean)` with `return actions, log_prob`: the TF2 RL Cookbook's
 * SAC), else EXPR itself: an element of a NumPy array, a tensor, or a list of either, is one too
 * (`a, b = np.split(x, 2)`, `s, _ = model.predict(x)`, `q, _ = model(x)`).
 */
import { child, itemsOf, returnStatements, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { lastAssignedValue, localNamesOf, topLevelValueBefore } from './calls';
import { enclosingClass } from './layer-calls';
import { classMethodDefinitions, onlyVisibleDefinition } from './model-code';

/** How many names, calls and returns one answer goes through (a chain of them, or recursion). */
const MAX_HOPS = 4;

/** Unpacking targets: a pattern of names, or a list of them. */
const PATTERNS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern']);

/**
 * The expressions whose value the name `node` holds (or one element of which it holds, see the
 * module's doc): the last assignment before it in its scope, else, for a module name read in a
 * function that does not bind it, the cell's top-level one. Null when the code does not say (a
 * parameter, a loop variable, a starred or nested target, a tuple of another length).
 */
export function valueSources(node: SyntaxNode, ctx: RuleContext, hops = 0): SyntaxNode[] | null {
  if (node.type !== 'identifier' || hops > MAX_HOPS) {
    return null;
  }
  const name = ctx.textOf(node);
  const right = lastAssignedValue(name, node, ctx, 'any') ?? (readsModuleName(node, name, ctx) ? topLevelValueBefore(name, node, ctx, 'any') : null);
  const assignment = right?.parent?.type === 'assignment' && child(right.parent, 'right') === right ? right.parent : null;
  const left = assignment ? child(assignment, 'left') : null;
  if (!right || !left) {
    return null;
  }
  if (!PATTERNS.has(left.type)) {
    return left.type === 'identifier' ? [right] : null;
  }
  const targets = itemsOf(left);
  if (targets.some(t => t.type !== 'identifier')) {
    return null; // a starred or nested target: positions unknown
  }
  const index = targets.findIndex(t => ctx.textOf(t) === name);
  return index < 0 ? null : elementSources(right, index, targets.length, ctx, hops + 1);
}

/** Whether every expression the name `node` is bound to is one `is` accepts (and there is one). */
export function everySource(node: SyntaxNode, ctx: RuleContext, is: (source: SyntaxNode) => boolean): boolean {
  const sources = valueSources(node, ctx);
  return !!sources && sources.length > 0 && sources.every(is);
}

/** Whether `node` reads `name` in a function (nested or not) none of whose scopes binds it: a module name. */
function readsModuleName(node: SyntaxNode, name: string, ctx: RuleContext): boolean {
  let inFunction = false;
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition') {
      if (localNamesOf(p, ctx).has(name)) {
        return false;
      }
      inFunction = true;
    }
  }
  return inFunction;
}

/** Where the element at `index` of `count` that unpacking `expr` gives comes from, or null when the code does not say. */
function elementSources(expr: SyntaxNode, index: number, count: number, ctx: RuleContext, hops: number): SyntaxNode[] | null {
  if (hops > MAX_HOPS) {
    return null;
  }
  switch (expr.type) {
    case 'parenthesized_expression': {
      const inner = itemsOf(expr)[0];
      return inner ? elementSources(inner, index, count, ctx, hops + 1) : null;
    }
    case 'tuple':
    case 'list':
    case 'expression_list': {
      const items = itemsOf(expr);
      return items.length === count && !items.some(i => /splat/.test(i.type)) ? [items[index]] : null;
    }
    case 'list_comprehension':
    case 'generator_expression': {
      // Each element is the comprehension's element expression (its first child).
      const element = expr.children[0];
      return element ? [element] : null;
    }
    case 'identifier': {
      // A name holding a tuple (`pair = (a, b)`, `out = f(x)`), then unpacked.
      return allOf(valueSources(expr, ctx, hops + 1), s => elementSources(s, index, count, ctx, hops + 1));
    }
    case 'call': {
      const returned = returnedValues(expr, ctx);
      if (returned) {
        return allOf(returned, r => elementSources(r, index, count, ctx, hops + 1));
      }
      return [expr];
    }
    default:
      // An element of what it holds: `a, b = np.split(x, 2)` (see the module's doc).
      return [expr];
  }
}

/** Every source of every part, or null when any part's sources are unknown. */
function allOf(parts: SyntaxNode[] | null, sourcesOf: (part: SyntaxNode) => SyntaxNode[] | null): SyntaxNode[] | null {
  if (!parts) {
    return null;
  }
  const out: SyntaxNode[] = [];
  for (const part of parts) {
    const sources = sourcesOf(part);
    if (!sources) {
      return null;
    }
    out.push(...sources);
  }
  return out;
}

const RETURNED = new WeakMap<SyntaxNode, SyntaxNode[] | null>();
const METHODS = new WeakMap<SyntaxNode, Map<string, SyntaxNode>>();

/** The methods of a class by name, read once per class. */
function methodsOf(cls: SyntaxNode, ctx: RuleContext): Map<string, SyntaxNode> {
  let methods = METHODS.get(cls);
  if (!methods) {
    methods = classMethodDefinitions(cls, ctx);
    METHODS.set(cls, methods);
  }
  return methods;
}

/**
 * What a call of a function of the program (`process_actions(mean)`, the one definition of that
 * name the call sees, the name not rebound since) or of a method of the class around it
 * (`self.process_actions(mean)`) returns: each `return`'s expression (read once per definition);
 * null for other callees, a generator, or a function returning nothing.
 */
export function returnedValues(call: SyntaxNode, ctx: RuleContext): SyntaxNode[] | null {
  const fn = child(call, 'function');
  let def: SyntaxNode | null = null;
  if (fn?.type === 'identifier') {
    const name = ctx.textOf(fn);
    def = lastAssignedValue(name, call, ctx) ? null : onlyVisibleDefinition(call, 'function_definition', name, ctx);
  } else if (fn?.type === 'attribute' && ctx.textOf(child(fn, 'object') ?? fn) === 'self') {
    const cls = enclosingClass(call);
    def = cls ? methodsOf(cls, ctx).get(ctx.textOf(child(fn, 'attribute') ?? fn)) ?? null : null;
  }
  if (!def) {
    return null;
  }
  let values = RETURNED.get(def);
  if (values === undefined) {
    const found = returnStatements(def).flatMap(r => itemsOf(r).filter(c => c.type !== 'return'));
    values = found.length && !/\byield\b/.test(ctx.textOf(child(def, 'body') ?? def)) ? found : null;
    RETURNED.set(def, values);
  }
  return values;
}
