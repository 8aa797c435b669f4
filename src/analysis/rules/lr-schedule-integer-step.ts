/**
 * lr-schedule-integer-step (KM310)
 *
 * What it does: flags the `__call__(self, step)` of a `LearningRateSchedule` subclass that computes
 * with `step` (`step // self.steps_per_epoch`, `step + 1`) without casting it first.
 *
 * Why: the Keras 2 optimizer (OptimizerV2) called a schedule with `tf.cast(self.iterations,
 * var_dtype)`, a float32 step. Keras 3 calls it with the optimizer's iteration variable itself, an
 * integer (int64 on TensorFlow). On TensorFlow, arithmetic of that integer tensor with a Python
 * float (`0.001 * epoch`, `tf.math.maximum(1e-5, ...)`) raises "Cannot convert 7.07e-05 to
 * EagerTensor of dtype int64" / "Expected int64, but got ... of type 'float'" at the first
 * training step; JAX and PyTorch promote the integer and run. Keras's own schedules cast the step
 * first. Not covered by the migration guide.
 *
 * Example:
 *   class Warmup(keras.optimizers.schedules.LearningRateSchedule):
 *       def __call__(self, step):
 *           return 1e-3 * keras.ops.minimum(1.0, (step + 1) / 100)
 *
 * Use instead: `step = keras.ops.cast(step, "float32")` as the first line of `__call__`.
 *
 * Fix (safe): that line. It gives the schedule the float32 step Keras 2 gave it; arithmetic,
 * comparisons, `//` and `%` keep their values (exact below 2**24 steps). Not offered, and nothing
 * reported, where the method already casts or reassigns the step (or a name it computes from the step:
 * `epoch = step // n; epoch = tf.cast(epoch, "float32")`), or uses it where only an integer works (a
 * subscript, `range()`, `int()`, a gather, `tf.range`): there the code was written for an integer step.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { lineStartAt, withKerasImport } from '../rule-helpers';
import { calleeName, parameterNames } from '../helpers/calls';

const SCHEDULE_BASES = new Set(['keras.optimizers.schedules.LearningRateSchedule', 'keras.optimizers.schedules.learning_rate_schedule.LearningRateSchedule']);

/** Calls whose argument must be an integer (the last name of the callee). */
const INTEGER_ONLY_CALLS = new Set(['range', 'int', 'gather', 'take', 'one_hot', 'arange', 'slice', 'tile', 'repeat']);

/** Calls that turn the step into a float (or any dtype) themselves. */
const CASTS = new Set(['cast', 'float', 'convert_to_tensor', 'to_float', 'constant']);

/** `step` and the names the method assigns from it (`epoch = step // n`), to follow a cast made later (`epoch = tf.cast(epoch, "float32")`). */
function namesFromStep(body: SyntaxNode, step: string, ctx: RuleContext): Set<string> {
  const names = new Set([step]);
  const assignments: SyntaxNode[] = [];
  const stack: SyntaxNode[] = [body];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'lambda') {
      continue;
    }
    if (node.type === 'assignment') {
      assignments.push(node);
    }
    stack.push(...node.children);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const a of assignments) {
      const left = child(a, 'left');
      const right = child(a, 'right');
      if (left?.type === 'identifier' && right && !names.has(ctx.textOf(left)) && reads(right, names, ctx)) {
        names.add(ctx.textOf(left));
        grew = true;
      }
    }
  }
  return names;
}

function reads(node: SyntaxNode, names: Set<string>, ctx: RuleContext): boolean {
  if (node.type === 'identifier') {
    return names.has(ctx.textOf(node));
  }
  return node.children.some(c => reads(c, names, ctx));
}

/** How `__call__` uses its step parameter: read in arithmetic, already cast/reassigned, or used where only an integer works. */
function stepUses(body: SyntaxNode, step: string, ctx: RuleContext): { arithmetic: boolean; handled: boolean } {
  const derived = namesFromStep(body, step, ctx);
  let arithmetic = false;
  let handled = false;
  const stack: SyntaxNode[] = [body];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'lambda') {
      continue;
    }
    if (node.type === 'identifier' && ctx.textOf(node) === step) {
      const parent = node.parent;
      if (parent?.type === 'binary_operator' || parent?.type === 'comparison_operator' || (parent?.type === 'augmented_assignment' && child(parent, 'right') === node)) {
        arithmetic = true;
      }
      if (parent?.type === 'subscript' && child(parent, 'value') !== node) {
        handled = true; // `table[step]`: an index
      }
      if ((parent?.type === 'assignment' || parent?.type === 'augmented_assignment') && child(parent, 'left') === node) {
        handled = true; // the method sets the step itself
      }
    }
    if (node.type === 'identifier' && derived.has(ctx.textOf(node))) {
      const args = node.parent?.type === 'argument_list' ? node.parent : null;
      const call = args?.parent?.type === 'call' ? args.parent : null;
      const fn = call ? child(call, 'function') : null;
      const name = fn ? calleeName(fn, ctx) : '';
      if (CASTS.has(name) || INTEGER_ONLY_CALLS.has(name)) {
        handled = true; // cast by the method itself (`epoch = tf.cast(epoch, "float32")`), or an integer use
      }
    }
    stack.push(...node.children);
  }
  return { arithmetic, handled };
}

