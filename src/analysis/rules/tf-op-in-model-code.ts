import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { kerasOpNamed, tfOp } from '../knowledge';
import { callParts, convertCall, inModelCode, tfApiName } from '../rule-helpers';

/** TF namespaces whose functions are tensor ops (tf.random, tf.Variable... have their own rules). */
const OP_NAMESPACE = /^tf\.((math|linalg|nn|image|signal|bitwise|sparse)\.)?[a-z_][a-z0-9_]*$/;
const NOT_OPS = new Set([
  'tf.function',
  'tf.print',
  'tf.py_function',
  'tf.numpy_function',
  'tf.executing_eagerly',
  'tf.is_tensor',
  'tf.control_dependencies',
  'tf.name_scope',
  'tf.device',
  'tf.GradientTape',
  'tf.stop_gradient'
]);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = tfApiName(ctx.resolve(parts.fn));
  if (!name || !OP_NAMESPACE.test(name) || NOT_OPS.has(name)) {
    return;
  }
  if (!inModelCode(node, ctx)) {
    return;
  }
  // Ops on symbolic Functional-API tensors are KM071's (they fail on every backend).
  if (parts.positional.some(a => ctx.isSymbolic(a))) {
    return;
  }
  const mapping = tfOp(ctx.resolve(parts.fn)!);
  const target = mapping?.keras ?? kerasOpNamed(name);
  const { fix, unmapped } = mapping ? convertCall(parts, target, mapping, ctx) : { fix: null, unmapped: null };
  const hint = unmapped
    ? `\`${target}\` has no counterpart for ${unmapped}, so rewrite this call by hand`
    : target
      ? `use \`${target}\`${mapping ? '' : ' (check its arguments)'}`
      : 'use the matching `keras.ops` function';
  ctx.report(parts.fn, `\`${name}\` only runs on the TensorFlow backend; ${hint}.`, fix);
}

export const tfOpInModelCode: RuleDefinition = {
  code: 'KM131',
  name: 'tf-op-in-model-code',
  slug: 'keras-ops',
  severity: 'warning',
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags each call of a TensorFlow op (`tf.*`, `tf.math.*`, `tf.linalg.*`, `tf.nn.*`, ...) inside code that runs on model tensors: methods of Keras Layer/Model/Metric/Loss (and constraint, regularizer, initializer) subclasses, loss and metric functions (`y_true, y_pred`), and `Lambda` layers. Ops listed in src/catalog/ops.json get a rewrite to `keras.ops`.',
    why:
      'On the JAX and PyTorch backends the tensors reaching a layer are not TensorFlow tensors, so TF ops reject them. `keras.ops` offers the same operations for every backend (guide section "Switching to Keras ops"). Only rewrites whose arguments and defaults match exactly are marked safe; the rest are suggestions.',
    example:
      'import keras\nimport tensorflow as tf\nclass Norm(keras.layers.Layer):\n    def call(self, x):\n        return x / tf.reduce_sum(x, axis=1, keepdims=True)',
    useInstead:
      'import keras\nclass Norm(keras.layers.Layer):\n    def call(self, x):\n        return x / keras.ops.sum(x, axis=1, keepdims=True)'
  },
  calls: { resolved: ['tensorflow.'] },
  visitors: { call: visit }
};
