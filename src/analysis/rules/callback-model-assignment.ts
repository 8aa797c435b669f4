/**
 * What it does: flags `self.model = ...` in a `keras.callbacks.Callback` subclass (a callback
 * handed its model in `__init__()`, keras.io's scikit-learn metric callback), and writes
 * `self.set_model(...)`.
 * Why: Keras 2's Callback kept `model` as a plain attribute; Keras 3 makes it a read-only
 * property, so the assignment raises "AttributeError: property 'model' of 'X' object has no
 * setter" on every backend, before training starts. `set_model()` is the Keras 3 (and Keras 2)
 * way to give a callback its model; `fit()` calls it again with the model being trained.
 * Example: `self.model = model`
 * Use instead: `self.set_model(model)`
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { inKerasCallback } from '../helpers/eager-values';

/** Whether the class body defines `model` itself (a method or property of that name). */
function definesModel(cls: SyntaxNode, ctx: RuleContext): boolean {
  const body = child(cls, 'body');
  return (body?.children ?? []).some(s => {
    const def = s.type === 'decorated_definition' ? child(s, 'definition') : s;
    return def?.type === 'function_definition' && ctx.textOf(child(def, 'name') ?? def) === 'model';
  });
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const left = child(node, 'left');
  const right = child(node, 'right');
  // A plain `self.model = value` statement (not a chained or annotated assignment).
  if (!left || !right || left.type !== 'attribute' || ctx.textOf(left).replace(/\s+/g, '') !== 'self.model' || right.type === 'assignment') {
    return;
  }
  if (node.parent?.type !== 'expression_statement' || child(node, 'type') || !ctx.fn || !ctx.cls || !inKerasCallback(ctx) || definesModel(ctx.cls.node, ctx)) {
    return;
  }
  ctx.report(
    left,
    '`self.model = ...` in a Keras callback: Keras 3 makes `Callback.model` a read-only property, so this raises "AttributeError: property \'model\' ... has no setter" on every backend (Keras 2 kept a plain attribute); call `self.set_model(...)`.',
    {
      title: 'Use `self.set_model(...)`',
      safe: true,
      edits: [{ start: node.start, end: node.end, text: `self.set_model(${ctx.textOf(right)})` }]
    }
  );
}

export const callbackModelAssignment: RuleDefinition = {
  code: 'KM280',
  name: 'callback-model-assignment',
  slug: 'api-changes',
  severity: 'error',
  /**
   * Checked by running Keras 3.15 on TensorFlow, JAX and PyTorch: `self.model = model` in a
   * Callback subclass's `__init__()` raises "property 'model' of 'C' object has no setter";
   * `self.set_model(model)` runs, and `self.model` then reads that model (tf_keras 2.21 takes
   * either). python_kernel_hooks/tests/claims/callback_model_assignment.py.
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['model'],
  docs: {
    whatItDoes:
      'Flags the statement `self.model = value` in a method of a `keras.callbacks.Callback` subclass (one that does not define `model` itself), such as a callback handed its model in `__init__()`. The fix writes `self.set_model(value)`.',
    why:
      'Keras 2 kept `Callback.model` as a plain attribute, so callbacks often stored the model they were given. In Keras 3 `model` is a read-only property (`set_model()` sets it), and the assignment raises "AttributeError: property \'model\' of \'JaccardScoreCallback\' object has no setter" on every backend. `set_model()` does what the assignment did (fit() calls it again with the model it trains). Not covered by the migration guide.',
    example:
      'import keras\nclass ScoreCallback(keras.callbacks.Callback):\n    def __init__(self, model, x_test):\n        self.model = model\n        self.x_test = x_test\n',
    useInstead:
      'import keras\nclass ScoreCallback(keras.callbacks.Callback):\n    def __init__(self, model, x_test):\n        self.set_model(model)\n        self.x_test = x_test\n'
  },
  requires: ['Callback'],
  visitors: { assignment: visit }
};
