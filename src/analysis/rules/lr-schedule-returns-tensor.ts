import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';

/** Calls that turn a scalar tensor into a Python number. */
const TO_NUMBER = new Set(['float', 'int']);

/** Whether `expr` computes with TensorFlow or Keras tensor functions (nested functions and
 * values already converted with `float()` aside). */
function usesTensorOps(expr: SyntaxNode, ctx: RuleContext): boolean {
  const stack = [expr];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'lambda' || node.type === 'function_definition') {
      continue;
    }
    if (node.type === 'call') {
      const fn = child(node, 'function');
      if (fn && fn.type === 'identifier' && TO_NUMBER.has(ctx.textOf(fn))) {
        continue;
      }
      const name = fn ? ctx.resolve(fn) : null;
      const keras = fn ? ctx.resolveKeras(fn) : null;
      if ((name && name.startsWith('tensorflow.') && !keras) || (keras && (keras.startsWith('keras.ops.') || keras.startsWith('keras.backend.')))) {
        return true;
      }
    }
    stack.push(...node.children);
  }
  return false;
}

/** The values a schedule returns: a lambda's body, or each `return` of a function defined at the top of this cell. */
function returnedValues(schedule: SyntaxNode, ctx: RuleContext): SyntaxNode[] {
  if (schedule.type === 'lambda') {
    const body = child(schedule, 'body');
    return body ? [body] : [];
  }
  if (schedule.type !== 'identifier') {
    return [];
  }
  let root = schedule;
  while (root.parent) {
    root = root.parent;
  }
  const name = ctx.textOf(schedule);
  const values: SyntaxNode[] = [];
  for (const statement of root.children) {
    const def = statement.type === 'decorated_definition' ? statement.children[statement.children.length - 1] : statement;
    const defName = def.type === 'function_definition' ? child(def, 'name') : null;
    if (!defName || ctx.textOf(defName) !== name) {
      continue;
    }
    values.length = 0; // the last definition before use wins
    const stack = [...(child(def, 'body')?.children ?? [])];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'lambda') {
        continue;
      }
      if (node.type === 'return_statement' && node.children.length) {
        values.push(node.children[0]);
      }
      stack.push(...node.children);
    }
  }
  return values;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || ctx.resolveKeras(parts.fn) !== 'keras.callbacks.LearningRateScheduler') {
    return;
  }
  const schedule = parts.keywords.get('schedule')?.value ?? parts.positional[0];
  if (!schedule) {
    return;
  }
  for (const value of returnedValues(schedule, ctx)) {
    if (value.type === 'expression_list' || !usesTensorOps(value, ctx)) {
      continue;
    }
    ctx.report(
      value,
      'The learning-rate schedule returns a tensor: Keras 3 `LearningRateScheduler` accepts only a float and raises "The output of the `schedule` function should be a float" on every backend (Keras 2 took a tensor).',
      {
        title: 'Return a float: `float(...)`',
        safe: true,
        edits: [
          { start: value.start, end: value.start, text: 'float(' },
          { start: value.end, end: value.end, text: ')' }
        ]
      }
    );
  }
}

export const lrScheduleReturnsTensor: RuleDefinition = {
  code: 'KM188',
  name: 'lr-schedule-returns-tensor',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError at the first epoch whose schedule value is a tensor, on TensorFlow, JAX and PyTorch (Keras 3.15). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a learning-rate schedule given to `LearningRateScheduler` (a lambda, or a function defined in the same cell) that returns the result of TensorFlow or Keras tensor functions, e.g. `lr * tf.math.exp(-0.1)`.',
    why: 'Keras 2 accepted a scalar tensor from the schedule. Keras 3 checks for a Python or NumPy float and raises "The output of the `schedule` function should be a float" on every backend. Not covered by the migration guide. `float()` of the scalar gives the same learning rate, so the fix is safe.',
    example:
      'import keras\nimport tensorflow as tf\ndef scheduler(epoch, lr):\n    return lr * tf.math.exp(-0.1)\ncallback = keras.callbacks.LearningRateScheduler(scheduler)',
    useInstead:
      'import keras\nimport tensorflow as tf\ndef scheduler(epoch, lr):\n    return float(lr * tf.math.exp(-0.1))\ncallback = keras.callbacks.LearningRateScheduler(scheduler)'
  },
  calls: { names: ['LearningRateScheduler'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['LearningRateScheduler'],
  visitors: { call: visit }
};
