/**
 * Which Keras backends reach a piece of code, from the tests of `keras.backend.backend()` around
 * it: the body of `if keras.backend.backend() == "tensorflow":` runs only on TensorFlow, the rest
 * of a block after `if keras.backend.backend() == "jax": return ...` never on JAX. Code written
 * for one backend on purpose (the guide's per-backend steps, a notebook's own TensorFlow path)
 * blocks no other backend. Shared by the rules that claim backends for TF code in model code.
 * Not a rule.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext } from '../rule';
import type { Backend } from '../types';
import { lastAssignedValue } from './calls';

const ALL: readonly Backend[] = ['tensorflow', 'jax', 'torch'];

/** `keras.backend.backend`, `keras.config.backend`, `tf.keras.backend.backend`, `K.backend` after `from keras import backend as K`. */
const BACKEND_FUNCTION = /^(?:tensorflow\.)?keras(?:\.src)?\.(?:backend|config)\.backend$/;

/** Bounds the walk over enclosing statements and over `and`/`or`/`not` in a condition. */
const MAX_STEPS = 400;

type Backends = ReadonlySet<Backend>;

/** `keras.backend.backend()`, or a name last assigned it (`backend = keras.backend.backend()`, then `if backend == "jax":`). */
function isBackendCall(node: SyntaxNode, ctx: RuleContext): boolean {
  if (node.type === 'identifier') {
    const value = lastAssignedValue(ctx.textOf(node), node, ctx);
    return !!value && value.type === 'call' && isBackendCall(value, ctx);
  }
  if (node.type !== 'call') {
    return false;
  }
  const fn = child(node, 'function');
  const args = child(node, 'arguments');
  return !!fn && !!args && args.children.length === 0 && BACKEND_FUNCTION.test(ctx.resolve(fn) ?? '');
}

