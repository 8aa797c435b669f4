import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, inKerasClassMethod, looksLikeModel } from '../rule-helpers';

const ADD_N = new Set(['tensorflow.add_n', 'tensorflow.math.add_n']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat || !ADD_N.has(ctx.resolve(parts.fn) ?? '') || parts.positional.length + parts.keywords.size !== 1) {
    return;
  }
  // Inside a model's or layer's methods the tf op is KM131's; in a tape body KM175 converts it.
  if (inKerasClassMethod(ctx)) {
    return;
  }
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'with_statement' && /GradientTape\s*\(/.test(ctx.textOf(n.children[0]))) {
      return;
    }
  }
  const arg = parts.positional[0] ?? parts.keywords.get('inputs')?.value;
  const owner = arg?.type === 'attribute' && ctx.textOf(child(arg, 'attribute')!) === 'losses' ? child(arg, 'object') : null;
  if (!arg || !owner || !(looksLikeModel(owner, ctx) || ctx.isLayerInstance(owner))) {
    return;
  }
  ctx.report(
    node,
    `\`${ctx.textOf(node)}\` hands TensorFlow the add_loss terms (regularization losses) of a Keras 3 model, which are the backend's tensors: on PyTorch they require grad after an eager call of the model and TensorFlow cannot convert them ("Can't call numpy() on Tensor that requires grad"). Python's \`sum(${ctx.textOf(arg)})\` adds them on every backend.`,
    { title: `Use \`sum(${ctx.textOf(arg)})\``, safe: true, edits: [{ start: node.start, end: node.end, text: `sum(${ctx.textOf(arg)})` }] }
  );
}

/**
 * Checked by running Keras 3.15.1 (TensorFlow 2.21, JAX 0.10, PyTorch 2.13): after `model(x)` on a
 * model with kernel regularizers, `tf.add_n(model.losses)` runs on TensorFlow and JAX (TensorFlow
 * converts JAX arrays) and raises "Can't call numpy() on Tensor that requires grad" on PyTorch;
 * `sum(model.losses)` gives the same value on all three (the TensorFlow "Overfit and underfit" tutorial).
 */
export const tfAddNOfLayerLosses: RuleDefinition = {
  code: 'KM270',
  name: 'tf-add-n-of-layer-losses',
  slug: 'keras-ops',
  severity: 'warning',
  blocks: ['torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `tf.add_n(model.losses)` (or a layer\'s `.losses`) outside the methods of Keras classes, as the TensorFlow tutorials total the regularization losses after calling a model. The fix writes `sum(model.losses)`.',
    why:
      'A Keras 3 model\'s `losses` are tensors of the backend. On PyTorch, after an eager call of the model, they require grad, and TensorFlow\'s `add_n` cannot convert them ("Can\'t call numpy() on Tensor that requires grad"); JAX arrays it converts. Python\'s `sum()` adds the same tensors with the backend\'s own `+` on every backend, giving the same value, so the fix is safe (checked by running the TensorFlow "Overfit and underfit" tutorial on Keras 3.15).',
    example: 'import tensorflow as tf\nresult = l2_model(features)\nregularization_loss = tf.add_n(l2_model.losses)',
    useInstead: 'result = l2_model(features)\nregularization_loss = sum(l2_model.losses)'
  },
  calls: { resolved: ['tensorflow.'] },
  requires: ['add_n'],
  visitors: { call: visit }
};
