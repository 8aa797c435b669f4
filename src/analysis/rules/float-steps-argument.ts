import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName } from '../rule-helpers';
import { valueBefore } from '../helpers/calls';

/** The step-count arguments of the Model methods that loop over batches. */
const STEP_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  fit: ['steps_per_epoch', 'validation_steps'],
  evaluate: ['steps'],
  predict: ['steps']
};

/** NumPy functions that round to a float (`np.ceil(7.8)` is `8.0`). */
const NUMPY_FLOAT_ROUNDING = new Set(['numpy.ceil', 'numpy.floor', 'numpy.round', 'numpy.around', 'numpy.rint', 'numpy.trunc']);

/** Whether an expression is certainly a float: a float literal, a true division, a NumPy rounding call, or a name last assigned one. */
function isFloat(expr: SyntaxNode, at: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (expr.type === 'parenthesized_expression') {
    const inner = expr.children.find(c => c.type !== '(' && c.type !== ')' && c.type !== 'comment');
    return !!inner && isFloat(inner, at, ctx, depth);
  }
  if (expr.type === 'float') {
    return true;
  }
  if (expr.type === 'binary_operator') {
    // The operator is the text between the two operands (named children only).
    const [left, right] = expr.children.filter(c => c.type !== 'comment');
    return !!left && !!right && ctx.text.slice(left.end, right.start).trim() === '/';
  }
  if (expr.type === 'call') {
    const fn = child(expr, 'function');
    return !!fn && NUMPY_FLOAT_ROUNDING.has(ctx.resolve(fn) ?? '') && (callParts(expr, ctx)?.positional.length ?? 0) === 1;
  }
  if (expr.type === 'identifier' && depth === 0) {
    const name = ctx.textOf(expr);
    const value = valueBefore(name, at, ctx);
    return !!value && isFloat(value, at, ctx, depth + 1);
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || ctx.resolve(parts.fn)) {
    return;
  }
  const method = calleeName(parts.fn, ctx);
  const names = STEP_ARGUMENTS[method];
  if (!names) {
    return;
  }
  for (const name of names) {
    const kw = parts.keywords.get(name);
    if (!kw || !isFloat(kw.value, node, ctx)) {
      continue;
    }
    const edits: OffsetEdit[] = [{ start: kw.value.start, end: kw.value.end, text: `math.ceil(${ctx.textOf(kw.value)})` }];
    const importEdit = ctx.importEdit('math');
    if (importEdit) {
      edits.push(importEdit);
    }
    ctx.report(
      kw.value,
      `\`${name}=\` is given a float (\`${ctx.textOf(kw.value)}\`): Keras 2 ran batches while the step count stayed below it, Keras 3 passes it to \`range()\` and fails with "'float' object cannot be interpreted as an integer" on every backend. \`math.ceil(...)\` gives the integer count Keras 2 ran.`,
      { title: `Round \`${name}\` up to an integer (\`math.ceil\`)`, safe: true, edits }
    );
  }
}

export const floatStepsArgument: RuleDefinition = {
  code: 'KM267',
  name: 'float-steps-argument',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1: `fit(steps_per_epoch=len(x) / 16)` and
   * `evaluate(steps=np.ceil(2.5))` raise "'float' object cannot be interpreted as an integer"
   * (from `range()` in the epoch iterator) on TensorFlow, JAX and PyTorch; with `math.ceil(...)`
   * they run on all three. tf_keras 2.21 runs the float (the TensorFlow imbalanced-data tutorial's
   * `steps_per_epoch=np.ceil(2.0 * neg / BATCH_SIZE)`).
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['steps_per_epoch', 'validation_steps', 'steps'],
  docs: {
    whatItDoes:
      'Flags `fit(steps_per_epoch=...)`, `fit(validation_steps=...)`, `evaluate(steps=...)` and `predict(steps=...)` given a value that is certainly a float: a float literal, a true division (`len(x) / batch_size`), a NumPy rounding call (`np.ceil(...)`, `np.floor`, `np.round`, `np.rint`, `np.trunc`), or a name assigned one of those. The fix wraps it in `math.ceil(...)` (with `import math` where needed).',
    why:
      'Keras 2\'s data handler counted steps while the count stayed below the number it was given, so a float worked (7.8 ran 8 steps, `np.ceil(...)` its value). Keras 3 passes the count to `range()`, which refuses floats: "\'float\' object cannot be interpreted as an integer" on every backend. `math.ceil` gives the integer number of steps Keras 2 ran, so the fix is safe: the call failed on Keras 3 before. Not covered by the migration guide.',
    example: 'import numpy as np\n\nmodel.fit(ds, epochs=3, steps_per_epoch=np.ceil(2.0 * neg_count / BATCH_SIZE))',
    useInstead: 'import math\nimport numpy as np\n\nmodel.fit(ds, epochs=3, steps_per_epoch=math.ceil(np.ceil(2.0 * neg_count / BATCH_SIZE)))'
  },
  calls: { names: ['fit', 'evaluate', 'predict'] },
  requires: ['steps_per_epoch', 'validation_steps', 'steps'],
  visitors: { call: visit }
};
