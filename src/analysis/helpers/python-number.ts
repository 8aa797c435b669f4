import { child, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';
import { parameterNames } from './calls';
import { nodesUnder } from './multi-optimizer-step';

const OPERATORS = new Set(['+', '-', '*', '/', '//', '**']);

function enclosingDef(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode | null = node.parent;
  while (n && n.type !== 'function_definition') {
    n = n.parent;
  }
  return n;
}

function defName(def: SyntaxNode, ctx: RuleContext): string {
  const name = child(def, 'name');
  return name ? ctx.textOf(name) : '';
}

/** The plain `left = value` assignments under `root` whose left side reads `left`. */
function assignmentsTo(root: SyntaxNode, left: string, ctx: RuleContext): SyntaxNode[] | null {
  const found: SyntaxNode[] = [];
  for (const a of nodesUnder(root, n => n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement' || n.type === 'named_expression')) {
    const target = child(a, 'left') ?? child(a, 'name');
    if (!target) {
      continue;
    }
    const text = ctx.textOf(target).replace(/\s+/g, '');
    if (text === left) {
      if (a.type !== 'assignment' || !child(a, 'right')) {
        return null;
      }
      found.push(child(a, 'right')!);
    } else if (a.type !== 'named_expression' && new RegExp(`(^|[^\\w.])${left.replace(/\./g, '\\.')}($|[^\\w])`).test(text)) {
      return null; // bound by unpacking or a loop: not followed
    }
  }
  return found;
}

/**
 * Whether an expression in a method of a Keras layer or model class is known to hold a Python
 * number where it is read: numeric literals, `int(...)` / `float(...)`, `input_shape[i]` in
 * `build()` (an int in Keras 2 and 3 alike, from the shape it is given), arithmetic (`+ - * / // **`)
 * of such values, a local name every assignment of which is one, a parameter of `__init__` with a
 * numeric default (`gain=2`), and `self.<attr>` every assignment of which in the class is one.
 * Not a rule.
 */
export function isPythonNumber(node: SyntaxNode | null | undefined, cls: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (!node || depth > 8) {
    return false;
  }
  switch (node.type) {
    case 'integer':
    case 'float':
      return !/[jJ]$/.test(ctx.textOf(node));
    case 'parenthesized_expression': {
      const inner = node.children.filter(c => c.type !== '(' && c.type !== ')' && c.type !== 'comment');
      return inner.length === 1 && isPythonNumber(inner[0], cls, ctx, depth + 1);
    }
    case 'unary_operator': {
      const op = ctx.textOf(node).trim()[0];
      return (op === '-' || op === '+') && isPythonNumber(node.children[node.children.length - 1], cls, ctx, depth + 1);
    }
    case 'binary_operator': {
      const operands = node.children.filter(c => c.type !== 'comment');
      if (operands.length !== 2) {
        return false;
      }
      const op = ctx.textOf(node).slice(operands[0].end - node.start, operands[1].start - node.start).trim();
      return OPERATORS.has(op) && isPythonNumber(operands[0], cls, ctx, depth + 1) && isPythonNumber(operands[1], cls, ctx, depth + 1);
    }
    case 'call': {
      const fn = child(node, 'function');
      return !!fn && fn.type === 'identifier' && ['int', 'float'].includes(ctx.textOf(fn)) && !ctx.resolve(fn);
    }
    case 'subscript': {
      // `input_shape[-1]` in build(): the shape build() is given.
      const value = child(node, 'value');
      const index = child(node, 'subscript');
      const def = enclosingDef(node);
      const params = def ? (parameterNames(def, ctx) ?? []) : [];
      return (
        !!def && defName(def, ctx) === 'build' && value?.type === 'identifier' && params[1] === ctx.textOf(value) &&
        !!index && (index.type === 'integer' || (index.type === 'unary_operator' && /^-\s*\d+$/.test(ctx.textOf(index))))
      );
    }
    case 'identifier': {
      const def = enclosingDef(node);
      if (!def) {
        return false;
      }
      const name = ctx.textOf(node);
      const params = parameterNames(def, ctx) ?? [];
      if (params.includes(name)) {
        // `__init__(self, units, gain=2)`: a numeric default, never assigned in the method.
        const p = (child(def, 'parameters')?.children ?? []).find(c => c.type === 'default_parameter' && ctx.textOf(child(c, 'name') ?? c) === name);
        const assigned = assignmentsTo(child(def, 'body') ?? def, name, ctx);
        return !!p && defName(def, ctx) === '__init__' && !!assigned && !assigned.length && isPythonNumber(child(p, 'value'), cls, ctx, depth + 1);
      }
      const values = assignmentsTo(child(def, 'body') ?? def, name, ctx);
      return !!values && values.length > 0 && values.every(v => isPythonNumber(v, cls, ctx, depth + 1));
    }
    case 'attribute': {
      const object = child(node, 'object');
      if (object?.type !== 'identifier' || ctx.textOf(object) !== 'self' || enclosingDef(node) === null) {
        return false;
      }
      const values = assignmentsTo(cls, ctx.textOf(node).replace(/\s+/g, ''), ctx);
      return !!values && values.length > 0 && values.every(v => isPythonNumber(v, cls, ctx, depth + 1));
    }
    default:
      return false;
  }
}