/** The first statement of a block that is not its docstring, or null. */
function firstCodeStatement(body: SyntaxNode): SyntaxNode | null {
  const statements = body.children.filter(c => c.type !== 'comment');
  const first = statements[0];
  if (first && first.type === 'expression_statement' && first.children.length === 1 && first.children[0].type === 'string') {
    return statements[1] ?? null;
  }
  return first ?? null;
}

function visitClass(node: SyntaxNode, ctx: RuleContext): void {
  const supers = child(node, 'superclasses');
  const body = child(node, 'body');
  if (!supers || !body || !supers.children.some(b => SCHEDULE_BASES.has(ctx.resolveKeras(b) ?? ''))) {
    return;
  }
  for (const statement of body.children) {
    const def = statement.type === 'decorated_definition' ? statement.children[statement.children.length - 1] : statement;
    const name = def.type === 'function_definition' ? child(def, 'name') : null;
    if (!name || ctx.textOf(name) !== '__call__') {
      continue;
    }
    const params = parameterNames(def, ctx);
    const step = params && params.length >= 2 ? params[1] : '';
    const defBody = child(def, 'body');
    if (!step || !defBody) {
      continue;
    }
    const uses = stepUses(defBody, step, ctx);
    const first = firstCodeStatement(defBody);
    if (!uses.arithmetic || uses.handled || !first) {
      continue;
    }
    const at = lineStartAt(ctx.text, first.start);
    const indent = ctx.text.slice(at, first.start);
    if (!/^[ \t]*$/.test(indent)) {
      continue; // `def __call__(self, step): return ...` on one line
    }
    ctx.report(
      name,
      `Keras 3 calls a \`LearningRateSchedule\` with the optimizer's iteration count as an integer tensor (int64 on TensorFlow), where the Keras 2 optimizer passed it as float32: on TensorFlow, arithmetic of \`${step}\` with a Python float raises "Cannot convert ... to EagerTensor of dtype int64" at the first training step (JAX and PyTorch promote it). Cast it first, as Keras's own schedules do: \`${step} = keras.ops.cast(${step}, "float32")\`.`,
      {
        title: `Cast the step to float32 first: \`${step} = keras.ops.cast(${step}, "float32")\``,
        safe: true,
        edits: withKerasImport(ctx, [{ start: at, end: at, text: `${indent}${step} = keras.ops.cast(${step}, "float32")\n` }])
      }
    );
  }
}

export const lrScheduleIntegerStep: RuleDefinition = {
  code: 'KM310',
  name: 'lr-schedule-integer-step',
  slug: 'api-changes',
  severity: 'warning',
  /** Fails on TensorFlow only where a Python float meets the integer step, which the rule cannot see in general: no claim. */
  blocks: [],
  fixAvailability: 'always',
  triggers: ['LearningRateSchedule'],
  docs: {
    whatItDoes:
      'Flags the `__call__(self, step)` of a `LearningRateSchedule` subclass that computes with `step` (`step // self.steps_per_epoch`, `step + 1`) without casting it first.',
    why: 'The Keras 2 optimizer called a schedule with `tf.cast(self.iterations, var_dtype)`, a float32 step. Keras 3 passes the optimizer\'s iteration variable itself, an integer (int64 on TensorFlow): on TensorFlow, arithmetic of that tensor with a Python float (`0.001 * epoch`, `tf.math.maximum(1e-5, ...)`) raises "Cannot convert ... to EagerTensor of dtype int64" (or "Expected int64, but got ... of type \'float\'") at the first training step; JAX and PyTorch promote the integer and run. Keras\'s own schedules cast the step first. Not covered by the migration guide. The fix casts the step to float32 on the first line of `__call__`, the step Keras 2 gave: arithmetic, comparisons, `//` and `%` keep their values, so it is safe. Nothing is reported where the method already casts or reassigns the step (or a name computed from it, `epoch = tf.cast(step // n, "float32")`), or uses it where only an integer works (a subscript, `range()`, `int()`, a gather).',
    example:
      'import keras\nclass Warmup(keras.optimizers.schedules.LearningRateSchedule):\n    def __init__(self, steps):\n        self.steps = steps\n    def __call__(self, step):\n        return 1e-3 * keras.ops.minimum(1.0, (step + 1) / self.steps)',
    useInstead:
      'import keras\nclass Warmup(keras.optimizers.schedules.LearningRateSchedule):\n    def __init__(self, steps):\n        self.steps = steps\n    def __call__(self, step):\n        step = keras.ops.cast(step, "float32")\n        return 1e-3 * keras.ops.minimum(1.0, (step + 1) / self.steps)'
  },
  requires: ['LearningRateSchedule'],
  visitors: { class_definition: visitClass }
};