/** The backend names a literal spells (`"jax"`, `("jax", "torch")`), or null. */
function backendNames(node: SyntaxNode, ctx: RuleContext): Backend[] | null {
  if (node.type === 'string') {
    const m = /^(['"])(\w+)\1$/.exec(ctx.textOf(node));
    return m && (ALL as readonly string[]).includes(m[2]) ? [m[2] as Backend] : m ? [] : null;
  }
  if (node.type === 'tuple' || node.type === 'list' || node.type === 'set') {
    const names: Backend[] = [];
    for (const item of node.children) {
      const one = item.type === 'comment' ? [] : backendNames(item, ctx);
      if (!one || item.type !== 'string') {
        return null;
      }
      names.push(...one);
    }
    return names;
  }
  return null;
}

function complement(set: Backends): Backends {
  return new Set(ALL.filter(b => !set.has(b)));
}

/** The backends on which `condition` holds, or null when it does not test the backend alone. */
function backendsWhere(condition: SyntaxNode, ctx: RuleContext, budget: { steps: number }): Backends | null {
  if (--budget.steps < 0) {
    return null;
  }
  if (condition.type === 'parenthesized_expression' && condition.children.length === 1) {
    return backendsWhere(condition.children[0], ctx, budget);
  }
  if (condition.type === 'not_operator') {
    const inner = child(condition, 'argument');
    const set = inner ? backendsWhere(inner, ctx, budget) : null;
    return set && complement(set);
  }
  if (condition.type === 'boolean_operator') {
    const left = child(condition, 'left');
    const right = child(condition, 'right');
    const a = left ? backendsWhere(left, ctx, budget) : null;
    const b = right ? backendsWhere(right, ctx, budget) : null;
    const operator = left && right ? ctx.text.slice(left.end, right.start).trim() : '';
    if (operator === 'and') {
      // Another test beside the backend's narrows further; the backend test alone bounds it.
      return a && b ? new Set([...a].filter(x => b.has(x))) : (a ?? b);
    }
    return operator === 'or' && a && b ? new Set([...a, ...b]) : null;
  }
  if (condition.type !== 'comparison_operator' || condition.children.length !== 2) {
    return null;
  }
  const [left, right] = condition.children;
  const call = isBackendCall(left, ctx) ? left : isBackendCall(right, ctx) ? right : null;
  const literal = call === left ? right : left;
  const names = call ? backendNames(literal, ctx) : null;
  if (!names) {
    return null;
  }
  const operator = ctx.text.slice(left.end, right.start).replace(/\s+/g, ' ').trim();
  if (operator === '==' || operator === 'is' || (operator === 'in' && literal === right)) {
    return new Set(names);
  }
  if (operator === '!=' || operator === 'is not' || (operator === 'not in' && literal === right)) {
    return complement(new Set(names));
  }
  return null;
}

/** Whether a block's statement always leaves the function (its last statement returns or raises). */
function leaves(block: SyntaxNode | null): boolean {
  const last = block?.children.filter(c => c.type !== 'comment').pop();
  return last?.type === 'return_statement' || last?.type === 'raise_statement';
}

/**
 * The backends that can run `node`, judged from the `keras.backend.backend()` tests of the `if`
 * statements around it and the early returns before it in each enclosing block; null when no
 * such test limits it.
 */
export function backendsReaching(node: SyntaxNode, ctx: RuleContext): readonly Backend[] | null {
  let reaching: Set<Backend> | null = null;
  const narrow = (set: Backends | null): void => {
    if (set) {
      reaching = new Set([...(reaching ?? ALL)].filter(b => set.has(b)));
    }
  };
  const budget = { steps: MAX_STEPS };
  for (let n: SyntaxNode = node, steps = 0; n.parent && steps < MAX_STEPS; n = n.parent, steps++) {
    const parent: SyntaxNode = n.parent;
    if (parent.type === 'if_statement' || parent.type === 'elif_clause') {
      const condition = child(parent, 'condition');
      if (n.field === 'consequence' && condition) {
        narrow(backendsWhere(condition, ctx, budget));
      } else if (parent.type === 'if_statement' && (n.type === 'elif_clause' || n.type === 'else_clause')) {
        // Every test before this branch failed.
        const tests = [condition, ...parent.children.filter(c => c.type === 'elif_clause' && c.start < n.start).map(c => child(c, 'condition'))];
        for (const test of tests) {
          const set = test ? backendsWhere(test, ctx, budget) : null;
          narrow(set && complement(set));
        }
      }
    } else if (parent.type === 'block' || parent.type === 'module') {
      for (const before of parent.children) {
        if (before.start >= n.start) {
          break;
        }
        const condition = before.type === 'if_statement' ? child(before, 'condition') : null;
        if (condition && !child(before, 'alternative') && leaves(child(before, 'consequence'))) {
          const set = backendsWhere(condition, ctx, budget);
          narrow(set && complement(set));
        }
      }
    }
  }
  return reaching ? ALL.filter(b => reaching!.has(b)) : null;
}

/** Whether only TensorFlow runs `node` (a `keras.backend.backend() == "tensorflow"` branch and the like). */
export function tensorflowOnlyBranch(node: SyntaxNode, ctx: RuleContext): boolean {
  const reaching = backendsReaching(node, ctx);
  return reaching !== null && !reaching.includes('jax') && !reaching.includes('torch');
}

/**
 * A decorator expression applied on TensorFlow only: `(EXPR if keras.backend.backend() == "tensorflow"
 * else (lambda f: f))`, as the fixes write `@tf.function` for methods and steps JAX and PyTorch run
 * eagerly (tf.function would trace their paths with TensorFlow tensors).
 */
export function tensorflowOnlyDecorator(expr: string): string {
  return `(${expr} if keras.backend.backend() == "tensorflow" else (lambda f: f))`;
}

/** The edits applying these `@tf.function` decorator expressions on TensorFlow only. */
export function tensorflowOnlyDecoratorEdits(decorators: readonly SyntaxNode[], ctx: RuleContext): OffsetEdit[] {
  return decorators.map(expr => ({ start: expr.start, end: expr.end, text: tensorflowOnlyDecorator(ctx.textOf(expr)) }));
}

/** The safe fix applying these `@tf.function` decorator expressions on TensorFlow only (with `import keras` where the cell lacks it). */
export function tensorflowOnlyDecoratorsFix(decorators: readonly SyntaxNode[], ctx: RuleContext): RawFix {
  const edits = tensorflowOnlyDecoratorEdits(decorators, ctx);
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  return { title: 'Apply `@tf.function` on TensorFlow only', safe: true, edits };
}

/** Whether a `decorator` node is one `tensorflowOnlyDecorator` wrote (the identity off TensorFlow). */
export function isTensorflowOnlyDecorator(decorator: SyntaxNode, ctx: RuleContext): boolean {
  return /^@\s*\(.*\bif\s+keras\.backend\.backend\(\)\s*==\s*["']tensorflow["']\s+else\s+\(?\s*lambda\s+(\w+)\s*:\s*\1\s*\)?\s*\)$/s.test(ctx.textOf(decorator).trim());
}
