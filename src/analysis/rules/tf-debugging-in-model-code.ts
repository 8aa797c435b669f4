/**
 * KM257 tf-debugging-in-model-code.
 * What it does: flags `tf.print`, `tf.debugging.assert_rank` and `tf.debugging.assert_equal` in
 * model code (keras.io "Keras debugging tips", and layers written with them).
 * Why: `assert_rank` reads its tensor, which fails on a JAX tracer and on a torch tensor that
 * requires grad; `tf.print` and `assert_equal` on static sizes run on every backend, but only while
 * TensorFlow is installed. The claims are each call's own (tfOpClaim), as KM190 counts them.
 * Example: `tf.debugging.assert_rank(inputs, 2)` in `call()`.
 * Use instead: `assert len(keras.ops.shape(inputs)) == 2`, and Python's `print`.
 */
import type { SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, modelCodeCondition, withKerasImport } from '../rule-helpers';
import { backendProse, isStaticSize, tfOpClaim } from '../helpers/tf-op-claims';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat) {
    return;
  }
  const name = ctx.resolve(parts.fn);
  if (name !== 'tensorflow.print' && name !== 'tensorflow.debugging.assert_rank' && name !== 'tensorflow.debugging.assert_equal') {
    return;
  }
  const condition = modelCodeCondition(node, ctx);
  if (condition === null) {
    return;
  }
  const short = 'tf.' + name.slice('tensorflow.'.length);
  const statement = node.parent?.type === 'expression_statement' && node.parent.children.length === 1 ? node.parent : null;
  const keywords = [...parts.keywords.keys()];
  let edits: OffsetEdit[] | null = null;
  let instead = '';
  if (name === 'tensorflow.print' && keywords.every(k => k === 'sep' || k === 'end')) {
    edits = [{ start: parts.fn.start, end: parts.fn.end, text: 'print' }];
    instead = "Python's `print` (on JAX it prints once, when the function is traced)";
  } else if (statement && name !== 'tensorflow.print') {
    const rank = name.endsWith('assert_rank');
    const [first, second] = [parts.positional[0] ?? parts.keywords.get(rank ? 'x' : 'x')?.value, parts.positional[1] ?? parts.keywords.get(rank ? 'rank' : 'y')?.value];
    const message = parts.positional[2] ?? parts.keywords.get('message')?.value;
    const known = keywords.every(k => ['x', 'y', 'rank', 'message', 'name'].includes(k)) && parts.positional.length <= 3;
    if (known && first && second && (rank ? isStaticSize(second, ctx, true) : isStaticSize(first, ctx, true) && isStaticSize(second, ctx, true))) {
      const test = rank ? `len(keras.ops.shape(${ctx.textOf(first)})) == ${ctx.textOf(second)}` : `${ctx.textOf(first)} == ${ctx.textOf(second)}`;
      edits = withKerasImport(ctx, [{ start: statement.start, end: statement.end, text: `assert ${test}${message ? `, ${ctx.textOf(message)}` : ''}` }]);
      instead = rank ? 'a Python `assert` on the rank of the static shape' : 'a Python `assert` on the static sizes';
    }
  }
  const claim = tfOpClaim(node, ctx);
  const effect = claim.blocks.length
    ? `it fails on ${backendProse(claim.blocks)} (it reads its tensor: a JAX tracer, or a torch tensor that requires grad)`
    : 'it runs on every backend, but only while TensorFlow is installed';
  ctx.report(
    parts.fn,
    `\`${short}\` in model code: ${effect}${instead ? `; use ${instead}` : ''}.`,
    edits ? { title: `Use ${instead.replace(/ \(.*\)$/, '')}`, safe: false, edits } : null,
    undefined,
    condition === true ? undefined : condition,
    claim.blocks.slice(),
    claim.blocksOnlyIf
  );
}

export const tfDebuggingInModelCode: RuleDefinition = {
  code: 'KM257',
  name: 'tf-debugging-in-model-code',
  slug: 'keras-ops',
  severity: 'warning',
  // Each finding claims its call's own backends (tfOpClaim): none for `tf.print`.
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags TensorFlow debugging calls in model code (the methods of a Keras layer or model that run on its tensors, losses, metrics, Lambda functions): `tf.print`, `tf.debugging.assert_rank` and `tf.debugging.assert_equal`, as keras.io\'s "Keras debugging tips" writes them.',
    why:
      '`assert_rank` reads its tensor: on JAX it fails on the tracer (while formatting its message) and on PyTorch on a tensor that requires grad (behind a layer with weights, in training). `tf.print` formats every backend\'s tensors and `assert_equal` on static sizes compares Python integers, so they run on all three backends, but only while TensorFlow is installed. Every backend runs Python\'s `print` (on JAX it prints once, when the function is traced, as `print` in a jitted function does) and a Python `assert` on the static shape (`len(keras.ops.shape(x)) == 2`; `assert_equal` only where both sides are sizes from shapes and integers). The fixes are suggestions: `print` and `assert` run at trace time on JAX, not at every step (checked by running the keras.io Antirectifier on all three backends).',
    example:
      'import keras\nimport tensorflow as tf\nclass Antirectifier(keras.layers.Layer):\n    def call(self, inputs):\n        tf.debugging.assert_rank(inputs, 2, message="expects (batch, features)")\n        concatenated = keras.ops.concatenate([keras.ops.relu(inputs), keras.ops.relu(-inputs)], axis=-1)\n        tf.print("shape:", keras.ops.shape(concatenated))\n        return concatenated',
    useInstead:
      'import keras\nimport tensorflow as tf\nclass Antirectifier(keras.layers.Layer):\n    def call(self, inputs):\n        assert len(keras.ops.shape(inputs)) == 2, "expects (batch, features)"\n        concatenated = keras.ops.concatenate([keras.ops.relu(inputs), keras.ops.relu(-inputs)], axis=-1)\n        print("shape:", keras.ops.shape(concatenated))\n        return concatenated'
  },
  calls: { resolved: ['tensorflow.'] },
  requires: ['print', 'assert_rank', 'assert_equal'],
  visitors: { call: visit }
};
