import type { SyntaxNode } from '../ast';
import { isTfOpName, kerasOpNamed, tfOp } from '../knowledge';
import type { RuleContext, RuleDefinition } from '../rule';
import { modelCodeCondition, tfApiName, withKerasImport } from '../rule-helpers';

/**
 * A TF op named without being called (`self.pool = ... else tf.identity`, `fn = tf.square`,
 * `return tf.nn.relu`) in model code: it is called later on the backend's tensors. Calls are
 * KM131's, and functions passed as arguments (`activation=tf.nn.relu`, `Lambda(tf.abs)`) other
 * rules' (KM133, KM071).
 */
function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parent = node.parent;
  if (!parent || (parent.type === 'call' && node.field === 'function') || parent.type === 'attribute') {
    return;
  }
  if (parent.type === 'argument_list' || parent.type === 'keyword_argument') {
    return;
  }
  const canonical = ctx.resolve(node);
  const name = tfApiName(canonical);
  if (!canonical || !name || !isTfOpName(name)) {
    return;
  }
  // Only ops with a `keras.ops` function of the same positional order: `tf.float32`, `tf.newaxis` are no ops.
  const mapping = tfOp(canonical);
  const target = mapping && !mapping.skip ? mapping.keras : kerasOpNamed(name);
  if (!target || !target.startsWith('keras.ops.')) {
    return;
  }
  const condition = modelCodeCondition(node, ctx);
  if (condition === null) {
    return;
  }
  const where = condition === true ? '' : ` (\`${condition.slice('model:'.length)}()\` runs as model code)`;
  ctx.report(
    node,
    `\`${name}\` is kept as a function here${where} and later called on the backend's tensors, which fails on JAX (it traces model code; PyTorch converts the tensors through NumPy while TensorFlow is installed and none requires grad); use \`${target}\` (check the arguments of the calls).`,
    {
      title: `Use \`${target}\``,
      safe: false,
      edits: withKerasImport(ctx, [{ start: node.start, end: node.end, text: target }])
    },
    undefined,
    condition === true ? undefined : condition,
    ['jax']
  );
}

export const tfOpReferenceInModelCode: RuleDefinition = {
  code: 'KM212',
  name: 'tf-op-reference-in-model-code',
  slug: 'keras-ops',
  severity: 'warning',
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a TensorFlow op kept as a function value in model code without being called there, such as `self.stride_layer = pool if stride > 1 else tf.identity` in a layer\'s `build()`, when `keras.ops` has the same function.',
    why:
      'The layer calls the stored function later, on the backend\'s tensors: on JAX they are tracers that a TF op rejects (checked with keras.io\'s involution layer on Keras 3.15). The `keras.ops` function (`tf.identity` -> `keras.ops.copy`) runs on every backend. The fix is a suggestion: the calls of the stored function are not checked against the `keras.ops` signature. Functions passed as arguments are other rules\' (KM133 for activations).',
    example:
      'import keras\nimport tensorflow as tf\nclass Block(keras.layers.Layer):\n    def build(self, input_shape):\n        self.pool = keras.layers.AveragePooling2D() if input_shape[1] > 8 else tf.identity\n\n    def call(self, x):\n        return self.pool(x)',
    useInstead:
      'import keras\nclass Block(keras.layers.Layer):\n    def build(self, input_shape):\n        self.pool = keras.layers.AveragePooling2D() if input_shape[1] > 8 else keras.ops.copy\n\n    def call(self, x):\n        return self.pool(x)'
  },
  visitors: { attribute: visit }
};
