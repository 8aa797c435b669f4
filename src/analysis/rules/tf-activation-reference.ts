import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { tfApiName, withKerasImport } from '../rule-helpers';

/** TF activation functions and their Keras 3 equivalents (same defaults). */
const ACTIVATIONS: Record<string, string> = {
  'tf.nn.relu': 'keras.activations.relu',
  'tf.nn.sigmoid': 'keras.activations.sigmoid',
  'tf.sigmoid': 'keras.activations.sigmoid',
  'tf.math.sigmoid': 'keras.activations.sigmoid',
  'tf.nn.tanh': 'keras.activations.tanh',
  'tf.tanh': 'keras.activations.tanh',
  'tf.math.tanh': 'keras.activations.tanh',
  'tf.nn.softmax': 'keras.activations.softmax',
  'tf.nn.elu': 'keras.activations.elu',
  'tf.nn.selu': 'keras.activations.selu',
  'tf.nn.gelu': 'keras.activations.gelu',
  'tf.nn.silu': 'keras.activations.silu',
  'tf.nn.swish': 'keras.activations.silu',
  'tf.nn.softplus': 'keras.activations.softplus',
  'tf.nn.relu6': 'keras.activations.relu6',
  'tf.nn.leaky_relu': 'keras.activations.leaky_relu'
};

/** The first positional argument of `keras.layers.Activation(...)` or `keras.layers.Lambda(...)`. */
function isLayerFunctionArgument(node: SyntaxNode, ctx: RuleContext): boolean {
  const args = node.parent;
  const call = args?.parent;
  if (!args || args.type !== 'argument_list' || !call || call.type !== 'call') {
    return false;
  }
  const first = args.children.find(c => c.type !== 'comment');
  const fn = call.children.find(c => c.field === 'function');
  const layer = fn ? ctx.resolveKeras(fn) : null;
  return first === node && (layer === 'keras.layers.Activation' || layer === 'keras.layers.Lambda');
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  // Only references (`activation=tf.nn.relu`, `Activation(tf.nn.relu)`), not calls: calls are KM131/KM071.
  if (!(node.field === 'value' && node.parent?.type === 'keyword_argument') && !isLayerFunctionArgument(node, ctx)) {
    return;
  }
  const name = tfApiName(ctx.resolve(node));
  const target = name ? ACTIVATIONS[name] : undefined;
  if (!target) {
    return;
  }
  ctx.report(node, `\`${name}\` passed as a function only works on the TensorFlow backend; use \`${target}\`.`, {
    title: `Use \`${target}\``,
    safe: true,
    edits: withKerasImport(ctx, [{ start: node.start, end: node.end, text: target }])
  });
}

export const tfActivationReference: RuleDefinition = {
  code: 'KM133',
  name: 'tf-activation-reference',
  slug: 'keras-ops',
  severity: 'warning',
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes: 'Flags TensorFlow activation functions passed as arguments, such as `Dense(64, activation=tf.nn.relu)`.',
    why:
      'The layer calls the function on backend tensors; a TF function cannot take JAX or PyTorch tensors. `keras.activations` has the same functions with the same defaults (guide section "Switching to Keras ops").',
    example: 'import keras\nimport tensorflow as tf\nlayer = keras.layers.Dense(64, activation=tf.nn.relu)',
    useInstead: 'import keras\nlayer = keras.layers.Dense(64, activation=keras.activations.relu)'
  },
  visitors: { attribute: visit }
};
