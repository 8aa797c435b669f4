/**
 * Functions Keras runs as weight constraints: a lambda or function given as `kernel_constraint=`
 * (or held by a name used only that way), and `__call__` of a `keras.constraints.Constraint`
 * subclass. Keras calls them after the optimizer step with the variable itself, without grad.
 * Not a rule.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext } from '../rule';
import { CellMemoKey, nodeMemo } from '../rule';
import { parameterNames } from './calls';

const CONSTRAINT_KEYWORD = /(^|_)constraint$/;

const CONSTRAINT_BASE = /^keras\.constraints\.Constraint$/;

/** Every use of `name` in the cell after `from` is as a constraint keyword's value (a bounded look-back: linear in the cell). */
function usedOnlyAsConstraint(name: string, from: number, ctx: RuleContext): boolean {
  const uses = [...ctx.text.slice(from).matchAll(new RegExp(`\\b${name}\\b`, 'g'))].map(m => from + m.index!);
  return uses.length > 0 && uses.every(at => /(?:^|[^\w])(?:\w+_)?constraint\s*=\s*$/.test(ctx.text.slice(Math.max(0, at - 64), at)));
}

const CONSTRAINT_FUNCTIONS = new CellMemoKey<Map<SyntaxNode, boolean>>('constraint functions');

/** The lambda or function definition a constraint runs, when `fn` is one (once per function: it reads the rest of the cell). */
function isConstraintFunction(fn: SyntaxNode, ctx: RuleContext): boolean {
  return nodeMemo(ctx, CONSTRAINT_FUNCTIONS, fn, () => constraintFunctionNow(fn, ctx));
}

function constraintFunctionNow(fn: SyntaxNode, ctx: RuleContext): boolean {
  if (fn.type === 'lambda') {
    const keyword = fn.field === 'value' && fn.parent?.type === 'keyword_argument' ? child(fn.parent, 'name') : null;
    if (keyword) {
      return CONSTRAINT_KEYWORD.test(ctx.textOf(keyword));
    }
    // `clip = lambda w: ...` whose every later use in the cell is as a constraint (`kernel_constraint=clip`).
    const left = fn.field === 'right' && fn.parent?.type === 'assignment' ? child(fn.parent, 'left') : null;
    return left?.type === 'identifier' && usedOnlyAsConstraint(ctx.textOf(left), fn.end, ctx);
  }
  const name = child(fn, 'name');
  if (!name) {
    return false;
  }
  const body = fn.parent;
  const cls = body?.type === 'block' && body.parent?.type === 'class_definition' ? body.parent : null;
  if (cls) {
    // `class NonNeg(keras.constraints.Constraint): def __call__(self, w)`.
    const bases = child(cls, 'superclasses');
    return ctx.textOf(name) === '__call__' && !!bases && bases.children.some(b => CONSTRAINT_BASE.test(ctx.resolveKeras(b) ?? ''));
  }
  // `def positive(w): ...` used only as `kernel_constraint=positive`.
  return usedOnlyAsConstraint(ctx.textOf(name), fn.end, ctx);
}

/** The innermost lambda or function around `node`, when Keras runs it as a constraint. */
export function enclosingConstraintFunction(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  let steps = 0;
  for (let n: SyntaxNode | null = node.parent; n && steps < 64; n = n.parent, steps++) {
    if (n.type === 'lambda' || n.type === 'function_definition') {
      return isConstraintFunction(n, ctx) ? n : null;
    }
    if (n.type === 'class_definition') {
      return null;
    }
  }
  return null;
}

/** The parameter that receives the variable (`w` of `__call__(self, w)`). */
export function constrainedVariableParameter(fn: SyntaxNode, ctx: RuleContext): string | null {
  const names = parameterNames(fn, ctx) ?? [];
  const name = child(fn, 'name');
  const variable = name && ctx.textOf(name) === '__call__' ? names[1] : names[0];
  return variable || null;
}

/**
 * `w = keras.ops.convert_to_tensor(w)` as the first statement of a constraint function (after its
 * docstring), as Keras's own constraints begin: `keras.ops.zeros_like` and `keras.ops.where` of the
 * variable itself fail on JAX ("Could not convert <Variable ...> to a NumPy dtype", "Triggering
 * __jax_array__() during abstractification"). No edit where the statement is there; null for a
 * lambda or a one-line function, which have no line to put it on.
 */
export function constraintTensorStatement(fn: SyntaxNode, ctx: RuleContext): OffsetEdit[] | null {
  const variable = constrainedVariableParameter(fn, ctx);
  const body = fn.type === 'function_definition' ? child(fn, 'body') : null;
  if (!variable || !body) {
    return null;
  }
  const statements = body.children.filter(c => c.type !== 'comment');
  const line = `${variable} = keras.ops.convert_to_tensor(${variable})`;
  let first = statements[0];
  if (first && first.type === 'expression_statement' && first.children[0]?.type === 'string') {
    first = statements[1];
  }
  if (first && ctx.text.slice(first.start, first.end) === line) {
    return [];
  }
  if (!first || first.start < body.start) {
    return null;
  }
  const lineStart = ctx.text.lastIndexOf('\n', first.start - 1) + 1;
  const indent = ctx.text.slice(lineStart, first.start);
  if (!/^[ \t]*$/.test(indent)) {
    return null;
  }
  return [{ start: first.start, end: first.start, text: `${line}\n${indent}` }];
}
