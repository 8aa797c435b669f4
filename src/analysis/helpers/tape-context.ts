/**
 * Where a notebook function's code runs with respect to TensorFlow's tracing and gradient
 * recording: shared by the rules that must leave code under a `tf.GradientTape` or inside a
 * `@tf.function` alone (a conversion to NumPy there fails on symbolic tensors and cuts the
 * gradient), and by the rules that follow a tape's body into the helper functions it calls.
 * Cell-local: the definitions and calls looked at are those of the cell being analysed. Not a rule.
 */
import { child, conditionalDecoratorChoice, identifiersIn, rootOf, SyntaxNode } from '../ast';
import type { FunctionScope, RuleContext } from '../rule';
import { TF_FUNCTION_ON_TENSORFLOW_ONLY } from '../knowledge';

/** Whether `node` sits in the body of a `with` statement (a GradientTape records there: values must stay tensors). */
export function inWithStatement(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'with_statement') {
      return true;
    }
  }
  return false;
}

/** The expression of each decorator of a def (`tf.function`, `tf.function(jit_compile=True)`, `(... if ... else ...)`). */
function decoratorExpressions(def: SyntaxNode): SyntaxNode[] {
  const decorated = def.parent?.type === 'decorated_definition' ? def.parent : null;
  const found: SyntaxNode[] = [];
  for (const dec of decorated ? decorated.children : []) {
    const expr = dec.type === 'decorator' ? dec.children.find(c => c.type !== 'comment' && c.type !== '@') : undefined;
    if (expr) {
      found.push(expr);
    }
  }
  return found;
}

/** What a decorator expression calls or names: `tf.function` of `tf.function(...)`. */
function decoratorCallee(expr: SyntaxNode): SyntaxNode {
  return expr.type === 'call' ? (child(expr, 'function') ?? expr) : expr;
}

/** Whether a function definition is traced by tf.function: `@tf.function`, `@tf.function(...)`, or applied on TensorFlow only (`@(tf.function if ... else ...)`). */
export function isTfFunctionDefinition(def: SyntaxNode, ctx: RuleContext): boolean {
  return decoratorExpressions(def).some(expr => {
    const chosen = conditionalDecoratorChoice(expr);
    return ctx.resolve(decoratorCallee(chosen ?? expr)) === 'tensorflow.function';
  });
}

/** The `@tf.function` / `@tf.function(...)` decorator expressions of a def (not one already applied on TensorFlow only). */
export function tfFunctionDecorators(def: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  return decoratorExpressions(def).filter(expr => ctx.resolve(decoratorCallee(expr)) === 'tensorflow.function');
}

/**
 * Whether `fn` is decorated `@(tf.function if keras.backend.backend() == "tensorflow" else ...)`
 * (KM175's rewrite of a custom training loop): traced on TensorFlow, run eagerly on JAX and
 * PyTorch, so its code must hold both ways (keras.ops, not a NumPy conversion).
 */
export function tracedOnTensorflowOnly(fn: FunctionScope): boolean {
  return fn.decorators.includes(TF_FUNCTION_ON_TENSORFLOW_ONLY);
}

/**
 * The module-level definition of the function `name` in the cell that holds `from`, if any: of
 * several (a notebook that defines its loss again before a second loop), the last one before the
 * top-level statement holding `from`, which is the one a call there runs; the first one when all
 * come after it (a function body calling a function defined below it).
 */
export function moduleFunctionDefinition(name: string, from: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  let statement = from;
  while (statement.parent && statement.parent.parent) {
    statement = statement.parent;
  }
  let before: SyntaxNode | null = null;
  let after: SyntaxNode | null = null;
  for (const c of rootOf(from).children) {
    const def = c.type === 'decorated_definition' ? c.children.find(d => d.type === 'function_definition') ?? null : c;
    if (def && def.type === 'function_definition') {
      const nameNode = child(def, 'name');
      if (nameNode && ctx.textOf(nameNode) === name) {
        if (c.start < statement.start || c === statement) {
          before = def;
        } else {
          after ??= def;
        }
      }
    }
  }
  return before ?? after;
}

const underTape = new WeakMap<FunctionScope, boolean>();

/**
 * Whether the notebook function `fn` runs traced or recorded: it is decorated with `@tf.function`,
 * or a call of it in this cell sits in the body of a `with` statement (a `tf.GradientTape`) or in
 * a `@tf.function` function (keras.io's `compute_loss(img)` called under the tape of a
 * `@tf.function` `gradient_ascent_step`).
 */
export function runsUnderTapeOrTfFunction(fn: FunctionScope, ctx: RuleContext): boolean {
  const known = underTape.get(fn);
  if (known !== undefined) {
    return known;
  }
  let result = fn.decorators.includes('tensorflow.function');
  if (!result) {
    for (const id of identifiersIn(rootOf(fn.node))) {
      const call = id.parent;
      if (!call || call.type !== 'call' || child(call, 'function') !== id || ctx.textOf(id) !== fn.name) {
        continue;
      }
      for (let p = call.parent; p && !result; p = p.parent) {
        if (p.type === 'with_statement' && p.start < call.start) {
          result = true;
        } else if (p.type === 'function_definition' && isTfFunctionDefinition(p, ctx)) {
          result = true;
        }
      }
      if (result) {
        break;
      }
    }
  }
  underTape.set(fn, result);
  return result;
}

/** The calls in a def's body, nested defs, lambdas and classes aside. */
export function callsIn(def: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const body = child(def, 'body');
  const stack = body ? [body] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') {
      continue;
    }
    if (n.type === 'call') {
      out.push(n);
    }
    stack.push(...n.children);
  }
  return out;
}

/** Whether a call passes something (a value the trace turns into a TensorFlow tensor may be among it). */
export function passesArguments(call: SyntaxNode): boolean {
  const args = child(call, 'arguments');
  return !!args && args.children.some(a => !['(', ')', ',', 'comment'].includes(a.type));
}
