/**
 * Advice for Keras 2 train_steps the KM141 rewrite (train-step-rewrite.ts) cannot turn into a
 * compute_loss() override, where the reason can be said precisely: a batch unpacked into nested
 * tuples (two datasets zipped: labelled and unlabelled, as in keras.io's FixMatch/AdaMatch), and
 * a step reading `self.optimizer.iterations`, which compute_loss() cannot do on JAX.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext } from '../rule';

/** Why not, and what to do instead (the message's reason and hint). */
export interface StepAdvice {
  reason: string;
  hint: string;
}

/**
 * Checked by running on Keras 3 (a compute_loss() assigning `self.optimizer.iterations` to a
 * variable): TensorFlow and PyTorch read the step count, JAX fails ("'NoneType' object is not
 * callable": fit() detaches the optimizer's variables during the epoch, and they are not in the
 * state handed to the stateless step).
 */
const ITERATIONS_ON_JAX =
  'a step counter read from `self.optimizer.iterations` (in the step or a method it calls) fails in compute_loss() on JAX ("\'NoneType\' object is not callable": the optimizer\'s variables are not in the state of the stateless step): keep a counter of your own, a `keras.Variable(0, trainable=False)` set in __init__() and incremented with `.assign_add(1)` in compute_loss() when training';

/** Whether the step, or a method of the class it calls (`self.unsupervised_weight()`), reads `self.optimizer.iterations`. */
export function readsOptimizerIterations(step: SyntaxNode, cls: SyntaxNode, ctx: RuleContext): boolean {
  const iterations = /\bself\.optimizer\.iterations\b/;
  if (iterations.test(ctx.textOf(step))) {
    return true;
  }
  const called = new Set([...ctx.textOf(step).matchAll(/\bself\.(\w+)\s*\(/g)].map(m => m[1]));
  for (const stmt of child(cls, 'body')?.children ?? []) {
    const def = stmt.type === 'decorated_definition' ? child(stmt, 'definition') : stmt;
    const name = def?.type === 'function_definition' ? child(def, 'name') : null;
    if (def && name && called.has(ctx.textOf(name)) && iterations.test(ctx.textOf(def))) {
      return true;
    }
  }
  return false;
}

/**
 * `(x_l, y_l), (x_u_weak, x_u_strong) = data`: fit() splits a batch into x, y, sample_weight,
 * so a nested batch (a zip of datasets) has no x and y compute_loss() could be given as they are.
 */
export function nestedBatchAdvice(first: SyntaxNode | null, data: string, step: SyntaxNode, cls: SyntaxNode, ctx: RuleContext): StepAdvice | null {
  const left = first?.type === 'assignment' ? child(first, 'left') : null;
  const right = first?.type === 'assignment' ? child(first, 'right') : null;
  if (!left || !right || ctx.textOf(right) !== data || !(left.type === 'pattern_list' || left.type === 'tuple_pattern')) {
    return null;
  }
  const nested = left.children.filter(c => c.type === 'tuple_pattern' || c.type === 'list_pattern');
  if (nested.length === 0) {
    return null;
  }
  const written = ctx.textOf(left).replace(/\s+/g, ' ');
  const iterations = readsOptimizerIterations(step, cls, ctx);
  return {
    reason: `it unpacks a nested batch (\`${written} = ${data}\`, e.g. datasets zipped together), which Keras 3's fit() would split into x, y and sample_weight`,
    hint:
      'map the dataset given to fit() so each batch is `(x, y)`: x a tuple of every input the step runs the model on (e.g. the labelled and both unlabelled views), y the labels; give the model a call() taking that tuple and returning what the losses read (the model\'s outputs on each part, e.g. one call on the concatenated inputs split back), and override compute_loss() for the losses (the compiled loss on the labelled part: `super().compute_loss(x, y, <labelled outputs>)`) and compute_metrics() for the compiled metrics on that part; a test_step reading plain `(x, y)` batches then needs call() to take one input too (or the evaluation data mapped the same way)' +
      (iterations ? `; ${ITERATIONS_ON_JAX}` : '') +
      '; otherwise'
  };
}
