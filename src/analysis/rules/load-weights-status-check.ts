/**
 * load-weights-status-check (KM277)
 *
 * What it does: flags a TensorFlow checkpoint status check on what a Keras model's
 * `load_weights()` returned: `model.load_weights(path).expect_partial()`, or
 * `status = model.load_weights(path)` then `status.assert_consumed()` (also
 * `assert_existing_objects_matched`, `assert_nontrivial_match`).
 *
 * Why: Keras 2's `load_weights()` of a TensorFlow checkpoint returned TensorFlow's load status.
 * Keras 3 loads `.weights.h5` files (what the weights-file fix writes) and returns None, so the
 * check raises "'NoneType' object has no attribute 'expect_partial'" on every backend (keras.io
 * serialization guide, TensorFlow tutorials; checked on Keras 3.15 with TensorFlow, JAX and
 * PyTorch). Keras 3's load is strict by itself: it raises when the file and the model differ.
 *
 * Example:
 *   model.load_weights("ckpt.weights.h5").expect_partial()
 *
 * Use instead:
 *   model.load_weights("ckpt.weights.h5")
 *
 * Fix (safe): drops the check (a statement of its own: the call after `load_weights(...)`, or the
 * line calling it on the name); the load stays.
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue } from '../helpers/calls';
import { statementLinesDeletion } from '../helpers/code-text';

/** TensorFlow's load-status methods. */
const STATUS_CHECKS = new Set(['expect_partial', 'assert_consumed', 'assert_existing_objects_matched', 'assert_nontrivial_match']);

/** The `X.load_weights(...)` call `node` is (or a name was last assigned), on a Keras model or layer, else null. */
function kerasLoadWeights(node: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const call = node.type === 'identifier' ? lastAssignedValue(ctx.textOf(node), node, ctx) : node;
  const parts = call?.type === 'call' ? callParts(call, ctx) : null;
  const fn = parts?.fn;
  const receiver = fn?.type === 'attribute' ? child(fn, 'object') : null;
  return fn && receiver && ctx.textOf(child(fn, 'attribute') ?? fn) === 'load_weights' && ctx.isLayerInstance(receiver) ? call : null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const fn = parts?.fn;
  const method = fn?.type === 'attribute' ? child(fn, 'attribute') : null;
  const receiver = fn?.type === 'attribute' ? child(fn, 'object') : null;
  if (!method || !receiver || !STATUS_CHECKS.has(ctx.textOf(method))) {
    return;
  }
  const load = kerasLoadWeights(receiver, ctx);
  if (!load) {
    return;
  }
  // Only a check that is a statement of its own can go: its value is not used.
  const statement = node.parent?.type === 'expression_statement' && node.parent.children.length === 1 ? node.parent : null;
  const deletion = statement && receiver !== load ? statementLinesDeletion(statement, ctx.text) : null;
  const edits: OffsetEdit[] = !statement ? [] : receiver === load ? [{ start: load.end, end: node.end, text: '' }] : deletion ? [deletion] : [];
  ctx.report(
    method,
    `\`${ctx.textOf(method)}()\` is TensorFlow's checkpoint load status, which Keras 2's \`load_weights()\` returned; Keras 3's returns None ("'NoneType' object has no attribute '${ctx.textOf(method)}'" on every backend) and raises by itself when the file and the model differ. Drop the check.`,
    edits.length ? { title: `Drop \`.${ctx.textOf(method)}()\``, safe: true, edits } : null
  );
}

export const loadWeightsStatusCheck: RuleDefinition = {
  code: 'KM277',
  name: 'load-weights-status-check',
  slug: 'savedmodel-save',
  severity: 'error',
  /**
   * Checked by running Keras 3.15.1 on TensorFlow, JAX and PyTorch: `load_weights()` returns None
   * and the status method raises AttributeError on each; tf_keras 2.21 returns the status.
   */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `expect_partial()`, `assert_consumed()`, `assert_existing_objects_matched()` or `assert_nontrivial_match()` called on what a Keras model\'s `load_weights()` returned: chained (`model.load_weights(path).expect_partial()`) or through the name it was assigned to (`status = model.load_weights(path)`, then `status.assert_consumed()`). The safe fix drops the check when it is a statement of its own (the load stays).',
    why:
      'Keras 2\'s `load_weights()` of a TensorFlow checkpoint returned TensorFlow\'s load status, which the TensorFlow tutorials and the keras.io serialization guide check. Keras 3 loads `.weights.h5` files and returns None, so the check raises "\'NoneType\' object has no attribute \'expect_partial\'" on every backend (checked on Keras 3.15). Keras 3\'s load raises by itself when the file and the model differ, so dropping the check loses no safety; a partial load that a TensorFlow checkpoint allowed takes `skip_mismatch=True` (KM278).',
    example:
      'import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\nmodel.save_weights("cp.weights.h5")\nmodel.load_weights("cp.weights.h5").expect_partial()',
    useInstead:
      'import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\nmodel.save_weights("cp.weights.h5")\nmodel.load_weights("cp.weights.h5")'
  },
  calls: { names: [...STATUS_CHECKS] },
  // Findings are on calls of these methods.
  requires: [...STATUS_CHECKS],
  visitors: { call: visit }
};
